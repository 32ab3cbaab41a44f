"""Stable ASCII identifiers for file names, HTML ids and EPUB references."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
# CLDR's transforms, through ICU: any script to Latin, then Latin to ASCII.
_TO_LATIN = "Any-Latin; Latin-ASCII"


def slugify(text: str, fallback: str = "item") -> str:
    """Return a lower-case ASCII slug of `text`; `fallback` when nothing ASCII is left.

    Non-Latin titles (Cyrillic, Han, Arabic) have no ASCII letters, so callers pass a
    fallback that keeps ids unique, such as `section-3`.
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("'", "").replace("\u2019", ""))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    slug = _NON_WORD.sub("-", ascii_text).strip("-")
    return slug[:60].rstrip("-") or fallback


def title_slug(title: str) -> str:
    """Return the slug of an article's title (or file name), in any script.

    A title with ASCII letters or digits keeps the slug `slugify` gives it (ids of
    existing books do not change); one in another script is transliterated with
    ICU (`Берлин` -> `berlin`, `柏林` -> `bai-lin`, `برلین` -> `brlyn`); when even
    that leaves nothing, the slug is `article-` and a hash of the title. The same
    title always gives the same slug.
    """
    return (
        slugify(title, "")
        or slugify(_latin().transliterate(title), "")
        or f"article-{short_hash(title)}"
    )


def short_hash(text: str) -> str:
    """Return 8 hex digits of the SHA-256 of `text`: short, stable between builds."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


@functools.cache
def _latin():
    """ICU's transliterator, made once (imported here: most builds never need it)."""
    import icu

    return icu.Transliterator.createInstance(_TO_LATIN)


def unique(slug: str, taken: set[str]) -> str:
    """Return `slug`, or `slug-2`, `slug-3`... whichever is not yet in `taken`; record it."""
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate
