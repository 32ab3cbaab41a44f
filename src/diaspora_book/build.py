"""The whole pipeline as one linear function: gather everything, then write.

`build()` reads top to bottom: convert (parse, lint, annotate every article),
assemble the manuscripts, paginate the print edition, write the PDF, write the
EPUB with the print edition's page numbers. Two frozen objects carry what the
stages share: `BuildRequest` (what to build) and `BuildContext` (the project, the
cache, progress and the diagnostics collected). Every article is parsed before
anything stops, so one run reports every broken article, not just the first.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from diaspora_book.assemble.manuscript import Manuscript, assemble
from diaspora_book.book import (
    Book,
    BuildContext,
    BuildFailed,
    CandidateNotes,
    convert_articles,
    convert_book,
    convert_noting_later,
    convert_project,
    read_articles,
)
from diaspora_book.chapters.convert import write_chapters
from diaspora_book.model import Chapter, Pagination
from diaspora_book.plumbing.cache import BuildCache
from diaspora_book.plumbing.errors import Diagnostic, Diagnostics, diagnostic_from_json
from diaspora_book.plumbing.progress import SILENT, Progress
from diaspora_book.plumbing.slug import slugify
from diaspora_book.project.config import Project
from diaspora_book.render.epub.beside import EpubBeside
from diaspora_book.render.epub.fonts import SubsetCache
from diaspora_book.render.epub.write import write_epub
from diaspora_book.render.handouts import (
    HandoutsJob,
    HandoutsReport,
    select_chapters,
    write_handouts,
)
from diaspora_book.render.kept_ast import KeptAst
from diaspora_book.render.pdf.layout import PrintJob
from diaspora_book.render.pdf.parts.conduct import usable_cores
from diaspora_book.render.pdf.press import Press, early_press
from diaspora_book.render.pdf.write import PrintLayout, paginate, write_pdf
from diaspora_book.render.print_shop.cover import write_cover
from diaspora_book.render.print_shop.interior import ShopPrint

# What the CLI and the tests use from the conversion (diaspora_book.book) as well.
__all__ = [
    "Book",
    "BuildContext",
    "BuildFailed",
    "BuildReport",
    "BuildRequest",
    "build",
    "build_handouts",
    "convert_book",
    "convert_project",
    "read_articles",
]

FORMATS = ("pdf", "epub")


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote, from what, what it found, and which stages it reused."""

    outputs: tuple[Path, ...]
    chapters: tuple[Chapter, ...]
    diagnostics: tuple[Diagnostic, ...]
    seconds: float
    ran: tuple[str, ...] = ()  # cache stages that had to run (e.g. "pdf", "chapter:articles/a.txt")
    reused: tuple[str, ...] = ()  # cache stages taken from the cache


def output_stem(project: Project) -> str:
    return slugify(project.config.title, fallback="book")


@dataclass(frozen=True)
class BuildRequest:
    """What to build: which outputs, where, and how."""

    formats: tuple[str, ...] = FORMATS  # "pdf", "epub"
    out_dir: Path | None = None  # default: the project's dist/
    strict: bool = False  # warnings fail the build
    press: bool = False  # the PDF for a print shop (`shop`, else book.yml print: shop)
    jobs: int | None = None  # processes at once; default: one per core (same output)
    shop: str = ""  # kdp, ingramspark, lulu or marks (3 mm bleed, crop marks); "": book.yml's


def cover_path(pdf: Path) -> Path:
    """Return where the full-wrap cover of the interior `pdf` goes: <stem>-cover.pdf."""
    return pdf.with_name(f"{pdf.stem}-cover.pdf")


def build(
    project: Project,
    request: BuildRequest = BuildRequest(),
    progress: Progress = SILENT,
    cache: BuildCache | None = None,
) -> BuildReport:
    """Build the book; raise BuildFailed on errors (or on warnings when `request.strict`).

    Convert, assemble, paginate (the print edition's layout), write the PDF, write
    the EPUB with the print edition's page numbers. With a `cache`, stages whose
    inputs did not change are skipped: a rebuild with nothing changed renders nothing.
    """
    started = time.perf_counter()
    with early_press() as press:  # importing WeasyPrint on the other core meanwhile
        return _build(project, request, progress, cache, press, started)


def _build(
    project: Project,
    request: BuildRequest,
    progress: Progress,
    cache: BuildCache | None,
    press: Press | None,
    started: float,
) -> BuildReport:
    run = BuildContext.start(project, cache, progress)
    with progress.stage("convert"):
        book, candidates = convert_noting_later(run)
    try:
        return _render(run, request, book, candidates, press, started)
    finally:
        candidates.cancel()


def _render(
    run: BuildContext,
    request: BuildRequest,
    book: Book,
    candidates: CandidateNotes,
    press: Press | None,
    started: float,
) -> BuildReport:
    """Render the converted book; report the glossary candidates once rendering began."""
    project = run.project
    _stop_if_strict(run, request)
    write_chapters(list(book.chapters), project.chapters_dir)
    out_dir = request.out_dir or project.dist_dir
    pdf = out_dir / f"{output_stem(project)}.pdf" if "pdf" in request.formats else None
    epub = out_dir / f"{output_stem(project)}.epub" if "epub" in request.formats else None
    manuscript = book.assemble(project, "pdf")
    jobs = request.jobs or automatic_jobs(manuscript)
    processes = request.jobs or usable_cores()  # a small book's EPUB still takes a spare core
    shop = _shop(project, request) if pdf is not None else None
    if shop is not None:
        shop.trim(project.config)  # a size the shop does not print stops the build now
    print_job = PrintJob(
        project,
        manuscript,
        relayout=partial(assemble, project, list(book.chapters), "pdf", book.notes),
        press=request.press and pdf is not None and shop is None,
        shop=shop,
        jobs=jobs,
        writers=processes,
        parts_cache=run.cache.directory / "parts" if run.cache.enabled else None,
        reuse_parts=run.cache.reuse,
        html_cache=run.cache.directory / "html" if run.cache.enabled else None,
    )
    ebook = book.assemble(project, "epub") if epub else None
    # A book laid out whole keeps one core busy once its HTML is made: the EPUB's
    # draft and the glossary candidates wait for that (`EpubBeside`, `CandidateNotes`).
    # A book in parts lays out on every core: they begin now.
    whole = jobs == 1
    if not whole:
        candidates.go()
    with contextlib.ExitStack() as stack:
        pagination = _cached_print_edition(run, print_job, pdf)
        beside: EpubBeside | None = None
        if pagination is None:
            if ebook is not None and epub is not None and processes > 1:
                # A core to spare: draft the EPUB while the print edition is laid out.
                beside = stack.enter_context(
                    EpubBeside(project, ebook, epub, _subsets(run), _kept_ast(run), held=whole)
                )

            def converted() -> None:
                if beside is not None:
                    beside.go()
                candidates.go()

            def paginated(pages: Pagination) -> None:
                if beside is not None and not _epub_kept(run, ebook, epub, pages):
                    beside.hand_over(pages)  # completed while the PDF is joined

            job = replace(print_job, paginated=paginated)
            pagination = _print_edition(run, job, pdf, press, converted)
        if ebook is not None and epub is not None:
            _epub(run, ebook, epub, pagination, beside)
    candidates.report()
    _stop_if_strict(run, request)
    cover = cover_path(pdf) if pdf is not None and shop is not None else None
    return BuildReport(
        tuple(path for path in (pdf, cover, epub) if path is not None),
        book.chapters,
        tuple(run.diagnostics),
        time.perf_counter() - started,
        ran=tuple(run.cache.misses),
        reused=tuple(run.cache.hits),
    )


# Below this much Markdown (about 60 pages), a book is laid out in one process when
# --jobs is not given: starting workers, joining their PDFs and merging font subsets
# (and a second process for the EPUB) cost more than a second core saves. Measured
# with `python -m bench` on two cores: see bench/RESULTS.md.
SMALL_BOOK_CHARACTERS = 150_000


def automatic_jobs(manuscript: Manuscript) -> int:
    """Return how many processes lay out `manuscript` when --jobs is not given.

    One per core, except for a small book, laid out faster in this process alone.
    The pages are the same either way (the parts tests); only the time differs.
    """
    if len(manuscript.markdown) < SMALL_BOOK_CHARACTERS:
        return 1
    return usable_cores()


def _shop(project: Project, request: BuildRequest) -> ShopPrint | None:
    """Return the print shop the interior is for, or None (no --print, or --print marks)."""
    if not request.press:
        return None
    key = request.shop or project.config.print.shop
    return None if key == "marks" else ShopPrint.of(key, project.config.print.paper)


def _print_stage(job: PrintJob, target: Path | None) -> tuple[str, tuple[Path, ...], str]:
    """Return the cache stage of the print edition, its outputs and its key's extra part.

    Without a target (an EPUB-only build) the print edition is laid out only for
    its pages: a stage of its own, with no output file. For a print shop the cover
    is an output of the stage too (its spine follows the page count).
    """
    if target is None:
        return "pagination", (), ""
    if job.shop is not None:
        shop = f"|shop={job.shop.shop.key}|paper={job.shop.paper}"
        return "pdf", (target, cover_path(target)), f"{target.resolve()}{shop}"
    return "pdf", (target,), f"{target.resolve()}|press={job.press}"


def _cached_print_edition(run: BuildContext, job: PrintJob, target: Path | None):
    """Return the print edition's pagination from the cache, or None if it must be laid out."""
    stage, outputs, extra = _print_stage(job, target)
    cached = run.cache.lookup(stage, run.render_key(job.manuscript, extra), outputs)
    if cached is None:
        return None
    run.diagnostics.items.extend(diagnostic_from_json(d) for d in cached["diagnostics"])
    return Pagination(cached["page_count"], cached["anchor_pages"])


def _print_edition(
    run: BuildContext,
    job: PrintJob,
    target: Path | None,
    press: Press | None = None,
    converted: Callable[[], None] | None = None,
) -> Pagination:
    """Lay out the print edition and write it to `target` (none: only paginate it);
    call `converted` once its HTML is made."""
    stage, outputs, extra = _print_stage(job, target)
    found = Diagnostics()
    with run.progress.stage("render PDF" if target else "paginate the print edition"):
        if target is None:
            layout = paginate(job, found, run.progress, press, converted)
        else:
            layout = write_pdf(job, target, found, run.progress, press, converted)
    pagination = layout.pagination
    if target is not None and job.shop is not None:
        _cover(run, job, target, layout, found)
    data = {
        "page_count": pagination.page_count,
        "anchor_pages": pagination.anchor_pages,
        "diagnostics": [d.to_json() for d in found],
    }
    run.cache.store(stage, run.render_key(job.manuscript, extra), data, outputs)
    run.diagnostics.extend(found)
    return pagination


PRINT_DPI = 300  # what the shops ask of images ("at least 300 DPI", KDP G201857950)


def _cover(
    run: BuildContext, job: PrintJob, target: Path, print_layout: PrintLayout, found: Diagnostics
) -> None:
    """Write the full-wrap cover for the interior `target`, and say what it added."""
    assert job.shop is not None
    shop = job.shop.shop
    blank = print_layout.blank_pages
    pages = print_layout.pagination.page_count + blank
    if blank:
        run.progress.note(
            f"print edition for {shop.name}: {blank} blank page{'s' if blank > 1 else ''} "
            f"added at the end ({pages} pages; {shop.name} prints at least "
            f"{shop.papers[job.shop.paper].min_pages}, and an even count)"
        )
    with run.progress.stage("render the cover"):
        layout = write_cover(
            run.project, job.shop, pages, cover_path(target), job.manuscript.description
        )
    if layout.image_dpi and layout.image_dpi < PRINT_DPI:
        found.warn(
            None,
            f"the cover image {run.project.config.cover} prints at {layout.image_dpi:.0f} dpi "
            f"on the front of the {shop.name} cover; {PRINT_DPI} dpi wants at least "
            f"{(layout.trim_width + layout.bleed) * PRINT_DPI:.0f} x "
            f"{layout.height * PRINT_DPI:.0f} pixels",
        )
    run.progress.detail(
        f"cover for {shop.name}: {layout.width:.3f} x {layout.height:.3f} in, "
        f"spine {layout.spine:.3f} in ({pages} pages, {job.shop.paper} paper)"
        + ("" if layout.spine_text else f"; no spine text below {shop.spine_text_min_pages} pages")
    )


def _epub(
    run: BuildContext,
    manuscript: Manuscript,
    target: Path,
    pagination: Pagination,
    beside: EpubBeside | None,
) -> None:
    """Write the EPUB with the print edition's pages, unless it is up to date.

    A draft made beside the print edition is completed and used; if that failed,
    the EPUB is made again here, where a failure is raised with its own message.
    """
    key = _epub_key(run, manuscript, target, pagination)
    cached = run.cache.lookup("epub", key, (target,))
    if cached is not None:  # `beside`, if any, is stopped unused on the way out
        # What the EPUB's making reported (a stylesheet rule left out) is said again.
        run.diagnostics.items.extend(diagnostic_from_json(d) for d in cached.get("diagnostics", []))
        return
    before = len(run.diagnostics.items)
    with run.progress.stage("render EPUB"):
        found = beside.complete(pagination) if beside is not None else None
        if found is None:
            write_epub(
                run.project,
                manuscript,
                target,
                pagination,
                run.diagnostics,
                _subsets(run),
                _kept_ast(run),
            )
        else:
            run.diagnostics.items.extend(found)
    reported = [d.to_json() for d in run.diagnostics.items[before:]]
    run.cache.store("epub", key, {"diagnostics": reported}, (target,))


def _epub_key(
    run: BuildContext, manuscript: Manuscript, target: Path, pagination: Pagination
) -> str:
    pages = json.dumps([pagination.page_count, pagination.anchor_pages], sort_keys=True)
    return run.render_key(manuscript, str(target.resolve()), pages)


def _epub_kept(
    run: BuildContext, manuscript: Manuscript | None, target: Path | None, pagination: Pagination
) -> bool:
    """Whether the EPUB is up to date for these pages (`_epub` would keep it)."""
    if manuscript is None or target is None:
        return False
    return run.cache.holds("epub", _epub_key(run, manuscript, target, pagination), (target,))


def _subsets(run: BuildContext) -> SubsetCache | None:
    """Where the EPUB's font subsets are kept between builds (none with the cache off)."""
    if not run.cache.enabled:
        return None
    return SubsetCache(run.cache.directory / "fonts", reuse=run.cache.reuse)


def _kept_ast(run: BuildContext) -> KeptAst | None:
    """Where pandoc's reading of the EPUB's chapters is kept between builds."""
    if not run.cache.enabled:
        return None
    return KeptAst(run.cache.directory / "ast", reuse=run.cache.reuse)


def _stop_if_strict(run: BuildContext, request: BuildRequest) -> None:
    """With --strict, stop at the first stage that recorded a warning."""
    if request.strict and run.diagnostics.warnings:
        raise BuildFailed(_strict(run.diagnostics))


def _strict(diagnostics: Diagnostics) -> Diagnostics:
    """Return the diagnostics with every warning promoted to an error (for --strict)."""
    return Diagnostics(
        [replace(d, severity="error") if d.severity == "warning" else d for d in diagnostics]
    )


def build_handouts(
    project: Project,
    slugs: list[str],
    out_dir: Path | None = None,
    jobs: int | None = None,
    strict: bool = False,
    cache: BuildCache | None = None,
) -> HandoutsReport:
    """Render a PDF handout per chapter (or per chapter in `slugs`) into dist/handouts/.

    With a `cache`, only the handouts of changed chapters are rendered again.
    """
    request = BuildRequest(out_dir=out_dir, strict=strict, jobs=jobs)
    run = BuildContext.start(project, cache)
    book = convert_articles(run)
    chapters = select_chapters(list(book.chapters), slugs)
    _stop_if_strict(run, request)
    out_dir = out_dir or project.dist_dir / "handouts"
    report = write_handouts(
        HandoutsJob(project, tuple(chapters), book.notes, run.shared, jobs),
        out_dir,
        prune=not slugs,
        cache=run.cache,
    )
    run.diagnostics.items.extend(report.diagnostics)
    _stop_if_strict(run, request)
    return replace(report, diagnostics=tuple(run.diagnostics))
