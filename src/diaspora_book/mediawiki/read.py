"""One MediaWiki article (wikitext and its title) -> `Article` and its diagnostics."""

from __future__ import annotations

from pathlib import Path

import mwparserfromhell

from diaspora_book.errors import BookError, Diagnostics
from diaspora_book.mediawiki.blocks import BlockReader
from diaspora_book.mediawiki.context import ReadContext
from diaspora_book.mediawiki.media import read_file_link, read_gallery
from diaspora_book.mediawiki.source import Locator
from diaspora_book.mediawiki.templates import read_template
from diaspora_book.model import Article, Infobox, Revision
from diaspora_book.slug import slugify

# Deeper than this, mwparserfromhell's own recursion would be the limit; such input is hostile.
_MAX_BRACES = 2000


def wiki_title(path: Path) -> str:
    """Return the page title of a `.wiki` file: its name, underscores read as spaces."""
    return " ".join(path.stem.replace("_", " ").split()) or "Untitled"


def read_wikitext(
    text: str,
    path: Path,
    locator: Locator,
    templates: dict[str, str],
    page: tuple[str, Revision | None],
) -> tuple[Article, Diagnostics]:
    """Parse one page's wikitext; `page` is its title and (from an export) its revision."""
    title, revision = page
    diagnostics = Diagnostics()
    start = locator.span(0)
    if not text.strip():
        raise BookError("the article is empty", start)
    if text.count("{{") > _MAX_BRACES and _nesting(text) > _MAX_BRACES:
        raise BookError(
            f"templates nested more than {_MAX_BRACES} deep; this is not an article",
            start,
            "remove the nested templates",
        )
    try:
        code = mwparserfromhell.parse(text)
    except RecursionError:
        raise BookError("markup nested too deeply to read", start) from None
    context = ReadContext(locator, diagnostics, templates)
    context.on_template, context.on_file = read_template, read_file_link
    context.on_gallery = read_gallery
    blocks = BlockReader(context).read(code, 0)
    for name, use in context.unknown.items():
        times = f"{use.count} uses" if use.count != 1 else "1 use"
        diagnostics.warn(
            use.first,
            f"template {{{{{name}}}}} is not interpreted ({times}); dropped",
            "map it in book.yml 'templates:' (drop, text or a format)",
            code="unknown-template",
        )
    infobox = None
    if context.infobox:
        name, facts, span = context.infobox
        infobox = Infobox(tuple(facts), span, name) if facts else None
    article = Article(
        path=path,
        display_path=locator.path,
        slug=slugify(title, fallback="article"),
        title=title,
        title_span=start,
        infobox=infobox,
        blocks=tuple(blocks),
        revision=revision,
    )
    return article, diagnostics


def _nesting(text: str) -> int:
    depth = deepest = 0
    for index in range(len(text) - 1):
        pair = text[index : index + 2]
        if pair == "{{":
            depth += 1
            deepest = max(deepest, depth)
        elif pair == "}}":
            depth = max(0, depth - 1)
    return deepest
