"""The attribution the book prints: the copyright page's licence lines and the back
matter's "Article sources and contributors" and "Image sources, licences and
contributors" (`licences` reads where each chapter came from and under which
licence; `image_credits` who made each image, from media/credits.yml)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import unquote

from diaspora_book.chapters.markdown import escape_inline
from diaspora_book.model import Chapter
from diaspora_book.plumbing.urls import web_href
from diaspora_book.project.image_credits import ImageCredit
from diaspora_book.project.licences import Attribution, Licence, chapter_attribution

if TYPE_CHECKING:
    from diaspora_book.languages.labels import Labels

SECTION_ID = "article-sources"
IMAGES_ID = "image-sources"
_FIGURE = re.compile(r"\]\(media/([^()\s]+)\)\{\.figure\}")


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
        if found.contributors or found.anonymous:
            people = list(found.contributors)
            if found.anonymous:
                people.append(labels.text("anonymous_contributors", count=found.anonymous))
            names = escape_inline(labels.join(people))
            count = len(found.contributors) + found.anonymous
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


def used_images(chapters: Sequence[Chapter]) -> dict[str, list[Chapter]]:
    """Return each media/ file the chapters show -> the chapters showing it, in book order."""
    used: dict[str, list[Chapter]] = {}
    for chapter in chapters:
        for quoted in _FIGURE.findall(chapter.body):
            showing = used.setdefault(unquote(quoted), [])
            if chapter not in showing:
                showing.append(chapter)
    return used


def image_sources_markdown(
    chapters: Sequence[Chapter], credits: dict[str, ImageCredit], labels: Labels
) -> str:
    """The body of "Image sources, licences and contributors" ("" when no image has credits).

    Each image the book shows and media/credits.yml credits: its file name, the
    chapters showing it, its author, credit and licence (with the licence's URL) and
    its description page, URLs written out for the printed page.
    """
    separator = escape_inline(labels.text("separator"))
    items = []
    for name, showing in used_images(chapters).items():
        credit = credits.get(name)
        if credit is None:
            continue
        places = [f"[{escape_inline(c.title)}](#{c.slug}){{.source-chapter}}" for c in showing]
        parts = [separator.join(places)]
        if credit.author:
            parts.append(escape_inline(labels.text("image_author", author=credit.author)))
        if credit.credit:
            parts.append(escape_inline(labels.text("image_credit", credit=credit.credit)))
        if credit.licence:
            licence = escape_inline(labels.text("image_licence", licence=credit.licence))
            if credit.licence_url:
                licence += f" [{written_url(credit.licence_url)}]{{dir=ltr}}"
            parts.append(licence)
        if credit.description:
            parts.append(f"[{written_url(credit.description)}]{{dir=ltr}}")
        items.append(
            f"[{escape_inline(name)}]{{.source-title dir=ltr}}\n\n:   "
            + separator.join(parts)
            + "\n"
        )
    return "\n".join(items)


def image_licences_line(
    chapters: Sequence[Chapter], credits: dict[str, ImageCredit], labels: Labels
) -> str:
    """The copyright page's sentence naming every licence of the images shown ("" for none)."""
    names = [
        credits[name].licence
        for name in used_images(chapters)
        if name in credits and credits[name].licence
    ]
    licences = list(dict.fromkeys(names))
    if not licences:
        return ""
    return escape_inline(labels.text("image_licences_notice", licences=labels.join(licences)))


def written_url(url: str) -> str:
    """A URL printed in full and linked: as written, the link a valid URL (`web_href`);
    text alone when it cannot be one."""
    href = web_href(url)
    if href == url:
        return f"<{url}>"
    return f"[{escape_inline(url)}]({href}){{.uri}}" if href else escape_inline(url)
