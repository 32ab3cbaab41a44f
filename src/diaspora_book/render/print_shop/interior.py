"""The interior for a print shop: its page geometry, and the finishing pass on the PDF.

The book is laid out at the trim size with 0.125 in of bleed on every side
(WeasyPrint's `bleed`, no `marks`), with margins of at least the shop's minimum and
an inside margin that grows with the page count (`ShopPrint.page_css`). The
finishing pass (`finish_for_shop`) then cuts the bleed off the bound edge of
every page (KDP and IngramSpark: bleed only where the paper is cut; Lulu asks for
it on all four sides), so left pages bleed left and right pages right; sets
TrimBox, BleedBox and MediaBox (= BleedBox) on every page; adds blank pages at the
end up to the shop's minimum and an even count; removes what the shop forbids
(bookmarks, links, metadata); and for a PDF/X shop turns every colour into CMYK
(`colour`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name

from diaspora_book.plumbing.errors import BookError
from diaspora_book.project.config import BookConfig
from diaspora_book.render.pdf.page_setup import GEOMETRIES
from diaspora_book.render.print_shop.colour import to_cmyk
from diaspora_book.render.print_shop.shops import SHOPS, Shop, Trim

MM_PER_INCH = 25.4
POINTS_PER_INCH = 72
# The trim of each page_size, in inches (the shops list A4 and A5 to the hundredth).
TRIMS_IN = {
    "A4": (210 / MM_PER_INCH, 297 / MM_PER_INCH),
    "Letter": (8.5, 11.0),
    "A5": (148 / MM_PER_INCH, 210 / MM_PER_INCH),
    "6in 9in": (6.0, 9.0),
}
# The running heads stand 7 mm above the text block, the folios 9 mm below it
# (print.css); with their type, the margin must be this much more than the shop's
# minimum for them to keep it too (IngramSpark: "This includes page numbers").
HEAD_ROOM_MM = 14
FOLIO_ROOM_MM = 15


@dataclass(frozen=True)
class ShopPrint:
    """An interior for one shop, on one paper; `pages`: the page count the margins are for."""

    shop: Shop
    paper: str
    pages: int = 0  # 0: not known yet (the first layout); the gutter is then the smallest

    @classmethod
    def of(cls, key: str, paper: str) -> ShopPrint:
        return cls(SHOPS[key], paper)

    def trim(self, config: BookConfig) -> Trim:
        """Return the book's trim, named as the shop lists it; an error lists the shop's sizes."""
        width, height = TRIMS_IN[config.page_size]
        trim = self.shop.trim_for(width, height)
        if trim is None:
            raise BookError(
                f"{self.shop.name} does not print page_size {config.page_size!r} "
                f"({width:.2f} x {height:.2f} in)",
                config.page_size_span,
                f"{self.shop.name} prints {self.shop.trim_names()}",
            )
        return Trim(trim.name, width, height)

    def inside_margin_mm(self, pages: int) -> float:
        return self.shop.inside_margin(self.shop.padded_pages(pages, self.paper)) * MM_PER_INCH

    def margins_mm(self, config: BookConfig) -> tuple[float, float, float, float]:
        """Return the top, bottom, inner and outer margins: the page_size's, or the shop's."""
        g = GEOMETRIES[config.page_size]
        least = self.shop.min_margin * MM_PER_INCH
        return (
            round(max(g.top_mm, least + HEAD_ROOM_MM), 2),
            round(max(g.bottom_mm, least + FOLIO_ROOM_MM), 2),
            round(max(g.inner_mm, self.inside_margin_mm(self.pages)), 2),
            round(max(g.outer_mm, least), 2),
        )

    def page_css(self, config: BookConfig) -> str:
        """Return the @page rules: the trim, bleed on every side (cut later), no marks."""
        self.trim(config)
        g = GEOMETRIES[config.page_size]
        top, bottom, inner, outer = self.margins_mm(config)
        return f"""
@page {{ size: {g.size}; margin: {top:g}mm {outer:g}mm {bottom:g}mm {inner:g}mm;
  bleed: {self.shop.bleed}in; marks: none; }}
@page :left {{ margin-left: {outer:g}mm; margin-right: {inner:g}mm; }}
@page :right {{ margin-left: {inner:g}mm; margin-right: {outer:g}mm; }}
html {{ font-size: {g.font_size_pt}pt; }}
:root {{ --text-block-height: {g.height_mm - top - bottom - 1:.2f}mm; }}
"""

    def colour_css(self, profile_url: str) -> str:
        """Return the @color-profile rule that makes the CMYK profile the PDF/X output intent."""
        if not self.shop.pdfx:
            return ""
        return (
            f"@color-profile device-cmyk {{ src: url({profile_url}); "
            "components: cyan, magenta, yellow, black; }"
        )


def finish_for_shop(pdf: pikepdf.Pdf, shop_print: ShopPrint, rtl: bool) -> int:
    """Make `pdf` the interior the shop asks for; return the blank pages added at the end."""
    shop = shop_print.shop
    pages = len(pdf.pages)
    wanted = shop.padded_pages(pages, shop_print.paper)
    if wanted > shop.papers[shop_print.paper].max_pages:
        raise BookError(
            f"the book has {wanted} pages; {shop.name} prints at most "
            f"{shop.papers[shop_print.paper].max_pages} on {shop_print.paper} paper"
        )
    last = pdf.pages[-1].obj
    for _ in range(wanted - pages):
        pdf.add_blank_page(page_size=(72, 72))  # its boxes are set below
        blank = pdf.pages[-1].obj
        blank.TrimBox = Array(list(last.TrimBox))
    bleed = shop.bleed * POINTS_PER_INCH
    for number, page in enumerate(pdf.pages):
        # Page 1 is a right-hand page in a left-to-right book, a left-hand one when
        # the book is bound on the right; the outside edge is away from the spine.
        left = (number % 2 == 0) == rtl
        x0, y0, x1, y1 = (float(v) for v in page.obj.TrimBox)
        grow_left = bleed if left or shop.bleed_at_spine else 0
        grow_right = bleed if not left or shop.bleed_at_spine else 0
        box = Array([x0 - grow_left, y0 - bleed, x1 + grow_right, y1 + bleed])
        page.obj.MediaBox = box
        page.obj.BleedBox = box
        page.obj.TrimBox = Array([x0, y0, x1, y1])
        for name in ("/CropBox", "/ArtBox"):
            if name in page.obj:
                del page.obj[name]
    if not shop.bookmarks and "/Outlines" in pdf.Root:
        del pdf.Root.Outlines
        if pdf.Root.get("/PageMode") == Name.UseOutlines:
            del pdf.Root.PageMode
    if not shop.annotations:
        _remove_annotations(pdf)
    if not shop.metadata:
        if "/Metadata" in pdf.Root:
            del pdf.Root.Metadata
        for key in list(pdf.docinfo.keys()):
            del pdf.docinfo[key]
    if shop.pdfx:
        to_cmyk(pdf, black_text=True)
    return wanted - pages


def _remove_annotations(pdf: pikepdf.Pdf) -> None:
    """Remove every annotation (links) and the structure tree's references to them."""
    for page in pdf.pages:
        if "/Annots" in page.obj:
            del page.obj.Annots
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, Dictionary):
        return
    stack = [root]
    while stack:
        element = stack.pop()
        kids = element.get("/K")
        if isinstance(kids, Array):
            kept = [kid for kid in kids if not _object_reference(kid)]
            if len(kept) != len(kids):
                element.K = Array(kept)
            stack.extend(kid for kid in kept if isinstance(kid, Dictionary))
        elif isinstance(kids, Dictionary):
            if _object_reference(kids):
                del element.K
            else:
                stack.append(kids)


def _object_reference(kid) -> bool:
    return isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR
