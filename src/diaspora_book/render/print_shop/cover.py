"""The full-wrap cover for a print shop: back, spine and front on one PDF page.

The page is the flat cover with its bleed: width = bleed + trim width (back) +
spine + trim width (front) + bleed, height = trim height + 2 x bleed, and the
spine is the interior's page count times the paper's thickness per page
(`shops`). The front is the EPUB cover's design (`render.epub.cover`: its colours,
the title at 22 % of the height, the rule, the subtitle, the authors at 84 %), set
here by WeasyPrint as vector text in the book's own faces, so it is sharp at any
resolution. A right-to-left book opens the other way: its front is the left half.

The spine carries the title and authors, reading top to bottom, only from the
page count the shop allows, kept 1/16 in from each fold. The back carries
book.yml `description:` and keeps the barcode area free (2 x 1.2 in, beside the
spine at the foot: lower right, lower left for a right-to-left book). Everything
stays the shop's safe distance inside the trim.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array

from diaspora_book.assemble.manuscript import Description
from diaspora_book.plumbing.errors import ToolError
from diaspora_book.plumbing.outputs import replacing
from diaspora_book.project.config import Project
from diaspora_book.project.fonts import font_css
from diaspora_book.project.stylesheets import package_styles_dir
from diaspora_book.render.epub.cover import BACKGROUND, INK, RULE
from diaspora_book.render.epub.cover import WIDTH as EPUB_WIDTH
from diaspora_book.render.pdf.finish import PdfInfo, pdf_bytes
from diaspora_book.render.pdf.layout import CMYK_PROFILE, describe_document, weasyprint_module
from diaspora_book.render.print_shop.colour import to_cmyk
from diaspora_book.render.print_shop.interior import ShopPrint

POINTS_PER_INCH = 72
# The spine's type is 0.6 of the room between the fold clearances (so its face's
# whole height, ascent to descent, fits), at most 16 pt; below 2 pt nobody can read
# it, so a spine that thin stays empty even where the shop would allow text.
SPINE_TYPE = 0.6
MAX_SPINE_TYPE_PT = 16.0
MIN_SPINE_TYPE_PT = 2.0
# The book's serif; a title in another script gets its face from font_css() (the
# book's language) or from fontconfig's fallback, as in the print edition.
FACES = '"Noto Serif", serif'


@dataclass(frozen=True)
class CoverLayout:
    """Where everything on the flat cover goes, in inches from its top left corner."""

    width: float
    height: float
    bleed: float
    trim_width: float
    trim_height: float
    spine: float
    front_x: float  # the left edge of the front panel's trim (after the bleed, or the spine)
    back_x: float
    spine_x: float
    safe: float  # nothing important nearer the trim or a fold
    spine_room: float  # the spine less its fold clearances
    spine_type_pt: float  # the spine text's size
    spine_text: bool
    image_dpi: float = 0  # book.yml `cover:` image's resolution on the front; 0: drawn

    @property
    def front_left(self) -> float:
        """The left edge of the front panel with its bleed."""
        return 0 if self.front_x < self.spine_x else self.spine_x + self.spine

    @classmethod
    def of(cls, project: Project, shop_print: ShopPrint, pages: int) -> CoverLayout:
        """Return the layout of the cover of a book of `pages` printed pages."""
        shop, paper = shop_print.shop, shop_print.paper
        trim = shop_print.trim(project.config)
        bleed = shop.bleed
        spine = shop.spine_width(pages, paper)
        left, right = bleed, bleed + trim.width + spine
        rtl = project.config.book_language.direction == "rtl"
        room = spine - 2 * shop.spine_fold_clearance
        size = min(room * POINTS_PER_INCH * SPINE_TYPE, MAX_SPINE_TYPE_PT)
        return cls(
            width=2 * trim.width + spine + 2 * bleed,
            height=trim.height + 2 * bleed,
            bleed=bleed,
            trim_width=trim.width,
            trim_height=trim.height,
            spine=spine,
            front_x=left if rtl else right,
            back_x=right if rtl else left,
            spine_x=bleed + trim.width,
            safe=max(shop.cover_safe_zone, 0.125),
            spine_room=room,
            spine_type_pt=size,
            spine_text=shop.spine_text(pages) and size >= MIN_SPINE_TYPE_PT,
            image_dpi=_image_dpi(project, trim.width + bleed, trim.height + 2 * bleed),
        )


def _image_dpi(project: Project, width: float, height: float) -> float:
    """Return the resolution of book.yml's cover image filling a front `width` x `height` in."""
    if not project.config.cover:
        return 0
    from PIL import Image

    with Image.open(project.root / project.config.cover) as image:
        pixels_wide, pixels_high = image.size
    return min(pixels_wide / width, pixels_high / height)


def write_cover(
    project: Project, shop_print: ShopPrint, pages: int, target: Path, book: Description
) -> CoverLayout:
    """Write the full-wrap cover of a book of `pages` printed pages to `target`."""
    layout = CoverLayout.of(project, shop_print, pages)
    info = PdfInfo.of(book)
    weasyprint = weasyprint_module()  # fails with the install hint
    from diaspora_book.render.pdf.fetcher import ProjectFetcher  # imports WeasyPrint

    fetcher = ProjectFetcher([project.root, package_styles_dir()])
    profiles: dict = {}  # the CMYK output intent's @color-profile, for PDF/X
    css = [
        weasyprint.CSS(string=text, url_fetcher=fetcher, color_profiles=profiles)
        for text in (font_css(), _css(layout, shop_print), shop_print.colour_css(_profile_url()))
    ]
    options = {"output_intent": "srgb"} if shop_print.shop.srgb_intent else {}
    document = weasyprint.HTML(string=cover_html(project, layout, shop_print), url_fetcher=fetcher)
    rendered = document.render(stylesheets=css, color_profiles=profiles, **options)
    describe_document(rendered.metadata, info)
    write_options: dict[str, Any] = {"pdf_identifier": info.book.identifier.encode() + b"-cover"}
    if shop_print.shop.pdfx:
        write_options["pdf_variant"] = "pdf/x-1a"
    write_options.update(options)
    data = rendered.write_pdf(**write_options)
    with replacing(target) as scratch:
        scratch.write_bytes(_finished(data, layout, shop_print))
    return layout


def _profile_url() -> str:
    return (package_styles_dir() / CMYK_PROFILE).as_uri()


def _finished(data: bytes, layout: CoverLayout, shop_print: ShopPrint) -> bytes:
    """Set the cover's boxes (TrimBox inside the bleed), and its colours for PDF/X."""
    import io

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            page = pdf.pages[0].obj
            b = layout.bleed * POINTS_PER_INCH
            w, h = layout.width * POINTS_PER_INCH, layout.height * POINTS_PER_INCH
            page.MediaBox = Array([0, 0, round(w, 3), round(h, 3)])
            page.BleedBox = page.MediaBox
            page.TrimBox = Array([b, b, round(w - b, 3), round(h - b, 3)])
            options: dict = {"object_stream_mode": pikepdf.ObjectStreamMode.generate}
            if not shop_print.shop.metadata:  # KDP: files "should not contain ... metadata"
                if "/Metadata" in pdf.Root:
                    del pdf.Root.Metadata
                for key in list(pdf.docinfo.keys()):
                    del pdf.docinfo[key]
            if shop_print.shop.pdfx:
                to_cmyk(pdf, black_text=True)
                options = {"force_version": "1.4"}
            return pdf_bytes(pdf, deterministic_id=True, **options)
    except pikepdf.PdfError as exc:
        raise ToolError(f"cannot finish the cover: {exc}") from None


def cover_html(project: Project, layout: CoverLayout, shop_print: ShopPrint) -> str:
    """Return the cover as one HTML page: the three panels, absolutely placed."""
    config = project.config
    esc = html.escape
    authors = ", ".join(config.authors)
    subtitle = f'<p class="subtitle">{esc(config.subtitle)}</p>' if config.subtitle else ""
    names = f'<p class="authors">{esc(authors)}</p>' if authors else ""
    spine = ""
    if layout.spine_text:
        words = " · ".join(text for text in (config.title, authors) if text)
        spine = f'<div class="spine-text"><span>{esc(words)}</span></div>'
    description = (
        f'<div class="description">{esc(config.description)}</div>' if config.description else ""
    )
    direction = config.book_language.direction
    front = f"""<div class="front"><h1 class="title">{esc(config.title)}</h1>
<div class="rule-line"><span class="rule"></span></div>
{subtitle}{names}</div>"""
    if config.cover:  # the EPUB's cover is this image: the front is too, to its edges
        uri = (project.root / config.cover).resolve().as_uri()
        front = f'<img class="front-image" src="{esc(uri)}" alt="">'
    return f"""<!DOCTYPE html>
<html lang="{esc(config.language)}" dir="{direction}"><head><meta charset="utf-8">
<title>{esc(config.title)}</title></head><body>
{front}
{spine}
<div class="back">{description}</div>
<div class="barcode"></div>
</body></html>"""


def _css(layout: CoverLayout, shop_print: ShopPrint) -> str:
    """Return the cover's stylesheet: the page, the panels, the EPUB cover's proportions."""
    shop = shop_print.shop
    unit = layout.trim_width / EPUB_WIDTH  # one pixel of the EPUB cover, in inches here
    top, safe = layout.bleed, layout.safe
    front_left = layout.front_x + safe
    inner_width = layout.trim_width - 2 * safe
    barcode_w, barcode_h = shop.barcode
    if layout.back_x < layout.spine_x:  # the back is left of the spine: lower right
        barcode_x = layout.spine_x - shop.barcode_offset - barcode_w
    else:  # a right-to-left book: the back is right of the spine, lower left
        barcode_x = layout.spine_x + layout.spine + shop.barcode_offset
    barcode_y = layout.height - layout.bleed - shop.barcode_offset - barcode_h
    back_height = barcode_y - 0.25 - (top + safe)
    spine_room = max(layout.spine_room, 0.01)
    spine_length = layout.trim_height - 2 * safe
    return f"""
@page {{ size: {layout.width:.4f}in {layout.height:.4f}in; margin: 0; }}
html {{ background: {_rgb(BACKGROUND)}; color: {_rgb(INK)}; font-family: {FACES}; }}
body {{ margin: 0; }}
.front {{ position: absolute; left: {front_left:.4f}in; width: {inner_width:.4f}in;
  top: {top + safe:.4f}in; height: {layout.trim_height - 2 * safe:.4f}in;
  text-align: center; }}
.title {{ bookmark-level: none; font-weight: bold;
  margin: {layout.trim_height * 0.22 - safe:.4f}in 0 0; font-size: {150 * unit:.4f}in;
  line-height: 1.3; max-height: {layout.trim_height * 0.5:.4f}in; overflow: hidden; }}
.rule-line {{ margin: {70 * unit:.4f}in 0 0; line-height: 0; }}
.rule {{ display: inline-block; width: {320 * unit:.4f}in; height: {8 * unit:.4f}in;
  background: {_rgb(RULE)}; }}
.subtitle {{ margin: {90 * unit:.4f}in 0 0; font-size: {76 * unit:.4f}in; line-height: 1.3; }}
.authors {{ position: absolute; left: 0; right: 0; margin: 0;
  top: {layout.trim_height * 0.84 - safe:.4f}in; font-size: {64 * unit:.4f}in;
  line-height: 1.3; max-height: {layout.trim_height * 0.16 - safe:.4f}in; overflow: hidden; }}
.spine-text {{ position: absolute; width: {spine_length:.4f}in; height: {spine_room:.4f}in;
  left: {layout.spine_x + layout.spine / 2 - spine_length / 2:.4f}in;
  top: {layout.height / 2 - spine_room / 2:.4f}in;
  transform: rotate(90deg); text-align: center; white-space: nowrap; overflow: hidden;
  font-size: {layout.spine_type_pt:.2f}pt; line-height: {spine_room:.4f}in; font-weight: bold; }}
.back {{ position: absolute; left: {layout.back_x + safe:.4f}in; width: {inner_width:.4f}in;
  top: {top + safe:.4f}in; height: {back_height:.4f}in; overflow: hidden;
  font-size: {max(10.0, 0.02 * layout.trim_width * POINTS_PER_INCH):.1f}pt;
  line-height: 1.45; white-space: pre-line; }}
.description {{ margin-top: 0.4in; }}
.front-image {{ position: absolute; left: {layout.front_left:.4f}in; top: 0;
  width: {layout.trim_width + layout.bleed:.4f}in; height: {layout.height:.4f}in;
  object-fit: cover; }}
.barcode {{ position: absolute; left: {barcode_x:.4f}in; top: {barcode_y:.4f}in;
  width: {barcode_w}in; height: {barcode_h}in; background: white; }}
"""


def _rgb(colour: tuple[int, int, int]) -> str:
    return "rgb({}, {}, {})".format(*colour)
