"""Per-chapter handouts: each chapter as a PDF of its own, for a class or a reading group.

A handout is the book's manuscript assembled for one chapter (`assemble(..., "handout")`):
the same template and the same chapter body as the book, with a title block naming
the book instead of the title and contents pages. Whatever back matter the template
derives from the chapters it is given (glossary entries, references) is therefore
limited to that chapter's. It is rendered with the `handout.css` layer: margins for
unbound pages, no recto starts, and a footer "page X of Y".

Handouts are independent of each other, so they are rendered in parallel processes.
"""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from diaspora_book.annotate.project import Annotations
from diaspora_book.assemble.manuscript import Manuscript, assemble
from diaspora_book.model import Chapter
from diaspora_book.plumbing.cache import BuildCache, digest, disabled
from diaspora_book.plumbing.errors import BookError, Diagnostic, Diagnostics, diagnostic_from_json
from diaspora_book.plumbing.outputs import OutputRecord, remove_scratch
from diaspora_book.plumbing.processes import build_parent, die_with_parent, start_context, stop
from diaspora_book.project.config import Project
from diaspora_book.render.cache_keys import render_key
from diaspora_book.render.pdf.layout import PrintJob, weasyprint_module
from diaspora_book.render.pdf.parts.conduct import usable_cores
from diaspora_book.render.pdf.write import write_pdf

HANDOUTS_RECORD = ".diaspora-book-handouts.json"  # which files in the folder are handouts


@dataclass(frozen=True)
class HandoutsJob:
    """The handouts to render: these chapters of this project, annotated with `notes`."""

    project: Project
    chapters: tuple[Chapter, ...]  # in book order
    notes: Annotations
    shared: str  # `cache.shared_digest(project)`, for the cache keys
    jobs: int | None = None  # handouts rendered at once; default: one per core


@dataclass(frozen=True)
class Handout:
    """One chapter's handout, written."""

    path: Path
    page_count: int


@dataclass(frozen=True)
class HandoutsReport:
    handouts: tuple[Handout, ...]  # in book order
    diagnostics: tuple[Diagnostic, ...]
    workers: int  # processes used (1: rendered in this process)
    seconds: float


def select_chapters(chapters: list[Chapter], slugs: list[str]) -> list[Chapter]:
    """Return the chapters named by `slugs` (all when empty), in book order."""
    if not slugs:
        return list(chapters)
    known = {c.slug for c in chapters}
    unknown = [s for s in slugs if s not in known]
    if unknown:
        raise BookError(
            f"no chapter '{unknown[0]}' in this book",
            hint="chapters: " + ", ".join(c.slug for c in chapters),
        )
    return [c for c in chapters if c.slug in slugs]


def handout_path(out_dir: Path, chapter: Chapter) -> Path:
    """Return where the handout of `chapter` goes: `NN-slug.pdf`, sorting in book order."""
    return out_dir / Path(chapter.filename).with_suffix(".pdf").name


def write_handouts(
    job: HandoutsJob, out_dir: Path, prune: bool = False, cache: BuildCache | None = None
) -> HandoutsReport:
    """Render one handout per chapter into `out_dir`, `job.jobs` at a time.

    With a `cache`, a handout whose manuscript, styles and tools are unchanged is not
    rendered again. With `prune`, remove handouts in `out_dir` whose chapter no longer
    exists, so an outdated handout cannot be printed by mistake; only files the tool
    recorded writing there are ever removed.
    """
    started = time.perf_counter()
    cache = cache or disabled()
    handouts: dict[str, Handout] = {}
    diagnostics: list[Diagnostic] = []
    tasks: list[PrintJob] = []
    targets: list[Path] = []
    keys: dict[str, str] = {}
    for chapter in job.chapters:
        target = handout_path(out_dir, chapter)
        manuscript = handout_manuscript(job.project, chapter, job.notes)
        key = digest(render_key(job.project, manuscript, job.shared), str(target.resolve()))
        cached = cache.lookup(f"handout:{chapter.slug}", key, (target,))
        if cached is None:
            relayout = partial(handout_manuscript, job.project, chapter, job.notes)
            tasks.append(PrintJob(job.project, manuscript, relayout))
            targets.append(target)
            keys[chapter.slug] = key
        else:
            handouts[chapter.slug] = Handout(target, cached["page_count"])
            diagnostics += [diagnostic_from_json(d) for d in cached["diagnostics"]]
    # Recorded before rendering, so an interrupted run still knows its files.
    record = OutputRecord(out_dir, HANDOUTS_RECORD)
    written = {handout_path(out_dir, chapter).name for chapter in job.chapters}
    record.save(record.names() | written)
    workers = max(1, min(job.jobs or usable_cores(), len(tasks)))
    if workers == 1:
        results = [_render(*task) for task in zip(tasks, targets, strict=True)]
    else:
        # Import WeasyPrint (and fail with the install hint) here, once: forked
        # workers inherit it instead of each paying for the import.
        weasyprint_module()
        results = _render_in_pool(workers, tasks, targets)
    for task, target, (pages, found) in zip(tasks, targets, results, strict=True):
        slug = task.manuscript.chapter_ids[0]
        handouts[slug] = Handout(target, pages)
        diagnostics += found
        data = {"page_count": pages, "diagnostics": [d.to_json() for d in found]}
        cache.store(f"handout:{slug}", keys[slug], data, (target,))
    if prune:
        _prune(record, written, out_dir)
    return HandoutsReport(
        tuple(handouts[chapter.slug] for chapter in job.chapters),
        tuple(diagnostics),
        workers if tasks else 0,
        time.perf_counter() - started,
    )


def _render_in_pool(
    workers: int, tasks: list[PrintJob], targets: list[Path]
) -> list[tuple[int, tuple[Diagnostic, ...]]]:
    """Render the handouts `workers` at a time; on Ctrl-C or a failure, stop at once.

    A pool left to shut down by itself would first render every handout queued.
    """
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=start_context(),
        initializer=die_with_parent,
        initargs=(build_parent(),),
    )
    try:
        results = list(pool.map(_render, tasks, targets))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        stop(multiprocessing.active_children())
        for target in targets:
            remove_scratch(target)
        raise
    pool.shutdown()
    return results


def _prune(record: OutputRecord, wanted: set[str], out_dir: Path) -> None:
    """Remove the handouts this tool wrote earlier for chapters that no longer exist.

    Only files named in the folder's record go: `--out` may be a folder of the
    user's own, and a file there that merely looks like a handout is theirs.
    """
    for name in sorted(record.names() - wanted):
        old = out_dir / name
        try:
            old.unlink(missing_ok=True)
        except OSError as exc:
            raise BookError(f"cannot remove the outdated handout {old}: {exc.strerror}") from None
    record.save(wanted)


def handout_manuscript(
    project: Project, chapter: Chapter, notes: Annotations, pages: dict[str, int] | None = None
) -> Manuscript:
    """Assemble the handout of one chapter: its own glossary entries and references only."""
    manuscript = assemble(project, [chapter], "handout", notes, pages)
    book = manuscript.description
    description = replace(
        book,
        title=chapter.title,
        subtitle=project.config.title,  # the PDF's subject: the book it comes from
        identifier=f"{book.identifier}#{chapter.slug}",
    )
    return replace(manuscript, description=description)


def _render(job: PrintJob, target: Path) -> tuple[int, tuple[Diagnostic, ...]]:
    """Render one handout (runs in a worker process); return its pages and diagnostics."""
    diagnostics = Diagnostics()
    layout = write_pdf(job, target, diagnostics)
    return layout.pagination.page_count, tuple(diagnostics)
