"""The navigation document: table of contents, landmarks and the print page list.

pandoc writes the table of contents and a landmarks list with only the title page
and contents. Landmarks let a reader jump to the cover, the start of the text and
the back matter; the page list lets a class follow "page 12" of the printed book.
The page list is also written into the EPUB 2 NCX, which older reading systems
read instead of the navigation document.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from lxml import etree

from diaspora_book.languages.labels import Labels
from diaspora_book.render.epub.archive import EPUB_TYPE, NCX, NS, EpubArchive, h
from diaspora_book.render.epub.pages import PageTarget
from diaspora_book.render.epub.semantics import epub_types


@dataclass(frozen=True)
class Landmark:
    epub_type: str
    label: str
    entry: str  # zip entry of the document
    fragment: str = ""  # id inside it, if any


# epub:type of a landmark -> the book's message that names it.
LABELS = {
    "cover": "cover",
    "titlepage": "title_page",
    "toc": "table_of_contents",
    "bodymatter": "start_of_content",
    "glossary": "glossary",
    "index": "index",
    "bibliography": "bibliography",
}


def find_landmarks(archive: EpubArchive, labels: Labels) -> list[Landmark]:
    """Return the landmarks of the book in reading order: the first body or section of each kind."""
    found: dict[str, Landmark] = {}
    for entry in archive.spine():
        body = archive.xml(entry).find(h("body"))
        for element in [body, *body.iter(h("section"), h("nav"))]:
            fragment = "" if element is body else element.get("id") or ""
            for epub_type in epub_types(element):
                if epub_type in LABELS and epub_type not in found:
                    label = labels.text(LABELS[epub_type])
                    found[epub_type] = Landmark(epub_type, label, entry, fragment)
    return list(found.values())


def write_navigation(
    archive: EpubArchive, landmarks: list[Landmark], pages: list[PageTarget], labels: Labels
) -> None:
    """Replace pandoc's landmarks and add the page list to the nav document and NCX."""
    nav_name = archive.nav_name()
    root = archive.xml(nav_name)
    body = root.find(h("body"))
    old = body.find(f"{h('nav')}[@{EPUB_TYPE}='landmarks']")
    landmarks_nav = _nav(
        "landmarks",
        labels.text("landmarks"),
        [(_href(nav_name, m.entry, m.fragment), m.label, m.epub_type) for m in landmarks],
    )
    if old is not None:
        old.addprevious(landmarks_nav)
        body.remove(old)
    else:
        body.append(landmarks_nav)
    if pages:
        body.append(
            _nav(
                "page-list",
                labels.text("pages"),
                [(_href(nav_name, p.entry, p.fragment), p.label, "") for p in pages],
            )
        )
        _ncx_page_list(archive, pages, labels.text("pages"))


def _nav(kind: str, heading: str, links: list[tuple[str, str, str]]) -> etree._Element:
    nav = etree.Element(h("nav"))
    nav.set(EPUB_TYPE, kind)
    nav.set("id", kind)
    if kind == "page-list":
        nav.set("role", "doc-pagelist")
    nav.set("aria-label", heading)
    nav.set("hidden", "hidden")
    nav.text = "\n"
    title = etree.SubElement(nav, h("h2"))
    title.text = heading
    title.tail = "\n"
    items = etree.SubElement(nav, h("ol"))
    items.text = "\n"
    items.tail = "\n"
    for href, label, epub_type in links:
        item = etree.SubElement(items, h("li"))
        link = etree.SubElement(item, h("a"))
        link.set("href", href)
        if epub_type:
            link.set(EPUB_TYPE, epub_type)
        link.text = label
        item.tail = "\n"
    nav.tail = "\n"
    return nav


def _href(from_entry: str, entry: str, fragment: str) -> str:
    # Always with the file name, even within the nav document: Ace matches page-list
    # links to page breaks by file and id.
    path = posixpath.relpath(entry, posixpath.dirname(from_entry))
    return f"{path}#{fragment}" if fragment else path


def _ncx_page_list(archive: EpubArchive, pages: list[PageTarget], heading: str) -> None:
    item = archive.opf.find("opf:manifest/opf:item[@media-type='application/x-dtbncx+xml']", NS)
    if item is None:
        return
    ncx_name = archive.entry(item.get("href"))
    ncx = archive.xml(ncx_name)
    for name, value in (("dtb:totalPageCount", len(pages)), ("dtb:maxPageNumber", len(pages))):
        meta = ncx.find(f"ncx:head/ncx:meta[@name='{name}']", NS)
        if meta is not None:
            meta.set("content", str(value))
    page_list = etree.SubElement(ncx, f"{{{NCX}}}pageList")
    _ncx_label(page_list, heading)
    for number, page in enumerate(pages, start=1):
        target = etree.SubElement(page_list, f"{{{NCX}}}pageTarget")
        target.set("id", f"pageTarget-{number}")
        target.set("type", "normal")
        target.set("value", page.label)
        _ncx_label(target, page.label)
        content = etree.SubElement(target, f"{{{NCX}}}content")
        content.set("src", _href(ncx_name, page.entry, page.fragment))


def _ncx_label(parent: etree._Element, text: str) -> None:
    label = etree.SubElement(parent, f"{{{NCX}}}navLabel")
    etree.SubElement(label, f"{{{NCX}}}text").text = text
