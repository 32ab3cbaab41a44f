"""Load a book project: its folders and `book.yml`, with defaults for everything.

A directory that holds only `articles/` is a complete project: the title comes from
the directory name, the language is English, chapters follow the article file order.
Errors in `book.yml` name `book.yml:line` and, for a misspelt key, suggest the right one.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import uuid
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from diaspora_book.languages.book_language import DEFAULT_LANGUAGES, BookLanguage
from diaspora_book.model import SourceSpan
from diaspora_book.plumbing.errors import BookError, did_you_mean
from diaspora_book.plumbing.strict_text import read_text
from diaspora_book.plumbing.yamlfile import (
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    compose,
    plain,
)
from diaspora_book.project.config_values import (
    ARTICLE_SUFFIXES,
    bounded_text,
    chapter_list,
    date_value,
    language_map,
    language_tag,
)
from diaspora_book.project.licences import Attribution, Licence, read_licence, read_sources
from diaspora_book.project.own_files import check_inputs, own_file
from diaspora_book.project.print_settings import PrintSettings, read_print_settings

PAGE_SIZES = ("A4", "A5", "Letter", "6in 9in")
# What a cover image may be: the formats every reading system and Send to Kindle show.
COVER_SIGNATURES = {".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".png": b"\x89PNG\r\n\x1a\n"}


@dataclass(frozen=True)
class Accepted:
    """A book.yml `accept:` entry: an editor has reviewed this rule's warnings in this file."""

    path: str  # as shown in messages, e.g. "articles/x.txt"
    code: str  # a lint rule, e.g. "removed-template"
    span: SourceSpan  # where the entry is in book.yml


@dataclass(frozen=True)
class BookConfig:
    """What `book.yml` says, with defaults filled in."""

    title: str
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    publisher: str = ""
    language: str = "en"  # BCP 47 tag of the book's main language
    date: str = ""  # shown on the copyright page; default: SOURCE_DATE_EPOCH or today
    rights: str = ""
    identifier: str = ""  # default: a UUID derived from the title (stable across builds)
    chapters: tuple[str, ...] = ()  # article slugs in book order; default: file order
    chapter_spans: tuple[SourceSpan, ...] = ()  # where each of `chapters` is in book.yml
    languages: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_LANGUAGES))
    languages_named: tuple[str, ...] = ()  # the scripts book.yml `languages:` maps itself
    labels: dict[str, str] = field(default_factory=dict)  # message name -> the book's own text
    labels_span: SourceSpan | None = None  # where `labels:` is in book.yml
    language_span: SourceSpan | None = None  # where `language:` is in book.yml
    page_size: str = "A4"
    page_size_span: SourceSpan | None = None  # where `page_size:` is in book.yml
    accept: tuple[Accepted, ...] = ()
    csl: str = ""  # CSL citation style file, relative to the project; "": the packaged one
    cover: str = ""  # project-relative JPEG or PNG for the EPUB; default: made from the title
    # MediaWiki templates the converter does not know: lowercased name -> "drop", "text"
    # (the first positional parameter) or a format string such as "{1} ({2})".
    templates: dict[str, str] = field(default_factory=dict)
    licence: Licence = Licence()  # of the articles' text, on the copyright page
    # Where each article file's text came from (article name -> title, url, revision,
    # date, contributors): the "Article sources and contributors" for .wiki/.txt files.
    sources: dict[str, Attribution] = field(default_factory=dict)
    wiki: str = ""  # where `fetch` fetches from: a host ("en.wikipedia.org") or an api.php URL
    description: str = ""  # the back cover's text (print shops' cover)
    print: PrintSettings = PrintSettings()  # the print shop, paper and binding (build --print)

    @functools.cached_property
    def book_language(self) -> BookLanguage:
        """The book's language, with the languages of the other scripts in it."""
        return BookLanguage(self.language, self.languages, frozenset(self.languages_named))


@dataclass(frozen=True)
class Project:
    """A book project directory and its configuration."""

    root: Path
    config: BookConfig
    config_path: Path | None  # None when the project has no book.yml

    @property
    def articles_dir(self) -> Path:
        return self.root / "articles"

    @property
    def chapters_dir(self) -> Path:
        return self.root / "chapters"

    @property
    def styles_dir(self) -> Path:
        return self.root / "styles"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def dist_dir(self) -> Path:
        return self.root / "dist"

    def shared_inputs(self) -> list[Path]:
        """Return the project files every chapter depends on (for the build cache)."""
        names = (
            "book.yml",
            "glossary.yml",
            "index.yml",
            "citations.yml",
            "references.bib",
            "media/credits.yml",  # the image credits the back matter prints
        )
        return [self.root / name for name in names if (self.root / name).is_file()]

    def articles(self) -> list[Path]:
        """Return the article files, sorted by name (the default chapter order)."""
        return sorted(
            p
            for p in self.articles_dir.iterdir()
            if p.suffix in ARTICLE_SUFFIXES and p.is_file() and not p.name.startswith(".")
        )

    def unread_files(self) -> list[Path]:
        """Return what in articles/ is not an article: other files, and folders.

        Hidden files (`.DS_Store`, `.gitkeep`, an editor's `.x.swp`) are the
        system's and the editors', not the author's, and are passed over silently.
        """
        return sorted(
            p
            for p in self.articles_dir.iterdir()
            if not p.name.startswith(".") and not (p.suffix in ARTICLE_SUFFIXES and p.is_file())
        )


_INTERNAL = {
    "authors",
    "languages_named",
    "labels_span",
    "language_span",
    "chapter_spans",
    "page_size_span",
}
_KEYS = {f.name for f in fields(BookConfig)} - _INTERNAL | {"author", "authors"}


def load_project(root: Path) -> Project:
    """Load the project at `root`; raise BookError for a missing folder or a bad book.yml."""
    root = root.resolve()
    if not root.is_dir():
        raise BookError(f"project directory {root} does not exist")
    if not (root / "articles").is_dir():
        raise BookError(
            f"{root} has no articles/ folder",
            hint="a book project needs articles/*.txt; pass --project DIR to choose another",
        )
    check_inputs(root)
    config_path = root / "book.yml"
    if config_path.is_file():
        config = _load_config(config_path, root)
        return Project(root, config, config_path)
    return Project(root, BookConfig(title=_title_from_directory(root)), None)


def _title_from_directory(root: Path) -> str:
    words = root.name.replace("_", " ").replace("-", " ").split()
    return " ".join(w[:1].upper() + w[1:] for w in words) or "Untitled Book"


def _load_config(path: Path, root: Path) -> BookConfig:
    shown = "book.yml"
    text = read_text(path, shown)
    node = compose(text, shown)
    if node is None:
        return BookConfig(title=_title_from_directory(root))
    if not isinstance(node, MappingNode):
        raise BookError("book.yml must be a mapping of keys to values", _span(shown, node))

    values: dict[str, Any] = {}
    csl_span: SourceSpan | None = None
    for key_node, value_node in node.value:
        key = key_node.value
        span = _span(shown, key_node)
        if key not in _KEYS:
            hint = did_you_mean(key, _KEYS, "known keys: " + ", ".join(sorted(_KEYS)))
            raise BookError(f"unknown key '{key}' in book.yml", span, hint)
        if key == "accept":
            values[key] = _accept_entries(value_node, shown)
            continue
        if key == "sources":
            values[key] = read_sources(value_node, shown)
            continue
        if key == "labels":
            values[key] = _labels(value_node, shown)
            values["labels_span"] = span
            continue
        if key == "languages":
            values[key] = language_map(value_node, shown)
            continue
        if key == "print":
            values[key] = read_print_settings(value_node, shown)
            continue
        if key == "chapters":
            values[key], values["chapter_spans"] = chapter_list(value_node, shown)
            continue
        if key == "language":
            values["language_span"] = span
        if key == "page_size":
            values["page_size_span"] = span
        values[key] = _convert(key, plain(value_node), span)
        if key == "csl":
            csl_span = span
        if key == "cover":
            _check_cover(root, values[key], span)

    if "author" in values:
        values["authors"] = values.pop("author")
    if "languages" in values:
        values["languages_named"] = tuple(values["languages"])
        values["languages"] = {**DEFAULT_LANGUAGES, **values["languages"]}
    if "csl" in values:
        own_file(root, root / values["csl"], csl_span)
    if "csl" in values and not (root / values["csl"]).is_file():
        raise BookError(
            f"the citation style {values['csl']} does not exist",
            csl_span,
            "give a path "
            "relative to the project, or leave 'csl' out for the packaged Chicago author-date",
        )
    values.setdefault("title", _title_from_directory(root))
    return BookConfig(**values)


_FORMAT_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _templates(value: Any, span: SourceSpan) -> dict[str, str]:
    """Read `templates:`: template name -> drop, text, or a format like "{1} ({2})"."""
    if not isinstance(value, dict):
        raise BookError("'templates' must map template names to drop, text or a format", span)
    rules: dict[str, str] = {}
    for name, rule in value.items():
        if not isinstance(name, str) or not isinstance(rule, str) or not rule.strip():
            raise BookError(
                f"template {name!r}: the rule must be drop, text or a format string", span
            )
        for placeholder in _FORMAT_PLACEHOLDER.findall(rule):
            if not re.fullmatch(r"[\w -]+", placeholder):
                raise BookError(
                    f"template {name!r}: '{{{placeholder}}}' is not a parameter name or number",
                    span,
                    'write parameters as {1}, {2} or {name}, e.g. "{1} ({2})"',
                )
        key = " ".join(name.replace("_", " ").split()).lower().removeprefix("template:")
        rules[key] = rule.strip()
    return rules


def _accept_entries(node: Node, shown: str) -> tuple[Accepted, ...]:
    """Read `accept:` as a list of `- path: rule` entries, each remembering its line."""
    from diaspora_book.project.lint_rules import CODES

    if not isinstance(node, SequenceNode):
        raise BookError("'accept' must be a list of 'path: rule' entries", _span(shown, node))
    entries: list[Accepted] = []
    for item in node.value:
        pairs = item.value if isinstance(item, MappingNode) else []
        if len(pairs) != 1 or not all(isinstance(n, ScalarNode) for n in pairs[0]):
            raise BookError(
                "an 'accept' entry must read '- articles/file.txt: rule'", _span(shown, item)
            )
        path_node, code_node = pairs[0]
        if code_node.value not in CODES:
            raise BookError(
                f"unknown rule '{code_node.value}' in 'accept'",
                _span(shown, code_node),
                "rules: " + ", ".join(sorted(CODES)),
            )
        entries.append(Accepted(path_node.value, code_node.value, _span(shown, item)))
    return tuple(entries)


def _labels(node: Node, shown: str) -> dict[str, str]:
    """Read `labels:`, the book's own wording for generated text: message name -> text.

    A misspelt name is an error with a suggestion; a message whose placeholders are
    not the catalogue's (`{date}` missing, `{pages}` misspelt) is an error too.
    """
    from diaspora_book.languages.labels import MESSAGE_NAMES, check_message

    if not isinstance(node, MappingNode):
        raise BookError("'labels' must map message names to text", _span(shown, node))
    labels: dict[str, str] = {}
    for key_node, value_node in node.value:
        name = str(key_node.value)
        if name not in MESSAGE_NAMES:
            hint = did_you_mean(name, MESSAGE_NAMES, "README.md lists the message names")
            raise BookError(f"unknown label '{name}' in book.yml", _span(shown, key_node), hint)
        if not isinstance(value_node, ScalarNode) or not str(value_node.value).strip():
            raise BookError(f"label '{name}' must be text", _span(shown, value_node))
        problem = check_message(name, str(value_node.value))
        if problem:
            raise BookError(f"label '{name}': {problem}", _span(shown, value_node))
        labels[name] = str(value_node.value)
    return labels


def _convert(key: str, value: Any, span: SourceSpan) -> Any:
    if key in ("author", "authors"):
        if isinstance(value, str):
            return (bounded_text(key, value, span),)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(bounded_text(key, v, span) for v in value)
        raise BookError(f"'{key}' must be a name or a list of names", span)
    if key == "templates":
        return _templates(value, span)
    if key == "licence":
        return read_licence(value, span)
    if key == "language":
        return language_tag(value, span)
    if key == "date":
        return date_value(value, span)
    if key == "page_size":
        if value not in PAGE_SIZES:
            raise BookError(
                f"page_size {value!r} is not supported",
                span,
                "use one of " + ", ".join(PAGE_SIZES),
            )
        return value
    if key == "wiki":
        return _wiki(value, span)
    if key == "csl":
        if not isinstance(value, str) or not value.endswith(".csl"):
            raise BookError("'csl' must name a .csl style file", span)
        return value
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return bounded_text(key, str(value), span)
    raise BookError(f"'{key}' must be text", span)


_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d+)?$")


def _wiki(value: Any, span: SourceSpan) -> str:
    """Read `wiki:`: a wiki's host ("en.wikipedia.org") or the http(s) URL of its api.php."""
    text = value.strip() if isinstance(value, str) else ""
    scheme, _, rest = text.partition("://")
    if _HOST.match(text) or (
        scheme in ("http", "https") and _HOST.match(rest.split("/")[0]) and text.endswith("api.php")
    ):
        return text
    raise BookError(
        f"'wiki' must be a wiki's host or the URL of its api.php, not {value!r}",
        span,
        "e.g. en.wikipedia.org, or https://wiki.example.org/w/api.php",
    )


def _check_cover(root: Path, cover: str, span: SourceSpan) -> None:
    """Check that `cover` names a JPEG or PNG file inside the project."""
    path = (root / cover).resolve()
    suffix = path.suffix.lower()
    if suffix not in COVER_SIGNATURES:
        raise BookError(f"cover '{cover}' must be a .jpg, .jpeg or .png image", span)
    if root not in path.parents or not path.is_file():
        raise BookError(
            f"cover '{cover}' is not a file in the project",
            span,
            "give a path relative to the folder of book.yml",
        )
    with path.open("rb") as file:
        if not file.read(8).startswith(COVER_SIGNATURES[suffix]):
            raise BookError(f"cover '{cover}' is not a {suffix[1:].upper()} image", span)


def _span(shown: str, node: Node) -> SourceSpan:
    return SourceSpan(shown, node.start_mark.line + 1, node.start_mark.column + 1)


def build_time() -> dt.datetime:
    """Return the time of this build: SOURCE_DATE_EPOCH if set (reproducible), else now (UTC).

    The one reading of SOURCE_DATE_EPOCH: the printed date, the PDF's creation date
    and the EPUB's modification date all come from here.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def timestamp(when: dt.datetime) -> str:
    """Return `when` as a W3C date-time in UTC, as PDF XMP and EPUB metadata write it."""
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def book_date(config: BookConfig) -> str:
    """Return the date printed in the book: book.yml, else SOURCE_DATE_EPOCH, else today."""
    return config.date or build_time().date().isoformat()


def book_identifier(config: BookConfig) -> str:
    """Return the book's identifier; derived from the title so rebuilds keep it."""
    return (
        config.identifier
        or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'diaspora-book:' + config.title)}"
    )
