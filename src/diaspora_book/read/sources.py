"""The project's articles: which file (and which page of an export) each chapter is.

A `.txt` or `.wiki` file is one article; a MediaWiki export (`.xml`) is one article
per page, in the file's order (a redirect, or a page that is not an article, is
skipped with a note naming it). Each gets a slug (from the file name, or from the
page title for an export) and a title, which cross-references between articles use.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from diaspora_book.model import Article, SourceSpan
from diaspora_book.plumbing.errors import BookError, Diagnostics
from diaspora_book.plumbing.slug import short_hash, title_slug
from diaspora_book.project.config import BookConfig
from diaspora_book.project.config_values import WIKITEXT_SUFFIXES
from diaspora_book.read.mediawiki.export import (
    ExportPage,
    read_export,
    read_redirects,
    read_siteinfo,
    skipped_pages,
)
from diaspora_book.read.mediawiki.source import Locator
from diaspora_book.read.mediawiki.wiki_words import SiteInfo, is_redirect_page
from diaspora_book.read.mediawiki.wikitext import read_wikitext, wiki_title
from diaspora_book.read.plain_text import parse_text


@dataclass(frozen=True)
class ArticleSource:
    """One article: its file, the page within it (exports), its slug and title."""

    path: Path
    shown: str  # the path as shown in messages
    slug: str
    title: str
    page: int | None = None  # index among an export's pages; None for one-article files
    # An export's redirect pages, (title, target): a link to one is a link to its target.
    redirects: tuple[tuple[str, str], ...] = ()


def sources_in(
    path: Path, shown: str, text: str, diagnostics: Diagnostics | None = None
) -> list[ArticleSource]:
    """Return the articles in one file (decoded `text`); raise BookError if unreadable.

    The pages skipped (redirects, talk pages, categories...) are noted in `diagnostics`.
    """
    notes = Diagnostics() if diagnostics is None else diagnostics
    if path.suffix == ".xml":
        pages = _pages(text, shown)
        for where, message in skipped_pages(text, shown):
            notes.note(where, message)
        if not pages:
            raise BookError(
                "the export holds no pages (only redirects or none)", SourceSpan(shown, 1)
            )
        redirects = _redirects(text, shown)
        return [
            ArticleSource(path, shown, title_slug(page.title), page.title, index, redirects)
            for index, page in enumerate(pages)
        ]
    if path.suffix in WIKITEXT_SUFFIXES:
        title = wiki_title(path)
        if is_redirect_page(text):
            notes.note(SourceSpan(shown, 1), f"'{title}' is a redirect, not an article; skipped")
            return []
    else:
        title = _txt_title(text)
    return [ArticleSource(path, shown, title_slug(path.stem), title)]


def distinct_slugs(sources: list[ArticleSource]) -> list[ArticleSource]:
    """Return the sources with a distinct slug each, whatever order they come in.

    Titles that give the same slug (`Berlin` and `Берлин`, two titles alike in
    their first 60 letters, two Urdu titles ICU cannot transliterate) each get a
    hash of their file and title after it: `berlin-3f2a1c0d`. A slug depends only
    on the titles, never on which file was read first, so it is the same on every
    build.
    """
    count = Counter(source.slug for source in sources)
    return [
        source
        if count[source.slug] == 1
        else replace(source, slug=f"{source.slug}-{short_hash(f'{source.shown}#{source.title}')}")
        for source in sources
    ]


def parse_source(
    source: ArticleSource, text: str, config: BookConfig
) -> tuple[Article, Diagnostics]:
    """Parse one article of a decoded file, by the file's format."""
    article, diagnostics = _parse_source(source, text, config)
    return replace(article, slug=source.slug), diagnostics


def _parse_source(
    source: ArticleSource, text: str, config: BookConfig
) -> tuple[Article, Diagnostics]:
    if source.path.suffix == ".txt":
        return parse_text(text, source.path, source.shown)
    if source.path.suffix in WIKITEXT_SUFFIXES:
        locator = Locator.of(text, source.shown)
        page = (source.title, None)
        return read_wikitext(text, source.path, locator, config.templates, page, config.language)
    pages = _pages(text, source.shown)
    if source.page is None or source.page >= len(pages):
        raise BookError(
            f"the export no longer holds the page '{source.title}'", SourceSpan(source.shown, 1)
        )
    found: ExportPage = pages[source.page]
    locator = Locator.of(found.text, source.shown, found.line, found.column)
    return read_wikitext(
        found.text,
        source.path,
        locator,
        config.templates,
        (found.title, found.revision),
        config.language,
        _siteinfo(text, source.shown),
    )


@functools.lru_cache(maxsize=8)
def _pages(text: str, shown: str) -> tuple[ExportPage, ...]:
    return tuple(read_export(text, shown))


@functools.lru_cache(maxsize=8)
def _siteinfo(text: str, shown: str) -> SiteInfo:
    return read_siteinfo(text, shown)


@functools.lru_cache(maxsize=8)
def _redirects(text: str, shown: str) -> tuple[tuple[str, str], ...]:
    return read_redirects(text, shown)


def _txt_title(text: str) -> str:
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            return stripped.strip("=").strip()
    return ""


def link_targets(sources: list[ArticleSource]) -> dict[str, str]:
    """Return page title (as MediaWiki compares it) -> chapter slug, for cross-references.

    A redirect page of an export (`Huizu` -> `Hui people`) leads to its target's
    chapter, when that is in the book; a chapter's own title always wins.
    """
    targets = {link_key(source.title): source.slug for source in sources if source.title}
    for source in sources:
        for title, target in source.redirects:
            slug = targets.get(link_key(target.partition("#")[0]))
            if slug is not None:
                targets.setdefault(link_key(title), slug)
    return targets


def link_key(title: str) -> str:
    """Return the form of a page title links are matched by (first letter, `_`, spaces)."""
    name = " ".join(title.replace("_", " ").split())
    return name[:1].upper() + name[1:]
