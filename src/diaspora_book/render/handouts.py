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

import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from diaspora_book.annotate.project import Annotations
from diaspora_book.assemble import Manuscript, assemble
from diaspora_book.cache import BuildCache, disabled, render_key
from diaspora_book.config import Project
from diaspora_book.errors import BookError, Diagnostic, Diagnostics, diagnostic_from_json
from diaspora_book.model import Chapter
from diaspora_book.outputs import OutputRecord
from diaspora_book.processes import die_with_parent
from diaspora_book.render.pdf import RenderedPdf, weasyprint_module, write_pdf
from diaspora_book.render.pdf_parallel import usable_cores

HANDOUTS_RECORD = ".diaspora-book-handouts.json"  # which files in the folder are handouts


@dataclass(frozen=True)
class HandoutsReport:
    handouts: tuple[RenderedPdf, ...]  # in book order
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
    project: Project,
    chapters: list[Chapter],
    notes: Annotations,
    out_dir: Path,
    jobs: int | None = None,
    prune: bool = False,
    cache: BuildCache | None = None,
) -> HandoutsReport:
    """Render one handout per chapter into `out_dir`, `jobs` at a time (default: one per core).

    With a `cache`, a handout whose manuscript, styles and tools are unchanged is not
    rendered again. With `prune`, remove handouts in `out_dir` whose chapter no longer
    exists, so an outdated handout cannot be printed by mistake; only files the tool
    recorded writing there are ever removed.
    """
    started = time.perf_counter()
    cache = cache or disabled()
    handouts: dict[str, RenderedPdf] = {}
    diagnostics: list[Diagnostic] = []
    tasks: list[tuple[Project, Chapter, Annotations, Path]] = []
    keys: dict[str, str] = {}
    for chapter in chapters:
        target = handout_path(out_dir, chapter)
        key = render_key(project, handout_manuscript(project, chapter, notes), target)
        cached = cache.lookup(f"handout:{chapter.slug}", key, (target,))
        if cached is None:
            tasks.append((project, chapter, notes, target))
            keys[chapter.slug] = key
        else:
            handouts[chapter.slug] = RenderedPdf(target, cached["page_count"], {})
            diagnostics += [diagnostic_from_json(d) for d in cached["diagnostics"]]
    # Recorded before rendering, so an interrupted run still knows its files.
    record = OutputRecord(out_dir, HANDOUTS_RECORD)
    written = {handout_path(out_dir, chapter).name for chapter in chapters}
    record.save(record.names() | written)
    workers = max(1, min(jobs or usable_cores(), len(tasks)))
    if workers == 1:
        results = [_render(*task) for task in tasks]
    else:
        # Import WeasyPrint (and fail with the install hint) here, once: forked
        # workers inherit it instead of each paying for the import.
        weasyprint_module()
        with ProcessPoolExecutor(
            max_workers=workers, initializer=die_with_parent, initargs=(os.getpid(),)
        ) as pool:
            results = list(pool.map(_render, *zip(*tasks, strict=True)))
    for (_, chapter, _, target), (pdf, found) in zip(tasks, results, strict=True):
        handouts[chapter.slug] = pdf
        diagnostics += found
        data = {"page_count": pdf.page_count, "diagnostics": [d.to_json() for d in found]}
        cache.store(f"handout:{chapter.slug}", keys[chapter.slug], data, (target,))
    if prune:
        _prune(record, written, out_dir)
    return HandoutsReport(
        tuple(handouts[chapter.slug] for chapter in chapters),
        tuple(diagnostics),
        workers if tasks else 0,
        time.perf_counter() - started,
    )


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
    metadata = {
        **manuscript.metadata,
        "title": chapter.title,
        "pagetitle": chapter.title,
        "subtitle": project.config.title,  # the PDF's subject: the book it comes from
        "identifier": f"{manuscript.metadata['identifier']}#{chapter.slug}",
    }
    return replace(manuscript, metadata=metadata)


def _render(
    project: Project, chapter: Chapter, notes: Annotations, target: Path
) -> tuple[RenderedPdf, tuple[Diagnostic, ...]]:
    """Assemble and render one handout (runs in a worker process)."""
    diagnostics = Diagnostics()
    pdf = write_pdf(
        project,
        handout_manuscript(project, chapter, notes),
        target,
        diagnostics,
        relayout=lambda pages: handout_manuscript(project, chapter, notes, pages),
    )
    return pdf, tuple(diagnostics)
