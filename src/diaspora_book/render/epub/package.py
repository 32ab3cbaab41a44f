"""The package document: cover, reading order, print source and accessibility metadata.

The accessibility metadata (EPUB Accessibility 1.1, schema.org properties) replaces
pandoc's own claims; `accessibility` derives each claim from the finished file.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from diaspora_book.model import Pagination
from diaspora_book.project.config import build_time, timestamp
from diaspora_book.render.epub.archive import DC, NS, OPF, XML_LANG, EpubArchive


@dataclass(frozen=True)
class PrintSource:
    """The print edition whose page numbers the EPUB carries."""

    description: str  # e.g. "Title, print edition (PDF, A4, 2024-05-01), 11 pages"
    pagination: Pagination


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
    conforms_to: str = "",
) -> None:
    """Replace pandoc's accessibility claims with the book's; name the print source.

    `conforms_to` is written only when the build verified it (`accessibility.verify`).
    """
    metadata = archive.opf.find("opf:metadata", NS)
    for meta in list(metadata):
        prop = meta.get("property") or ""
        if prop.startswith(("schema:", "dcterms:conformsTo", "a11y:")):
            metadata.remove(meta)
    modified = metadata.find("opf:meta[@property='dcterms:modified']", NS)
    if modified is not None:  # pandoc's sandbox has no clock and writes 1970
        modified.text = timestamp(build_time())
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
    if conforms_to:
        _meta(metadata, "dcterms:conformsTo", conforms_to)


def add_article_sources(archive: EpubArchive, urls: tuple[str, ...]) -> None:
    """Name each chapter's source article (its revision-pinned URL) as a `dc:source`.

    The print edition, when there is one, stays the first `dc:source` (`print-source`).
    """
    metadata = archive.opf.find("opf:metadata", NS)
    for number, url in enumerate(urls, start=1):
        _add(metadata, f"{{{DC}}}source", url).set("id", f"article-source-{number}")


def _add(metadata: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(metadata, tag)
    element.text = text
    element.tail = "\n    "
    return element


def _meta(metadata: etree._Element, prop: str, text: str) -> etree._Element:
    meta = _add(metadata, f"{{{OPF}}}meta", text)
    meta.set("property", prop)
    return meta


def foreign_languages(archive: EpubArchive, language: str) -> list[str]:
    """Return the language tags of passages not in the book's own language."""
    found: set[str] = set()
    for name in archive.spine():
        for element in archive.xml(name).iter(etree.Element):
            lang = element.get(XML_LANG)
            if lang and lang != language:
                found.add(lang)
    return sorted(found)
