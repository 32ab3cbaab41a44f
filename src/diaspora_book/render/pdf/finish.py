"""Finish the PDF WeasyPrint wrote: structure repairs, XMP metadata, print-shop boxes.

The XMP declares PDF/UA-1 (`pdfuaid:part`): the tagged structure, the languages,
the artifacts and the title are what PDF/UA asks of a book like this one, and the
test suite runs the `pdfua` checker on the sample book.

One pikepdf pass over the file. The result stays reproducible: with the same
SOURCE_DATE_EPOCH two builds give the same bytes (qpdf's deterministic /ID, no
"metadata edited now" stamp).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from diaspora_book import __version__
from diaspora_book.assemble.manuscript import Description
from diaspora_book.plumbing.errors import ToolError
from diaspora_book.project.config import build_time, timestamp
from diaspora_book.render.pdf.page_setup import BLEED_MM
from diaspora_book.render.pdf.structure import mark_furniture_as_artifacts
from diaspora_book.render.print_shop.interior import ShopPrint, finish_for_shop

POINTS_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class PdfInfo:
    """What the PDF says about itself (document info dictionary and XMP)."""

    book: Description  # title, authors, language, subtitle (the PDF's subject), rights, ...
    created: str  # W3C date-time, UTC
    generator: str

    @classmethod
    def of(cls, description: Description) -> PdfInfo:
        """Return what the PDF of a manuscript with this description says about itself."""
        return cls(description, timestamp(build_time()), f"diaspora-book {__version__}")


def pdf_date(created: str) -> str:
    """Return `created` (our W3C date-time in UTC: `timestamp`) as WeasyPrint writes it
    in the Info dictionary: `D:20231114221320Z`."""
    return "D:" + "".join(c for c in created if c.isdigit()) + "Z"


@dataclass(frozen=True)
class Finishing:
    """What finishing does to the book's PDF, wherever it is saved: by `finish_pdf`, or
    by `splice` as it joins the book's parts (one save of the whole book, not two).

    `press`: the bleed boxes; `shop`: the print shop's interior; `marked`: the
    furniture is already marked as artifacts (a book joined from parts, each marked
    on its own), so the structure tree is not walked again for it (200 articles: 0.4 s).
    """

    info: PdfInfo
    press: bool = False
    shop: ShopPrint | None = None
    marked: bool = False

    def saved(self, pdf: pikepdf.Pdf) -> tuple[bytes, int]:
        """Finish `pdf` and return it saved, with the blank pages added at its end."""
        added = 0
        options: dict = {"object_stream_mode": pikepdf.ObjectStreamMode.generate}
        info, shop = self.info, self.shop
        if not self.marked:
            mark_furniture_as_artifacts(pdf)
        # PDF/UA-1 is a profile of PDF 1.7; a PDF/X-1a file is PDF 1.4: no claim there.
        _write_xmp(pdf, info, accessible=shop is None or not shop.shop.pdfx)
        if info.book.direction == "rtl":  # viewers then show spreads right to left
            preferences = pdf.Root.get("/ViewerPreferences", pikepdf.Dictionary())
            preferences.Direction = pikepdf.Name.R2L
            pdf.Root.ViewerPreferences = preferences
        if self.press:
            _set_bleed_boxes(pdf, BLEED_MM * POINTS_PER_MM)
        if shop is not None:
            added = finish_for_shop(pdf, shop, info.book.direction == "rtl")
            if shop.shop.pdfx:  # PDF/X-1a is PDF 1.4: no object streams
                options = {"force_version": "1.4"}
        return pdf_bytes(pdf, deterministic_id=True, **options), added


def finish_pdf(path: Path, finishing: Finishing) -> int:
    """Repair the structure tree, write XMP metadata and, for `press`, the bleed boxes;
    a right-to-left book gets `/ViewerPreferences /Direction /R2L`.

    For a print `shop`, make the file its interior (`print_shop.interior`); return
    the blank pages it added at the end (0 otherwise).
    """
    try:
        with pikepdf.open(path) as pdf:
            data, added = finishing.saved(pdf)
    except pikepdf.PdfError as exc:
        raise ToolError(f"cannot finish {path.name}: {exc}") from None
    path.write_bytes(data)
    return added


def pdf_bytes(pdf: pikepdf.Pdf, **options) -> bytes:
    """Return `pdf` saved with `options`, written in memory, never straight to a file.

    qpdf ends the whole process (std::terminate, exit 134) when the disk fills while
    it writes a file, leaving no message and no chance to clean up; Python's own
    writes raise OSError, which the caller can report.
    """
    buffer = io.BytesIO()
    pdf.save(buffer, **options)
    return buffer.getvalue()


def _write_xmp(pdf: pikepdf.Pdf, info: PdfInfo, accessible: bool = True) -> None:
    """Describe the book in XMP, which catalogues and archives read (the Info dict is legacy)."""
    book = info.book
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["dc:title"] = book.title
        if book.authors:
            xmp["dc:creator"] = list(book.authors)
        xmp["dc:language"] = [book.language]
        if book.subtitle:
            xmp["dc:description"] = book.subtitle
        if book.rights:
            xmp["dc:rights"] = book.rights
        if book.publisher:
            xmp["dc:publisher"] = [book.publisher]
        xmp["dc:identifier"] = book.identifier
        xmp["dc:format"] = "application/pdf"
        xmp["xmp:CreateDate"] = info.created
        xmp["xmp:ModifyDate"] = info.created
        xmp["xmp:CreatorTool"] = info.generator
        xmp["pdf:Producer"] = str(pdf.docinfo.get("/Producer", ""))
        # PDF/UA-1 (ISO 14289-1): the claim a reader's software looks for. What backs
        # it, and what no available checker covers, is in the README.
        if accessible:
            xmp["pdfuaid:part"] = "1"


def _set_bleed_boxes(pdf: pikepdf.Pdf, bleed: float) -> None:
    """Set each page's BleedBox to `bleed` points beyond its TrimBox.

    WeasyPrint draws crop marks inside the CSS bleed area, so the sheet is made
    larger than the bleed (page_setup.MARKS_AREA_MM) to keep the marks clear of it;
    the PDF then states the real bleed for the print shop's imposition software.
    """
    for page in pdf.pages:
        x0, y0, x1, y1 = (float(v) for v in page.obj.TrimBox)
        page.obj.BleedBox = pikepdf.Array([x0 - bleed, y0 - bleed, x1 + bleed, y1 + bleed])
