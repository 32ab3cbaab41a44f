"""Keep each part's layout for the next build: the incremental print edition.

A part's layout is a function of its content and its start (`part`): the same
HTML, opening on the same page with the same running heads in force, under the
same stylesheets, fonts and tool, gives the same PDF. So each part laid out is
kept in `.cache/diaspora-book/parts/` under a key of its content and setup, with
the start it was laid out from; the next build reuses it when both match, and
knows its page count (so where the parts after it start) even when only the
start differs. The runs of chapters are cut where the chapters' ids say
(`cut.stable_runs`), so editing one article changes one run.

Everything is written through `outputs` (a scratch file renamed into place), and
a build keeps only the parts it used.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diaspora_book.plumbing.cache import digest, file_digest, tool_fingerprint
from diaspora_book.plumbing.outputs import write_bytes, write_text
from diaspora_book.render.pdf.layout import PrintSetup, RenderNotes, stylesheet_texts
from diaspora_book.render.pdf.parts.part import PartLayout, PartPages, PartSource, PartStart


@dataclass(frozen=True)
class CachedPart:
    """A part laid out by an earlier build: its layout and its PDF."""

    layout: PartLayout
    pdf: Path


@dataclass(frozen=True)
class PartCache:
    """The kept layouts of parts of books laid out with one setup."""

    directory: Path
    setup_key: str  # digest of the stylesheets, fonts, tool and the book's description
    reuse: bool = True  # False (--no-cache): read nothing, still keep this build's parts

    @classmethod
    def of(cls, directory: Path, setup: PrintSetup, reuse: bool = True) -> PartCache:
        """Return the cache in `directory` for parts laid out with `setup`."""
        from diaspora_book.project.fonts import installed_fonts_digest

        info = setup.info
        layers = [text for text, _ in stylesheet_texts(setup)]
        key = digest(
            setup.fmt,
            str(setup.press) + (f"|{setup.shop!r}" if setup.shop else ""),
            repr(info.book),  # not `info.created`: a part's own Info is dropped when joined
            info.generator,
            *layers,
            installed_fonts_digest(),
            tool_fingerprint(),
        )
        return cls(directory, key, reuse)

    def key(self, source: PartSource, extra: str = "") -> str:
        """Return the key of `source`'s layout (its content, and `extra`; not its start).

        `extra` tells apart records of the same source: "pages", the front matter's
        length with placeholder page numbers. Not the build's date, which the first
        part's Info dictionary carries: `splice` gives the book this build's.
        """
        outside = sorted(source.outside)
        return digest(self.setup_key, source.html, str(source.ends_early), *outside, extra)

    def lookup(self, source: PartSource, extra: str = "") -> CachedPart | None:
        """Return the kept layout of `source`, whatever start it was laid out from."""
        if not self.reuse:
            return None
        key = self.key(source, extra)
        try:
            record = json.loads((self.directory / f"{key}.json").read_text(encoding="utf-8"))
            pdf = self.directory / f"{key}.pdf"
            if record.get("key") != key or file_digest(pdf) != record["pdf"]:
                return None
            return CachedPart(_layout_from_json(record["layout"]), pdf)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(self, source: PartSource, layout: PartLayout, pdf: Path, extra: str = "") -> str:
        """Keep `layout` and a copy of its PDF; return the key it is kept under."""
        key = self.key(source, extra)
        data = pdf.read_bytes()
        write_bytes(self.directory / f"{key}.pdf", data, durable=False)
        record = {"key": key, "pdf": digest_bytes(data), "layout": _layout_to_json(layout)}
        write_text(
            self.directory / f"{key}.json", json.dumps(record, ensure_ascii=False), durable=False
        )
        return key

    def pages(self, source: PartSource) -> PartPages | None:
        """Return how many pages `source` was laid out on (kept without a PDF), if known."""
        if not self.reuse:
            return None
        key = self.key(source, "pages")
        try:
            record = json.loads((self.directory / f"{key}.json").read_text(encoding="utf-8"))
            return PartPages(int(record["pages"][0]), dict(record["pages"][1]))
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None

    def store_pages(self, source: PartSource, pages: PartPages) -> str:
        """Keep how many pages `source` was laid out on; return the key."""
        key = self.key(source, "pages")
        record = {"key": key, "pages": [pages.pages, pages.strings]}
        write_text(
            self.directory / f"{key}.json", json.dumps(record, ensure_ascii=False), durable=False
        )
        return key

    def keep_only(self, keys: list[str]) -> None:
        """Remove the kept parts of earlier builds that this build did not use."""
        used = set(keys)
        with contextlib.suppress(OSError):
            for path in self.directory.iterdir():
                if path.suffix in (".json", ".pdf") and path.stem not in used:
                    path.unlink(missing_ok=True)


def digest_bytes(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _layout_to_json(layout: PartLayout) -> dict[str, Any]:
    notes = layout.notes
    return {
        "pages": [layout.pages.pages, layout.pages.strings],
        "start": [layout.start.first_page, layout.start.strings],
        "anchors": layout.anchors,
        "notes": [list(notes.warnings), list(notes.refused), notes.tagged],
    }


def _layout_from_json(data: dict[str, Any]) -> PartLayout:
    pages, start, notes = data["pages"], data["start"], data["notes"]
    return PartLayout(
        PartPages(int(pages[0]), dict(pages[1])),
        PartStart(int(start[0]), dict(start[1])),
        {str(k): int(v) for k, v in data["anchors"].items()},
        RenderNotes(tuple(notes[0]), tuple(notes[1]), bool(notes[2])),
    )
