"""The EPUB's accessibility claims, derived from what the build verified in the finished file.

A library or a student's reading system shows these claims before the book is
opened, so none is written by rote. The features (schema.org) are read off the
file; conformance to EPUB Accessibility 1.1 and WCAG 2.1 AA is claimed (in
`dcterms:conformsTo` and the summary) only when every check here passes, and the
build warns with the reasons when one does not. The checks are what a build can
verify on its own:

- every content document declares its language and has a title;
- every run in another script carries its language (WCAG 3.1.2);
- every heading and every link has text, and every image a text alternative;
- the navigation document has a table of contents;
- the faces that set the book's other scripts were embedded, so a reading
  system without them shows text, not boxes.

EPUBCheck and Ace by DAISY, which the test suite runs on the sample book, check
more; neither runs during a build.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from diaspora_book.languages.book_language import BookLanguage, book_script
from diaspora_book.languages.labels import Labels
from diaspora_book.project.config import Project
from diaspora_book.render.epub.archive import EPUB_TYPE, NS, XML_LANG, EpubArchive, h

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
_HEADINGS = frozenset(h(f"h{level}") for level in range(1, 7))


@dataclass(frozen=True)
class Verified:
    """What the build's checks found: nothing, or why conformance is not claimed."""

    failures: tuple[str, ...] = ()

    @property
    def conforms(self) -> bool:
        return not self.failures


def verify(archive: EpubArchive, project: Project, unembedded: tuple[str, ...]) -> Verified:
    """Run the checks of the module docstring on `archive`; `unembedded`: faces not found."""
    failures: list[str] = []
    for entry in archive.spine():
        failures += _document_failures(archive, entry, project)
    nav = archive.xml(archive.nav_name())
    if not any("toc" in (n.get(EPUB_TYPE) or "").split() for n in nav.iter(h("nav"))):
        failures.append("the navigation document has no table of contents")
    if unembedded:
        failures.append(f"no font to embed for {', '.join(unembedded)}")
    return Verified(tuple(dict.fromkeys(failures)))


def _document_failures(archive: EpubArchive, entry: str, project: Project) -> list[str]:
    root = archive.xml(entry)
    name = archive.href(entry)
    found: list[str] = []
    if not root.get(XML_LANG):
        found.append(f"{name} declares no language")
    title = root.find(f"{h('head')}/{h('title')}")
    if title is None or not (title.text or "").strip():
        found.append(f"{name} has no title")
    for element in root.iter(etree.Element):
        if element.tag in _HEADINGS and not _text(element):
            found.append(f"{name} has an empty heading")
        elif element.tag == h("img") and not (element.get("alt") or "").strip():
            found.append(f"{name} has an image without a text alternative")
        elif element.tag == h("a") and element.get("href") and not _named(element):
            found.append(f"{name} has a link without text")
    language = _untagged_run(root, project.config.book_language)
    if language:
        found.append(f"{name} has text in '{language}' not marked with its language")
    return found


def _text(element: etree._Element) -> str:
    return "".join(element.itertext()).strip()


def _named(link: etree._Element) -> bool:
    return bool(_text(link) or (link.get("aria-label") or "").strip())


_MATHML = "{http://www.w3.org/1998/Math/MathML}"


def _untagged_run(root: etree._Element, book: BookLanguage) -> str | None:
    """Return the language of a run the converter would tag but that is read as the book's.

    Runs in another script are tagged by the converter; a project template's own
    words are not. The same rules (`BookLanguage.runs`) decide what needs a tag.
    """
    for element in root.iter(etree.Element):
        if _language(element).lower() != book.tag.lower() or _MATHML in str(element.tag):
            continue  # a formula's letters (π) are mathematics, not words of a language
        for text in (element.text, *(child.tail for child in element)):
            for _, language, _ in book.runs(text or ""):
                if language is not None:
                    return language
    return None


def _language(element: etree._Element) -> str:
    while element is not None:
        lang = element.get(XML_LANG) or element.get("lang")
        if lang:
            return lang
        element = element.getparent()
    return ""


def features(archive: EpubArchive, has_page_list: bool) -> list[str]:
    """Return the schema.org accessibility features that are true of the finished EPUB."""
    found = ["displayTransformability", "readingOrder", "structuralNavigation"]
    documents = [archive.xml(name) for name in archive.spine()]
    nav = archive.xml(archive.nav_name())
    if nav.find(f".//{h('nav')}[@role='doc-toc']") is not None:
        found.append("tableOfContents")
    images = [img for root in documents for img in root.iter(h("img"))]
    if images and all((img.get("alt") or "").strip() for img in images):
        found.append("alternativeText")
    if has_page_list:
        found += ["pageBreakMarkers", "printPageNumbers", "pageNavigation"]
    if any(root.find(".//*[@role]") is not None for root in documents):
        found.append("ARIA")
    return sorted(found)


def summary(
    archive: EpubArchive,
    verified: Verified,
    page_count: int | None,
    embedded_fonts: bool,
    languages: list[str],
    labels: Labels,
) -> str:
    """Describe, in a sentence or five of the book's language, what a reader can rely on."""
    parts = [labels.text("a11y_conformance")] if verified.conforms else []
    parts.append(labels.text("a11y_navigation"))
    if page_count is not None:
        parts.append(labels.text("a11y_pages", count=page_count))
    if languages:
        parts.append(labels.text("a11y_languages", languages=labels.language_names(languages)))
        if embedded_fonts:
            parts.append(labels.text("a11y_fonts"))
    images = sum(len(list(archive.xml(e).iter(h("img")))) for e in archive.spine())
    if images == 1 and has_cover_image(archive):
        parts.append(labels.text("a11y_cover_only"))
    elif images and "alternativeText" in features(archive, False):
        parts.append(labels.text("a11y_images"))
    parts.append(labels.text("a11y_hazards"))
    # Chinese and Japanese sentences end in a full stop that needs no space after it.
    return ("" if book_script(labels.language) in ("han", "kana") else " ").join(parts)


def has_images(archive: EpubArchive) -> bool:
    return any(next(archive.xml(e).iter(h("img")), None) is not None for e in archive.spine())


def has_cover_image(archive: EpubArchive) -> bool:
    return archive.opf.find("opf:manifest/opf:item[@properties='cover-image']", NS) is not None
