"""Carry the print edition's page numbers into the EPUB.

A class that has the printed book says "page 12"; an e-book reader must be able to
go there. WeasyPrint reports the page on which every HTML id of the print edition
starts (`Pagination.anchor_pages`), and the block-id filter gave every paragraph,
list item and heading the same id in both editions. Page N's marker goes just
before the first of these, in reading order, that starts on page N or later: the
text right after the marker is the first paragraph that begins on that printed page
(a paragraph running on from the page before stays before the marker). Pages with
nothing starting on them (a blank verso, a page inside one long paragraph) share
the marker position of the next page. Once the markers are in, the filter's empty
spans are removed again: nothing links to them.

Finer marks (to the sentence) would need ids inside paragraphs, and WeasyPrint 70
breaks lines badly around inline boxes in justified text ("Baliq," alone on a
line), so the print edition would pay for them; it is not worth that.

The markers are empty `span`s with `epub:type="pagebreak"`, `role="doc-pagebreak"`
and the page number as their accessible name, as EPUB Accessibility asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from diaspora_book.model import Pagination
from diaspora_book.render.epub.archive import EPUB_TYPE, EpubArchive, h

# Front matter that pandoc writes itself, matched to the print edition's ids.
_PANDOC_FRONT_MATTER = {"titlepage": "section", "toc": "nav"}
_PRINT_IDS = {"titlepage": "titlepage", "toc": "contents"}
# Elements in which a span may not stand between the children.
# The ids block_ids.lua gives paragraphs: `<chapter>_p<N>`.
_FILTER_ID = re.compile(r"_p\d+$")
_NO_PHRASING_CHILDREN = frozenset(
    h(tag) for tag in "ul ol dl table thead tbody tfoot tr colgroup select".split()
)


@dataclass(frozen=True)
class PageTarget:
    """Where page `label` of the print edition begins in the EPUB."""

    label: str
    entry: str  # zip entry of the content document
    fragment: str  # id of the page-break marker


def mark_print_pages(archive: EpubArchive, pagination: Pagination) -> list[PageTarget]:
    """Insert a page-break marker for every page of the print edition; return them in order."""
    blocks = _blocks_in_reading_order(archive, pagination.anchor_pages)
    targets: list[PageTarget] = []
    index = 0
    for page in range(1, pagination.page_count + 1):
        while index < len(blocks) and blocks[index][0] < page:
            index += 1
        if index < len(blocks):
            _, entry, element = blocks[index]
            marker = _marker(page)
            _insert_before(element, marker)
        else:  # only blank pages are left: they begin at the very end of the book
            entry = archive.spine()[-1]
            marker = _marker(page)
            body = archive.xml(entry).find(h("body"))
            body.append(marker)
        targets.append(PageTarget(str(page), entry, marker.get("id")))
    _drop_filter_spans(archive)
    return targets


def unwrap_block_ids(archive: EpubArchive) -> None:
    """Give each paragraph the block-id filter wrapped back its id as a span, first in it.

    The filter wraps a paragraph in a `block-id` div with its id, which costs pandoc
    nothing where the span cost it a third of its run (`filters/block_ids.lua`); in
    the EPUB the div would stand between paragraphs (`p + p` no longer matches), so
    each wrapper gives way to its paragraph with the span the filter once wrote.
    """
    wrapper = h("div")
    for entry in archive.spine():
        for div in list(archive.xml(entry).iter(wrapper)):
            if div.get("class") != "block-id" or len(div) != 1 or div[0].tag != h("p"):
                continue
            if (div.text or "").strip() or (div[0].tail or "").strip():
                continue
            paragraph = div[0]
            span = etree.Element(h("span"))
            span.set("id", div.get("id", ""))
            span.tail, paragraph.text = paragraph.text, None
            paragraph.insert(0, span)
            paragraph.tail = div.tail
            div.getparent().replace(div, paragraph)


def _drop_filter_spans(archive: EpubArchive) -> None:
    """Remove the block-id filter's empty spans that no link points at."""
    linked = {
        href.split("#", 1)[1]
        for entry in archive.spine()
        for link in archive.xml(entry).iter(h("a"))
        if "#" in (href := link.get("href") or "")
    }
    for entry in archive.spine():
        for span in list(archive.xml(entry).iter(h("span"))):
            span_id = span.get("id") or ""
            empty = not len(span) and not span.text
            if empty and _FILTER_ID.search(span_id) and span_id not in linked:
                _remove(span)


def _remove(element: etree._Element) -> None:
    parent, previous = element.getparent(), element.getprevious()
    if element.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _blocks_in_reading_order(
    archive: EpubArchive, anchor_pages: dict[str, int]
) -> list[tuple[int, str, etree._Element]]:
    """Return (print page, entry, element) for every element the print edition also has.

    A block whose page is earlier than one already seen (the two editions order
    something differently) is left out, so page markers never run backwards.
    """
    blocks: list[tuple[int, str, etree._Element]] = []
    latest = 0
    for entry in archive.spine():
        for element in archive.xml(entry).iter(etree.Element):
            page = anchor_pages.get(_print_id(element) or "")
            if page is not None and page >= latest:
                blocks.append((page, entry, element))
                latest = page
    return blocks


def _print_id(element: etree._Element) -> str | None:
    """Return the print edition's id for `element`."""
    for epub_type, tag in _PANDOC_FRONT_MATTER.items():
        if element.tag == h(tag) and epub_type in (element.get(EPUB_TYPE) or "").split():
            return _PRINT_IDS[epub_type]
    return element.get("id")


def _marker(page: int) -> etree._Element:
    marker = etree.Element(h("span"))
    marker.set("id", f"page-{page}")
    marker.set(EPUB_TYPE, "pagebreak")
    marker.set("role", "doc-pagebreak")
    marker.set("aria-label", str(page))
    return marker


def _insert_before(element: etree._Element, marker: etree._Element) -> None:
    """Put `marker` just before `element`, or first inside it where a span may not go."""
    parent = element.getparent()
    if parent is not None and parent.tag not in _NO_PHRASING_CHILDREN:
        element.addprevious(marker)  # after any marker already there
        return
    position = 0  # after the markers already at the front, keeping page order
    while position < len(element) and element[position].get(EPUB_TYPE) == "pagebreak":
        position += 1
    if position == 0:
        marker.tail, element.text = element.text, None
    else:
        previous = element[position - 1]
        marker.tail, previous.tail = previous.tail, None
    element.insert(position, marker)
