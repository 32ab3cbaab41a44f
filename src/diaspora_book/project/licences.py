"""Attribution: where each chapter's text came from, who wrote it, and its licence.

Wikipedia's text may be reused only with attribution and under its licence (CC
BY-SA). A book made from it says so twice: the copyright page names the licence
and its URL (book.yml `licence:`, default CC BY-SA 4.0), and the back matter's
"Article sources and contributors" gives, per chapter, the source article's title,
its revision-pinned URL, the date and the contributors. A Special:Export file
carries all of that (`Article.revision`); for a `.wiki` or `.txt` file, book.yml
`sources:` does:

    licence:
      name: CC BY-SA 4.0
      url: https://creativecommons.org/licenses/by-sa/4.0/
    sources:
      dungans-in-kyrgyzstan.wiki:
        title: Dungans in Kyrgyzstan
        url: https://en.wikipedia.org/w/index.php?oldid=1234567
        revision: 1234567
        date: 2024-05-01
        contributors: [Alice, Bob]

The EPUB carries each source URL as a `dc:source`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from diaspora_book.model import Chapter, SourceSpan
from diaspora_book.plumbing.errors import BookError, Diagnostics
from diaspora_book.plumbing.yamlfile import MappingNode, Node, plain
from diaspora_book.project.config_values import WIKITEXT_SUFFIXES, article_name, date_value

# Licences a book may name by name alone; any other needs `name:` and `url:`.
KNOWN_LICENCES = {
    "cc by-sa 4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "cc by-sa 3.0": "https://creativecommons.org/licenses/by-sa/3.0/",
    "cc by 4.0": "https://creativecommons.org/licenses/by/4.0/",
    "cc by 3.0": "https://creativecommons.org/licenses/by/3.0/",
    "cc0 1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "gfdl 1.3": "https://www.gnu.org/licenses/fdl-1.3.html",
}
_SOURCE_KEYS = ("title", "url", "revision", "date", "contributors")


@dataclass(frozen=True)
class Licence:
    """The licence the book's text is under, as the copyright page names it."""

    name: str = "CC BY-SA 4.0"
    url: str = KNOWN_LICENCES["cc by-sa 4.0"]


@dataclass(frozen=True)
class Attribution:
    """Where one chapter's text came from (a MediaWiki revision, or book.yml `sources:`)."""

    title: str
    url: str = ""  # revision-pinned where known; only http(s)
    revision: str = ""
    date: str = ""  # ISO 8601 date (a timestamp's date part)
    contributors: tuple[str, ...] = ()
    span: SourceSpan | None = field(default=None, compare=False)  # its book.yml entry
    anonymous: int = 0  # anonymous contributors the wiki counts (a fetched export)

    def as_metadata(self) -> dict[str, Any]:
        """Plain data for a chapter's front matter (and the build cache)."""
        data: dict[str, Any] = {
            "title": self.title,
            "url": self.url,
            "revision": self.revision,
            "date": self.date,
            "contributors": list(self.contributors),
        }
        if self.anonymous:  # only then: the chapters of other exports stay as they were
            data["anonymous"] = self.anonymous
        return data


def read_licence(value: Any, span: SourceSpan) -> Licence:
    """Read book.yml `licence:`: a known name ("CC BY-SA 3.0"), or `name:` and `url:`."""
    if isinstance(value, str) and value.strip():
        url = KNOWN_LICENCES.get(" ".join(value.lower().split()))
        if url is None:
            raise BookError(
                f"licence '{value}' needs its URL",
                span,
                "write 'licence:' with 'name:' and 'url:'; known by name: "
                + ", ".join(sorted(KNOWN_LICENCES)),
            )
        return Licence(value.strip(), url)
    if isinstance(value, dict) and set(value) <= {"name", "url"}:
        name, url = str(value.get("name") or "").strip(), str(value.get("url") or "").strip()
        if name and _http(url):
            return Licence(name, url)
    raise BookError(
        "'licence' must be a licence's name or have 'name:' and an http(s) 'url:'", span
    )


def read_sources(node: Node, shown: str) -> dict[str, Attribution]:
    """Read book.yml `sources:`: article file -> title, url, revision, date, contributors.

    Keys are article names with or without their suffix (`x.wiki`, `x`); a problem
    is an error at its line.
    """
    if not isinstance(node, MappingNode):
        raise BookError("'sources' must map article files to their sources", _span(shown, node))
    sources: dict[str, Attribution] = {}
    for key_node, value_node in node.value:
        sources[article_name(str(key_node.value))] = _source(value_node, shown, str(key_node.value))
    return sources


def _source(node: Node, shown: str, article: str) -> Attribution:
    value = plain(node) if isinstance(node, MappingNode) else None
    span = _span(shown, node)
    if not isinstance(value, dict):
        raise BookError(f"the source of {article} must have 'title:', 'url:', ...", span)
    unknown = sorted(set(map(str, value)) - set(_SOURCE_KEYS))
    if unknown:
        raise BookError(
            f"unknown key '{unknown[0]}' in the source of {article}",
            span,
            "a source has: " + ", ".join(_SOURCE_KEYS),
        )
    title = str(value.get("title") or "").strip()
    if not title:
        raise BookError(f"the source of {article} needs a 'title:'", span)
    url = str(value.get("url") or "").strip()
    if url and not _http(url):
        raise BookError(f"the source of {article}: 'url' must be an http(s) address", span)
    date = date_value(value["date"], span) if value.get("date") else ""
    contributors = value.get("contributors") or ()
    if isinstance(contributors, str):
        contributors = (contributors,)
    if not isinstance(contributors, (list, tuple)):
        raise BookError(f"the source of {article}: 'contributors' must be a list of names", span)
    return Attribution(
        title,
        url,
        str(value.get("revision") or ""),
        date,
        tuple(str(c) for c in contributors if str(c).strip()),
        span,
    )


def chapter_attribution(chapter: Chapter, sources: dict[str, Attribution]) -> Attribution | None:
    """Return where `chapter` came from: its export's revision, else book.yml `sources:`."""
    data = chapter.metadata.get("revision") if isinstance(chapter.metadata, dict) else None
    if isinstance(data, dict) and data.get("title"):
        return Attribution(
            str(data["title"]),
            str(data.get("url") or ""),
            str(data.get("revision") or ""),
            str(data.get("date") or ""),
            tuple(str(c) for c in data.get("contributors") or ()),
            anonymous=int(data.get("anonymous") or 0),
        )
    return sources.get(chapter.slug) or sources.get(_file_name(chapter.source))


def check_attribution(
    chapters: Sequence[Chapter], sources: dict[str, Attribution], diagnostics: Diagnostics
) -> None:
    """Report a wikitext chapter whose source is unknown, and `sources:` naming no article."""
    used: set[str] = set()
    for chapter in chapters:
        for name in (chapter.slug, _file_name(chapter.source)):
            if name in sources:
                used.add(name)
        suffix = "." + chapter.source.rpartition(".")[2]
        if suffix in WIKITEXT_SUFFIXES and chapter_attribution(chapter, sources) is None:
            diagnostics.warn(
                SourceSpan(chapter.source, 1),
                "the source of this article is unknown; its licence requires naming it "
                "and its contributors",
                f"add it under 'sources:' in book.yml: {_file_name(chapter.source)}{suffix}: "
                "title, url, revision, date, contributors",
                code="unknown-source",
            )
    for name, attribution in sources.items():
        if name not in used:
            diagnostics.warn(attribution.span, f"'sources:' names '{name}', which is no article")


def revision_metadata(revision: Any) -> dict[str, Any]:
    """A `model.Revision` as a chapter's front matter `revision:` (plain data)."""
    return Attribution(
        revision.title,
        revision.url if _http(revision.url) else "",
        str(revision.revision_id),
        str(revision.timestamp)[:10],
        tuple(revision.contributors),
        anonymous=int(getattr(revision, "anonymous", 0) or 0),
    ).as_metadata()


def _file_name(shown: str) -> str:
    return article_name(shown.rsplit("/", 1)[-1])


def _http(url: str) -> bool:
    url = url.strip()
    return url.lower().startswith(("http://", "https://")) and not any(
        c in url for c in ' <>[]{}"`\\'
    )


def _span(shown: str, node: Node) -> SourceSpan:
    return SourceSpan(shown, node.start_mark.line + 1, node.start_mark.column + 1)
