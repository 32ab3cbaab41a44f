"""Stable ASCII identifiers for file names, HTML ids and EPUB references."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str, fallback: str = "item") -> str:
    """Return a lower-case ASCII slug of `text`; `fallback` when nothing ASCII is left.

    Non-Latin titles (Cyrillic, Han, Arabic) have no ASCII letters, so callers pass a
    fallback that keeps ids unique, such as `section-3`.
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("'", "").replace("\u2019", ""))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    slug = _NON_WORD.sub("-", ascii_text).strip("-")
    return slug[:60].rstrip("-") or fallback


def unique(slug: str, taken: set[str]) -> str:
    """Return `slug`, or `slug-2`, `slug-3`... whichever is not yet in `taken`; record it."""
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate
