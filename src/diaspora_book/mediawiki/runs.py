"""Plain text with styled runs, built piece by piece.

The reader appends text and opens/closes runs as it walks the wikitext; white space
is collapsed as a browser would (MediaWiki's newlines inside a paragraph are
spaces), and runs are trimmed so they never begin or end with a space (pandoc
would not read `* x*` as emphasis).
"""

from __future__ import annotations

from diaspora_book.model import Run

_SPACE = " \t\n\r\f\v"


class RunText:
    """Accumulates one block's plain text and its runs."""

    def __init__(self) -> None:
        self._chars: list[str] = []
        self._runs: list[Run] = []

    @property
    def position(self) -> int:
        return len(self._chars)

    def add(self, text: str) -> None:
        """Append text, collapsing white space (a no-break space stays)."""
        for char in text:
            if char in _SPACE:
                if self._chars and self._chars[-1] != " ":
                    self._chars.append(" ")
            else:
                self._chars.append(char)

    def add_run(self, start: int, kind: str, value: str = "") -> None:
        """Record a run from `start` to the current position (a break: an empty one)."""
        end = self.position
        if kind == "cite":  # a footnote mark: after the word it is on, before any space
            at = end - 1 if self._chars and self._chars[-1] == " " else end
            self._runs.append(Run(at, at, kind, value))
            return
        if kind == "break":
            if self._chars and self._chars[-1] == " ":
                self._chars.pop()
                end = self.position
            self._runs.append(Run(end, end, kind, value))
            self._chars.append(" ")  # the break reads as a space in plain text
            return
        if end > start:
            self._runs.append(Run(start, end, kind, value))

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
            if run.kind == "cite":
                at = min(max(start, 0), len(stripped))
                runs.append(Run(at, at, "cite", run.value))
                continue
            while start < end and stripped[start] == " ":
                start += 1
            while end > start and stripped[end - 1] == " ":
                end -= 1
            if end > start:
                runs.append(Run(start, end, run.kind, run.value))
        return stripped, tuple(_nested(runs))


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
