"""Convert parsed articles into annotated pandoc-Markdown chapters in `chapters/`.

A chapter file is YAML front matter (title, source file, infobox facts: plain values
for people and tools) and a pandoc-Markdown body that is all the pipeline renders.
Every character of the article is escaped so it stays text; runs of non-Latin
script carry their language; glossary and index terms are marked and citations
inserted as the project's annotations say (see `annotate/`). `chapters/` is written
by `convert` and `build`, and `convert --check` reports when it no longer matches
the articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from diaspora_book.annotate.project import Annotations
from diaspora_book.annotate.wiki_bibliography import CitationKeys, cite_at
from diaspora_book.chapters.markdown import (
    annotated,
    escape_inline,
    front_matter,
    narrative_citation,
    tagged,
)
from diaspora_book.chapters.markdown import citation as markdown_citation
from diaspora_book.chapters.styled_blocks import (
    code_lines,
    definition_lines,
    figure_lines,
    list_lines,
    list_style,
    paragraph_lines,
    table_lines,
)
from diaspora_book.chapters.styled_runs import Links, RichWriter, usable_marks
from diaspora_book.languages.book_language import BookLanguage
from diaspora_book.languages.labels import book_labels
from diaspora_book.model import (
    Article,
    BulletList,
    Chapter,
    Cite,
    Fact,
    Figure,
    Heading,
    Infobox,
    Mark,
    Occurrence,
    Paragraph,
    Run,
    SourceSpan,
    Table,
    WikiCitation,
    running_text,
)
from diaspora_book.plumbing.errors import BookError, Diagnostic
from diaspora_book.plumbing.outputs import write_text
from diaspora_book.plumbing.slug import slugify, unique
from diaspora_book.project.config import BookConfig
from diaspora_book.project.fonts import head_page, upright_language
from diaspora_book.project.licences import revision_metadata
from diaspora_book.project.lint_rules import TEMPLATE_PARAMETER
from diaspora_book.project.media import media_dir, media_files, media_key

_CHAPTER_FILE = re.compile(r"^\d+-[a-z0-9-]+\.md$")


def convert_article(
    article: Article,
    number: int,
    config: BookConfig,
    notes: Annotations | None = None,
    links: Mapping[str, str] | None = None,
) -> Chapter:
    """Turn one article into chapter number `number`, marked up with `notes`.

    `links` maps the page titles of the book's articles to their chapter slugs, so a
    MediaWiki link to one of them becomes a cross-reference.
    """
    # A Japanese article is one passage: Han in a heading or table cell without kana
    # ("気候") is Japanese there too (see BookLanguage.passage).
    languages = config.book_language.passage(
        " ".join([article.title, *(text for text, _ in running_text(article))])
        + " ".join(block.text for block in article.blocks if isinstance(block, Heading))
    )
    notes = notes or Annotations()
    ids: set[str] = {article.slug}
    headings = {
        index: unique(f"{article.slug}--{slugify(block.text, 'section')}", ids)
        for index, block in enumerate(article.blocks)
        if isinstance(block, Heading)
    }
    media = media_files(media_dir(article.path))
    marker = _Marker(article, notes, languages, ids)
    marker.writer = RichWriter(languages, Links(links or {}))
    upright = upright_language(languages.runs(article.title))  # its running heads: upright
    head = f" .{head_page(upright)}" if upright else ""
    lines = [f"# {tagged(article.title, languages)} {{#{article.slug} .chapter{head}}}", ""]
    if article.infobox:
        image = article.infobox.image
        found = media.get(media_key(image.file)) if image else None
        lines += _factbox(article.infobox, languages, marker.plain, found)
    for index, block in enumerate(article.blocks):
        if isinstance(block, Heading):
            anchor = headings[index]
            marker.section = (anchor, block.text)
            classes = " .see-also" if _is_see_also(block, article) else ""
            lines += [
                f"{'#' * block.level} {tagged(block.text, languages)} {{#{anchor}{classes}}}",
                "",
            ]
        elif isinstance(block, Paragraph) and block.kind == "code":
            lines += code_lines(block.text, languages)
        elif isinstance(block, Paragraph) and (block.runs or block.kind):
            lines += paragraph_lines(block, marker.rich(block.text, block.runs))
        elif isinstance(block, Paragraph):
            lines += [marker.text(block.text), ""]
        elif isinstance(block, Table):
            lines += table_lines(block, marker.rich)
        elif isinstance(block, Figure):
            lines += figure_lines(block, media.get(media_key(block.file)), marker.plain)
        elif isinstance(block, BulletList) and block.see_also and list_style(block.items):
            # Right under its heading, as the "See also" style expects; links stay links.
            lines += [f"- {marker.plain(item.text, item.runs)}" for item in block.items] + [""]
        elif isinstance(block, BulletList) and list_style(block.items):
            lines += definition_lines(block, marker.rich) or list_lines(block, marker.rich)
        elif isinstance(block, BulletList) and block.see_also:
            lines += [f"- {tagged(item.text, languages, block=True)}" for item in block.items]
            lines.append("")
        elif isinstance(block, BulletList):
            lines += [f"- {marker.text(item.text)}" for item in block.items]
            lines.append("")
    for citation in article.citations:  # bibliography entries: listed in References
        if citation.kind == "entry":
            marker.cited += notes.wiki_keys.keys_of(citation)
    source = notes.source_key(article)
    if source:
        marker.cited.append(source)
        note = book_labels(config).markdown(
            "source_note", escape_inline, citation=narrative_citation(source)
        )
        lines += ["::: {.source-note}", note, ":::", ""]
    metadata: dict[str, Any] = {
        "title": article.title,
        "source": article.display_path,
        "slug": article.slug,
        "infobox": article.infobox.name if article.infobox else "",
        "facts": [
            {"key": key, "value": value}
            for fact in article.infobox.facts
            for key, value in fact_rows(fact)
        ]
        if article.infobox
        else [],
    }
    if article.revision is not None:  # attribution: "Article sources and contributors"
        metadata["revision"] = revision_metadata(article.revision)
    return Chapter(
        number=number,
        slug=article.slug,
        title=article.title,
        source=article.display_path,
        filename=f"{number:02d}-{article.slug}.md",
        metadata=metadata,
        body="\n".join(lines).rstrip("\n") + "\n",
        occurrences=tuple(marker.occurrences),
        cites=tuple(dict.fromkeys(marker.cited)),
        cite_rules=tuple(sorted(marker.cite_rules)),
    )


class _Marker:
    """Marks terms and inserts citations in one chapter's running text.

    Each marked term gets an anchor unique in the book, `<chapter>--<entry>-<n>`, and
    an `Occurrence` recording the section it is in, for the Glossary and the Index.
    """

    def __init__(
        self, article: Article, notes: Annotations, languages: BookLanguage, ids: set[str]
    ):
        self.article, self.notes, self.languages, self.ids = article, notes, languages, ids
        self.section = (article.slug, article.title)  # (anchor, title) of the current section
        self.occurrences: list[Occurrence] = []
        self.cited: list[str] = []
        self.cite_rules: set[int] = set()  # citations.yml rules that matched, by position
        self._counts: dict[str, int] = {}
        self.writer = RichWriter(languages, Links({}))

    def plain(self, text: str, runs: Sequence[Run] = ()) -> str:
        """Write text with its runs, without marks (captions, "See also"); cite its sources."""
        styled, cites = self._wiki_cites(text, runs)
        return self.writer.write(text, styled, (), cites)

    def rich(self, text: str, runs: Sequence[Run] = ()) -> str:
        """Write running text with its runs, marking terms and inserting citations."""
        styled, wiki = self._wiki_cites(text, runs)
        marks, cites = self._annotations(text, usable_marks(self.notes.marks(text), styled))
        return self.writer.write(text, styled, marks, [*wiki, *cites])

    def _wiki_cites(self, text: str, runs: Sequence[Run]) -> tuple[list[Run], list[Cite]]:
        """Split the article's own citations (MediaWiki refs) from the styling runs.

        A footnote mark after a full stop or comma ("1878.<ref>") becomes an
        author-date citation before it ("1878 (Dyer 1979)."), as the style prints it.
        """
        styled, cites = [], []
        for run in runs:
            if run.kind == "wikilink" and not self.writer.links.anchor(run.value):
                continue  # a link out of the book prints as plain text (marks may go there)
            if run.kind != "cite":
                styled.append(run)
                continue
            citation = self.article.citations[int(run.value)]
            position = run.start
            while position > 0 and text[position - 1] in ".,;:":
                position -= 1
            cite = cite_at(citation, self.notes.wiki_keys, position)
            if cite.keys:
                cites.append(cite)
                self.cited += cite.keys
        return styled, cites

    def text(self, text: str) -> str:
        text = text.strip()
        marks, cites = self._annotations(text, self.notes.marks(text))
        return annotated(text, self.languages, marks, cites, block=True)

    def _annotations(
        self, text: str, found: Sequence[Mark]
    ) -> tuple[list[tuple[Mark, str]], list[Cite]]:
        marks = []
        for mark in found:
            count = self._counts[mark.entry] = self._counts.get(mark.entry, 0) + 1
            short = mark.entry.split("-", 1)[1]
            anchor = unique(f"{self.article.slug}--{short}-{count}", self.ids)
            marks.append((mark, anchor))
            self.occurrences.append(
                Occurrence(mark.entry, anchor, self.article.slug, *self.section)
            )
        cites = self.notes.cites(text, self.article.slug, self.cite_rules)
        for cite in cites:
            self.cited += cite.keys
        return marks, list(cites)


def _is_see_also(heading: Heading, article: Article) -> bool:
    index = article.blocks.index(heading)
    following = article.blocks[index + 1] if index + 1 < len(article.blocks) else None
    return isinstance(following, BulletList) and following.see_also


def _factbox(
    infobox: Infobox, languages: BookLanguage, write: Callable[..., str], image: str | None
) -> list[str]:
    """Render the infobox as a definition list inside a `.factbox` div.

    A MediaWiki infobox's values keep their styling and language spans (`write`); its
    image comes first when `media/` has it (`image`: the file's name there), and is
    left out quietly when not (the box is the facts, the image an extra).
    """
    lines = ["::: {.factbox}"]
    if infobox.name:
        lines += [f"[{tagged(infobox.name, languages)}]{{.factbox-caption}}", ""]
    if infobox.image is not None and image is not None:
        lines += figure_lines(infobox.image, image, write)
    for fact in infobox.facts:
        rows = [(fact.key, write(fact.value, fact.runs))] if fact.runs else None
        for key, value in rows or [
            (k, tagged(v, languages, block=True)) for k, v in fact_rows(fact)
        ]:
            if key:
                lines += [tagged(key, languages, block=True), f":   {value}", ""]
            else:
                lines += [value, ""]
    lines += [":::", ""]
    return lines


def fact_rows(fact: Fact) -> list[tuple[str, str]]:
    """Return the (key, value) rows a fact prints as.

    An export that lost an infobox template leaves its parameters in the value:
    "Almaty | related-c = Overseas Chinese". Each `| key = value` becomes a row of
    its own, with the key as written, so nothing is lost and nothing looks broken;
    `check` still warns (template-parameter) so an editor can mend the source.
    """
    parts = [part.strip() for part in TEMPLATE_PARAMETER.split(fact.value)]
    rows = [(fact.key, parts[0])] if parts[0] or len(parts) == 1 else []
    rows += [(key, value) for key, value in zip(parts[1::2], parts[2::2], strict=True)]
    return rows


def chapter_text(chapter: Chapter) -> str:
    """Return the whole chapter file: front matter, a blank line, the body."""
    return front_matter(chapter.metadata) + "\n" + chapter.body


def write_chapters(chapters: list[Chapter], directory: Path) -> list[Path]:
    """Write chapter files, remove stale ones; return the files that changed."""
    changed: list[Path] = []
    wanted = {c.filename for c in chapters}
    for chapter in chapters:
        path = directory / chapter.filename
        text = chapter_text(chapter)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            write_text(path, text)
            changed.append(path)
    for old in _chapter_files(directory):
        if old.name not in wanted:
            try:
                old.unlink()
            except OSError as exc:
                message = f"cannot remove the outdated chapter {old}: {exc.strerror}"
                raise BookError(message) from None
            changed.append(old)
    return changed


def _chapter_files(directory: Path) -> list[Path]:
    """Return the files in `directory` that convert wrote; leave every other file alone.

    A chapter file is named `NN-slug.md` and opens with the front matter `convert`
    writes (its `source:` and `slug:`); a file of the editor's that only looks like
    one by name is theirs, and is never removed.
    """
    return sorted(
        p for p in directory.glob("*.md") if _CHAPTER_FILE.match(p.name) and _converted(p)
    )


def _converted(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8", errors="replace") as stream:
            head = stream.read(4096)
    except OSError:
        return False
    front, _, _ = head.partition("\n---\n")
    return front.startswith("---\n") and "\nsource: " in front and "\nslug: " in front


def stale_chapters(chapters: list[Chapter], directory: Path, shown: str) -> list[Diagnostic]:
    """Describe how `directory` differs from freshly converted chapters (empty: up to date)."""
    fix = "run 'diaspora-book convert'"
    problems: list[Diagnostic] = []
    wanted = {c.filename for c in chapters}
    for chapter in chapters:
        path = directory / chapter.filename
        span = SourceSpan(f"{shown}/{chapter.filename}", 1)
        if not path.exists():
            message = f"missing; {chapter.source} converts to it"
            problems.append(Diagnostic("error", span, message, fix))
        elif path.read_text(encoding="utf-8") != chapter_text(chapter):
            problems.append(Diagnostic("error", span, f"out of date with {chapter.source}", fix))
    if directory.is_dir():
        for old in _chapter_files(directory):
            if old.name not in wanted:
                span = SourceSpan(f"{shown}/{old.name}", 1)
                problems.append(Diagnostic("error", span, "no article converts to it", fix))
    return problems


def cite_markdown(citation: WikiCitation, keys: CitationKeys) -> str:
    """Return the citation as pandoc Markdown: `[@key, 12]`, `[@a; @b, ch. 2]` ("" if none).

    A page locator starting with a digit is a page for citeproc (printed in the
    style's way); any other place (`loc=`, "xii", "Table 3") is printed as written.
    """
    cite = cite_at(citation, keys, 0)
    return markdown_citation(cite.keys, cite.locators) if cite.keys else ""
