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

import contextlib
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
    WeasyPrintImport,
    session,
)
from diaspora_book.render.pdf.parts.conduct import (
    CannotSplit,
    PartsLayout,
    Workers,
    lay_out_in_parts,
    split_reason,
    weasyprint_reason,
)
from diaspora_book.render.pdf.parts.cut import back_matter_as_headings
from diaspora_book.render.pdf.press import Press, PressFailed, PressLayout
from diaspora_book.render.pdf.whole import WholeLayout


@dataclass(frozen=True)
class PrintLayout:
    """The print edition's pagination, and how many documents it was laid out as."""

    pagination: Pagination
    parts: int = 1  # 1: the whole book in one process; else front, runs of chapters, back
    blank_pages: int = 0  # added at the end for a print shop (its minimum, an even count)


def write_pdf(
    job: PrintJob,
    target: Path,
    diagnostics: Diagnostics,
    progress: Progress = SILENT,
    press: Press | None = None,
    converted: Callable[[], None] | None = None,
) -> PrintLayout:
    """Lay out `job` and write it, tagged and finished, to `target`.

    `target` is replaced only by a complete, finished PDF (`outputs.replacing`).
    For a print shop whose inside margin grows with the page count, the book is laid
    out again when it came out longer than the margin it was laid out with allows.
    A book laid out whole is laid out by `press` if given (`press`). `converted` is
    called once the print HTML is made (work held for that may begin).
    """
    with replacing(target) as scratch:
        while True:
            layout = _print(job, scratch, diagnostics, progress, press, converted)
            press = None  # it lays out one book
            shop = job.shop
            pages = layout.pagination.page_count
            if shop is None or shop.inside_margin_mm(pages) <= shop.inside_margin_mm(shop.pages):
                return layout
            progress.note(
                f"print edition: laid out again with the {shop.shop.name} inside margin "
                f"for {pages} pages ({shop.inside_margin_mm(pages):g} mm)"
            )
            job = replace(job, shop=replace(shop, pages=pages))


def paginate(
    job: PrintJob,
    diagnostics: Diagnostics,
    progress: Progress = SILENT,
    press: Press | None = None,
    converted: Callable[[], None] | None = None,
) -> PrintLayout:
    """Lay out `job` only to learn its pagination (for an EPUB-only build); write nothing."""
    return _print(job, None, diagnostics, progress, press, converted)


def _print(
    job: PrintJob,
    target: Path | None,
    diagnostics: Diagnostics,
    progress: Progress,
    press: Press | None = None,
    converted: Callable[[], None] | None = None,
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
    # None: in parts, the press (if any) their first worker. Whether this WeasyPrint
    # can is asked once it is imported, or by the press itself.
    reason = split_reason(job, weasyprint=False)
    first, press = (press, None) if reason is None else (None, press)
    if press is not None:
        press.prepare(setup)  # its stylesheets read while pandoc converts
    # Told now, the press imports what a worker needs while pandoc converts.
    adopted = first.worker(setup) if first is not None else None
    # With a press laying the book out whole, WeasyPrint is imported there; else
    # here, while pandoc converts (a book in parts waits for it to fork or lay out).
    # A rebuild of a book in parts whose press lays out the one run that changed
    # needs it nowhere else: it is imported only if needed, not beside the press.
    rebuild = adopted is not None and _has_kept_parts(job)
    importing = WeasyPrintImport(now=not rebuild) if press is None else None
    try:
        html = html_of(job.manuscript)
        if converted is not None:
            converted()
        waited = importing.wait if importing is not None else lambda: None
        if reason is None and first is None:
            waited()  # never two threads importing WeasyPrint at once
            reason = weasyprint_reason()
        parts = None
        if reason is not None:
            progress.detail(f"print edition: laid out in one process ({reason})")
        else:
            workers = Workers(adopted, waited)
            parts = _in_parts(job, setup, html, html_of, target, progress, workers)
        if parts is not None:  # finished as its parts were joined
            layout = PrintLayout(parts.pagination, parts.parts, parts.blank_pages)
            notes = parts.notes
        else:
            waited()
            pagination, notes, finished = _whole(job, setup, html, target, html_of, press, progress)
            if finished is not None:  # finished as its halves were joined
                progress.detail("print edition: written in two halves at once")
            elif target is not None:  # written whole: finished now
                finished = finish_pdf(target, setup.finishing())
            layout = PrintLayout(pagination, blank_pages=finished or 0)
        notes.report(diagnostics)
        return layout
    finally:
        if importing is not None:
            importing.settle()
        if first is not None:
            first.stop()  # done serving, or never needed (every run was kept)
        if kept is not None:
            kept.keep_only_used()


def _has_kept_parts(job: PrintJob) -> bool:
    """Whether an earlier build kept parts of a book in parts (this is likely a rebuild)."""
    if job.parts_cache is None or not job.reuse_parts:
        return False
    with contextlib.suppress(OSError):
        return any(path.suffix == ".pdf" for path in job.parts_cache.iterdir())
    return False


def _in_parts(
    job: PrintJob,
    setup: PrintSetup,
    html: str,
    html_of: Callable[[Manuscript], str],
    target: Path | None,
    progress: Progress,
    workers: Workers,
) -> PartsLayout | None:
    """Lay the book out in parts; None: it is to be laid out whole (the log says why)."""
    try:
        parts = lay_out_in_parts(job, setup, html, target, html_of, workers)
    except CannotSplit as exc:
        progress.note(f"print edition: laid out in one process, because {exc}")
        return None
    if parts.reused:
        kept = f"{parts.reused} of {parts.parts} parts kept from the last build"
        progress.detail(f"print edition: {kept}")
    if parts.first_used:
        progress.detail("print edition: the press laid out the first run to be laid out")
    return parts


def _whole(
    job: PrintJob,
    setup: PrintSetup,
    html: str,
    target: Path | None,
    html_of: Callable[[Manuscript], str],
    press: Press | None,
    progress: Progress,
) -> tuple[Pagination, RenderNotes, int | None]:
    """Lay the manuscript out as one document: in the press if there is one, else here;
    return its pagination, notes and, if it was written in two halves (`halves`) and
    finished as they were joined, the blank pages finishing added."""
    if press is not None:
        try:
            with press.whole(setup) as pressed:
                laid_out = _lay_out_whole(pressed, job, html, target, html_of)
            when = "the command" if press.ahead else "the build"
            progress.detail(f"print edition: laid out by the press, forked as {when} started")
            return laid_out
        except PressFailed as exc:
            progress.detail(f"print edition: laid out here, because the press failed ({exc})")
    with session(setup) as layout:
        return _lay_out_whole(WholeLayout(layout), job, html, target, html_of)


def _lay_out_whole(
    whole: WholeLayout | PressLayout,
    job: PrintJob,
    html: str,
    target: Path | None,
    html_of: Callable[[Manuscript], str],
) -> tuple[Pagination, RenderNotes, int | None]:
    """Lay the manuscript out (twice, when `relayout` changes it) and write it: in two
    halves at once, cut at a chapter, when the job may use two processes.

    The first layout of a book whose Glossary or Index names pages is only for the
    pages of the chapters' anchors: its back matter is laid out as headings alone
    (`back_matter_as_headings`). Should the full back matter move a chapter's anchor
    (a contents entry growing a line), it is laid out once more from the pages found.
    """
    ids = job.manuscript.chapter_ids
    draft = back_matter_as_headings(html, ids) if job.relayout is not None else None
    anchors = whole.first(draft or html)
    if job.relayout is not None:
        second = job.relayout(anchors)
        changed = second.markdown != job.manuscript.markdown  # else nothing to deduplicate
        if changed or draft is not None:
            landed = whole.again(html_of(second) if changed else html)
            if draft is not None and any(landed.get(k) != v for k, v in anchors.items()):
                third = job.relayout(landed)
                if third.markdown != second.markdown:
                    whole.again(html_of(third))
    return whole.finish(target, ids if job.writers > 1 else ())
