"""Where a wikitext node sits in its file: offsets to `path:line:column`.

mwparserfromhell does not record positions, but every node prints back exactly as
written, so a node's offset is its parent's plus the length of what precedes it.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

from diaspora_book.model import SourceSpan


@dataclass(frozen=True)
class Locator:
    """Turns offsets into the wikitext into spans in the file it came from."""

    path: str  # as shown in messages
    starts: tuple[int, ...]  # offset of each line start in the wikitext
    first_line: int = 1  # line of the file the wikitext starts on (an export's <text>)
    first_column: int = 1  # column of the wikitext's first character on that line

    @classmethod
    def of(cls, text: str, path: str, first_line: int = 1, first_column: int = 1) -> Locator:
        """Return the locator of `text`, which begins at `first_line` of `path`."""
        starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        return cls(path, tuple(starts), first_line, first_column)

    @functools.cached_property
    def line_starts(self) -> frozenset[int]:
        """The offsets where a line of the wikitext begins."""
        return frozenset(self.starts)

    def span(self, offset: int) -> SourceSpan:
        """Return the span of the character at `offset`."""
        index = max(0, bisect.bisect_right(self.starts, offset) - 1)
        column = offset - self.starts[index] + 1
        if index == 0:
            column += self.first_column - 1
        return SourceSpan(self.path, self.first_line + index, column)


def child_offset(parent_text: str, parent_offset: int, child_text: str, after: int = 0) -> int:
    """Return the offset of `child_text` inside a parent printed as `parent_text`."""
    found = parent_text.find(child_text, after) if child_text else -1
    return parent_offset + (found if found >= 0 else after)
