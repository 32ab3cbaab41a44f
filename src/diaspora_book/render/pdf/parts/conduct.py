"""Lay the print edition out in parts on several cores, then join the parts.

WeasyPrint lays a document out on one core, and layout and writing are most of a
build. A book's chapters open on rectos, so a run of chapters laid out on its own
gives the same pages as inside the whole book (`cut`). This module lays the runs
out in worker processes, at the same time (`part.lay_out_part`), and joins their
PDFs (`splice`). What the parts need from each other, it passes along as soon as
it is known:

1. The workers make their pages. Meanwhile this process lays out the front matter
   (title, copyright, contents) with placeholder page numbers, to learn its length.
2. Each worker reports its `PartPages` and waits for its `PartStart` (the pages of
   the parts before it, the running-head strings in force); then it adds folios
   and running heads and writes its PDF.
3. Once every run of chapters has its pages, this process lays out the back matter
   (Glossary, References, Index), whose locators are now known page numbers, and
   then the front matter again, with the real page numbers in the contents.
4. The parts are joined and finished like a whole-book PDF.

The result has the pages, text, folios, links, bookmarks and structure tree of
the whole-book layout (tests compare the two). When the parts cannot give that
(an unexpected HTML shape, the front matter's length changing between its two
layouts, a layout hook meeting an unknown WeasyPrint, a splice failing, a worker
dying) `lay_out_in_parts` raises `CannotSplit` and the caller lays the book out
whole. A worker's own bug is raised as `PartFailed`, and a problem with the
user's input as the `BookError` it is: neither is papered over.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import tempfile
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pikepdf

from diaspora_book.errors import BookError
from diaspora_book.model import Pagination
from diaspora_book.outputs import cannot_write
from diaspora_book.processes import die_with_parent, stop
from diaspora_book.render.html import to_html
from diaspora_book.render.pdf.hooks import HookFailed, hooks_available
from diaspora_book.render.pdf.layout import PrintJob, PrintSetup, RenderNotes
from diaspora_book.render.pdf.parts.cut import (
    INTERNAL_LINK,
    split_book,
    unsplittable_reason,
    with_end_marker,
    with_page_numbers,
)
from diaspora_book.render.pdf.parts.part import (
    PartLayout,
    PartPages,
    PartSource,
    PartStart,
    lay_out_part,
)
from diaspora_book.render.pdf.parts.splice import splice
from diaspora_book.stylesheets import stylesheets

_ID = re.compile(r'\sid="([^"]+)"')
_PLACEHOLDER_DIGITS = 4  # contents page numbers before the real ones are known


class CannotSplit(Exception):
    """The parts cannot give the whole-book layout; lay the book out whole (the reason)."""


class PartFailed(RuntimeError):
    """A bug in a layout worker: its exception and traceback, raised in the build process."""


@dataclass(frozen=True)
class PartsLayout:
    """The joined book's pagination, how many parts it was laid out in, what they noticed."""

    pagination: Pagination
    parts: int  # documents laid out: front matter, runs of chapters, back matter
    notes: RenderNotes


def usable_cores() -> int:
    """Return how many CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def split_reason(job: PrintJob) -> str | None:
    """Return why this manuscript is laid out whole rather than in parts, or None."""
    if job.manuscript.format != "pdf":
        return "a handout"
    if job.jobs < 2:
        return "one process"
    if len(job.manuscript.chapter_ids) < 2:
        return "one chapter"
    if not hooks_available():
        return "this WeasyPrint cannot lay out a part of a book"
    texts = [path.read_text(encoding="utf-8") for path in stylesheets(job.project, "pdf")]
    return unsplittable_reason(texts)


def lay_out_in_parts(
    job: PrintJob, setup: PrintSetup, html: str, target: Path | None
) -> PartsLayout:
    """Lay out `html` in parts, `job.jobs` runs of chapters at once; join them into `target`.

    Without a `target` the parts are laid out for their pagination only and
    nothing is written. Raises `CannotSplit` (see the module docstring), having
    written nothing to `target`.
    """
    cut = split_book(html, list(job.manuscript.chapter_ids), job.jobs)
    if cut is None or not cut.chapters:
        raise CannotSplit("the HTML is not shaped as expected")
    with tempfile.TemporaryDirectory(prefix="diaspora-book-parts-") as scratch:
        plan = _Plan.of(cut.all(), bool(cut.front), bool(cut.back), Path(scratch), target)
        with _workers(setup, plan) as workers:
            layouts = _Conductor(job, setup, plan, workers).run()
        if target is not None:
            try:
                splice([path for path in plan.paths if path is not None], target)
            except (pikepdf.PdfError, KeyError, ValueError) as exc:  # not OSError: a full disk
                raise CannotSplit(f"joining the parts failed: {exc}") from exc
    anchors: dict[str, int] = {}
    notes = RenderNotes()
    for layout in layouts:
        for anchor, page in layout.anchors.items():
            anchors.setdefault(anchor, page)
        notes += layout.notes
    last = layouts[-1]
    page_count = last.start.first_page + last.pages.pages
    return PartsLayout(Pagination(page_count, anchors), len(layouts), notes)


@dataclass(frozen=True)
class _Plan:
    """The parts in reading order, and where each is written."""

    sources: tuple[PartSource, ...]
    paths: tuple[Path | None, ...]
    has_front: bool
    has_back: bool

    @classmethod
    def of(cls, texts: list[str], front: bool, back: bool, scratch: Path, target: Path | None):
        ids = [set(_ID.findall(text)) for text in texts]
        every = set().union(*ids)
        last = len(texts) - 1
        sources = tuple(
            PartSource(
                with_end_marker(text) if i < last else text, i < last, frozenset(every - ids[i])
            )
            for i, text in enumerate(texts)
        )
        paths = tuple(scratch / f"part-{i:03d}.pdf" if target else None for i in range(len(texts)))
        return cls(sources, paths, front, back)

    @property
    def chapters(self) -> range:
        """Indexes of the runs of chapters (laid out by workers)."""
        return range(1 if self.has_front else 0, len(self.sources) - (1 if self.has_back else 0))


@contextlib.contextmanager
def _workers(setup: PrintSetup, plan: _Plan) -> Iterator[list[Connection]]:
    """Start a worker per run of chapters; yield the connections; stop them all after."""
    context = multiprocessing.get_context("fork")
    started: list[tuple[Any, Connection]] = []
    try:
        for index in plan.chapters:
            mine, theirs = context.Pipe()
            args = (setup, plan.sources[index], plan.paths[index], theirs, os.getpid())
            worker = context.Process(target=_worker, args=args, daemon=True)
            worker.start()
            theirs.close()
            started.append((worker, mine))
        yield [connection for _, connection in started]
    except BaseException:  # interrupted, or failed: the workers' pages are not wanted
        stop(worker for worker, _ in started)
        raise
    finally:
        for worker, connection in started:
            connection.close()
            worker.join(timeout=5)
            if worker.is_alive():
                worker.kill()


class _Conductor:
    """Steps 1-3 of the module docstring, in the build process."""

    def __init__(self, job: PrintJob, setup: PrintSetup, plan: _Plan, workers: list[Connection]):
        self.job, self.setup, self.plan, self.workers = job, setup, plan, workers

    def run(self) -> list[PartLayout]:
        """Return every part's layout, in reading order."""
        plan = self.plan
        front_source = plan.sources[0] if plan.has_front else None
        front_pages = PartPages(0)
        if front_source is not None:  # its length, with placeholder page numbers
            estimate = replace(front_source, html=_placeholder_numbers(front_source.html))
            front_pages = self._lay_out(estimate, PartStart(0), None).pages
        start = PartStart(front_pages.pages, dict(front_pages.strings))
        for connection in self.workers:
            pages = _receive(connection)[1]  # ("paginated", PartPages)
            connection.send(start)
            start = PartStart(start.first_page + pages.pages, {**start.strings, **pages.strings})
        known: dict[str, int] = {}
        for connection in self.workers:
            known.update(_receive(connection)[1])  # ("laid out", anchors)
        back = self._back_matter(known, start) if plan.has_back else None
        if back is not None:
            known.update(back.anchors)
        front = None
        if front_source is not None:
            html = with_page_numbers(front_source.html, known)[0]
            front = self._lay_out(replace(front_source, html=html), PartStart(0), plan.paths[0])
            if front.pages.pages != front_pages.pages:
                raise CannotSplit("the contents changed length with their real page numbers")
        chapters = [_receive(connection)[1] for connection in self.workers]  # ("written", ...)
        return [layout for layout in (front, *chapters, back) if layout is not None]

    def _back_matter(self, known: dict[str, int], start: PartStart) -> PartLayout:
        """Lay out the Glossary, References and Index with the chapters' page numbers."""
        source = self.plan.sources[-1]
        job = self.job
        if job.relayout is not None:
            second = job.relayout(known)
            if second.markdown != job.manuscript.markdown:
                redone = split_book(to_html(second), list(job.manuscript.chapter_ids), 1)
                if redone is None or not redone.back:
                    raise CannotSplit("the back matter could not be cut again")
                source = replace(source, html=redone.back)
        source = replace(source, html=with_page_numbers(source.html, known)[0])
        return self._lay_out(source, start, self.plan.paths[-1])

    def _lay_out(self, source: PartSource, start: PartStart, path: Path | None) -> PartLayout:
        """Lay out (and write, given a `path`) a part in this process."""
        try:
            return lay_out_part(self.setup, source, lambda pages: start, path)
        except HookFailed as exc:
            raise CannotSplit(f"a layout hook failed: {exc}") from exc


def _placeholder_numbers(html: str) -> str:
    """Give every internal link the same wide page number (for the contents' length)."""
    targets = {match.group(2) for match in INTERNAL_LINK.finditer(html)}
    return with_page_numbers(html, dict.fromkeys(targets, int("8" * _PLACEHOLDER_DIGITS)))[0]


def _receive(connection: Connection):
    """Return the worker's next message; raise what it failed with."""
    try:
        message = connection.recv()
    except EOFError:
        raise CannotSplit("a layout worker stopped unexpectedly") from None
    if message[0] == "hook failed":
        raise CannotSplit(f"a layout hook failed: {message[1]}")
    if message[0] == "book error":
        raise message[1]
    if message[0] == "failed":
        raise PartFailed(f"a layout worker failed: {message[1]}")
    return message


def _worker(
    setup: PrintSetup,
    source: PartSource,
    path: Path | None,
    connection: Connection,
    parent: int,
) -> None:
    """Lay out and write one run of chapters in a worker process, talking to the parent."""
    die_with_parent(parent)
    try:

        def start(pages: PartPages) -> PartStart:
            connection.send(("paginated", pages))
            return connection.recv()

        def laid_out(anchors: dict[str, int]) -> None:
            connection.send(("laid out", anchors))

        layout = lay_out_part(setup, source, start, path, on_anchors=laid_out)
        connection.send(("written", layout))
    except HookFailed as exc:
        _tell(connection, ("hook failed", str(exc)))
    except BookError as exc:  # e.g. a missing library: the user's to fix, with its hint
        _tell(connection, ("book error", exc))
    except OSError as exc:  # e.g. a full disk where the part is written
        _tell(connection, ("book error", cannot_write(path or Path(tempfile.gettempdir()), exc)))
    except Exception as exc:  # a bug: the parent raises it with this traceback
        _tell(connection, ("failed", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
    finally:
        connection.close()


def _tell(connection: Connection, message: tuple) -> None:
    with contextlib.suppress(OSError):  # the parent may have stopped listening
        connection.send(message)
