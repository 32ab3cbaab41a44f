"""Files a build keeps for the next one: each under a key, with its digest.

What the render keeps between builds (pandoc's output per chapter, `render/kept_html`
and `render/kept_ast`; the print edition's merged font programs, `parts/subsets`; the
EPUB's drawn cover) is read back only when its digest still matches (a damaged file
is made again), written as every file the tool writes (`outputs`: a scratch file
renamed into place), and a build keeps only the keys it used. A folder that cannot
be written keeps nothing.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from diaspora_book.plumbing.cache import digest
from diaspora_book.plumbing.errors import BookError
from diaspora_book.plumbing.outputs import write_bytes


class KeptFiles:
    """The files kept in one folder as `<key><suffix>`, and the keys this build used.

    Each file is its content's digest, a newline, and the content.
    """

    def __init__(self, directory: Path, suffix: str, reuse: bool = True):
        self.directory = directory
        self.suffix = suffix
        self.reuse = reuse  # False (--no-cache): read nothing, still keep this build's files
        self.used: set[str] = set()

    def read(self, key: str) -> bytes | None:
        """Return the content kept under `key`; None when there is none, it was damaged,
        or the build does not reuse the cache."""
        if not self.reuse:
            return None
        try:
            check, data = self._path(key).read_bytes().split(b"\n", 1)
        except (OSError, ValueError):
            return None
        return data if digest(data).encode() == check else None

    def keep(self, key: str, data: bytes) -> bytes:
        """Keep `data` under `key` (and count the key as used); return the data."""
        self.used.add(key)
        with contextlib.suppress(BookError):  # a cache that cannot be written: none
            write_bytes(self._path(key), digest(data).encode() + b"\n" + data, durable=False)
        return data

    def read_text(self, key: str) -> str | None:
        """Return the text kept under `key` (see `read`)."""
        data = self.read(key)
        try:
            return data.decode("utf-8") if data is not None else None
        except UnicodeDecodeError:
            return None

    def keep_text(self, key: str, text: str) -> str:
        """Keep `text` under `key` (see `keep`); return the text."""
        self.keep(key, text.encode("utf-8"))
        return text

    def read_pieces(self, frame: str, keys: list[str]) -> tuple[str | None, list[str | None]]:
        """Return the text kept under `frame` (what every piece shares) and each piece's;
        no piece when the frame is not kept."""
        shared = self.read_text(frame)
        if shared is None:
            return None, [None] * len(keys)
        return shared, [self.read_text(key) for key in keys]

    def use(self, keys: list[str]) -> None:
        """Count `keys` as used by this build (read, or about to be kept)."""
        self.used.update(keys)

    def keep_only_used(self) -> None:
        """Remove the files of earlier builds that this build did not use."""
        with contextlib.suppress(OSError):
            for path in self.directory.iterdir():
                if path.suffix == self.suffix and path.stem not in self.used:
                    path.unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}{self.suffix}"
