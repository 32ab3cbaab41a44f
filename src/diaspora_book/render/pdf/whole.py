"""A book laid out as one document: laid out, perhaps again, and written.

The whole-book layout of `write`, in steps that the press can run in its own
process (`press`) as well as the build in its. Written in two halves at once
when it is long enough and may use two processes (`halves`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from diaspora_book.model import Pagination
from diaspora_book.render.pdf.halves import cut_before, write_in_halves
from diaspora_book.render.pdf.layout import RenderNotes, Session, anchor_pages


class WholeLayout:
    """A book laid out as one document in a `Session`: laid out, perhaps again, written.

    Three steps, so that `write` can run them in its own process or in the press
    (`press`), with the build's own work (the relayout's conversion) between them.
    """

    def __init__(self, layout: Session):
        self.layout = layout
        self.css = layout.stylesheets()
        self.document: Any = None
        self.anchors: dict[str, int] = {}  # the page each id of `document` landed on

    def first(self, html: str) -> dict[str, int]:
        """Lay `html` out; return the page each id landed on."""
        self.document = self.layout.render(html, self.css)
        self.anchors = anchor_pages(self.document)
        return self.anchors

    def again(self, html: str) -> dict[str, int]:
        """Lay out `html` instead (the back matter with its page numbers); return the
        page each id landed on."""
        return self.first(html)

    def finish(
        self, target: Path | None, chapters: tuple[str, ...] = ()
    ) -> tuple[Pagination, RenderNotes, int | None]:
        """Write the last layout to `target` (None: only its pages); return its pagination,
        its notes and, if it was written in two halves at once (`halves`, cut at the
        first page of one of `chapters`; none given: never) and so already finished,
        the blank pages finishing added (None: it was written whole, unfinished)."""
        document, anchors = self.document, self.anchors
        tagged, finished = True, None
        if target is not None:
            opening = (anchors[chapter] for chapter in chapters if chapter in anchors)
            cut = cut_before(len(document.pages), opening)
            written = None
            if cut is not None:
                written = write_in_halves(self.layout, document, anchors, target, cut)
            if written is not None:
                tagged, finished = written
            else:
                tagged = self.layout.write(document, target)
        return Pagination(len(document.pages), anchors), self.layout.notes(tagged), finished
