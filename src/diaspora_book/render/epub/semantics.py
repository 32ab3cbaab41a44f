"""Structural semantics for the EPUB's documents: what each section is, in two vocabularies.

Reading systems use `epub:type` (EPUB Structural Semantics); assistive technology
uses the matching DPUB-ARIA `role`. pandoc writes `epub:type` only where the
manuscript names one, so chapters get theirs here, every section gets the role that
matches its type, a glossary's terms and definitions are marked, each document is
titled after its first heading (pandoc titles chapter files "ch002.xhtml", which a
screen reader would announce), every language tag is also written as `xml:lang`
for reading systems that only know the XML attribute, and in a right-to-left book
every document says `dir="rtl"`.
"""

from __future__ import annotations

from lxml import etree

from diaspora_book.languages.book_language import direction_of
from diaspora_book.render.epub.archive import EPUB_TYPE, XML_LANG, EpubArchive, h

# epub:type of a section -> the DPUB-ARIA role with the same meaning.
SECTION_ROLES = {
    "chapter": "doc-chapter",
    "part": "doc-part",
    "glossary": "doc-glossary",
    "index": "doc-index",
    "bibliography": "doc-bibliography",
    "appendix": "doc-appendix",
    "endnotes": "doc-endnotes",
    "foreword": "doc-foreword",
    "preface": "doc-preface",
    "prologue": "doc-prologue",
    "epilogue": "doc-epilogue",
    "introduction": "doc-introduction",
    "conclusion": "doc-conclusion",
    "afterword": "doc-afterword",
    "acknowledgments": "doc-acknowledgments",
    "dedication": "doc-dedication",
    "colophon": "doc-colophon",
    "abstract": "doc-abstract",
    "credits": "doc-credits",
    "errata": "doc-errata",
}
# Sections that belong after the body of the book (pandoc's own list lacks glossary).
BACKMATTER = frozenset(
    {
        "glossary",
        "index",
        "bibliography",
        "appendix",
        "colophon",
        "endnotes",
        "afterword",
        "credits",
    }
)


def epub_types(element: etree._Element) -> list[str]:
    return (element.get(EPUB_TYPE) or "").split()


def add_semantics(archive: EpubArchive, language: str) -> None:
    """Type and title every content document of the spine."""
    for name in archive.spine():
        root = archive.xml(name)
        _language(root, language)
        for section in root.iter(h("section")):
            _section(section)
        _title(root)


def _language(root: etree._Element, language: str) -> None:
    root.set("lang", root.get("lang") or language)
    if direction_of(language) == "rtl" and root.get("dir") is None:
        root.set("dir", "rtl")  # pandoc writes `dir` on its chapters but not on the nav
    root.set(XML_LANG, root.get(XML_LANG) or root.get("lang"))
    for element in root.iter(etree.Element):
        lang = element.get("lang")
        if lang and element.get(XML_LANG) is None:
            element.set(XML_LANG, lang)


def _section(section: etree._Element) -> None:
    types = epub_types(section)
    if not types and "chapter" in (section.get("class") or "").split():
        types = ["chapter"]
        section.set(EPUB_TYPE, "chapter")
    role = next((SECTION_ROLES[t] for t in types if t in SECTION_ROLES), None)
    if role and section.get("role") is None:
        section.set("role", role)
    if "glossary" in types:
        for term in section.iter(h("dt")):
            term.set(EPUB_TYPE, "glossterm")
        for definition in section.iter(h("dd")):
            definition.set(EPUB_TYPE, "glossdef")
    body = section.getparent()
    if body.tag == h("body") and BACKMATTER.intersection(types):
        body.set(EPUB_TYPE, "backmatter")


def _title(root: etree._Element) -> None:
    heading = next(root.iter(h("h1")), None)
    title = root.find(f"{h('head')}/{h('title')}")
    if heading is not None and title is not None:
        text = " ".join("".join(heading.itertext()).split())
        if text:
            title.text = text
