"""pandoc's reading of the e-book kept chapter by chapter, so a rebuild reads only what changed.

pandoc makes the EPUB in one run over the whole manuscript, and a third of that run
is reading the Markdown and running the MediaWiki and block-id filters over it (200
articles: 2.6 of 7.1 s). That third gives the same blocks for a chapter read alone
as inside the book, on the conditions `kept_html` states but the first: citeproc
runs after it, on the whole book. So a large book's EPUB is made in two pandoc
runs: the manuscript is read into pandoc's own document (JSON) with the filters
that run before citeproc, and the document is written as EPUB with citeproc, the
last filters and the metadata. Each piece's blocks (the front matter, each
chapter, the last with the back matter) are kept in `.cache/diaspora-book/ast/`
under a key of its Markdown and the reading's arguments; a rebuild reads alone only
the pieces not kept, and joins the rest. A book below `LARGE` characters is made in
one run as before: there a second pandoc start costs more than it saves. The tests
compare the EPUB made this way with one run's, file by file.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diaspora_book.plumbing.cache import digest, tool_fingerprint
from diaspora_book.plumbing.errors import BookError
from diaspora_book.plumbing.outputs import write_text
from diaspora_book.render.html import convert, last_filter_args, lua_filter_args
from diaspora_book.render.kept_html import markdown_pieces

# Markdown characters (about 60 pages) from which a book is read in pieces.
LARGE = 150_000
# Read alone, a piece costs a pandoc start; when more than this share of the pieces
# changed, one reading of the whole book is quicker.
_MOST = 4


@dataclass(frozen=True)
class EpubArgs:
    """pandoc's arguments for an EPUB, as one run takes them or as reading and writing."""

    epub: tuple[str, ...]  # the EPUB writer's own (split level, contents)
    metadata: tuple[str, ...]  # `--metadata`: the language, which `cjk_runs.lua` reads
    citeproc: tuple[str, ...]  # the manuscript's (citeproc with its bibliography), or none

    def whole(self, markdown: str) -> list[str]:
        """One run over the whole manuscript."""
        return [
            *lua_filter_args(markdown),
            *self.epub,
            *self.metadata,
            *self.citeproc,
            *last_filter_args(),
        ]

    def reading(self, markdown: str) -> list[str]:
        """Reading a piece: the filters before citeproc, and after it when there is none
        (then the filters run in the same order as in one run)."""
        if self.citeproc:
            return lua_filter_args(markdown)
        return [*lua_filter_args(markdown), *self.metadata, *last_filter_args()]

    def writing(self) -> list[str]:
        """Writing the joined document: citeproc and the filters after it, if any."""
        return [*self.epub, *self.metadata, *self.citeproc, *self._after_citeproc()]

    def _after_citeproc(self) -> list[str]:
        return last_filter_args() if self.citeproc else []


class KeptAst:
    """The blocks of earlier builds' pieces in one folder, and the keys this build used."""

    def __init__(self, directory: Path, reuse: bool = True):
        self.directory = directory
        self.reuse = reuse  # False (--no-cache): read nothing, still keep this build's pieces
        self.used: set[str] = set()

    def write_epub(
        self, markdown: str, chapter_ids: tuple[str, ...], args: EpubArgs, target: Path
    ) -> bool:
        """Write `markdown` as the EPUB `target`, reading only the pieces not kept.

        Returns False, having written nothing, when the manuscript is small or does not
        cut into pieces.
        """
        pieces = markdown_pieces(markdown, chapter_ids) if len(markdown) >= LARGE else None
        if pieces is None:
            return False
        shared = digest(tool_fingerprint(), "epub", *args.reading(""))
        keys = [digest(shared, piece) for piece in pieces]
        frame = self._read(shared) if self.reuse else None
        found: list[str | None] = [None] * len(keys)
        if frame is not None:
            found = [self._read(key) for key in keys]
        missing = [i for i, text in enumerate(found) if text is None]
        if frame is None or len(missing) * _MOST > len(pieces):
            document = self._read_whole(markdown, chapter_ids, args, shared, keys)
        else:
            for i in missing:
                found[i] = self._keep(keys[i], _dumps(_blocks(_read(pieces[i], args))[1]))
            version = json.loads(frame)
            blocks = ",".join(text[1:-1] for text in found if text and text != "[]")
            document = f'{{"pandoc-api-version":{version},"meta":{{}},"blocks":[{blocks}]}}'
            self.used.update([shared, *keys])
        convert(document, "epub3", args.writing(), outputfile=target, source="json")
        self.keep_only_used()
        return True

    def keep_only_used(self) -> None:
        """Remove the pieces of earlier builds that this build did not use."""
        with contextlib.suppress(OSError):
            for path in self.directory.iterdir():
                if path.suffix == ".json" and path.stem not in self.used:
                    path.unlink(missing_ok=True)

    def _read_whole(
        self,
        markdown: str,
        chapter_ids: tuple[str, ...],
        args: EpubArgs,
        shared: str,
        keys: list[str],
    ) -> str:
        """Read the whole book; keep its pieces' blocks when it cuts as expected."""
        document = _read(markdown, args)
        version, blocks = _blocks(document)
        cut = _cut(blocks, chapter_ids)
        if cut is not None and len(cut) == len(keys):
            self._keep(shared, json.dumps(version))
            for key, piece in zip(keys, cut, strict=True):
                self._keep(key, _dumps(piece))
            self.used.update([shared, *keys])
        return document

    def _read(self, key: str) -> str | None:
        """Return the text kept under `key`, or None when there is none or it was damaged."""
        try:
            check, text = (
                (self.directory / f"{key}.json").read_text(encoding="utf-8").split("\n", 1)
            )
        except (OSError, ValueError):
            return None
        return text if digest(text) == check else None

    def _keep(self, key: str, text: str) -> str:
        with contextlib.suppress(BookError):  # a cache that cannot be written: none
            write_text(self.directory / f"{key}.json", f"{digest(text)}\n{text}")
        return text


def _read(markdown: str, args: EpubArgs) -> str:
    """Read Markdown into pandoc's JSON with the reading's filters."""
    return convert(markdown, "json", args.reading(markdown))


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
