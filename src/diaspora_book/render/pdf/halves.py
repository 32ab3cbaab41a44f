"""Write a book laid out whole as two halves at once, one process each, then join them.

A small book is laid out whole, in one process (`write`); writing it (drawing every
page, subsetting the fonts, building the structure tree) came after the layout,
on one core: 0.65 s of a 3.3 s build of 10 articles, while the other core had
nothing left to do (the EPUB's draft ends during the layout). The laid-out
document is forked: the copy writes the pages from a chapter's first page on,
this process the pages before it, and the two PDFs are joined (`parts.splice`).

The book is the same as one process writes it: the same pages drawn, the same
links (a link into the other half is kept, and resolves once joined), the same
structure tree (the cut is where a chapter opens on a new page, so no element
spans it) and the same fonts. WeasyPrint subsets each face to the glyphs the
pages it writes draw, and two halves would each embed a subset of their own; so
once both have drawn their pages they tell each other their glyphs and embed the
union (`hooks.shared_font_subsets`): the program, widths and text map of the
whole write, byte for byte, and joining them has no subsets to merge.

Where the halves would disagree about a shared font (a character no font has, a
width rounded differently), where forking is unsafe (another thread runs), when
the other half fails or dies, or when joining them fails, the book is written
whole in this process.
"""

from __future__ import annotations

import contextlib
import gc
import io
import multiprocessing
import os
import signal
from collections.abc import Iterable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pikepdf

from diaspora_book.plumbing.processes import (
    BuildParent,
    build_parent,
    die_with_parent,
    fork_is_safe,
)
from diaspora_book.render.pdf.hooks import (
    FontGlyphs,
    NotShared,
    keeping_links_to,
    shared_font_subsets,
)
from diaspora_book.render.pdf.layout import Session, about_anchor_in
from diaspora_book.render.pdf.parts.splice import splice

# A half of fewer pages is not worth a process: forking, each half subsetting every
# face and joining them cost about what writing 10 pages does. Measured on two
# cores: 43 pages cut 20/23 write in 0.51-0.63 s instead of 0.78-0.86 s; 11 pages
# cut 4/7 gained nothing.
HALF_PAGES = 10


def cut_before(page_count: int, chapter_pages: Iterable[int]) -> int | None:
    """Return the index of the page the second half begins with: the first page of
    the chapter that halves the book most evenly, each half at least `HALF_PAGES`
    long; None if no chapter does. `chapter_pages`: each chapter's first page,
    numbered from 1."""
    cuts = [page - 1 for page in chapter_pages]
    fair = [cut for cut in cuts if min(cut, page_count - cut) >= HALF_PAGES]
    return min(fair, key=lambda cut: (abs(2 * cut - page_count), cut), default=None)


def write_in_halves(
    layout: Session, document: Any, landed: dict[str, int], target: Path, cut: int
) -> tuple[bool, int] | None:
    """Write `document` (whose ids landed on the pages `landed`) to `target`, its pages
    from `cut` on in a forked process, and finish it as they are joined (`Finishing`);
    return whether the structure tree was mended (as `Session.write`) and the blank
    pages finishing added, or None when the halves could not be written (nothing is
    then written: the caller writes the book whole)."""
    if not fork_is_safe():
        return None
    first_ids = frozenset(name for name, page in landed.items() if page <= cut)
    second_ids = frozenset(landed) - first_ids
    ours, theirs = multiprocessing.Pipe()
    warned = len(layout.warnings)
    parent = build_parent()
    # `os.fork`, not a multiprocessing process: the press that lays a small book out
    # is itself a daemon process, which multiprocessing forbids children.
    pid = os.fork()
    if pid == 0:  # the copy: the second half, then gone
        code = 1
        try:
            ours.close()
            code = _second_half(
                layout, document.copy(document.pages[cut:]), first_ids, theirs, parent
            )
        finally:  # never the parent's exit handlers, buffers or finally blocks
            os._exit(code)
    theirs.close()
    received = False
    try:
        first, tagged = _half(layout, document.copy(document.pages[:cut]), second_ids, ours, True)
        kind, *result = ours.recv()
        received = True
        if kind != "done":
            raise NotShared(result[0])
    except (NotShared, EOFError, OSError):
        del layout.warnings[warned:]  # the book is written again, whole
        return None
    finally:
        ours.close()
        _reap(pid, kill=not received)
    second, their_tagged, warnings, refused = result
    ignored = about_anchor_in(second_ids)
    layout.warnings[warned:] = [w for w in layout.warnings[warned:] if not ignored(w)]
    try:
        blank = splice([io.BytesIO(first), io.BytesIO(second)], target, layout.setup.finishing())
    except (pikepdf.PdfError, KeyError, ValueError):  # not OSError: a full disk is reported
        del layout.warnings[warned:]
        return None
    layout.warnings.extend(warnings)  # in page order, as one process warns
    layout.fetcher.refused.extend(refused)
    return tagged and their_tagged, blank


def _half(
    layout: Session, document: Any, elsewhere: frozenset[str], connection: Connection, first: bool
) -> tuple[bytes, bool]:
    """Write one half to bytes, its links into the other half kept and its subsets
    agreed with the other half over `connection`; return them and `Session.write`'s flag."""
    exchanged = False

    def exchange(mine: FontGlyphs) -> FontGlyphs:
        nonlocal exchanged
        if exchanged:  # a second attempt (`Session.write` without its hooks): give up
            raise NotShared("the half was written twice")
        exchanged = True
        try:  # one side sends first, so that two large messages never block each other
            if first:
                theirs = connection.recv()
                connection.send(mine)
            else:
                connection.send(mine)
                theirs = connection.recv()
        except (EOFError, OSError) as exc:
            raise NotShared("the other half stopped") from exc
        return theirs

    buffer = io.BytesIO()
    with keeping_links_to(elsewhere), shared_font_subsets(exchange, earlier=first):
        tagged = layout.write(document, buffer)
    return buffer.getvalue(), tagged


def _second_half(
    layout: Session,
    document: Any,
    elsewhere: frozenset[str],
    connection: Connection,
    parent: BuildParent,
) -> int:
    """The forked copy: write the second half, send it with what WeasyPrint warned of;
    return the exit status."""
    try:
        die_with_parent(parent)
        gc.freeze()  # what the fork shares stays shared: never collected here
        warned, refused = len(layout.warnings), len(layout.fetcher.refused)
        data, tagged = _half(layout, document, elsewhere, connection, False)
        ignored = about_anchor_in(elsewhere)
        warnings = [w for w in layout.warnings[warned:] if not ignored(w)]
        connection.send(("done", data, tagged, warnings, layout.fetcher.refused[refused:]))
        return 0
    except BaseException as exc:  # the build writes the book whole, and raises it there
        with contextlib.suppress(BaseException):
            connection.send(("failed", f"{type(exc).__name__}: {exc}"))
        return 1


def _reap(pid: int, kill: bool) -> None:
    """Wait for the forked half to end; `kill`: it may still be writing, stop it first."""
    if kill:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
