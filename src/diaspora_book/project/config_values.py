"""Check the values of book.yml that reach the outputs as they are.

The language tags go into XHTML attributes (`lang`, `xml:lang`) and the EPUB's
metadata, the date into `dc:date`, the title into `dc:title`, the PDF's metadata and
pandoc's command line. A value that is not what it claims to be (`language: 'en"><script>'`,
`date: soon`, `title: ""`, a title of 200 KB) would give an invalid or unsafe book, or
fail far from its cause; each is an error at its `book.yml:line` instead.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from diaspora_book.languages.book_language import is_language_tag
from diaspora_book.model import SourceSpan
from diaspora_book.plumbing.errors import BookError
from diaspora_book.plumbing.yamlfile import MappingNode, Node, ScalarNode, SequenceNode, plain, span

TAG_HINT = "use a BCP 47 tag such as 'en', 'ru', 'kk', 'ug' or 'zh-Hans'"
# Longest text a value may have, in characters: a title longer than a paragraph is a
# mistake (a pasted file), and pandoc takes these values on its command line.
MAX_LENGTH = {"rights": 10_000, "description": 10_000}
DEFAULT_MAX_LENGTH = 1_000
# W3C date formats EPUB's dc:date accepts: a year, a month, a day (ISO 8601).
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def language_tag(value: Any, where: SourceSpan) -> str:
    """Return `value` if it is a BCP 47 tag; else raise a BookError at `where`."""
    if not is_language_tag(value):
        raise BookError(f"language {value!r} is not a language tag", where, TAG_HINT)
    return str(value)


def language_map(node: Node, shown: str) -> dict[str, str]:
    """Read `languages:` (script name -> BCP 47 tag), checking each tag at its line."""
    if not isinstance(node, MappingNode):
        raise BookError("'languages' must map script names to language tags", span(shown, node))
    languages: dict[str, str] = {}
    for key_node, value_node in node.value:
        script = str(key_node.value).lower()
        if not re.fullmatch(r"[a-z_]+", script):
            raise BookError(
                f"'{key_node.value}' is not a script name",
                span(shown, key_node, column=True),
                "use Unicode's script names, such as arabic, han or cyrillic",
            )
        languages[script] = language_tag(plain(value_node), span(shown, value_node, column=True))
    return languages


# Article formats: plain wiki text, MediaWiki wikitext (`.wiki`, or `.mediawiki` as
# some tools name it), a MediaWiki Special:Export file.
WIKITEXT_SUFFIXES = (".wiki", ".mediawiki")
ARTICLE_SUFFIXES = (".txt", *WIKITEXT_SUFFIXES, ".xml")


def article_name(name: str) -> str:
    """Return an article's name as book.yml may write it: its file name without the suffix."""
    for suffix in ARTICLE_SUFFIXES:
        name = name.removesuffix(suffix)
    return name


def chapter_list(node: Node, shown: str) -> tuple[tuple[str, ...], tuple[SourceSpan, ...]]:
    """Read `chapters:` (article names in book order) with each name's line.

    A name listed twice is an error at the second, naming the first.
    """
    if not isinstance(node, SequenceNode):
        raise BookError("'chapters' must be a list of article names", span(shown, node, True))
    names: list[str] = []
    spans: list[SourceSpan] = []
    first: dict[str, SourceSpan] = {}
    for item in node.value:
        where = span(shown, item, column=True)
        value = plain(item) if isinstance(item, ScalarNode) else None
        if not isinstance(value, str) or not value.strip():
            raise BookError("a chapter must be an article's name, such as 'uyghurs'", where)
        name = article_name(value.strip())
        if name in first:
            raise BookError(
                f"duplicate chapter '{name}' (first on line {first[name].line})",
                where,
                "list each article once",
            )
        first[name] = where
        names.append(name)
        spans.append(where)
    return tuple(names), tuple(spans)


def date_value(value: Any, where: SourceSpan) -> str:
    """Return `value` as the book's date (YYYY, YYYY-MM or YYYY-MM-DD, a real one)."""
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    match = _DATE.fullmatch(text.strip())
    if match:
        year, month, day = (int(part) if part else 1 for part in match.groups())
        try:
            dt.date(year, month, day)
        except ValueError:
            match = None
    if not match:
        raise BookError(
            f"date {value!r} is not a date",
            where,
            "write it as YYYY-MM-DD (e.g. 2024-05-01), YYYY-MM or YYYY; "
            "leave it out for the day of the build",
        )
    return text.strip()


def bounded_text(key: str, value: str, where: SourceSpan) -> str:
    """Return `value` if it is not absurdly long for `key` (and a title is not empty)."""
    limit = MAX_LENGTH.get(key, DEFAULT_MAX_LENGTH)
    if len(value) > limit:
        raise BookError(
            f"'{key}' is {len(value):,} characters long; it may have at most {limit:,}", where
        )
    if key == "title" and not value.strip():
        raise BookError(
            "'title' is empty",
            where,
            "give the book a title, or leave 'title' out for one made from the folder's name",
        )
    return value
