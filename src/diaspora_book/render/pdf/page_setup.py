"""Page geometry for the print edition, generated from `book.yml` `page_size`.

The trim size decides everything around the text block: a 6x9in trade book wants a
smaller type size and narrower margins than an A4 course reader, so that each gives
a measure of about 65-80 characters. Margins are for binding: the inner (gutter)
margin is wider than the outer one, since the spine swallows part of the page.

The generated sheet comes first in the cascade, so a project's `print.css` or
`book.css` can still override any of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from diaspora_book.project.config import BookConfig

BLEED_MM = 3  # what print shops ask for
MARKS_AREA_MM = 12  # room outside the trim for crop marks, clear of the bleed


@dataclass(frozen=True)
class PageGeometry:
    """One trim size and the text block that suits it."""

    size: str  # CSS `size` value
    height_mm: float  # trim height
    font_size_pt: float
    top_mm: float
    bottom_mm: float
    inner_mm: float  # the binding side: right margin of a left page, left of a right page
    outer_mm: float


GEOMETRIES = {
    "A4": PageGeometry("A4", 297, 11, 24, 30, 32, 24),
    "Letter": PageGeometry("letter", 279.4, 11, 24, 28, 33, 25),
    "A5": PageGeometry("A5", 210, 9.5, 17, 22, 20, 14),
    "6in 9in": PageGeometry("6in 9in", 228.6, 10, 18, 23, 22, 15),
}


def page_css(config: BookConfig, *, bound: bool = True, press: bool = False) -> str:
    """Return the @page rules for the book's trim size (and, for a print shop, bleed and marks).

    `bound` pages alternate their wide margin to the spine; unbound pages (handouts
    printed on one side and stapled) get the same margin on both sides.

    With `press`, the sheet grows by MARKS_AREA_MM on each side and WeasyPrint draws
    crop marks in that area; the PDF's BleedBox is then set to BLEED_MM by
    `finish`, so the marks sit outside the bleed as print shops expect.
    """
    g = GEOMETRIES[config.page_size]
    inner, outer = (g.inner_mm, g.outer_mm) if bound else ((g.inner_mm + g.outer_mm) / 2,) * 2
    press_rules = f"bleed: {MARKS_AREA_MM}mm; marks: crop;" if press else ""
    return f"""
@page {{ size: {g.size}; margin: {g.top_mm}mm {outer}mm {g.bottom_mm}mm {inner}mm;
  {press_rules} }}
@page :left {{ margin-left: {outer}mm; margin-right: {inner}mm; }}
@page :right {{ margin-left: {inner}mm; margin-right: {outer}mm; }}
html {{ font-size: {g.font_size_pt}pt; }}
/* For pages laid out as a whole (title, copyright); 1 mm short so rounding never
   pushes them onto a second page. */
:root {{ --text-block-height: {g.height_mm - g.top_mm - g.bottom_mm - 1:g}mm; }}
"""
