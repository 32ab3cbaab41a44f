"""Lay out one part of the book: a function of its content, its first page and the running heads.

A part (front matter, a run of chapters, back matter; see `cut`) is laid out on
its own, as if the pages before it were there. Its pages depend only on its own
HTML (every part opens on a recto); what the pages before it decide is the number
its folios start from and the running-head strings in force when it opens
(`PartStart`). WeasyPrint needs those only after it has made the pages, so the
start is asked for then, told the part's own `PartPages`: the parts before it may
still be under way in other processes. A cache of part layouts (the incremental
print edition) keys a part by its `PartSource` and its `PartStart`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from diaspora_book.render.pdf.finish import pdf_bytes
from diaspora_book.render.pdf.hooks import as_book_part
from diaspora_book.render.pdf.layout import (
    PrintSetup,
    RenderNotes,
    about_anchor_in,
    anchor_pages,
    session,
)
from diaspora_book.render.pdf.parts.cut import split_css
from diaspora_book.render.pdf.structure import mark_furniture_as_artifacts


@dataclass(frozen=True)
class PartSource:
    """One part's content: a standalone HTML document cut from the book."""

    html: str
    ends_early: bool  # has the end marker (`cut.with_end_marker`): its last page is dropped
    outside: frozenset[str] = frozenset()  # ids in other parts: links to them are kept


@dataclass(frozen=True)
class PartPages:
    """What a part's own pages tell the parts after it."""

    pages: int
    strings: dict[str, str] = field(default_factory=dict, hash=False)  # named strings set last


@dataclass(frozen=True)
class PartStart:
    """What the pages before a part decide about it."""

    first_page: int  # pages before it in the book
    strings: dict[str, str] = field(default_factory=dict, hash=False)  # in force as it opens


@dataclass(frozen=True)
class PartLayout:
    """A part laid out (and written, when it was given a path)."""

    pages: PartPages
    start: PartStart
    anchors: dict[str, int] = field(hash=False)  # id -> page in the book
    notes: RenderNotes = RenderNotes()


Start = Callable[[PartPages], PartStart]
"""Told a part's own pages, return where it starts (may wait for the parts before it)."""


def lay_out_part(
    setup: PrintSetup,
    source: PartSource,
    start: Start,
    path: Path | None = None,
    on_anchors: Callable[[dict[str, int]], None] | None = None,
) -> PartLayout:
    """Lay out `source` as a part of the book, starting where `start` says; write it to `path`.

    `on_anchors` hears where every id landed as soon as the layout is done, before
    the (slower) write. Without a `path` nothing is written.
    """
    told: list[tuple[PartPages, PartStart]] = []

    def handshake(made: int, strings: dict[str, str]) -> tuple[int, dict[str, str]]:
        pages = PartPages(made - 1 if source.ends_early else made, strings)
        opening = start(pages)
        told.append((pages, opening))
        return opening.first_page, dict(opening.strings)

    with session(setup) as layout, as_book_part(handshake, source.outside):
        document = layout.render(source.html, layout.stylesheets(rewrite=split_css))
        if source.ends_early:
            document = document.copy(document.pages[:-1])
        if not told:  # a document with no page has no margin box to ask from
            handshake(len(document.pages) + source.ends_early, {})
        pages, opening = told[0]
        anchors = anchor_pages(document, opening.first_page + 1)
        if on_anchors is not None:
            on_anchors(anchors)
        tagged = layout.write(document, path) if path is not None else True
    if path is not None:
        _mark_furniture(path)
    notes = layout.notes(tagged, about_anchor_in(source.outside))
    return PartLayout(pages, opening, anchors, notes)


def _mark_furniture(path: Path) -> None:
    """Make the part's running heads, folios and leaders artifacts while it is on its own.

    The finishing pass would do it for the joined book (`structure`), reading every
    page's content; done here it runs in the workers, at once, and is kept with the
    part's layout for the next build, so the joined book has nothing left to mark
    and its finishing does not look (`Finishing(marked=True)`).
    """
    with pikepdf.open(path) as pdf:
        if not mark_furniture_as_artifacts(pdf):
            return
        data = pdf_bytes(pdf, deterministic_id=True)
    path.write_bytes(data)
