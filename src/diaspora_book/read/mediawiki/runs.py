"""Plain text with styled runs, built piece by piece.

The reader appends text and opens/closes runs as it walks the wikitext; white space
is collapsed as a browser would (MediaWiki's newlines inside a paragraph are
spaces), and runs are trimmed so they never begin or end with a space (pandoc
would not read `* x*` as emphasis).
"""

from __future__ import annotations

from diaspora_book.model import COLLAPSIBLE_SPACE, Run, SourceSpan
from diaspora_book.read.mediawiki.dropped import DROP, emptied, removals

_SPACE = COLLAPSIBLE_SPACE


class RunText:
    """Accumulates one block's plain text and its runs."""

    def __init__(self) -> None:
        self._chars: list[str] = []
        self._origins: list[int] = []  # each character's offset in the wikitext
        self._runs: list[Run] = []
        self.hint = 0  # offset of the node being read (set by the reader)
        # Where a template printed nothing (a DROP mark in the text), and for an unknown
        # template the words of its parameters, used if the list item it is in is emptied.
        self._fallbacks: dict[int, str] = {}
        self.fallback = ""  # set by the template reader for the template being read

    def mark(self) -> tuple[int, int]:
        """Where the text and its runs stand (before a template is read)."""
        return self.position, len(self._runs)

    def dropped(self, mark: tuple[int, int]) -> None:
        """A template was read since `mark`: if it printed nothing, remember where."""
        fallback, self.fallback = self.fallback, ""
        if (self.position, len(self._runs)) != mark:
            return
        if fallback:
            self._fallbacks[self.position] = fallback
        self._chars.append(DROP)
        self._origins.append(self.hint)

    def bracketed_citation(self) -> None:
        """A short citation was just cited ({{harvnb}}): brackets the article wrote round
        it go, as citeproc prints its own ("({{harvnb|Vernet|1996}})" is not "((Vernet 1996))")."""
        self._chars.append(DROP)
        self._origins.append(self.hint)

    def emptied(self) -> bool:
        """Whether the text is emptied by templates that printed nothing (`1993: , ,`)."""
        return DROP in self._chars and emptied("".join(self._chars).replace(DROP, ""))

    def use_fallbacks(self) -> bool:
        """Put the parameters' words of unknown templates where they printed nothing
        (`{{kardeş şehir|Paris|Fransa}}`: "Paris, Fransa"); False if there are none."""
        if not self._fallbacks:
            return False
        inserts, self._fallbacks = self._fallbacks, {}
        self._edit(set(inserts), inserts)
        return True

    @property
    def text(self) -> str:
        """The text so far (white space collapsed)."""
        return "".join(self._chars)

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

    def truncate(self, position: int) -> None:
        """Forget what was added after `position` (a part that turned out to say nothing)."""
        del self._chars[position:], self._origins[position:]
        self._runs = [
            run for run in self._runs if run.start < position or run.start == run.end == position
        ]

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

    def _clean(self) -> None:
        """Remove the DROP marks and the punctuation they left (`dropped.removals`)."""
        if DROP in self._chars:
            self._edit(removals("".join(self._chars)), {})
            self._fallbacks = {}

    def _edit(self, gone: set[int], inserts: dict[int, str]) -> None:
        """Delete the characters at `gone`, put `inserts` (index -> text) in their
        place, and move the runs with the text."""
        chars: list[str] = []
        origins: list[int] = []
        moved = [0] * (len(self._chars) + 1)
        for index, char in enumerate(self._chars):
            moved[index] = len(chars)
            for inserted in inserts.get(index, ""):
                chars.append(inserted)
                origins.append(self._origins[index])
            if index not in gone:
                chars.append(char)
                origins.append(self._origins[index])
        moved[len(self._chars)] = len(chars)
        self._chars, self._origins = chars, origins
        self._runs = [Run(moved[r.start], moved[r.end], r.kind, r.value) for r in self._runs]

    def span(self, locator, start: int) -> SourceSpan:
        """Return the span of a block that starts at offset `start`, its text being the
        text `result` gives: `SourceSpan.at` maps each offset of the text to the source.

        `locator` is the article's (`source.Locator`).
        """
        self._clean()
        text = "".join(self._chars)
        lead = len(text) - len(text.lstrip(" "))
        origins = self._origins[lead : lead + len(text.strip(" "))]
        where = locator.span(start)
        places = _places(origins, locator.line_starts, locator) if origins else ()
        return SourceSpan(where.path, where.line, where.column, places)

    def result(self) -> tuple[str, tuple[Run, ...]]:
        """Return the stripped text and its runs, trimmed to non-space edges."""
        self._clean()
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
