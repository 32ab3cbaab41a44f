"""The book's bibliography from its MediaWiki articles: one key per distinct work.

`assign_keys` runs once per book, over every article's citations in book order:
each distinct work gets a readable key, family name + year + first word of the
title (`roberts2020uyghur`), the second work with the same key `...b`, the third
`...c`. The same work cited in two articles (same DOI, same ISBN for a book, else
same author, year and title, or the same free text) is one entry; a work the
editor's `references.bib` already holds (same DOI, ISBN or key) is cited by its
curated key and not written again. Keys depend only on the works and their order,
so they are stable from build to build.

`CitationKeys.bibtex()` is the generated bibliography, written (under a name that
carries a hash of it) where pandoc's citeproc reads it beside `references.bib`;
`cite_markdown` is what the converter puts in the text: `[@key, 12]`, `[@a; @b]`.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from diaspora_book.annotate.bibtex import bibtex_entry
from diaspora_book.annotate.citations import Bibliography
from diaspora_book.model import Cite, Source, WikiCitation
from diaspora_book.plumbing.outputs import write_text

GENERATED_BIB_DIR = Path(".cache") / "diaspora-book" / "bib"  # under the project's root
# Words a key skips when it takes the title's first word: articles and prepositions.
_ARTICLES = frozenset(
    "a an the der die das den dem des ein eine einer le la les l un une el los las lo il "
    "gli i o os as de du of in on at to for from with by and about zu zum zur von vom im "
    "mit und uber fur".split()
)
_WORD = re.compile(r"[a-z0-9]+")


def normalise_isbn(value: str) -> str:
    """Return an ISBN as its 13 digits (an ISBN-10 converted), or the digits as given."""
    digits = re.sub(r"[^0-9Xx]", "", value).upper()
    if len(digits) == 10:
        core = "978" + digits[:9]
        check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(core)) % 10) % 10
        return core + str(check)
    return digits


def identity(source: Source) -> tuple[str, ...]:
    """What makes two sources one work: DOI, a book's ISBN, else author, year and title."""
    doi = source.get("doi").lower()
    if doi:
        return ("doi", doi)
    isbn = source.get("isbn")
    if isbn and source.entry_type == "book":
        return ("isbn", normalise_isbn(isbn))
    title = _folded(source.get("title"))
    if not title and source.note:
        return ("note", _folded(source.note))
    names = source.authors or source.editors
    first = _folded(names[0].last) if names else ""
    # Two web pages with one title ("Census", "Home") are two works: their addresses
    # tell them apart (a page written once with "www." or a final "/" is still one).
    url = re.sub(r"^https?://(www\.)?", "", source.get("url").lower()).rstrip("/")
    extra = _folded(source.get("booktitle") or source.get("journal"))
    return ("work", first, source.year, title, url or (extra if not title else ""))


def base_key(source: Source) -> str:
    """Family name + year + first title word, in ASCII lower case: `roberts2020uyghur`."""
    names = source.authors or source.editors
    who = "".join(_WORD.findall(_ascii(names[0].sort_word))) if names else ""
    title_words = [w for w in _WORD.findall(_ascii(source.get("title") or source.note))]
    significant = [w for w in title_words if w not in _ARTICLES and not w.isdigit()]
    if not who and significant:  # no author: the title's first words say what it is
        who, significant = significant[0], significant[1:]
    what = significant[0] if significant else ""
    key = f"{who}{source.year}{what}"
    return key if key and key[0].isalpha() else f"ref{key}"


@dataclass(frozen=True)
class CitationKeys:
    """The key of every work the book's articles cite, and the entries to generate."""

    by_work: dict[tuple[str, ...], str] = field(default_factory=dict, hash=False)
    entries: tuple[tuple[str, Source], ...] = ()  # generated (not curated), first cited first

    @functools.cached_property
    def generated(self) -> frozenset[str]:
        """The keys of the entries written here (not the curated ones)."""
        return frozenset(key for key, _ in self.entries)

    @functools.cached_property
    def digest(self) -> str:
        """A hash of every key and the work it names (for the build cache)."""
        pairs = sorted((key, repr(work)) for work, key in self.by_work.items())
        return hashlib.sha256(repr(pairs).encode()).hexdigest()

    def key(self, source: Source) -> str:
        """Return the key of `source` ("" for a source the book was not given)."""
        return self.by_work.get(identity(source), "")

    def keys_of(self, citation: WikiCitation) -> tuple[str, ...]:
        """Return the keys `citation` cites, each once, in order."""
        return tuple(dict.fromkeys(k for s in citation.sources if (k := self.key(s))))

    def bibtex(self) -> str:
        """Return the generated bibliography as BibTeX (biblatex types and fields)."""
        return "".join(bibtex_entry(key, source) + "\n" for key, source in self.entries)

    def write(self, root: Path) -> Path | None:
        """Write the generated bibliography under `root` (its name: a hash of its text)."""
        if not self.entries:
            return None
        text = self.bibtex()
        name = f"wikipedia-{hashlib.sha256(text.encode()).hexdigest()[:16]}.bib"
        path = root / GENERATED_BIB_DIR / name
        if not path.is_file():
            write_text(path, text)
        return path


def write_nocite(keys: Sequence[str], root: Path) -> Path:
    """Write pandoc metadata that lists `keys` in the References though the text may
    not cite them (`nocite`); return its path (named by a hash of what it holds)."""
    text = "nocite: '" + "; ".join(f"@{key}" for key in keys) + "'\n"
    name = f"nocite-{hashlib.sha256(text.encode()).hexdigest()[:16]}.yaml"
    path = root / GENERATED_BIB_DIR / name
    if not path.is_file():
        write_text(path, text)
    return path


def assign_keys(
    articles: Iterable[Sequence[WikiCitation]], curated: Bibliography | None = None
) -> CitationKeys:
    """Give every work cited in `articles` (book order) a key; reuse curated entries."""
    curated = curated or Bibliography()
    by_doi = {e.doi.lower(): e.key for e in curated.entries.values() if e.doi}
    by_isbn = {normalise_isbn(e.isbn): e.key for e in curated.entries.values() if e.isbn}
    by_work: dict[tuple[str, ...], str] = {}
    entries: list[tuple[str, Source]] = []
    taken = set(curated.entries)
    for citations in articles:
        for citation in citations:
            for source in citation.sources:
                work = identity(source)
                if work in by_work:
                    continue
                base = base_key(source)
                doi, isbn = source.get("doi").lower(), source.get("isbn")
                known = by_doi.get(doi) if doi else None
                if known is None and isbn and source.entry_type == "book":
                    known = by_isbn.get(normalise_isbn(isbn))
                if known is None and base in curated.entries:
                    known = base
                if known is not None:
                    by_work[work] = known
                    continue
                key = _unique(base, taken)
                taken.add(key)
                by_work[work] = key
                entries.append((key, source))
    return CitationKeys(by_work, tuple(entries))


def cite_at(citation: WikiCitation, keys: CitationKeys, position: int) -> Cite:
    """Return the citation as a `Cite` at `position` of a block's text, with its pages.

    For the converter: a "cite" Run's position and `article.citations[int(run.value)]`.
    """
    pairs: dict[str, str] = {}
    locators = citation.locators or (("", True),) * len(citation.sources)
    for source, (locator, _page) in zip(citation.sources, locators, strict=False):
        key = keys.key(source)
        if key:
            pairs.setdefault(key, locator)
    return Cite(position, tuple(pairs), tuple(pairs.values()))


def _unique(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    for letter in "bcdefghijklmnopqrstuvwxyz":
        if base + letter not in taken:
            return base + letter
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _folded(text: str) -> str:
    """Text compared without case, accents, punctuation or spacing."""
    return " ".join(_WORD.findall(_ascii(text))) or " ".join(text.casefold().split())


@functools.cache
def _transliterator():
    import icu

    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII; Lower")


def _ascii(text: str) -> str:
    """`Рахимов` -> `rahimov`, `Müller` -> `muller` (ICU), for keys and comparisons."""
    if text.isascii():
        return text.lower()
    latin = _transliterator().transliterate(unicodedata.normalize("NFC", text))
    return latin.encode("ascii", "ignore").decode()
