"""Texts a build keeps for the next one: each under a key, with its digest.

The kept pieces of pandoc's output (`kept_html`, `kept_ast`) are read back only when
their digest still matches (a damaged one is converted again), written as every
file the tool writes (`outputs`: a scratch file renamed into place), and a build
keeps only the keys it used. A folder that cannot be written keeps nothing.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from diaspora_book.plumbing.cache import digest
from diaspora_book.plumbing.errors import BookError
from diaspora_book.plumbing.outputs import write_text

# Converted alone, a piece costs a pandoc start (about 0.1 s); when more than a
# quarter of the pieces changed, one conversion of the whole book is quicker.
MOST_ALONE = 4


def mostly_kept(missing: int, pieces: int) -> bool:
    """Whether converting the `missing` pieces alone is quicker than the whole book."""
    return missing * MOST_ALONE <= pieces


class KeptTexts:
    """The texts kept in one folder as `<key><suffix>`, and the keys this build used."""

    def __init__(self, directory: Path, suffix: str, reuse: bool = True):
        self.directory = directory
        self.suffix = suffix
        self.reuse = reuse  # False (--no-cache): read nothing, still keep this build's texts
        self.used: set[str] = set()

    def read(self, key: str) -> str | None:
        """Return the text kept under `key`; None when there is none, it was damaged, or
        the build does not reuse the cache."""
        if not self.reuse:
            return None
        try:
            check, text = self._path(key).read_text(encoding="utf-8").split("\n", 1)
        except (OSError, ValueError):
            return None
        return text if digest(text) == check else None

    def read_pieces(self, frame: str, keys: list[str]) -> tuple[str | None, list[str | None]]:
        """Return the text kept under `frame` (what every piece shares) and each piece's;
        no piece when the frame is not kept."""
        shared = self.read(frame)
        if shared is None:
            return None, [None] * len(keys)
        return shared, [self.read(key) for key in keys]

    def keep(self, key: str, text: str) -> str:
        """Keep `text` under `key` (and count the key as used); return the text."""
        self.used.add(key)
        with contextlib.suppress(BookError):  # a cache that cannot be written: none
            write_text(self._path(key), f"{digest(text)}\n{text}")
        return text

    def use(self, keys: list[str]) -> None:
        """Count `keys` as used by this build (read, or about to be kept)."""
        self.used.update(keys)

    def keep_only_used(self) -> None:
        """Remove the texts of earlier builds that this build did not use."""
        with contextlib.suppress(OSError):
            for path in self.directory.iterdir():
                if path.suffix == self.suffix and path.stem not in self.used:
                    path.unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}{self.suffix}"
