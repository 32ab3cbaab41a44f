"""Lay out the print manuscript and write the PDF: in parts on several cores, or whole.

pandoc makes the HTML (`render.html`), WeasyPrint lays it out (`layout`), either as
one document or in parts at once (`parts`), and a finishing pass completes the
tagged PDF (`finish`). The two layouts give the same book; the parts are only
faster. When the parts cannot give it (see `parts.conduct`), the book is laid out
whole and the log says why.

The PDF is tagged (a structure tree of headings, paragraphs, lists and tables, with
the language of every foreign run), declares PDF/UA-1, carries its metadata in
the Info dictionary and in XMP, and has bookmarks that follow the headings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from diaspora_book.assemble.manuscript import Manuscript
from diaspora_book.model import Pagination
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.plumbing.outputs import replacing
from diaspora_book.plumbing.progress import SILENT, Progress
from diaspora_book.render.html import to_html
from diaspora_book.render.kept_html import kept_html
from diaspora_book.render.pdf.finish import PdfInfo, finish_pdf
from diaspora_book.render.pdf.layout import (
    PrintJob,
    PrintSetup,
    RenderNotes,
    anchor_pages,
    importing_weasyprint,
    session,
)
from diaspora_book.render.pdf.parts.conduct import CannotSplit, lay_out_in_parts, split_reason


@dataclass(frozen=True)
class PrintLayout:
    """The print edition's pagination, and how many documents it was laid out as."""

    pagination: Pagination
    parts: int = 1  # 1: the whole book in one process; else front, runs of chapters, back
    blank_pages: int = 0  # added at the end for a print shop (its minimum, an even count)


def write_pdf(
    job: PrintJob, target: Path, diagnostics: Diagnostics, progress: Progress = SILENT
) -> PrintLayout:
    """Lay out `job` and write it, tagged and finished, to `target`.

    `target` is replaced only by a complete, finished PDF (`outputs.replacing`).
    For a print shop whose inside margin grows with the page count, the book is laid
    out again when it came out longer than the margin it was laid out with allows.
    """
    with replacing(target) as scratch:
        while True:
            layout = _print(job, scratch, diagnostics, progress)
            shop = job.shop
            pages = layout.pagination.page_count
            if shop is None or shop.inside_margin_mm(pages) <= shop.inside_margin_mm(shop.pages):
                return layout
            progress.note(
                f"print edition: laid out again with the {shop.shop.name} inside margin "
                f"for {pages} pages ({shop.inside_margin_mm(pages):g} mm)"
            )
            job = replace(job, shop=replace(shop, pages=pages))


def paginate(job: PrintJob, diagnostics: Diagnostics, progress: Progress = SILENT) -> PrintLayout:
    """Lay out `job` only to learn its pagination (for an EPUB-only build); write nothing."""
    return _print(job, None, diagnostics, progress)


def _print(
    job: PrintJob, target: Path | None, diagnostics: Diagnostics, progress: Progress
) -> PrintLayout:
    setup = PrintSetup(
        job.project,
        job.manuscript.format,
        PdfInfo.of(job.manuscript.description),
        job.press,
        job.shop,
    )
    kept = kept_html(job)
    html_of = kept.to_html if kept is not None else to_html
    with importing_weasyprint():
        html = html_of(job.manuscript)
    try:
        return _laid_out(job, setup, html, html_of, target, diagnostics, progress)
    finally:
        if kept is not None:
            kept.keep_only_used()


def _laid_out(
    job: PrintJob,
    setup: PrintSetup,
    html: str,
    html_of: Callable[[Manuscript], str],
    target: Path | None,
    diagnostics: Diagnostics,
    progress: Progress,
) -> PrintLayout:
    reason = split_reason(job)
    if reason is None:
        try:
            parts = lay_out_in_parts(job, setup, html, target, html_of)
        except CannotSplit as exc:
            progress.note(f"print edition: laid out in one process, because {exc}")
        else:
            blank = 0
            if target is not None:
                blank = finish_pdf(target, setup.info, press=job.press, shop=job.shop)
            if parts.reused:
                progress.detail(
                    f"print edition: {parts.reused} of {parts.parts} parts kept from the last build"
                )
            parts.notes.report(diagnostics)
            return PrintLayout(parts.pagination, parts.parts, blank)
    else:
        progress.detail(f"print edition: laid out in one process ({reason})")
    pagination, notes = _whole(job, setup, html, target, html_of)
    blank = 0
    if target is not None:
        blank = finish_pdf(target, setup.info, press=job.press, shop=job.shop)
    notes.report(diagnostics)
    return PrintLayout(pagination, blank_pages=blank)


def _whole(
    job: PrintJob,
    setup: PrintSetup,
    html: str,
    target: Path | None,
    html_of: Callable[[Manuscript], str],
) -> tuple[Pagination, RenderNotes]:
    """Lay the manuscript out as one document (twice, when `relayout` changes it)."""
    with session(setup) as layout:
        css = layout.stylesheets()
        document = layout.render(html, css)
        if job.relayout is not None:
            second = job.relayout(anchor_pages(document))
            if second.markdown != job.manuscript.markdown:  # else nothing to deduplicate
                document = layout.render(html_of(second), css)
        tagged = layout.write(document, target) if target is not None else True
    return Pagination(len(document.pages), anchor_pages(document)), layout.notes(tagged)
