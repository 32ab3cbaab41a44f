"""Assemble converted chapters into one manuscript with a Jinja2 template.

The template ships in the package (`templates/manuscript.md.j2`); a project overrides
it by putting a file of the same name in its `templates/` or `styles/` folder. The
context is a dataclass rendered with StrictUndefined, so a missing value is an error,
never an empty string in the book.
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import jinja2

from diaspora_book import __version__
from diaspora_book.annotate.project import Annotations
from diaspora_book.assemble.attribution import image_licences_line, licence_line
from diaspora_book.assemble.backmatter import back_matter
from diaspora_book.chapters.markdown import escape_inline
from diaspora_book.languages.labels import Labels, book_labels
from diaspora_book.model import Chapter, SourceSpan
from diaspora_book.plumbing.errors import BookError
from diaspora_book.plumbing.strict_text import read_text
from diaspora_book.project.config import Project, book_date, book_identifier
from diaspora_book.project.licences import Licence, chapter_attribution
from diaspora_book.project.own_files import own_file, shown_path

Format = Literal["pdf", "epub", "handout"]  # handout: one chapter printed on its own
TEMPLATE = "manuscript.md.j2"


@dataclass(frozen=True)
class ManuscriptContext:
    """Everything the manuscript template may use."""

    format: Format
    title: str
    subtitle: str
    authors: tuple[str, ...]
    publisher: str
    language: str
    date: str
    rights: str
    identifier: str
    chapters: tuple[Chapter, ...]
    tool_version: str
    back_matter: str = ""  # Glossary, References, Index (Markdown; see annotate/backmatter.py)
    back_matter_sections: tuple[tuple[str, str], ...] = ()  # (title, id) for the contents
    labels: Labels = Labels()  # the book's own words, in its language (see labels.py)
    direction: str = "ltr"  # "rtl" for a book in a right-to-left language
    licence: Licence = Licence()  # of the articles' text (book.yml `licence:`)
    # The copyright page's sentence naming the licences of the images shown ("": none).
    image_licences_notice: str = ""

    @property
    def licence_notice(self) -> str:
        """The copyright page's sentence naming the licence, and its URL (Markdown)."""
        return licence_line(self.licence, self.labels)

    def label(self, name: str, **args: object) -> str:
        """Return the book's message `name` (plain text; escape it with `| md`)."""
        return self.labels.text(name, **args)

    @property
    def date_text(self) -> str:
        """The date as the copyright page prints it: the language's long format (CLDR)."""
        return self.labels.date(self.date)

    @property
    def sources(self) -> str:
        """The chapters' source files, as a list in the language's punctuation."""
        files = dict.fromkeys(c.source for c in self.chapters)  # an export: several chapters
        return self.labels.join(files, "group_separator")


@dataclass(frozen=True)
class Description:
    """What a book (or a handout) says about itself: pandoc's metadata, the PDF's Info and XMP."""

    title: str
    language: str  # BCP 47
    date: str  # printed on the copyright page, ISO 8601
    identifier: str
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    rights: str = ""
    publisher: str = ""
    direction: str = "ltr"  # "rtl" for a book in a right-to-left language

    def pandoc_metadata(self) -> dict[str, str | list[str]]:
        """Return the metadata pandoc is given on its command line (`-M key=value`)."""
        metadata: dict[str, str | list[str]] = {
            "title": self.title,
            "pagetitle": self.title,
            "lang": self.language,
            "date": self.date,
            "identifier": self.identifier,
        }
        if self.subtitle:
            metadata["subtitle"] = self.subtitle
        if self.authors:
            metadata["author"] = list(self.authors)
        if self.rights:
            metadata["rights"] = self.rights
        if self.publisher:
            metadata["publisher"] = self.publisher
        if self.direction == "rtl":  # pandoc: <html dir>, and the EPUB spine's progression
            metadata["dir"] = "rtl"
            metadata["page-progression-direction"] = "rtl"
        return metadata


@dataclass(frozen=True)
class Manuscript:
    """One book as pandoc Markdown plus what it says about itself."""

    format: Format
    markdown: str
    description: Description
    pandoc_args: tuple[str, ...] = ()  # e.g. citeproc with the bibliography and CSL style
    chapter_ids: tuple[str, ...] = ()  # the chapters' section ids, in book order
    article_sources: tuple[str, ...] = ()  # each chapter's source URL (the EPUB's dc:source)

    @property
    def metadata(self) -> dict[str, str | list[str]]:
        """The metadata pandoc is given on the command line."""
        return self.description.pandoc_metadata()


class _ProjectLoader(jinja2.FileSystemLoader):
    """Load templates from the project's folders, never through a link that leads out."""

    def __init__(self, project: Project):
        super().__init__([str(project.templates_dir), str(project.styles_dir)])
        self.root = project.root

    def get_source(self, environment, template):
        for folder in self.searchpath:
            path = Path(folder, *jinja2.loaders.split_template_path(template))
            if path.is_file():
                own_file(self.root, path)
                # Strict UTF-8: a bad byte is an error at its line and column.
                text = read_text(path, shown_path(self.root, path))
                return text, str(path), lambda: True  # an environment lives for one render
        raise jinja2.TemplateNotFound(template)


def template_environment(project: Project) -> jinja2.Environment:
    """Return the Jinja2 environment: project templates first, then the package's."""
    loader = jinja2.ChoiceLoader(
        [_ProjectLoader(project), jinja2.PackageLoader("diaspora_book", "templates")]
    )
    env = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown; text is escaped with `| md`
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # pandoc attributes are written `{#id .class}`; keep Jinja comments out of their way.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters["md"] = lambda value: escape_inline(str(value))
    return env


def render_template(project: Project, context: ManuscriptContext) -> str:
    """Render the manuscript template; any fault in a template is a BookError at its line."""
    env = template_environment(project)
    try:
        return env.get_template(TEMPLATE).render(book=context)
    except jinja2.TemplateSyntaxError as exc:
        where = SourceSpan(_shown(project, exc.filename or TEMPLATE), exc.lineno)
        raise BookError(f"template error: {exc.message}", where) from None
    except jinja2.TemplateNotFound as exc:
        raise BookError(
            f"template error: cannot include '{exc.name}': there is no such template",
            _template_line(project, exc),
            "templates are looked for in templates/, styles/ and the package",
        ) from None
    except jinja2.UndefinedError as exc:
        raise BookError(f"template error: {exc.message}", _template_line(project, exc)) from None
    except RecursionError as exc:
        raise BookError(
            "template error: a template includes itself (directly or through another)",
            _template_line(project, exc),
        ) from None


def _template_line(project: Project, exc: BaseException) -> SourceSpan:
    """Return the innermost template line that was running when `exc` was raised.

    Jinja2 rewrites tracebacks so that template code shows its own file and line.
    """
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):
        if frame.lineno and not frame.filename.endswith(".py") and frame.filename[:1] != "<":
            return SourceSpan(_shown(project, frame.filename), frame.lineno)
    return SourceSpan(TEMPLATE, 1)


def _shown(project: Project, filename: str) -> str:
    path = Path(filename)
    return shown_path(project.root, path) if path.is_absolute() else filename


def assemble(
    project: Project,
    chapters: list[Chapter],
    fmt: Format,
    notes: Annotations | None = None,
    pages: dict[str, int] | None = None,
) -> Manuscript:
    """Render the manuscript template for `fmt`, with back matter from `notes`.

    `pages` (anchor -> page index, from a first PDF layout) lets the Glossary and the
    Index give one page number per page.
    """
    config = project.config
    notes = notes or Annotations()
    chapters = settled_cross_references(chapters)
    labels = book_labels(config)
    back = back_matter(notes, chapters, fmt, config.book_language, labels, pages)
    context = ManuscriptContext(
        format=fmt,
        title=config.title,
        subtitle=config.subtitle,
        authors=config.authors,
        publisher=config.publisher,
        language=config.language,
        date=book_date(config),
        rights=config.rights,
        identifier=book_identifier(config),
        chapters=tuple(chapters),
        tool_version=__version__,
        back_matter=back.markdown,
        back_matter_sections=back.sections,
        labels=labels,
        direction=config.book_language.direction,
        licence=config.licence,
        image_licences_notice=image_licences_line(chapters, notes.image_credits, labels),
    )
    markdown = render_template(project, context)
    description = Description(
        title=config.title,
        language=config.language,
        date=context.date,
        identifier=context.identifier,
        subtitle=config.subtitle,
        authors=config.authors,
        rights=config.rights,
        publisher=config.publisher,
        direction=context.direction,
    )
    cited = [key for chapter in chapters for key in chapter.cites]
    found = (chapter_attribution(c, notes.sources) for c in chapters)
    return Manuscript(
        fmt,
        markdown,
        description,
        tuple(notes.pandoc_args(cited)),
        tuple(c.slug for c in chapters),
        tuple(dict.fromkeys(a.url for a in found if a is not None and a.url)),
    )


_ID = re.compile(r"\{#([a-z0-9][a-z0-9-]*)[ }]")
_XREF = re.compile(r"\]\(#([a-z0-9][a-z0-9-]*)--([a-z0-9-]+)\)\{\.xref\}")


def settled_cross_references(chapters: list[Chapter]) -> list[Chapter]:
    """Point a link to a section no chapter has (`[[Foo#No such section]]`) at its chapter.

    A chapter is converted without knowing the headings of the others, so a link
    to one of their sections names the id that section would have; MediaWiki
    opens the page when the section is not there, and so does the book.
    """
    ids = {found for chapter in chapters for found in _ID.findall(chapter.body)}

    def settled(match: re.Match) -> str:
        whole = f"{match.group(1)}--{match.group(2)}"
        return match.group(0) if whole in ids else f"](#{match.group(1)}){{.xref}}"

    return [
        replace(chapter, body=_XREF.sub(settled, chapter.body))
        if "{.xref}" in chapter.body
        else chapter
        for chapter in chapters
    ]
