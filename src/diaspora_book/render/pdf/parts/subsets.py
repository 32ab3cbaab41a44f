"""One font subset per face in the joined book: merge the subsets the parts embedded.

Each part of the book (see `conduct`) is a PDF of its own, and WeasyPrint embeds in
it a subset of every face holding only the glyphs that part uses. The subset's name
(`HUQPOW+Noto-Serif`) comes from the face, not from the glyphs, so the joined book
held several different programs under one name, which ISO 32000-1 (9.6.4) forbids
and print shops reject; it was also larger than the one-process layout.

WeasyPrint subsets with "retain GIDs" (HarfBuzz's `RETAIN_GIDS`, fontTools'
`retain_gids`): a glyph keeps its number in the original font, so every part's
content streams draw the same glyph with the same code. Merging is therefore a
matter of the font objects alone, never of the pages: one program holding the union
of the glyphs (copied by number, with their advance widths and, in a CID-keyed CFF
font, their font dict), one `/W` array and one `/ToUnicode` map. Every page then
refers to the one font object. A face whose objects do not look like that (a custom
`/Encoding`, an unknown `/W` form, a program fontTools cannot read) is not merged;
its subsets are renamed apart instead (a tag derived from each program), which is
still a valid PDF, only larger.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from typing import Any

import fontTools
import pikepdf
from fontTools.ttLib import TTFont, TTLibError
from pikepdf import Array, Dictionary, Name

from diaspora_book.plumbing.kept import KeptFiles

_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_TAG = re.compile(r"^/?[A-Z]{6}\+")


class Unmergeable(Exception):
    """A face's subsets do not have the shape merging relies on (the reason)."""


@dataclass
class _Subset:
    """One part's font object for a face, and what it says about its glyphs."""

    font: Dictionary  # the Type0 font dictionary (indirect)
    program: bytes  # the embedded font program (FontFile2 or FontFile3)
    widths: dict[int, float]  # glyph id -> width, from /W (the glyphs the part draws)
    text: dict[int, bytes] = field(default_factory=dict)  # glyph id -> UTF-16BE, /ToUnicode


def merge_font_subsets(pdf: pikepdf.Pdf, kept: KeptFiles | None = None) -> int:
    """Give every face in `pdf` one font object; return how many faces were merged.

    A face embedded once is left as it is, and so is one every part embeds the same
    subset of (its other font objects are dropped). With `kept` (the folder of merged programs),
    a program an earlier build merged from the same subsets is used again: merging a
    face reads and writes its program with fontTools (200 articles: 0.6 s a build), and
    an edit that uses no new glyph gives every part the same subsets.
    """
    fonts, resources = _scan(pdf)
    faces = _faces(fonts)
    replaced: dict[tuple[int, int], Dictionary] = {}
    merged = 0
    for name in sorted(faces):
        subsets = faces[name]
        if len(subsets) < 2:
            continue
        try:
            _merge(pdf, subsets, kept)
            keeper = subsets[0].font
            merged += 1
        except (Unmergeable, TTLibError, KeyError, IndexError, ValueError, AssertionError):
            _rename_apart(subsets)
            continue
        for subset in subsets[1:]:
            replaced[subset.font.objgen] = keeper
    if replaced:
        _point_resources_at(resources, replaced)
    return merged


def subset_names(pdf: pikepdf.Pdf) -> dict[str, set[str]]:
    """Return each embedded font name with the digests of the programs it names.

    Two digests under one name are two different subsets sharing a name.
    """
    names: dict[str, set[str]] = {}
    for name, subsets in _faces(_scan(pdf)[0]).items():
        for subset in subsets:
            names.setdefault(name, set()).add(hashlib.sha256(subset.program).hexdigest())
    return names


# ---- reading the font objects --------------------------------------------------------


# Keys that lead away from what pages draw: the structure tree (most of a book's
# objects), the outline, destinations, and back up the page tree.
_NOT_DRAWN = frozenset(
    ["/StructTreeRoot", "/Outlines", "/Names", "/Parent", "/P", "/Prev", "/Next", "/First"]
    + ["/Last", "/Dest", "/Contents", "/Metadata"]
)


def _scan(pdf: pikepdf.Pdf) -> tuple[list[Dictionary], list[Dictionary]]:
    """Return the Type0 font dictionaries, in object order, and every resource dictionary.

    Both are found from the catalog down through what the pages draw with (pages,
    resources, forms, patterns, soft masks, annotations' appearances), leaving out
    the structure tree and the outline: 200 articles are 47,000 objects, 1,500 of
    them on that path, and wrapping each object in Python is what costs (0.48 s
    for all of them, 0.04 s for these).
    """
    fonts: dict[tuple[int, int], Dictionary] = {}
    resources: list[Dictionary] = []
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [pdf.Root]
    while stack:
        obj = stack.pop()
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, Array):
            stack.extend(v for v in obj if isinstance(v, Dictionary | Array | pikepdf.Stream))
            continue
        entries = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
        if entries.get("/Type") == Name.Font and entries.get("/Subtype") == Name.Type0:
            fonts[obj.objgen] = obj
            continue  # its widths and glyph maps hold no resources
        for key, value in entries.items():
            if key in _NOT_DRAWN:
                continue
            if key == "/Resources" and isinstance(value, Dictionary):
                resources.append(value)
            if isinstance(value, Dictionary | Array | pikepdf.Stream):
                stack.append(value)
    return [fonts[objgen] for objgen in sorted(fonts)], resources


def _faces(fonts: list[Dictionary]) -> dict[str, list[_Subset]]:
    """Return the Type0 fonts with an embedded program, by BaseFont, in object order."""
    faces: dict[str, list[_Subset]] = {}
    for obj in fonts:
        descendant = obj.DescendantFonts[0]
        descriptor = descendant.get("/FontDescriptor")
        if not isinstance(descriptor, Dictionary):
            continue
        stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
        if not isinstance(stream, pikepdf.Stream):
            continue
        w = descendant.get("/W")
        subset = _Subset(obj, stream.read_bytes(), _widths(w if isinstance(w, Array) else Array()))
        faces.setdefault(str(obj.BaseFont), []).append(subset)
    return faces


def _widths(w: Array) -> dict[int, float]:
    """Read a CIDFont's /W array: `c [w1 w2 ...]` and `c_first c_last w` entries."""
    widths: dict[int, float] = {}
    items = list(w)
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], Array):
            for offset, width in enumerate(items[i + 1]):
                widths[first + offset] = float(width)
            i += 2
        else:
            for cid in range(first, int(items[i + 1]) + 1):
                widths[cid] = float(items[i + 2])
            i += 3
    return widths


def _to_unicode(font: Dictionary) -> dict[int, bytes]:
    stream = font.get("/ToUnicode")
    if not isinstance(stream, pikepdf.Stream):
        raise Unmergeable("no /ToUnicode map")
    data = stream.read_bytes()
    if b"beginbfrange" in data:
        raise Unmergeable("a /ToUnicode map with ranges")
    text: dict[int, bytes] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, flags=re.DOTALL):
        for glyph, value in _BFCHAR.findall(block):  # not the codespace range's <0000> <ffff>
            text[int(glyph, 16)] = bytes.fromhex(value.decode())
    return text


# ---- merging ---------------------------------------------------------------------------


def _merge(pdf: pikepdf.Pdf, subsets: list[_Subset], kept: KeptFiles | None = None) -> None:
    """Make `subsets[0]`'s font object hold every subset's glyphs (the others are dropped)."""
    for subset in subsets:
        if subset.font.get("/Encoding") != Name("/Identity-H"):
            raise Unmergeable("a font with its own /Encoding")
        subset.text = _to_unicode(subset.font)
    if all(_same(subset, subsets[0]) for subset in subsets[1:]):
        return  # one subset in every part (the halves of a book agree on theirs)
    key = _merge_key(subsets)
    program = kept.read(key) if kept is not None else None
    if program is None:
        program = _merged_program(subsets)
        if kept is not None:
            kept.keep(key, program)
    elif kept is not None:
        kept.use([key])
    widths: dict[int, float] = {}
    text: dict[int, bytes] = {}
    for subset in subsets:  # the first part to use a glyph decides its text, as in one layout
        for gid, width in subset.widths.items():
            widths.setdefault(gid, width)
        for gid, value in subset.text.items():
            text.setdefault(gid, value)
    _rewrite(pdf, subsets[0].font, program, widths, text)


def _same(one: _Subset, other: _Subset) -> bool:
    """Whether two subsets are the same: program, widths and text."""
    return one.program == other.program and one.widths == other.widths and one.text == other.text


def _merge_key(subsets: list[_Subset]) -> str:
    """What a merged program is made of: each subset's program and the glyphs it draws."""
    # "2": programs merged since head.modified is kept (not those of earlier builds).
    h = hashlib.sha256(fontTools.version.encode() + b"|2")
    for subset in subsets:
        h.update(hashlib.sha256(subset.program).digest())
        h.update(",".join(map(str, sorted(subset.widths))).encode() + b";")
    return h.hexdigest()


def _merged_program(subsets: list[_Subset]) -> bytes:
    """Return one program holding the glyphs every subset draws."""
    counts = [_glyph_count(s.program) for s in subsets]
    base = max(range(len(subsets)), key=lambda i: (counts[i], -i))
    glyphs = _Glyphs(_open(subsets[base].program), set(subsets[base].widths))
    for index, subset in enumerate(subsets):
        if index != base and set(subset.widths) - glyphs.used:  # else nothing to take
            glyphs.take(_open(subset.program), set(subset.widths))
    return glyphs.program()


def _open(program: bytes) -> TTFont:
    """Read a subset lazily; its bounds are merged from the subsets' own (`_Glyphs.bounds`).

    Its `head.modified` is kept as the subset has it (the font's own), not set to the
    build's time on saving: a merged program kept for later builds must not carry
    one build's date into another's book.
    """
    return TTFont(io.BytesIO(program), lazy=True, recalcBBoxes=False, recalcTimestamp=False)


def _glyph_count(program: bytes) -> int:
    return int(_open(program)["maxp"].numGlyphs)


# Font-wide bounds each subset computed over its own glyphs: over the union, the
# largest (or the smallest) of them. Recomputing them would read every glyph.
_LARGEST = {
    "maxp": (
        "maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours",
        "maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
        "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
        "maxComponentElements", "maxComponentDepth",
    ),
    "hhea": ("advanceWidthMax", "xMaxExtent"),
    "head": ("xMax", "yMax"),
}  # fmt: skip
_SMALLEST = {"hhea": ("minLeftSideBearing", "minRightSideBearing"), "head": ("xMin", "yMin")}


class _Glyphs:
    """A subset font growing by the glyphs of the other subsets of its face."""

    def __init__(self, font: TTFont, used: set[int]):
        self.font, self.used = font, set(used)
        self.order = font.getGlyphOrder()
        self.cff = "CFF " in font
        if not self.cff and "glyf" not in font:
            raise Unmergeable("neither TrueType outlines nor CFF")

    def take(self, other: TTFont, used: set[int]) -> None:
        """Copy the glyphs `other` draws (by glyph id) that this font lacks."""
        if ("CFF " in other) != self.cff:
            raise Unmergeable("TrueType and CFF subsets of one face")
        wanted = sorted(used - self.used)
        if wanted and wanted[-1] >= len(self.order):
            raise Unmergeable("a glyph id beyond the largest subset")
        if self.cff:
            self._take_cff(other, wanted)
        else:
            self._take_glyf(other, wanted)
        self._bounds(other)
        for gid in wanted:
            for table in ("hmtx", "vmtx"):
                if table in other and table in self.font:
                    self.font[table][self.order[gid]] = other[table][other.getGlyphOrder()[gid]]
        self.used.update(wanted)

    def _bounds(self, other: TTFont) -> None:
        """Widen the font-wide bounds to cover `other`'s glyphs too."""
        for choose, fields in ((max, _LARGEST), (min, _SMALLEST)):
            for table, names in fields.items():
                if table in self.font and table in other:
                    mine, theirs = self.font[table], other[table]
                    for name in names:
                        if hasattr(mine, name) and hasattr(theirs, name):
                            setattr(mine, name, choose(getattr(mine, name), getattr(theirs, name)))
        if self.cff:
            box = self.font["CFF "].cff.topDictIndex[0].FontBBox
            other_box = other["CFF "].cff.topDictIndex[0].FontBBox
            self.font["CFF "].cff.topDictIndex[0].FontBBox = [
                min(box[0], other_box[0]),
                min(box[1], other_box[1]),
                max(box[2], other_box[2]),
                max(box[3], other_box[3]),
            ]

    def _take_glyf(self, other: TTFont, wanted: list[int]) -> None:
        mine, theirs, order = self.font["glyf"], other["glyf"], other.getGlyphOrder()
        todo, seen, drawn = list(wanted), set(), set(wanted)
        while todo:
            gid = todo.pop()
            if gid in seen:
                continue
            seen.add(gid)
            if gid not in drawn and mine[self.order[gid]].numberOfContours != 0:
                continue  # a component this font already has
            glyph = theirs[order[gid]]
            if glyph.isComposite():
                for component in glyph.components:
                    component_gid = other.getGlyphID(component.glyphName)
                    component.glyphName = self.order[component_gid]
                    todo.append(component_gid)
            mine[self.order[gid]] = glyph
            if gid not in drawn:  # a component: its metrics come along
                self.font["hmtx"][self.order[gid]] = other["hmtx"][order[gid]]

    def _take_cff(self, other: TTFont, wanted: list[int]) -> None:
        top = self.font["CFF "].cff.topDictIndex[0]
        theirs = other["CFF "].cff.topDictIndex[0]
        cid_keyed = hasattr(top, "FDArray")
        if cid_keyed != hasattr(theirs, "FDArray"):
            raise Unmergeable("a CID-keyed and a name-keyed CFF subset of one face")
        index, their_index = top.CharStrings.charStringsIndex, theirs.CharStrings.charStringsIndex
        dicts = {fd.FontName: i for i, fd in enumerate(top.FDArray)} if cid_keyed else {}
        for gid in wanted:
            charstring = their_index[gid]
            if cid_keyed:
                font_dict = theirs.FDArray[theirs.FDSelect[gid]]
                if font_dict.FontName not in dicts:
                    top.FDArray.append(font_dict)
                    dicts[font_dict.FontName] = len(top.FDArray) - 1
                mine = top.FDArray[dicts[font_dict.FontName]]
                _same_widths(mine.Private, font_dict.Private)
                top.FDSelect[gid] = dicts[font_dict.FontName]
                charstring.private = mine.Private
            else:
                _same_widths(top.Private, theirs.Private)
                charstring.private = top.Private
            index.items[gid] = charstring

    def program(self) -> bytes:
        """Return the merged font program."""
        for table in ("hdmx", "LTSH", "VDMX", "VORG"):  # per-glyph tables not merged
            if table in self.font:
                del self.font[table]
        out = io.BytesIO()
        self.font.save(out)
        return out.getvalue()


def _same_widths(mine, theirs) -> None:
    """A CFF width is relative to its Private dict: both must read it the same way."""
    for key in ("nominalWidthX", "defaultWidthX"):
        if mine.rawDict.get(key, 0) != theirs.rawDict.get(key, 0):
            raise Unmergeable(f"CFF Private dicts differ in {key}")


# ---- writing ---------------------------------------------------------------------------


def _rewrite(
    pdf: pikepdf.Pdf,
    font: Dictionary,
    program: bytes,
    widths: dict[int, float],
    text: dict[int, bytes],
) -> None:
    """Give `font` the merged program, widths and text, as WeasyPrint writes them."""
    descendant = font.DescendantFonts[0]
    descriptor = descendant.FontDescriptor
    key = "/FontFile2" if "/FontFile2" in descriptor else "/FontFile3"
    extra = {"/Length1": len(program)} if key == "/FontFile2" else {"/Subtype": Name.OpenType}
    stream = pikepdf.Stream(pdf, program)
    for name, value in extra.items():
        stream[name] = value
    descriptor[key] = pdf.make_indirect(stream)
    descendant.W = _w_array(widths)
    bbox = [float(v) for v in descriptor.FontBBox]
    bbox[2] = max(widths.values(), default=0)
    descriptor.FontBBox = Array(bbox)
    font.ToUnicode = pdf.make_indirect(pikepdf.Stream(pdf, _cmap(text)))


def _w_array(widths: dict[int, float]) -> Array:
    """Return a /W array: runs of consecutive glyph ids, each with its widths."""
    w: list = []
    run: list | None = None
    for gid in sorted(widths):
        if run is None or gid - 1 not in widths:
            run = []
            w += [gid, run]
        run.append(_number(widths[gid]))
    return Array([Array(item) if isinstance(item, list) else item for item in w])


def _number(value: float) -> int | float:
    return int(value) if value == int(value) else value


def _cmap(text: dict[int, bytes]) -> bytes:
    """Return a ToUnicode CMap of single glyphs (WeasyPrint's form: bfchar, 100 a block)."""
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo",
        b"<< /Registry (Adobe)",
        b"/Ordering (UCS)",
        b"/Supplement 0",
        b">> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    items = sorted(text.items())
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{gid:04x}> <{value.hex()}>".encode() for gid, value in batch]
        lines.append(b"endbfchar")
    lines += [
        b"endcmap",
        b"CMapName currentdict /CMap defineresource pop",
        b"end",
        b"end",
    ]
    return b"\n".join(lines)


def _rename_apart(subsets: list[_Subset]) -> None:
    """Give each different program its own subset tag (the fallback when merging fails)."""
    for subset in subsets[1:]:
        if subset.program == subsets[0].program:
            continue
        digest = hashlib.sha256(subset.program).digest()
        tag = "".join(chr(65 + byte % 26) for byte in digest[:6])
        name = Name(f"/{tag}+{_TAG.sub('', str(subset.font.BaseFont))}")
        descendant = subset.font.DescendantFonts[0]
        subset.font.BaseFont = descendant.BaseFont = name
        descendant.FontDescriptor.FontName = name


def _point_resources_at(
    resources: list[Dictionary], replaced: dict[tuple[int, int], Dictionary]
) -> None:
    """Make every resource dictionary refer to the kept font object of each face."""
    for found in resources:
        fonts = found.get("/Font")
        if not isinstance(fonts, Dictionary):
            continue
        for key in list(fonts.keys()):
            kept = replaced.get(fonts[key].objgen)
            if kept is not None:
                fonts[key] = kept
