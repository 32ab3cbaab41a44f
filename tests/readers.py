"""Read what a reader would see in the built files: PDF text and fonts, EPUB documents.

Used by the rendering tests; these open the real files, nothing is mocked.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont

from .print_readers import artifacts, pdftotext

WORD_SPLIT = re.compile(r"\s+")
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
RTL_LETTERS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]+")


def normalise(text: str) -> str:
    return WORD_SPLIT.sub(" ", BIDI_CONTROLS.sub("", text)).strip()


def pdf_pages(path: Path) -> list[str]:
    """Return the text of each page, as pdftotext (poppler) extracts it."""
    # -layout keeps each printed line as it is; the default mode silently joins
    # "short-" + "term" into "shortterm".
    out = pdftotext(path, "-layout")
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def pdf_body_pages(path: Path) -> list[str]:
    """Return each page's text without its furniture: the running head and folio that
    the tagged PDF marks as artifacts (and lines of digits alone, taken for folios)."""
    pages = []
    for page, furniture in zip(pdf_pages(path), artifacts(path), strict=True):
        lines = [
            line
            for line in page.split("\n")
            if not re.fullmatch(r"\s*\d+\s*", line) and line.strip() not in furniture
        ]
        pages.append("\n".join(lines))
    return pages


def pdf_text(path: Path) -> str:
    """Return the book's running text: page furniture dropped, hyphenated line ends joined.

    Furniture is what the tagged PDF marks as artifacts (running heads and folios),
    so a word hyphenated across a page break joins up again; lines of digits alone
    are taken for folios in any case.
    """
    text = "\n".join(pdf_body_pages(path))
    text = re.sub("\u2010[ \\t]*\n\\s*", "", text)  # automatic hyphenation (U+2010 HYPHEN)
    text = re.sub("(?<=\\w)-[ \\t]*\n\\s*", "-", text)  # a real hyphen at a line end
    return normalise(text)


def pdf_page_texts(path: Path) -> list[str]:
    """Return the running text of each page as `pdf_text` gives it; a blank page gives ""."""
    texts = []
    for page in pdf_pages(path):
        lines = [line for line in page.split("\n") if not re.fullmatch(r"\s*\d+\s*", line)]
        text = re.sub("\u2010[ \\t]*\n\\s*", "", "\n".join(lines))
        texts.append(normalise(re.sub("(?<=\\w)-[ \\t]*\n\\s*", "-", text)))
    return texts


def word_variants(word: str) -> set[str]:
    """A word as it may come out of a PDF text extractor.

    Right-to-left letters may come out in visual (reversed) order, with a lam-alef
    ligature kept in logical order inside it, and mirrored punctuation moves around
    the run: for such words only the right-to-left letters are compared.
    """
    letters = RTL_LETTERS.findall(word)
    if not letters:
        return {word}
    variants = set()
    for run in letters:
        backwards = run[::-1]
        variants |= {run, backwards, backwards.replace("ال", "لا")}
    return variants


def missing_words(source_words: list[str], text: str) -> list[str]:
    """Return the words (with RTL runs compared letter by letter) not found in `text`."""
    missing = []
    for word in source_words:
        letters = RTL_LETTERS.findall(word)
        if letters:
            found = all(any(v in text for v in word_variants(run)) for run in letters)
        else:
            found = word in text
        if not found:
            missing.append(word)
    return missing


@dataclass(frozen=True)
class PdfFont:
    name: str
    drawn: frozenset[str]  # characters the ToUnicode map says this font drew
    has: frozenset[str]  # characters the installed font it was made from has glyphs for


def _to_unicode_chars(cmap: bytes) -> set[str]:
    chars: set[str] = set()
    text = cmap.decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for _, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            chars |= set(bytes.fromhex(dst).decode("utf-16-be"))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(
            r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            start = int(dst, 16)
            chars |= {chr(start + i) for i in range(int(hi, 16) - int(lo, 16) + 1)}
    return chars


def pdf_fonts(path: Path) -> list[PdfFont]:
    """Return each embedded font with the characters it drew and the ones it really has."""
    fonts: list[PdfFont] = []
    seen: set[tuple[int, int]] = set()
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for _, font in page.Resources.get("/Font", {}).items():
                if font.objgen in seen:
                    continue
                seen.add(font.objgen)
                descriptor = font.DescendantFonts[0].FontDescriptor
                key = next(k for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor)
                subset = TTFont(io.BytesIO(descriptor[key].read_bytes()))
                fonts.append(
                    PdfFont(
                        name=str(font.BaseFont),
                        drawn=frozenset(_to_unicode_chars(font.ToUnicode.read_bytes())),
                        has=installed_font_chars(subset["name"].getDebugName(6)),
                    )
                )
    return fonts


def installed_font_chars(postscript_name: str) -> frozenset[str]:
    """Return the characters of the installed font with this PostScript name.

    A subset's own cmap cannot be used: shaped glyphs (Arabic joining forms) are in
    the subset without the cmap entries of the letters they came from.
    """
    found = subprocess.run(
        ["fc-list", "--format", "%{file}|%{index}\n", f":postscriptname={postscript_name}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert found, f"font {postscript_name} is not installed"
    file, index = found[0].split("|")
    cmap = TTFont(file, fontNumber=int(index), lazy=True).getBestCmap()
    return frozenset(chr(c) for c in cmap)


_BLOCKS = frozenset(
    "p div section nav li ol ul dl dt dd h1 h2 h3 h4 h5 h6 br table tr td th aside header".split()
)


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("head", "script", "style"):
            self.skip += 1
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("head", "script", "style"):
            self.skip -= 1
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(markup: str) -> str:
    collector = _TextCollector()
    collector.feed(markup)
    return "".join(collector.parts)


def epub_documents(path: Path) -> dict[str, str]:
    """Return every file in the EPUB that is text (XHTML, OPF, NCX, CSS), by name."""
    with zipfile.ZipFile(path) as epub:
        return {
            name: epub.read(name).decode("utf-8")
            for name in epub.namelist()
            if name.endswith((".xhtml", ".opf", ".ncx", ".css", ".xml"))
        }


def epub_citations(path: Path) -> list[str]:
    """Return the text of each in-text citation citeproc rendered, e.g. "(Author 2009)"."""
    found = []
    for name, doc in epub_documents(path).items():
        if name.endswith(".xhtml"):
            for inner in re.findall(r'<span class="citation"[^>]*>(.*?)</span>', doc, re.S):
                found.append(normalise(html_text(inner)))
    return sorted(set(found), key=len, reverse=True)


def without_citations(text: str, citations: list[str]) -> str:
    """Return `text` without the rendered citations, so the article's words meet again."""
    for citation in citations:
        text = text.replace(" " + citation, "").replace(citation, "")
    return text


def epub_text(path: Path) -> str:
    """Return the visible text of every XHTML document in the EPUB."""
    docs = epub_documents(path)
    return normalise(
        " ".join(html_text(docs[name]) for name in sorted(docs) if name.endswith(".xhtml"))
    )


NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "h": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def epub_xml(path: Path, name: str):
    """Return the parsed root (lxml) of the XML document `name` inside the EPUB."""
    from lxml import etree

    with zipfile.ZipFile(path) as epub:
        return etree.fromstring(epub.read(name))


def epub_spine(path: Path) -> list[str]:
    """Return the zip entries of the EPUB's spine, in reading order."""
    opf = epub_xml(path, "EPUB/content.opf")
    hrefs = {i.get("id"): i.get("href") for i in opf.iterfind("opf:manifest/opf:item", NS)}
    return ["EPUB/" + hrefs[r.get("idref")] for r in opf.iterfind("opf:spine/opf:itemref", NS)]


def epub_nav_links(path: Path, kind: str) -> list[tuple[str, str, str]]:
    """Return (epub:type, href from EPUB/, label) of each link in the nav of `kind`."""
    nav = epub_xml(path, "EPUB/nav.xhtml").find(f".//h:nav[@epub:type='{kind}']", NS)
    assert nav is not None, f"no {kind} nav"
    return [
        (a.get(EPUB_TYPE) or "", a.get("href"), "".join(a.itertext()))
        for a in nav.iterfind(".//h:a", NS)
    ]


def epub_text_after(path: Path, href: str, length: int = 80) -> str:
    """Return the first `length` characters of text after the element `href` points at."""
    name, fragment = href.split("#")
    root = epub_xml(path, "EPUB/" + name)
    mark = "\u2042MARK\u2042"
    root.find(f".//*[@id='{fragment}']", NS).text = mark
    body = root.find("h:body", NS)
    for nav in body.iterfind(".//h:nav[@hidden]", NS):  # landmarks, page list
        nav.getparent().remove(nav)
    from lxml import etree

    text = normalise(html_text(etree.tostring(body, encoding="unicode")))
    return text.split(mark, 1)[1].strip()[:length]
