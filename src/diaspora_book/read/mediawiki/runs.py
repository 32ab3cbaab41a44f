"""Plain text with styled runs, built piece by piece.

The reader appends text and opens/closes runs as it walks the wikitext; white space
is collapsed as a browser would (MediaWiki's newlines inside a paragraph are
spaces), and runs are trimmed so they never begin or end with a space (pandoc
would not read `* x*` as emphasis).
"""

from __future__ import annotations

from diaspora_book.model import COLLAPSIBLE_SPACE, Run, SourceSpan

_SPACE = COLLAPSIBLE_SPACE


class RunText:
    """Accumulates one block's plain text and its runs."""

    def __init__(self) -> None:
        self._chars: list[str] = []
        self._origins: list[int] = []  # each character's offset in the wikitext
        self._runs: list[Run] = []
        self.hint = 0  # offset of the node being read (set by the reader)

    @property
    def position(self) -> int:
        return len(self._chars)

    def add(self, text: str, exact: bool = False) -> None:
        """Append text, collapsing white space (a no-break space stays).

        `exact`: the text is the source's own, character for character, from `hint`
        on; otherwise (a template's words, an entity) all of it comes from `hint`.
        """
        for index, char in enumerate(text):
            origin = self.hint + index if exact else self.hint
            if char in _SPACE:
                if self._chars and self._chars[-1] != " ":
                    self._chars.append(" ")
                    self._origins.append(origin)
            else:
                self._chars.append(char)
                self._origins.append(origin)

    def add_run(self, start: int, kind: str, value: str = "") -> None:
        """Record a run from `start` to the current position (a break: an empty one)."""
        end = self.position
        if kind in ("cite", "note"):  # a footnote mark: after the word it is on, before any space
            at = end - 1 if self._chars and self._chars[-1] == " " else end
            self._runs.append(Run(at, at, kind, value))
            return
        if kind == "break":
            if self._chars and self._chars[-1] == " ":
                self._chars.pop()
                self._origins.pop()
                end = self.position
            self._runs.append(Run(end, end, kind, value))
            self._chars.append(" ")  # the break reads as a space in plain text
            self._origins.append(self.hint)
            return
        if end > start:
            self._runs.append(Run(start, end, kind, value))

    def span(self, locator, start: int) -> SourceSpan:
        """Return the span of a block that starts at offset `start`, its text being the
        text `result` gives: `SourceSpan.at` maps each offset of the text to the source.

        `locator` is the article's (`source.Locator`).
        """
        text = "".join(self._chars)
        lead = len(text) - len(text.lstrip(" "))
        origins = self._origins[lead : lead + len(text.strip(" "))]
        where = locator.span(start)
        places = _places(origins, locator.line_starts, locator) if origins else ()
        return SourceSpan(where.path, where.line, where.column, places)

    def result(self) -> tuple[str, tuple[Run, ...]]:
        """Return the stripped text and its runs, trimmed to non-space edges."""
        text = "".join(self._chars)
        lead = len(text) - len(text.lstrip(" "))
        stripped = text.strip(" ")
        runs: list[Run] = []
        for run in self._runs:
            start = max(0, run.start - lead)
            end = min(len(stripped), run.end - lead)
            if run.kind == "break":
                if 0 < start < len(stripped):
                    runs.append(Run(start, start, "break"))
                continue
            if run.kind in ("cite", "note"):
                at = min(max(start, 0), len(stripped))
                runs.append(Run(at, at, run.kind, run.value))
                continue
            while start < end and stripped[start] == " ":
                start += 1
            while end > start and stripped[end - 1] == " ":
                end -= 1
            if end > start:
                runs.append(Run(start, end, run.kind, run.value))
        return stripped, tuple(_nested(runs))


def _places(origins: list[int], line_starts: frozenset[int], locator) -> tuple:
    places: list[tuple[int, int, int]] = []
    previous = -2
    for index, origin in enumerate(origins):
        if origin != previous + 1 or origin in line_starts:
            where = locator.span(origin)
            places.append((index, where.line, where.column))
        previous = origin
    return tuple(places)


def _nested(runs: list[Run]) -> list[Run]:
    """Drop runs that cross an earlier (outer) one, so the rest nest; order outer first."""
    ordered = sorted(runs, key=lambda r: (r.start, -r.end))
    kept: list[Run] = []
    for run in ordered:
        crosses = any(
            o.start < run.start < o.end < run.end or run.start < o.start < run.end < o.end
            for o in kept
            if o.start != o.end
        )
        if not crosses:
            kept.append(run)
    return kept
