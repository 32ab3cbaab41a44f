"""pandoc's EPUB of a large book kept chapter by chapter, so a rebuild writes only what changed.

A rebuild reads only the chapters that changed (`kept_ast`), but pandoc's EPUB
writer still wrote every chapter's XHTML again: 3.7 of the 5 s an edited article of
200 took. A chapter's file does not depend on the other chapters' text, only on
what the writer takes from the whole book: the file's name (its place among the
chapter files), the files that links point into, the names given to images (in
order of first use) and, in the package, whether the file holds MathML, SVG or
remote resources. A piece's *outline* (`outline`) keeps exactly that: its
headings, an empty span for every id, every link and image with its text left out,
raw HTML, and the first formula under each heading. pandoc writes the outline of a
book in a third of the time (200 articles: 1.3 s).

So the EPUB of a book is kept with the digest of its pieces' outlines. A rebuild
whose outlines are those of the kept EPUB (an edit that adds no heading, id, link
or image) has pandoc write the book with every unchanged piece as its outline and
the changed pieces whole, and takes the changed pieces' files from that; every
other entry is the kept EPUB's. Where anything does not line up (an outline
changed, a piece that does not open a file, more than a quarter of the pieces
changed) the book is written whole, as before. The tests compare the result with
a whole conversion, byte for byte.

Not used when citeproc runs in the writing (a book with citations): a citation's
text and the References depend on every chapter.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diaspora_book.plumbing.cache import digest, tool_fingerprint
from diaspora_book.plumbing.kept import KeptFiles
from diaspora_book.render.html import convert
from diaspora_book.render.kept_ast import ReadPieces, mostly_kept

_CHAPTER_FILE = re.compile(r"(?:^|/)text/ch(\d+)\.xhtml$")
_FIRST_SECTION = re.compile(rb'<section id="([^"]*)"')
# Where an element keeps its attributes (id, classes, key-values) in pandoc's JSON.
_ATTR_AT = {
    "Div": 0,
    "Span": 0,
    "CodeBlock": 0,
    "Code": 0,
    "Table": 0,
    "Figure": 0,
}


@dataclass(frozen=True)
class _Record:
    """What the kept EPUB was written from: each piece's key, and its chapter files."""

    keys: list[str]
    files: list[list[str]]


class KeptText:
    """The EPUBs pandoc wrote for earlier builds, and their pieces' outlines."""

    def __init__(self, directory: Path, reuse: bool = True):
        self.kept = KeptFiles(directory, ".kept", reuse)

    def write(self, read: ReadPieces, writing: list[str], target: Path) -> None:
        """Write pandoc's EPUB of the pieces `read` with the arguments `writing` to `target`."""
        pieces = zip(read.keys, read.texts, strict=True)
        outlines = [self._outline(key, text) for key, text in pieces]
        book = digest(tool_fingerprint(), *writing, *map(digest, outlines))
        openings = [_openings(outline) for outline in outlines]
        headings = [ids for ids, _ in openings]
        opens = all(first for _, first in openings[1:])
        epub = self._rewritten(read, writing, outlines, headings, book) if opens else None
        if epub is None:
            convert(read.document(), "epub3", writing, outputfile=target, source="json")
            epub = target.read_bytes()
            files = _files_of_pieces(epub, headings) if opens else None
            if files is not None:
                self._keep(book, epub, _Record(list(read.keys), files))
        else:
            target.write_bytes(epub)
        self.kept.keep_only_used()

    def _rewritten(
        self,
        read: ReadPieces,
        writing: list[str],
        outlines: list[str],
        headings: list[list[str]],
        book: str,
    ) -> bytes | None:
        """Return the kept EPUB with the changed pieces' files written again; None when
        it cannot be (see the module docstring)."""
        record = self._record(book)
        kept = self.kept.read(book) if record is not None else None
        if record is None or kept is None or len(record.keys) != len(read.keys):
            return None
        changed = {i for i, key in enumerate(read.keys) if record.keys[i] != key}
        if not mostly_kept(len(changed), len(read.keys)):
            return None
        replaced: dict[str, bytes] = {}
        if changed:
            texts = [read.texts[i] if i in changed else outlines[i] for i in range(len(outlines))]
            written = _written(read.joined(texts), writing)
            files = _files_of_pieces(written, headings)
            if files != record.files:
                return None
            with zipfile.ZipFile(io.BytesIO(written)) as fresh:
                for i in changed:
                    for name in files[i]:
                        replaced[name] = fresh.read(name)
        epub = _replace_entries(kept, replaced)
        self._keep(book, epub, _Record(list(read.keys), record.files))
        return epub

    def _outline(self, key: str, text: str) -> str:
        """Return the outline of the piece `text` (kept under its key)."""
        name = f"outline-{key}"
        found = self.kept.read_text(name)
        if found is None:
            found = self.kept.keep_text(name, _dumps(outline(json.loads(text))))
        self.kept.use([name])
        return found

    def _record(self, book: str) -> _Record | None:
        text = self.kept.read_text(f"{book}-record")
        if text is None:
            return None
        try:
            data = json.loads(text)
            return _Record(list(data["keys"]), [list(names) for names in data["files"]])
        except (ValueError, KeyError, TypeError):
            return None

    def _keep(self, book: str, epub: bytes, record: _Record) -> None:
        self.kept.keep(book, epub)
        described = {"keys": record.keys, "files": record.files}
        self.kept.keep_text(f"{book}-record", json.dumps(described))


def outline(blocks: list[Any]) -> list[Any]:
    """Return what of `blocks` decides the EPUB files around them (module docstring).

    Headings are kept whole (the contents and the file's opening read them). Inline
    content is gathered into one paragraph per heading: a span for each id, each
    link and image without its text, raw HTML, the heading's first formula.
    """
    out: list[Any] = []
    inlines: list[Any] = []
    formula = [False]

    def flush() -> None:
        if inlines:
            out.append({"t": "Para", "c": list(inlines)})
            inlines.clear()

    def ids(attr: Any) -> None:
        if attr[0]:
            inlines.append({"t": "Span", "c": [[attr[0], [], []], []]})

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
            return
        if not isinstance(node, dict):
            return
        kind, content = node.get("t"), node.get("c")
        if content is None:  # Space, SoftBreak, LineBreak, HorizontalRule
            return
        if kind == "Header":
            flush()
            out.append(node)
            formula[0] = False
        elif kind == "RawBlock":
            flush()
            out.append(node)
        elif kind == "RawInline":
            inlines.append(node)
        elif kind == "Math":
            if not formula[0]:
                inlines.append(node)
                formula[0] = True
        elif kind in ("Link", "Image"):
            attr, text, target = content
            ids(attr)
            inlines.append({"t": kind, "c": [["", attr[1], attr[2]], [], target]})
            walk(text)
        else:
            if kind in _ATTR_AT:
                ids(content[_ATTR_AT[kind]])
            walk(content)

    walk(blocks)
    flush()
    return out


def _written(document: str, writing: list[str]) -> bytes:
    """Return pandoc's EPUB of the JSON `document`."""
    with tempfile.TemporaryDirectory(prefix="diaspora-book-") as scratch:
        path = Path(scratch) / "outline.epub"
        convert(document, "epub3", writing, outputfile=path, source="json")
        return path.read_bytes()


def _openings(outline_text: str) -> tuple[list[str], bool]:
    """Return the ids of the piece's top-level level-1 headings (each opens a file), and
    whether the piece starts with one (or is empty), so that no block of it falls into
    the file of the piece before."""
    blocks = json.loads(outline_text)
    ids = [b["c"][1][0] for b in blocks if b.get("t") == "Header" and b["c"][0] == 1]
    return ids, not blocks or (blocks[0].get("t") == "Header" and blocks[0]["c"][0] == 1)


def _files_of_pieces(epub: bytes, headings: list[list[str]]) -> list[list[str]] | None:
    """Return each piece's chapter files in pandoc's `epub`, in order; None when the files
    do not fall to the pieces in order (a piece that opens no file, an id twice)."""
    owner: dict[str, int] = {}
    for index, ids in enumerate(headings):
        for heading in ids:
            if heading in owner:
                return None
            owner[heading] = index
    with zipfile.ZipFile(io.BytesIO(epub)) as archive:
        chapters = sorted(
            (int(match.group(1)), name)
            for name in archive.namelist()
            if (match := _CHAPTER_FILE.search(name))
        )
        files: list[list[str]] = [[] for _ in headings]
        current = 0
        for _, name in chapters:
            opening = _FIRST_SECTION.search(archive.read(name))
            piece = owner.get(opening.group(1).decode("utf-8"), current) if opening else current
            if piece < current:
                return None
            files[piece].append(name)
            current = piece
    if any(not names for names, ids in zip(files, headings, strict=True) if ids):
        return None
    return files


def _replace_entries(epub: bytes, replaced: dict[str, bytes]) -> bytes:
    """Return the zip `epub` with the entries in `replaced` given new contents."""
    if not replaced:
        return epub
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(epub)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy,
    ):
        for info in source.infolist():
            data = replaced.get(info.filename)
            copy.writestr(
                zipfile.ZipInfo(info.filename, info.date_time),
                source.read(info) if data is None else data,
            )
    return out.getvalue()


def _dumps(blocks: list[Any]) -> str:
    return json.dumps(blocks, ensure_ascii=False, separators=(",", ":"))
