"""pandoc's reading of a large book kept chapter by chapter, so a rebuild reads only what changed.

pandoc converts a manuscript in one run, and reading its Markdown and running the
MediaWiki and block-id filters are a third to a half of that run (200 articles: 2.6
of 7.1 s for the EPUB; the 13 English articles: 1.7 of 5.0 s for the print HTML).
That reading gives the same blocks for a chapter read alone as inside the book, on
the conditions `kept_html` states but the first: citeproc runs after it, on the
whole book. So a large book is converted in two pandoc runs: the manuscript is read
into pandoc's own document (JSON) with the filters that run before citeproc, and the
document is written (EPUB, or the print HTML of a book with citations) with citeproc,
the last filters and the metadata. Each piece's blocks (the front matter, each
chapter, the last with the back matter) are kept under a key of its Markdown and the
reading's arguments (`.cache/diaspora-book/ast/` for the EPUB, `html/ast/` for the
print edition); a rebuild reads alone only the pieces not kept, and joins the rest.
A book below `LARGE` characters is converted in one run as before: there a second
pandoc start costs more than it saves. The tests compare what the two runs make with
one run's, byte for byte.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diaspora_book.plumbing.cache import digest, tool_fingerprint
from diaspora_book.plumbing.kept import KeptFiles
from diaspora_book.render.html import convert

# Markdown characters (about 60 pages) from which a book is read in pieces.
LARGE = 150_000
# Converted alone, a piece costs a pandoc start (about 0.1 s); when more than a
# quarter of the pieces changed, one conversion of the whole book is quicker.
MOST_ALONE = 4


def mostly_kept(missing: int, pieces: int) -> bool:
    """Whether converting the `missing` pieces alone is quicker than the whole book."""
    return missing * MOST_ALONE <= pieces


@dataclass(frozen=True)
class ReadPieces:
    """pandoc's reading of a book's pieces: each piece's blocks, as a JSON array."""

    version: Any  # pandoc's API version
    keys: tuple[str, ...]  # each piece's key: its Markdown and the reading's arguments
    texts: tuple[str, ...]

    def joined(self, texts: list[str]) -> str:
        """Return pandoc's JSON document of the pieces `texts` (these or stand-ins)."""
        blocks = ",".join(text[1:-1] for text in texts if text and text != "[]")
        version = json.dumps(self.version)
        return f'{{"pandoc-api-version":{version},"meta":{{}},"blocks":[{blocks}]}}'

    def document(self) -> str:
        """Return pandoc's JSON document of the whole book, its metadata left to the writing."""
        return self.joined(list(self.texts))


class KeptAst:
    """The blocks of earlier builds' pieces, kept in one folder."""

    def __init__(self, directory: Path, reuse: bool = True):
        self.directory = directory
        self.texts = KeptFiles(directory, ".json", reuse)

    def document(
        self, markdown: str, chapter_ids: tuple[str, ...], reading: Callable[[str], list[str]]
    ) -> str | None:
        """Return pandoc's JSON of `markdown` read with the arguments `reading(markdown)`,
        its metadata left to the writing; None when the manuscript is small or does not
        cut into pieces (see `read`)."""
        read = self.read(markdown, chapter_ids, reading)
        return read.document() if isinstance(read, ReadPieces) else read

    def read(
        self, markdown: str, chapter_ids: tuple[str, ...], reading: Callable[[str], list[str]]
    ) -> ReadPieces | str | None:
        """Return pandoc's reading of `markdown` with the arguments `reading(markdown)`, piece
        by piece; the whole document's JSON when pandoc's blocks did not cut as the
        Markdown did; None when the manuscript is small or does not cut into pieces.
        Only the pieces not kept are read, and the folder keeps only this reading's."""
        pieces = markdown_pieces(markdown, chapter_ids) if len(markdown) >= LARGE else None
        if pieces is None:
            return None
        shared = digest(tool_fingerprint(), *reading(""))
        keys = [digest(shared, piece) for piece in pieces]
        frame, found = self.texts.read_pieces(shared, keys)
        missing = [i for i, text in enumerate(found) if text is None]
        read: ReadPieces | str
        if frame is None or not mostly_kept(len(missing), len(pieces)):
            read = self._read_whole(markdown, chapter_ids, reading, shared, keys)
        else:
            for i in missing:
                document = convert(pieces[i], "json", reading(pieces[i]))
                found[i] = self.texts.keep_text(keys[i], _dumps(_blocks(document)[1]))
            texts = tuple(text or "[]" for text in found)
            read = ReadPieces(json.loads(frame), tuple(keys), texts)
            self.texts.use([shared, *keys])
        self.texts.keep_only_used()
        return read

    def _read_whole(
        self,
        markdown: str,
        chapter_ids: tuple[str, ...],
        reading: Callable[[str], list[str]],
        shared: str,
        keys: list[str],
    ) -> ReadPieces | str:
        """Read the whole book; keep its pieces' blocks when it cuts as expected."""
        document = convert(markdown, "json", reading(markdown))
        data = json.loads(document)
        version, blocks = data["pandoc-api-version"], data["blocks"]
        cut = _cut(blocks, chapter_ids)
        if cut is not None and len(cut) == len(keys):
            self.texts.keep_text(shared, json.dumps(version))
            texts = tuple(
                self.texts.keep_text(key, _dumps(piece))
                for key, piece in zip(keys, cut, strict=True)
            )
            return ReadPieces(version, tuple(keys), texts)
        if data["meta"]:  # the metadata is the writing's, as for a document joined from pieces
            data["meta"] = {}
            return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return document


def _blocks(document: str) -> tuple[Any, list[Any]]:
    data = json.loads(document)
    return data["pandoc-api-version"], data["blocks"]


def _dumps(blocks: list[Any]) -> str:
    return json.dumps(blocks, ensure_ascii=False, separators=(",", ":"))


def _cut(blocks: list[Any], chapter_ids: tuple[str, ...]) -> list[list[Any]] | None:
    """Cut the document's blocks before each chapter's level-1 heading, in book order."""
    starts: list[int] = []
    i = 0
    for chapter in chapter_ids:
        while i < len(blocks) and not _opens(blocks[i], chapter):
            i += 1
        if i == len(blocks):
            return None
        starts.append(i)
        i += 1
    bounds = [0, *starts, len(blocks)]
    return [blocks[start:stop] for start, stop in zip(bounds, bounds[1:], strict=False)]


def _opens(block: Any, chapter: str) -> bool:
    """Whether `block` is the level-1 heading with the id `chapter`."""
    if not isinstance(block, dict) or block.get("t") != "Header":
        return False
    level, attr, _ = block["c"]
    return bool(level == 1 and attr[0] == chapter)


def markdown_pieces(markdown: str, chapter_ids: tuple[str, ...]) -> list[str] | None:
    """Cut `markdown` before each chapter's heading: the front matter, then the chapters
    (the last with the back matter); None when a chapter's heading is not found after
    a blank line, in book order."""
    if not chapter_ids:
        return None
    starts: list[int] = []
    position = 0
    for chapter in chapter_ids:
        heading = re.compile(rf"^# [^\n]*\{{#{re.escape(chapter)}[ }}]", re.MULTILINE)
        found = heading.search(markdown, position)
        if found is None or markdown[found.start() - 2 : found.start()] != "\n\n":
            return None
        starts.append(found.start())
        position = found.end()
    bounds = [0, *starts, len(markdown)]
    return [markdown[start:stop] for start, stop in zip(bounds, bounds[1:], strict=False)]
