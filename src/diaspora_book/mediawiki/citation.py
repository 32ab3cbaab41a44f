"""What an article's references are: `Source`s (one bibliography entry each) and the
`WikiCitation`s that cite them at a place in the text.

A `Source` compares by what it says, not by where it was written, so the same book
cited in two `<ref>`s (or two articles) is one entry. The page a citation points at
belongs to the citation, not to the source, for the same reason.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from diaspora_book.mediawiki.cite_values import Name, year_of
from diaspora_book.model import SourceSpan

__all__ = ["Name", "Source", "WikiCitation", "citations_from_json", "citations_to_json"]


@dataclass(frozen=True)
class Source:
    """One work an article cites: a BibTeX entry type and its fields as plain text."""

    entry_type: str  # BibTeX/biblatex: book, incollection, article, online, misc, ...; "" pending
    fields: tuple[tuple[str, str], ...]  # field -> plain text (not author/editor), in entry order
    span: SourceSpan = field(compare=False)  # the template or <ref> it was read from
    authors: tuple[Name, ...] = ()
    editors: tuple[Name, ...] = ()
    note: str = ""  # a free-text <ref>: the whole text (the entry's `note`)
    template: str = field(default="", compare=False)  # e.g. "cite book"; "" for free text
    # What a short citation ({{sfn|Smith|Jones|2004}}) names this work by: family
    # names and year. Set from `ref={{sfnref|...}}`, else derived from the authors.
    anchor: tuple[str, ...] = field(default=(), compare=False)

    def get(self, name: str) -> str:
        """Return field `name` ("" when the source has none)."""
        return next((value for key, value in self.fields if key == name), "")

    @property
    def year(self) -> str:
        return year_of(self.get("date") or self.get("year"))

    @property
    def short_names(self) -> tuple[str, ...]:
        """What {{sfn}} calls this work: up to four family names (or editors'), and the year."""
        if self.anchor:
            return self.anchor
        names = self.authors or self.editors
        return (*(n.last for n in names[:4]), self.year)


@dataclass(frozen=True)
class WikiCitation:
    """One place in an article that cites one or more sources (a <ref>, an {{sfn}}).

    `kind` says what the text gets there: "cite" a citation (pandoc's `[@key, 12]`);
    "entry" nothing: a full citation template written outside `<ref>`, as in a
    "Bibliography" list, is a work the article lists, which the References print.
    """

    number: int  # position among the article's citations (0-based), for the converter
    kind: Literal["cite", "entry"]
    sources: tuple[Source, ...]
    span: SourceSpan
    # Per source: where in it (p=, pp=, page=, pages=, {{rp}}; or loc=), and whether
    # that is a page or page range (True) or another kind of place (False).
    locators: tuple[tuple[str, bool], ...] = ()
    name: str = ""  # <ref name="...">: a reuse is resolved to the definition's sources

    @property
    def locator(self) -> str:
        """The first source's locator ("" when none)."""
        return self.locators[0][0] if self.locators else ""


def citations_to_json(citations: tuple[WikiCitation, ...]) -> list[dict]:
    """Plain data for the build cache (a chapter's citations without reparsing it)."""
    return [asdict(citation) for citation in citations]


def citations_from_json(data: list[dict]) -> tuple[WikiCitation, ...]:
    """Rebuild what `citations_to_json` wrote."""
    return tuple(
        WikiCitation(
            item["number"],
            item["kind"],
            tuple(_source(s) for s in item["sources"]),
            SourceSpan(**item["span"]),
            tuple((str(loc), bool(page)) for loc, page in item["locators"]),
            item["name"],
        )
        for item in data
    )


def _source(data: dict) -> Source:
    return Source(
        data["entry_type"],
        tuple((str(k), str(v)) for k, v in data["fields"]),
        SourceSpan(**data["span"]),
        tuple(Name(**n) for n in data["authors"]),
        tuple(Name(**n) for n in data["editors"]),
        data["note"],
        data["template"],
        tuple(data["anchor"]),
    )
