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
import html as html_lib
import os
import pickle
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

import pikepdf

from diaspora_book.assemble.manuscript import Manuscript
from diaspora_book.model import Pagination
from diaspora_book.plumbing.kept import KeptFiles
from diaspora_book.plumbing.processes import build_parent, start_context, stop
from diaspora_book.project.stylesheets import stylesheets
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
from diaspora_book.render.pdf.parts.memo import CachedPart, PartCache
from diaspora_book.render.pdf.parts.part import (
    PartLayout,
    PartPages,
    PartSource,
    PartStart,
    lay_out_part,
)
from diaspora_book.render.pdf.parts.splice import splice
from diaspora_book.render.pdf.parts.worker import Task, serve

_ID = re.compile(r'\sid="([^"]+)"')
_PLACEHOLDER_DIGITS = 4  # contents page numbers before the real ones are known


class CannotSplit(Exception):
    """The parts cannot give the whole-book layout; lay the book out whole (the reason)."""


class PartFailed(RuntimeError):
    """A bug in a layout worker: its exception and traceback, raised in the build process."""


@dataclass(frozen=True)
class Workers:
    """How the build starts the layout workers: a worker already running (the press,
    `Press.worker`), taken before any is forked, and what to call before this process
    forks one or uses WeasyPrint itself: it waits for the build's WeasyPrint import,
    which may still run in a thread (two threads importing one package can deadlock,
    and a fork would copy the import's lock)."""

    first: tuple[Any, Connection] | None = None
    weasyprint: Callable[[], None] = lambda: None


@dataclass(frozen=True)
class PartsLayout:
    """The joined book's pagination, how many parts it was laid out in, what they noticed."""

    pagination: Pagination
    parts: int  # documents laid out: front matter, runs of chapters, back matter
    notes: RenderNotes
    reused: int = 0  # parts taken from an earlier build (`memo`)
    first_used: bool = False  # the worker already running (the press) laid out a run
    blank_pages: int = 0  # added at the end by finishing, for a print shop


def usable_cores() -> int:
    """Return how many CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def split_reason(job: PrintJob, weasyprint: bool = True) -> str | None:
    """Return why this manuscript is laid out whole rather than in parts, or None.

    `weasyprint=False` leaves out whether WeasyPrint has what a part needs
    (`weasyprint_reason`): asking imports it, which a build does in a thread while
    pandoc converts, and only then asks.
    """
    if job.manuscript.format != "pdf":
        return "a handout"
    if len(job.manuscript.chapter_ids) < 2:
        return "one chapter"
    if job.jobs < 2:
        return "one process"  # --jobs 1, or a small book (build.automatic_jobs)
    if weasyprint and (reason := weasyprint_reason()) is not None:
        return reason
    texts = [path.read_text(encoding="utf-8") for path in stylesheets(job.project, "pdf")]
    return unsplittable_reason(texts)


def weasyprint_reason() -> str | None:
    """Return why this WeasyPrint cannot lay out a part of a book, or None (it imports it)."""
    if not hooks_available():
        return "this WeasyPrint cannot lay out a part of a book"
    return None


def lay_out_in_parts(
    job: PrintJob,
    setup: PrintSetup,
    html: str,
    target: Path | None,
    html_of: Callable[[Manuscript], str] = to_html,
    workers: Workers = Workers(),
) -> PartsLayout:
    """Lay out `html` in parts, `job.jobs` runs of chapters at once; join them into `target`.

    Without a `target` the parts are laid out for their pagination only and
    nothing is written. With `job.parts_cache`, a part laid out by an earlier build
    from the same content and start is reused (`memo`). `html_of` converts the
    manuscript laid out again for the back matter's page numbers (`kept_html`
    converts only its changed pieces). `workers`: how the workers start. Raises
    `CannotSplit` (see the module docstring), having written nothing to `target`.
    """
    cut = split_book(html, list(job.manuscript.chapter_ids), job.jobs)
    if cut is None or not cut.chapters:
        raise CannotSplit("the HTML is not shaped as expected")
    memo = None
    if target is not None and job.parts_cache is not None:
        memo = PartCache.of(job.parts_cache, setup, job.reuse_parts)
    blank = 0
    with tempfile.TemporaryDirectory(prefix="diaspora-book-parts-") as scratch:
        plan = _Plan.of(cut.all(), bool(cut.front), bool(cut.back), Path(scratch), target)
        with _Pool(setup, plan, job.jobs, workers) as pool:
            conductor = _Conductor(job, setup, plan, pool, memo, html_of)
            layouts = conductor.run()
        pagination = _pagination(layouts)
        if job.paginated is not None:
            job.paginated(pagination)
        if target is not None:
            try:
                fonts = KeptFiles(memo.directory / "fonts", ".font", memo.reuse) if memo else None
                paths = [path for path in conductor.paths if path is not None]
                finishing = setup.finishing(marked=True)  # each part marked its own
                blank = splice(paths, target, finishing, fonts, setup.info.created)
            except (pikepdf.PdfError, KeyError, ValueError) as exc:  # not OSError: a full disk
                raise CannotSplit(f"joining the parts failed: {exc}") from exc
        if memo is not None:
            memo.keep_only(conductor.kept)
    notes = RenderNotes()
    for layout in layouts:
        notes += layout.notes
    return PartsLayout(pagination, len(layouts), notes, conductor.reused, pool.first_used, blank)


def _pagination(layouts: list[PartLayout]) -> Pagination:
    """The book's pages and where each id landed, from its parts' layouts."""
    anchors: dict[str, int] = {}
    for layout in layouts:
        for anchor, page in layout.anchors.items():
            anchors.setdefault(anchor, page)
    last = layouts[-1]
    return Pagination(last.start.first_page + last.pages.pages, anchors)


@dataclass(frozen=True)
class _Plan:
    """The parts in reading order, and where each is written."""

    sources: tuple[PartSource, ...]
    paths: tuple[Path | None, ...]
    has_front: bool
    has_back: bool
    scratch: Path

    @classmethod
    def of(cls, texts: list[str], front: bool, back: bool, scratch: Path, target: Path | None):
        ids = [set(_ID.findall(text)) for text in texts]
        every = set().union(*ids)
        last = len(texts) - 1
        # The ids in other parts that a part links to (only these: so a part's key, which
        # includes them, does not change when an id appears elsewhere in the book).
        linked = [{html_lib.unescape(m.group(2)) for m in INTERNAL_LINK.finditer(t)} for t in texts]
        sources = tuple(
            PartSource(
                with_end_marker(text) if i < last else text,
                i < last,
                frozenset((linked[i] & every) - ids[i]),
            )
            for i, text in enumerate(texts)
        )
        paths = tuple(scratch / f"part-{i:03d}.pdf" if target else None for i in range(len(texts)))
        return cls(sources, paths, front, back, scratch)

    @property
    def chapters(self) -> range:
        """Indexes of the runs of chapters (laid out by workers)."""
        return range(1 if self.has_front else 0, len(self.sources) - (1 if self.has_back else 0))


class _Pool:
    """Up to `jobs` worker processes, started as work comes; each takes tasks in turn."""

    def __init__(
        self,
        setup: PrintSetup,
        plan: _Plan,
        jobs: int,
        workers: Workers = Workers(),
    ):
        self.setup, self.plan, self.jobs = setup, plan, max(1, jobs)
        self.first, self.weasyprint = workers.first, workers.weasyprint
        self.first_used = False
        self.workers: list[tuple[Any, Connection]] = []
        self.load: list[int] = []  # characters of HTML given to each worker so far

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is not None:  # interrupted, or failed: the workers' pages are not wanted
            stop(worker for worker, _ in self.workers)
            return
        for _, connection in self.workers:
            with contextlib.suppress(OSError):
                connection.send(None)
        for worker, connection in self.workers:
            connection.close()
            worker.join(timeout=5)
            if worker.is_alive():
                worker.kill()

    def give(self, index: int) -> Connection:
        """Send run `index` to the least loaded worker (a new one while fewer than `jobs`)."""
        plan = self.plan
        source = plan.scratch / f"source-{index:03d}.pickle"
        source.write_bytes(pickle.dumps(plan.sources[index]))
        if len(self.workers) < self.jobs and (not self.load or min(self.load) > 0):
            self.workers.append(self._start())
            self.load.append(0)
        chosen = min(range(len(self.workers)), key=lambda w: self.load[w])
        self.load[chosen] += len(plan.sources[index].html)
        connection = self.workers[chosen][1]
        connection.send(Task(index, source, plan.paths[index]))
        return connection

    def _start(self) -> tuple[Any, Connection]:
        """Take the worker already running if there is one, else fork one."""
        adopted, self.first = self.first, None
        if adopted is not None:
            self.first_used = True
            return adopted
        self.weasyprint()
        context = start_context()
        mine, theirs = context.Pipe()
        args = (self.setup, theirs, build_parent())
        worker = context.Process(target=serve, args=args, daemon=True)
        worker.start()
        theirs.close()
        return worker, mine

    def done(self, connection: Connection, index: int) -> None:
        """Note that a worker finished run `index`."""
        for w, (_, mine) in enumerate(self.workers):
            if mine is connection:
                self.load[w] -= len(self.plan.sources[index].html)


class _Conductor:
    """Steps 1-3 of the module docstring, in the build process."""

    def __init__(
        self,
        job: PrintJob,
        setup: PrintSetup,
        plan: _Plan,
        pool: _Pool,
        memo: PartCache | None,
        html_of: Callable[[Manuscript], str],
    ):
        self.job, self.setup, self.plan, self.pool, self.memo = job, setup, plan, pool, memo
        self.html_of = html_of
        count = len(plan.sources)
        self.pages: list[PartPages | None] = [None] * count
        self.starts: list[PartStart | None] = [None] * count
        self.anchors: list[dict[str, int] | None] = [None] * count
        self.layouts: list[PartLayout | None] = [None] * count
        self.cached: list[CachedPart | None] = [None] * count
        self.paths: list[Path | None] = list(plan.paths)  # a reused part: the kept PDF
        self.busy: dict[int, Connection] = {}  # run -> the worker laying it out
        self.waiting: set[int] = set()  # runs whose worker waits for their start
        self.kept: list[str] = []  # cache keys of the parts this build laid out or reused
        self.reused = 0
        self.back_start = PartStart(0)

    def run(self) -> list[PartLayout]:
        """Return every part's layout, in reading order."""
        plan = self.plan
        for index in plan.chapters:
            cached = self.memo.lookup(plan.sources[index]) if self.memo else None
            if cached is None:
                self._give(index)
            else:  # its pages are known; whether its start is too, `_advance` tells
                self.cached[index], self.pages[index] = cached, cached.layout.pages
        front_source = plan.sources[0] if plan.has_front else None
        self.front_pages = PartPages(0)
        if front_source is not None:  # its length, with placeholder page numbers
            estimate = replace(front_source, html=_placeholder_numbers(front_source.html))
            self.front_pages = self._front_length(estimate)
        self._advance()
        while any(self.anchors[i] is None for i in plan.chapters):
            self._handle(*self._next_message())
        known: dict[str, int] = {}
        for index in plan.chapters:
            known.update(self.anchors[index] or {})
        back = self._back_matter(known, self.back_start) if plan.has_back else None
        if back is not None:
            known.update(back.anchors)
        front = None
        if front_source is not None:
            html = with_page_numbers(front_source.html, known)[0]
            # Kept whatever the date: `splice` gives the book this build's date.
            front = self._lay_out_kept(0, replace(front_source, html=html), PartStart(0))
            if front.pages.pages != self.front_pages.pages:
                raise CannotSplit("the contents changed length with their real page numbers")
        while any(self.layouts[i] is None for i in plan.chapters):
            self._handle(*self._next_message())
        chapters = [self.layouts[i] for i in plan.chapters]
        return [layout for layout in (front, *chapters, back) if layout is not None]

    def _front_length(self, estimate: PartSource) -> PartPages:
        """Return the front matter's pages with placeholder numbers (kept from a build before)."""
        known = self.memo.pages(estimate) if self.memo is not None else None
        if known is None:
            known = self._lay_out(estimate, PartStart(0), None).pages
            if self.memo is not None:
                self.memo.store_pages(estimate, known)
        if self.memo is not None:
            self.kept.append(self.memo.key(estimate, "pages"))
        return known

    def _give(self, index: int) -> None:
        self.busy[index] = self.pool.give(index)

    def _advance(self) -> None:
        """Tell every run whose start is now known; reuse or lay out the kept ones."""
        start = PartStart(self.front_pages.pages, dict(self.front_pages.strings))
        for index in self.plan.chapters:
            if self.starts[index] is None:
                self.starts[index] = start
                self._started(index)
            pages = self.pages[index]
            if pages is None:
                return
            start = PartStart(start.first_page + pages.pages, {**start.strings, **pages.strings})
        self.back_start = start

    def _started(self, index: int) -> None:
        start, cached = self.starts[index], self.cached[index]
        if index in self.waiting:
            self.waiting.discard(index)
            self.busy[index].send(start)
        elif cached is not None and index not in self.busy and self.layouts[index] is None:
            if cached.layout.start == start:
                self._reuse(index, self._key(self.plan.sources[index]), cached)
            else:  # the same pages, numbered from elsewhere: laid out again
                self._give(index)

    def _reuse(self, index: int, key: str, cached: CachedPart) -> PartLayout:
        self.layouts[index] = cached.layout
        self.anchors[index] = cached.layout.anchors
        self.paths[index] = cached.pdf
        self.kept.append(key)
        self.reused += 1
        return cached.layout

    def _key(self, source: PartSource, extra: str = "") -> str:
        return self.memo.key(source, extra) if self.memo is not None else ""

    def _next_message(self) -> tuple[Connection, tuple]:
        """Wait for the next message of any worker under way."""
        connections = list({id(c): c for c in self.busy.values()}.values())
        if not connections:
            raise CannotSplit("no layout worker is left to finish the book")
        ready = wait(connections)[0]
        assert isinstance(ready, Connection)
        return ready, _receive(ready)

    def _handle(self, connection: Connection, message: tuple) -> None:
        kind, index, payload = message
        if kind == "paginated":
            if self.pages[index] is not None and self.pages[index] != payload:
                raise CannotSplit("a kept part changed length")
            self.pages[index] = payload
            if self.starts[index] is None:
                self.waiting.add(index)
            else:
                connection.send(self.starts[index])
            self._advance()
        elif kind == "laid out":
            self.anchors[index] = payload
        elif kind == "written":
            self.layouts[index] = payload
            self.pool.done(connection, index)
            del self.busy[index]
            path = self.paths[index]
            if self.memo is not None and path is not None:
                self.kept.append(self.memo.store(self.plan.sources[index], payload, path))

    def _back_matter(self, known: dict[str, int], start: PartStart) -> PartLayout:
        """Lay out the Glossary, References and Index with the chapters' page numbers."""
        source = self.plan.sources[-1]
        job = self.job
        if job.relayout is not None:
            second = job.relayout(known)
            if second.markdown != job.manuscript.markdown:
                redone = split_book(self.html_of(second), list(job.manuscript.chapter_ids), 1)
                if redone is None or not redone.back:
                    raise CannotSplit("the back matter could not be cut again")
                source = replace(source, html=redone.back)
        source = replace(source, html=with_page_numbers(source.html, known)[0])
        return self._lay_out_kept(len(self.plan.sources) - 1, source, start)

    def _lay_out_kept(self, index: int, source: PartSource, start: PartStart) -> PartLayout:
        """Lay out part `index` in this process, unless it was kept with this start."""
        cached = self.memo.lookup(source) if self.memo else None
        if cached is not None and cached.layout.start == start:
            return self._reuse(index, self._key(source), cached)
        path = self.plan.paths[index]
        layout = self._lay_out(source, start, path)
        if self.memo is not None and path is not None:
            self.kept.append(self.memo.store(source, layout, path))
        return layout

    def _lay_out(self, source: PartSource, start: PartStart, path: Path | None) -> PartLayout:
        """Lay out (and write, given a `path`) a part in this process."""
        self.pool.weasyprint()
        try:
            return lay_out_part(self.setup, source, lambda pages: start, path)
        except HookFailed as exc:
            raise CannotSplit(f"a layout hook failed: {exc}") from exc


def _placeholder_numbers(html: str) -> str:
    """Give every internal link the same wide page number (for the contents' length)."""
    targets = {match.group(2) for match in INTERNAL_LINK.finditer(html)}
    return with_page_numbers(html, dict.fromkeys(targets, int("8" * _PLACEHOLDER_DIGITS)))[0]


def _receive(connection: Connection) -> tuple:
    """Return the worker's next message; raise what it failed with."""
    try:
        message = connection.recv()
    except (EOFError, ConnectionResetError):
        raise CannotSplit("a layout worker stopped unexpectedly") from None
    if message[0] == "hook failed":
        raise CannotSplit(f"a layout hook failed: {message[2]}")
    if message[0] == "book error":
        raise message[2]
    if message[0] == "failed":
        raise PartFailed(f"a layout worker failed: {message[2]}")
    return message
