"""The package document: cover, reading order, print source and accessibility metadata.

The accessibility metadata (EPUB Accessibility 1.1, schema.org properties) is a set
of claims a library or a student's reading system shows before the book is
opened, so each is derived from the finished file rather than written by rote:
page navigation is claimed only if the page list exists, alternative text only if
every image has it, and so on. pandoc's own claims are replaced.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from lxml import etree

from diaspora_book.render.epub_archive import DC, NS, OPF, XML_LANG, EpubArchive, h

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


@dataclass(frozen=True)
class PrintSource:
    """The print edition whose page numbers the EPUB carries."""

    description: str  # e.g. "Title, print edition (PDF, A4, 2024-05-01), 11 pages"
    page_count: int
    anchor_pages: dict[str, int] = field(hash=False)  # HTML id -> page it starts on


def add_cover_to_spine(archive: EpubArchive, cover_entry: str, item_id: str, title: str) -> None:
    """Put the cover page first in the reading order."""
    spine = archive.opf.find("opf:spine", NS)
    ref = etree.Element(f"{{{OPF}}}itemref")
    ref.set("idref", item_id)
    spine.insert(0, ref)
    guide = archive.opf.find("opf:guide", NS)
    if guide is not None:  # EPUB 2 reading systems (and Kindle conversion) look here
        reference = etree.Element(f"{{{OPF}}}reference")
        reference.set("type", "cover")
        reference.set("title", title)
        reference.set("href", archive.href(cover_entry))
        guide.insert(0, reference)


def put_contents_after_copyright(archive: EpubArchive, copyright_entry: str | None) -> None:
    """Order the front matter as in print: title page, copyright page, then contents."""
    if copyright_entry is None:
        return
    spine = archive.opf.find("opf:spine", NS)
    refs = {archive.entry(_href_of(archive, r.get("idref"))): r for r in spine}
    nav_ref = refs.get(archive.nav_name())
    copyright_ref = refs.get(copyright_entry)
    if nav_ref is None or copyright_ref is None:
        return
    if list(spine).index(nav_ref) < list(spine).index(copyright_ref):
        spine.remove(nav_ref)
        copyright_ref.addnext(nav_ref)


def _href_of(archive: EpubArchive, item_id: str) -> str:
    return archive.manifest_item(item_id).get("href")


def write_metadata(
    archive: EpubArchive,
    source: PrintSource | None,
    features: list[str],
    summary: str,
    access_modes: list[str],
) -> None:
    """Replace pandoc's accessibility claims with the book's; name the print source."""
    metadata = archive.opf.find("opf:metadata", NS)
    for meta in list(metadata):
        prop = meta.get("property") or ""
        if prop.startswith(("schema:", "dcterms:conformsTo", "a11y:")):
            metadata.remove(meta)
    modified = metadata.find("opf:meta[@property='dcterms:modified']", NS)
    if modified is not None:  # pandoc's sandbox has no clock and writes 1970
        modified.text = _modified()
    if source is not None:
        dc_source = _add(metadata, f"{{{DC}}}source", source.description)
        dc_source.set("id", "print-source")
        _meta(metadata, "source-of", "pagination").set("refines", "#print-source")
    for mode in access_modes:
        _meta(metadata, "schema:accessMode", mode)
    _meta(metadata, "schema:accessModeSufficient", "textual")
    for feature in features:
        _meta(metadata, "schema:accessibilityFeature", feature)
    _meta(metadata, "schema:accessibilityHazard", "none")
    _meta(metadata, "schema:accessibilitySummary", summary)
    _meta(metadata, "dcterms:conformsTo", CONFORMS_TO)


def _modified() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch and epoch.isdigit()
        else dt.datetime.now(dt.UTC)
    )
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _add(metadata: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(metadata, tag)
    element.text = text
    element.tail = "\n    "
    return element


def _meta(metadata: etree._Element, prop: str, text: str) -> etree._Element:
    meta = _add(metadata, f"{{{OPF}}}meta", text)
    meta.set("property", prop)
    return meta


def accessibility_features(archive: EpubArchive, has_page_list: bool) -> list[str]:
    """Return the schema.org accessibility features that are true of the finished EPUB."""
    features = ["displayTransformability", "readingOrder", "structuralNavigation"]
    documents = [archive.xml(name) for name in archive.spine()]
    nav = archive.xml(archive.nav_name())
    if nav.find(f".//{h('nav')}[@role='doc-toc']") is not None:
        features.append("tableOfContents")
    images = [img for root in documents for img in root.iter(h("img"))]
    if images and all((img.get("alt") or "").strip() for img in images):
        features.append("alternativeText")
    if has_page_list:
        features += ["pageBreakMarkers", "printPageNumbers", "pageNavigation"]
    if any(root.find(".//*[@role]") is not None for root in documents):
        features.append("ARIA")
    return sorted(features)


def foreign_languages(archive: EpubArchive, language: str) -> list[str]:
    """Return the language tags of passages not in the book's own language."""
    found: set[str] = set()
    for name in archive.spine():
        for element in archive.xml(name).iter(etree.Element):
            lang = element.get(XML_LANG)
            if lang and lang != language:
                found.add(lang)
    return sorted(found)
