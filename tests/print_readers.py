"""Read the print edition's structure as assistive technology and PDF viewers do.

`structure_tree` walks the tagged PDF's structure tree and gives each element the
text of the marked content under it (decoded through the fonts' ToUnicode maps);
`artifacts` gives the text a page marks as artifacts (running heads, folios);
`outline` gives the bookmarks with their pages. Nothing is mocked: these open the file.
"""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name


@dataclass(frozen=True)
class StructElem:
    tag: str  # "H1", "P", "Span", ...
    lang: str | None  # the element's own /Lang
    language: str  # the language it is read in: its own, an ancestor's or the document's
    text: str  # the text of every marked-content sequence below it, in tree order
    leaf: bool  # no structure elements below it (its text is its own)
    depth: int


@dataclass(frozen=True)
class PageText:
    marked: dict[int, str]  # MCID -> text
    artifacts: list[str]  # text inside /Artifact sequences, in stream order


def _unicode_map(font: Dictionary) -> dict[int, str]:
    mapping: dict[int, str] = {}
    if "/ToUnicode" not in font:
        return mapping
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(
            r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            start = bytes.fromhex(dst).decode("utf-16-be")
            for i in range(int(hi, 16) - int(lo, 16) + 1):
                mapping[int(lo, 16) + i] = start[:-1] + chr(ord(start[-1]) + i)
    return mapping


def page_text(page: pikepdf.Page) -> PageText:
    """Return the text of each marked-content sequence on `page` (Identity-H fonts)."""
    fonts = {name: _unicode_map(font) for name, font in page.Resources.get("/Font", {}).items()}
    marked: dict[int, list[str]] = defaultdict(list)
    artifacts: list[str] = []
    stack: list[int | str | None] = []  # MCID, "artifact" or None (other marked content)
    font: dict[int, str] = {}

    def show(data: bytes) -> None:
        text = "".join(
            font.get(int.from_bytes(data[i : i + 2], "big"), "") for i in range(0, len(data), 2)
        )
        for entry in reversed(stack):
            if entry == "artifact":
                artifacts[-1] += text
                return
            if isinstance(entry, int):
                marked[entry].append(text)
                return

    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "BDC" or op == "BMC":
            if operands[0] == Name.Artifact:
                stack.append("artifact")
                artifacts.append("")
            elif op == "BDC" and isinstance(operands[1], Dictionary) and "/MCID" in operands[1]:
                stack.append(int(operands[1].MCID))
            else:
                stack.append(None)
        elif op == "EMC":
            stack.pop()
        elif op == "Tf":
            font = fonts.get(str(operands[0]), {})
        elif op == "Tj":
            show(bytes(operands[0]))
        elif op == "TJ":
            for item in operands[0]:
                if isinstance(item, pikepdf.String):
                    show(bytes(item))
    return PageText({k: "".join(v) for k, v in marked.items()}, [a for a in artifacts if a])


def structure_tree(path: Path) -> list[StructElem]:
    """Return every structure element, in tree (reading) order, with its text."""
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: page_text(page) for page in pdf.pages}
        elements: list[StructElem] = []

        def text_of(kid, page_key) -> str:
            if isinstance(kid, int):
                return pages[page_key].marked.get(kid, "")
            if isinstance(kid, Array):
                return "".join(text_of(k, page_key) for k in kid)
            if isinstance(kid, Dictionary):
                key = kid.Pg.objgen if "/Pg" in kid else page_key
                if kid.get("/Type") == Name.MCR:
                    return pages[key].marked.get(int(kid.MCID), "")
                if "/S" in kid:
                    return text_of(kid.get("/K", Array()), key)
            return ""

        def is_element(kid) -> bool:
            return isinstance(kid, Dictionary) and "/S" in kid

        def walk(kid, depth: int, page_key, language: str) -> None:
            if isinstance(kid, Array):
                for k in kid:
                    walk(k, depth, page_key, language)
            elif is_element(kid):
                key = kid.Pg.objgen if "/Pg" in kid else page_key
                lang = str(kid.Lang) if "/Lang" in kid else None
                kids = kid.get("/K", Array())
                leaf = not any(is_element(k) for k in (kids if isinstance(kids, Array) else [kids]))
                elements.append(
                    StructElem(
                        str(kid.S)[1:], lang, lang or language, text_of(kid, key), leaf, depth
                    )
                )
                walk(kids, depth + 1, key, lang or language)

        walk(pdf.Root.StructTreeRoot.K, 0, None, str(pdf.Root.get("/Lang", "")))
        return elements


def artifacts(path: Path) -> list[list[str]]:
    """Return, per page, the text marked as artifact (running heads, folios)."""
    with pikepdf.open(path) as pdf:
        return [page_text(page).artifacts for page in pdf.pages]


def unreferenced_marked_content(path: Path) -> list[tuple[int, int]]:
    """Return (page, MCID) of marked content no structure element in the tree refers to."""
    with pikepdf.open(path) as pdf:
        referenced: set[tuple[tuple[int, int], int]] = set()

        def walk(kid, page_key) -> None:
            if isinstance(kid, int):
                referenced.add((page_key, kid))
            elif isinstance(kid, Array):
                for k in kid:
                    walk(k, page_key)
            elif isinstance(kid, Dictionary):
                key = kid.Pg.objgen if "/Pg" in kid else page_key
                if kid.get("/Type") == Name.MCR:
                    referenced.add((key, int(kid.MCID)))
                elif "/S" in kid:
                    walk(kid.get("/K", Array()), key)

        walk(pdf.Root.StructTreeRoot.K, None)
        return [
            (number, mcid)
            for number, page in enumerate(pdf.pages, start=1)
            for mcid in page_text(page).marked
            if (page.obj.objgen, mcid) not in referenced
        ]


def outline(path: Path) -> list[tuple[int, str, int]]:
    """Return the bookmarks as (level, title, 1-based page), in order."""
    found: list[tuple[int, str, int]] = []
    with pikepdf.open(path) as pdf:
        numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        with pdf.open_outline() as tree:

            def walk(items, level: int) -> None:
                for item in items:
                    found.append((level, item.title, numbers[item.destination[0].objgen]))
                    walk(item.children, level + 1)

            walk(tree.root, 1)
    return found


def pdfinfo(path: Path, *args: str) -> dict[str, str]:
    """Return `pdfinfo`'s fields (poppler), e.g. {"Title": ..., "Page size": ...}."""
    out = subprocess.run(
        ["pdfinfo", *args, str(path)], check=True, capture_output=True, text=True
    ).stdout
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in out.splitlines())
    }


def first_lines(pages: list[str]) -> list[str]:
    """Return the first non-blank line of each page's text, stripped ("" for a blank page)."""
    return [
        next((line.strip() for line in page.splitlines() if line.strip()), "") for page in pages
    ]


def pdftotext(path: Path, *options: str) -> str:
    """Return what poppler's pdftotext extracts from `path` with `options`, as UTF-8."""
    return subprocess.run(
        ["pdftotext", *options, "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def bbox_lines(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Return, per page, each text line as (xMin, yMin, xMax, yMax, text) (pdftotext)."""
    out = pdftotext(pdf, "-bbox-layout")
    pages = []
    for page in re.findall(r"<page .*?</page>", out, re.S):
        lines = []
        for line in re.findall(r"<line (.*?)</line>", page, re.S):
            box = [float(v) for v in re.findall(r'[xy](?:Min|Max)="([\d.]+)"', line)[:4]]
            words = re.findall(r">([^<]*)</word>", line)
            lines.append((box[0], box[1], box[2], box[3], " ".join(words)))
        pages.append(lines)
    return pages


def page_width(pdf: Path) -> float:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return float(re.search(r"Page size:\s+([\d.]+) x", out.stdout).group(1))


def reader_view(path: Path) -> dict:
    """What a reader and a screen reader get from the PDF, without object numbers."""
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}

        def page_of(destination) -> int:
            return pages[destination[0].objgen]

        names = pdf.Root.Names.Dests
        destinations = {str(k): v for k, v in pikepdf.NameTree(names).items()}
        links = [
            (
                number,
                str(a.Dest),
                page_of(destinations[str(a.Dest)]),
                [round(float(v)) for v in a.Rect],
            )
            for number, page in enumerate(pdf.pages, start=1)
            for a in page.obj.get("/Annots", [])
            if "/Dest" in a
        ]
        boxes = [
            [str(page.obj.get(box)) for box in ("/MediaBox", "/TrimBox", "/BleedBox")]
            for page in pdf.pages
        ]
        return {
            "links": links,
            "destinations": {name: page_of(d) for name, d in destinations.items()},
            "boxes": boxes,
            "catalog": sorted(str(k) for k in pdf.Root.keys()),
        }


def programs_by_name(path: Path) -> dict[str, set[bytes]]:
    """Each embedded font's name, with the distinct font programs embedded under it."""
    programs: dict[str, set[bytes]] = {}
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type0":
                descriptor = obj.DescendantFonts[0].FontDescriptor
                stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
                programs.setdefault(str(obj.BaseFont), set()).add(stream.read_bytes())
    return programs


def page_pictures(path: Path, folder: Path) -> list[bytes]:
    """Every page of the PDF as a 40 dpi grey picture (pdftoppm), in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "40", "-gray", str(path), str(folder / "page")], check=True)
    return [p.read_bytes() for p in sorted(folder.glob("page-*.pgm"))]
