"""Lay the print edition out in parts on several cores, then join the parts.

WeasyPrint lays a document out on one core, and layout and writing are most of a
build. A book's chapters open on rectos, so a run of chapters laid out on its own
gives the same pages as inside the whole book (`book_parts`). This module lays the
runs out in worker processes, at the same time, and joins their PDFs
(`pdf_splice`). What the parts need from each other, it passes along as soon as it
is known:

1. The workers make their pages. Meanwhile this process lays out the front matter
   (title, copyright, contents) with placeholder page numbers, to learn its length.
2. Each worker reports how many pages it made and waits for its first page number
   (the pages of the parts before it) and the running-head strings in force
   (`part_layout`); then it adds folios and running heads and writes its PDF.
3. Once every run of chapters has its pages, this process lays out the back matter
   (Glossary, References, Index), whose locators are now known page numbers, and
   then the front matter again, with the real page numbers in the contents.
4. The parts are joined and finished like a whole-book PDF.

The result has the pages, text, folios, links, bookmarks and structure tree of
the whole-book layout (tests compare the two). When the book cannot be cut (one
chapter, an unexpected HTML shape, a stylesheet that needs the whole document) or
the front matter's length changes between its two layouts, `write_pdf_in_parts`
returns None and the caller lays the book out whole.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from diaspora_book.assemble import Manuscript
from diaspora_book.config import Project
from diaspora_book.errors import ToolError
from diaspora_book.processes import die_with_parent
from diaspora_book.render.book_parts import (
    INTERNAL_LINK,
    BookParts,
    split_book,
    split_css,
    unsplittable_reason,
    with_end_marker,
    with_page_numbers,
)
from diaspora_book.render.part_layout import as_book_part, hooks_available
from diaspora_book.render.pdf_finish import PdfInfo
from diaspora_book.render.pdf_splice import splice
from diaspora_book.render.pdf_structure import cached_page_references, element_languages
from diaspora_book.stylesheets import package_styles_dir, stylesheets

_ID = re.compile(r'\sid="([^"]+)"')
_PLACEHOLDER_DIGITS = 4  # contents page numbers before the real ones are known


@dataclass(frozen=True)
class PartsLayout:
    """The joined PDF's page count, where every id landed, and what the parts reported."""

    page_count: int
    anchor_pages: dict[str, int]
    parts: int  # documents laid out: front matter, runs of chapters, back matter
    warnings: list[str]
    refused: list[str]  # URLs the fetchers refused
    tagged_languages: bool  # False: this WeasyPrint is unknown to element_languages()


@dataclass
class _Part:
    """One part to lay out, and what its layout told."""

    html: str
    path: Path
    ends_early: bool  # has the end marker: its last page is dropped
    outside: frozenset[str]  # ids in other parts: links to them are kept
    first_page: int = 0  # pages before it in the book
    pages: int = 0
    strings: dict[str, str] = field(default_factory=dict)  # named strings it set last
    anchors: dict[str, int] = field(default_factory=dict)  # id -> page in the book
    warnings: list[str] = field(default_factory=list)  # WeasyPrint's
    refused: list[str] = field(default_factory=list)  # URLs the fetcher refused
    tagged: bool = True  # False: the structure tree's /Lang could not be set


def usable_cores() -> int:
    """Return how many CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def split_reason(project: Project, fmt: str, manuscript: Manuscript, jobs: int) -> str | None:
    """Return why this book is laid out whole rather than in parts, or None."""
    if jobs < 2:
        return "one process"
    if len(manuscript.chapter_ids) < 2:
        return "one chapter"
    if not hooks_available():
        return "this WeasyPrint cannot lay out a part of a book"
    texts = [path.read_text(encoding="utf-8") for path in stylesheets(project, fmt)]
    return unsplittable_reason(texts)


def write_pdf_in_parts(
    project: Project,
    manuscript: Manuscript,
    html: str,
    target: Path,
    info: PdfInfo,
    relayout: Callable[[dict[str, int]], Manuscript] | None,
    to_html: Callable[[Manuscript], str],
    jobs: int,
    press: bool = False,
) -> PartsLayout | None:
    """Lay out `html` in parts, `jobs` runs of chapters at once; join them into `target`.

    Returns None, having written nothing, when the book cannot be laid out in parts
    (see the module docstring).
    """
    parts = split_book(html, list(manuscript.chapter_ids), jobs)
    if parts is None or not parts.chapters:
        return None
    with tempfile.TemporaryDirectory(prefix="diaspora-book-parts-") as scratch:
        plan = _plan(parts, Path(scratch))
        setup = _Setup(project, info, press)
        context = multiprocessing.get_context("fork")
        front = plan[0] if parts.front else None
        back = plan[-1] if parts.back else None
        chapters = plan[1 if front else 0 : len(plan) - (1 if back else 0)]
        workers: list[tuple[Any, Connection]] = []
        try:
            for part in chapters:
                mine, theirs = context.Pipe()
                worker = context.Process(
                    target=_worker, args=(setup, part, theirs, os.getpid()), daemon=True
                )
                worker.start()
                theirs.close()
                workers.append((worker, mine))
            result = _conduct(setup, front, chapters, back, workers, manuscript, relayout, to_html)
            if result is None:
                return None
            warnings, refused, tagged = result
            page_count = splice([p.path for p in plan], target)
        finally:
            for worker, connection in workers:
                connection.close()
                worker.join(timeout=5)
                if worker.is_alive():
                    worker.kill()
    anchors: dict[str, int] = {}
    for part in plan:
        for anchor, page in part.anchors.items():
            anchors.setdefault(anchor, page)
    return PartsLayout(page_count, anchors, len(plan), warnings, refused, tagged)


def _plan(parts: BookParts, scratch: Path) -> list[_Part]:
    texts = parts.all()
    ids = [set(_ID.findall(text)) for text in texts]
    every = set().union(*ids)
    return [
        _Part(
            with_end_marker(text) if i < len(texts) - 1 else text,
            scratch / f"part-{i:03d}.pdf",
            ends_early=i < len(texts) - 1,
            outside=frozenset(every - ids[i]),
        )
        for i, text in enumerate(texts)
    ]


def _conduct(setup, front, chapters, back, workers, manuscript, relayout, to_html):
    """Run steps 1-3 of the module docstring; return (warnings, refused, tagged) or None."""
    warnings: list[str] = []
    refused: list[str] = []
    if front is not None:  # its length, with placeholder page numbers
        estimate = _Part(_placeholder_numbers(front.html), front.path, True, front.outside)
        _lay_out(setup, estimate, lambda pages, strings: (0, {}), write=False)
        front.pages, front.strings = estimate.pages, estimate.strings
    first_page, carried = (front.pages, dict(front.strings)) if front else (0, {})
    for part, (_, connection) in zip(chapters, workers, strict=True):
        message = _receive(connection)  # ("paginated", pages, strings)
        part.pages, part.strings = message[1], message[2]
        part.first_page = first_page
        connection.send((first_page, dict(carried)))
        first_page += part.pages
        carried.update(part.strings)
    for part, (_, connection) in zip(chapters, workers, strict=True):
        part.anchors = _receive(connection)[1]  # ("laid out", anchors)
    known = {a: p for part in chapters for a, p in part.anchors.items()}
    if back is not None:
        if relayout is not None:
            second = relayout(known)
            if second.markdown != manuscript.markdown:
                redone = split_book(to_html(second), list(manuscript.chapter_ids), 1)
                if redone is None or not redone.back:
                    return None
                back.html = redone.back
        back.html = with_page_numbers(back.html, known)[0]
        back.first_page = first_page
        _lay_out(setup, back, lambda pages, strings: (first_page, dict(carried)))
        known.update(back.anchors)
    if front is not None:
        estimated = front.pages
        front.html = with_page_numbers(front.html, known)[0]
        _lay_out(setup, front, lambda pages, strings: (0, {}))
        if front.pages != estimated:
            return None  # the real page numbers changed the contents' length
    tagged = True
    for _, connection in workers:
        message = _receive(connection)  # ("written", warnings, refused, tagged)
        warnings += message[1]
        refused += message[2]
        tagged = tagged and message[3]
    for part in (front, back):
        if part is not None:
            warnings += part.warnings
            refused += part.refused
            tagged = tagged and part.tagged
    return warnings, refused, tagged


def _placeholder_numbers(html: str) -> str:
    """Give every internal link the same wide page number (for the contents' length)."""
    targets = {match.group(2) for match in INTERNAL_LINK.finditer(html)}
    return with_page_numbers(html, dict.fromkeys(targets, int("8" * _PLACEHOLDER_DIGITS)))[0]


def _receive(connection: Connection):
    """Return the worker's next message; raise ToolError if it failed or died."""
    try:
        message = connection.recv()
    except EOFError:
        raise ToolError("a layout worker stopped unexpectedly") from None
    if message[0] == "failed":
        raise ToolError(f"laying out a part of the book failed: {message[1]}")
    return message


@dataclass(frozen=True)
class _Setup:
    """What every part's layout shares (built before the workers start)."""

    project: Project
    info: PdfInfo
    press: bool


def _worker(setup: _Setup, part: _Part, connection: Connection, parent: int) -> None:
    """Lay out and write one part in a worker process, talking to the parent as it goes."""
    die_with_parent(parent)
    try:

        def handshake(pages: int, strings: dict[str, str]) -> tuple[int, dict[str, str]]:
            connection.send(("paginated", pages, strings))
            return connection.recv()

        def laid_out(anchors: dict[str, int]) -> None:
            connection.send(("laid out", anchors))

        _lay_out(setup, part, handshake, on_laid_out=laid_out)
        connection.send(("written", part.warnings, part.refused, part.tagged))
    except BaseException as exc:  # reported to the parent, which raises ToolError
        detail = traceback.format_exc() if os.environ.get("DIASPORA_BOOK_DEBUG") else ""
        with contextlib.suppress(OSError):  # the parent may have stopped listening
            connection.send(("failed", f"{type(exc).__name__}: {exc}{detail}"))
    finally:
        connection.close()


def _lay_out(setup, part, handshake, *, write=True, on_laid_out=None) -> None:
    """Lay out `part` (and write its PDF); record its pages, strings and anchors on it."""
    from diaspora_book.render.fetcher import ProjectFetcher
    from diaspora_book.render.pdf import (
        captured_weasyprint_warnings,
        describe_document,
        print_stylesheets,
        weasyprint_module,
    )

    weasyprint = weasyprint_module()
    project = setup.project
    fetcher = ProjectFetcher([project.root, package_styles_dir()])

    def reported(pages: int, strings: dict[str, str]) -> tuple[int, dict[str, str]]:
        part.pages = pages - 1 if part.ends_early else pages
        part.strings = strings
        part.first_page, carried = handshake(part.pages, strings)
        return part.first_page, carried

    with captured_weasyprint_warnings() as warnings, as_book_part(reported, part.outside):
        css = print_stylesheets(project, "pdf", fetcher, press=setup.press, rewrite=split_css)
        document = weasyprint.HTML(
            string=part.html, base_url=str(project.root) + "/", url_fetcher=fetcher
        ).render(stylesheets=css)
        if part.ends_early:
            document = document.copy(document.pages[:-1])
        part.anchors = {}
        for number, page in enumerate(document.pages, start=part.first_page + 1):
            for anchor in page.anchors:
                part.anchors.setdefault(anchor, number)
        if on_laid_out is not None:
            on_laid_out(part.anchors)
        part.tagged = True
        if write:
            describe_document(document.metadata, setup.info)
            with element_languages() as tagged, cached_page_references():
                document.write_pdf(
                    part.path, pdf_tags=True, pdf_identifier=setup.info.identifier.encode()
                )
            part.tagged = tagged
    part.warnings = [w for w in warnings if not _about_outside_anchor(w, part.outside)]
    part.refused = list(fetcher.refused)


def _about_outside_anchor(message: str, outside: frozenset[str]) -> bool:
    match = re.match(r"No anchor #(.+) for internal URI reference", message)
    return match is not None and match.group(1) in outside
