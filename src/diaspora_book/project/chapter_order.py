"""The order of the book's chapters: book.yml `chapters:` first, then file order."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath

from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.plumbing.slug import title_slug
from diaspora_book.project.config import BookConfig


def book_order(
    slugs: list[str],
    config: BookConfig,
    diagnostics: Diagnostics,
    files: Mapping[str, str] | None = None,
) -> list[str]:
    """Return the chapter slugs in book order: book.yml `chapters:` first, then file order.

    `files` says where each slug's article is (`articles/b.wiki`, or `articles/x.xml`
    for a page of an export), so messages name the project's own kinds of file.
    """
    files = files or {}
    remaining = list(slugs)
    ordered: list[str] = []
    spans = config.chapter_spans or (None,) * len(config.chapters)
    for name, span in zip(config.chapters, spans, strict=True):
        # The chapter's id, or its file's name as written (`Берлин`, `Dungans_in_Kyrgyzstan`).
        slug = name if name in remaining else title_slug(name)
        if slug in remaining:
            ordered.append(slug)
            remaining.remove(slug)
        else:
            diagnostics.error(
                span, f"book.yml lists chapter '{name}' but {_not_found(name, files)}"
            )
    if config.chapters:
        for slug in remaining:
            shown = files.get(slug, f"articles/{slug}.txt")
            what = f"{shown} (page '{slug}')" if shown.endswith(".xml") else shown
            diagnostics.warn(None, f"{what} is not listed in book.yml 'chapters'; added at the end")
    return ordered + remaining


def _not_found(slug: str, files: Mapping[str, str]) -> str:
    """Say which files a chapter id was looked for in: the kinds the project has."""
    suffixes = {PurePosixPath(shown).suffix for shown in files.values()}
    folder = next((str(PurePosixPath(s).parent) for s in files.values()), "articles")
    single = [
        f"{folder}/{slug}{suffix}"
        for suffix in (".txt", ".wiki", ".mediawiki")
        if suffix in suffixes
    ]
    exports = sorted({shown for shown in files.values() if shown.endswith(".xml")})
    if not single and not exports:
        single = [f"{folder}/{slug}.txt"]
    parts = []
    if len(single) == 1:
        parts.append(f"{single[0]} does not exist")
    elif single:
        parts.append(f"neither {' nor '.join(single)} exists")
    if exports:
        parts.append(f"no page of {', '.join(exports)} has that id")
    return " and ".join(parts)
