"""The attribution the book prints: the copyright page's licence line and the back
matter's "Article sources and contributors" (`licences` reads where each chapter came
from and under which licence)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from diaspora_book.chapters.markdown import escape_inline
from diaspora_book.model import Chapter
from diaspora_book.plumbing.urls import web_href
from diaspora_book.project.licences import Attribution, Licence, chapter_attribution

if TYPE_CHECKING:
    from diaspora_book.languages.labels import Labels

SECTION_ID = "article-sources"


def sources_markdown(
    chapters: Sequence[Chapter], sources: dict[str, Attribution], labels: Labels
) -> str:
    """The body of "Article sources and contributors" ("" when no chapter has a source).

    Each chapter: its title (a link to it), then the source's title, the revision and
    its date, the URL written out (a printed page keeps it), and the contributors.
    """
    items = []
    separator = escape_inline(labels.text("separator"))
    for chapter in chapters:
        found = chapter_attribution(chapter, sources)
        if found is None:
            continue
        parts = [f"[{escape_inline(found.title)}]{{.source-title}}"]
        when = _when(found, labels)
        if when:
            parts.append(escape_inline(when))
        if found.url:  # left to right even in a right-to-left book, where it may break
            parts.append(f"[{written_url(found.url)}]{{dir=ltr}}")
        lines = [
            f"[{escape_inline(chapter.title)}](#{chapter.slug}){{.source-chapter}}",
            "",
            ":   " + separator.join(parts),
        ]
        if found.contributors:
            names = escape_inline(labels.join(found.contributors))
            count = len(found.contributors)
            contributors = labels.markdown("contributors", escape_inline, count=count, names=names)
            lines += ["", f"    [{contributors}]{{.contributors}}"]
        items.append("\n".join(lines) + "\n")
    return "\n".join(items)


def _when(found: Attribution, labels: Labels) -> str:
    """Say which revision: "revision 123 of 1 May 2024", "revision 123", "version of ..."."""
    date = labels.date(found.date) if found.date else ""
    if found.revision and date:
        return labels.text("source_revision", revision=found.revision, date=date)
    if found.revision:
        return labels.text("source_revision_undated", revision=found.revision)
    return labels.text("source_date", date=date) if date else ""


def licence_line(licence: Licence, labels: Labels) -> str:
    """The copyright page's sentence naming the licence, then its URL (pandoc Markdown).

    The URL is a link of its own, left to right, so a right-to-left book breaks it
    across lines without moving its slashes.
    """
    notice = escape_inline(labels.text("licence_notice", licence=licence.name))
    return f"{notice} [{written_url(licence.url)}]{{dir=ltr}}"


def written_url(url: str) -> str:
    """A URL printed in full and linked: as written, the link a valid URL (`web_href`);
    text alone when it cannot be one."""
    href = web_href(url)
    if href == url:
        return f"<{url}>"
    return f"[{escape_inline(url)}]({href}){{.uri}}" if href else escape_inline(url)
