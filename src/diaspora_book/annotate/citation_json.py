"""What an article's references are: `Source`s (one bibliography entry each) and the
`WikiCitation`s that cite them at a place in the text.

A `Source` compares by what it says, not by where it was written, so the same book
cited in two `<ref>`s (or two articles) is one entry. The page a citation points at
belongs to the citation, not to the source, for the same reason.
"""

from __future__ import annotations

from dataclasses import asdict

from diaspora_book.model import Name, Source, SourceSpan, WikiCitation


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
