"""Find whole-word occurrences of known phrases (terms, aliases, names) in text.

Matching is exact, diacritics included (`yärlik` never matches `yarlik`), on
canonically composed (NFC) text, so an article saved in decomposed form still
matches; offsets are always into the original text. The longest phrase wins
where phrases overlap (`Almaty Province` over `Almaty`). In scripts written
without spaces (Han, kana, Thai) a phrase needs no word boundary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from diaspora_book.language import unspaced


@dataclass(frozen=True)
class Found:
    start: int  # offsets into the original text
    end: int
    phrase: str  # the phrase as given (NFC)


class PhraseMatcher:
    """Finds a fixed set of phrases; build once, use on every block."""

    def __init__(self, phrases: Iterable[str]):
        unique = sorted({nfc(p) for p in phrases if p.strip()}, key=lambda p: (-len(p), p))
        self.phrases = frozenset(unique)
        alternation = "|".join(_bounded(p) for p in unique)
        self._pattern = re.compile(alternation) if unique else None

    def find(self, text: str) -> list[Found]:
        """Return the non-overlapping occurrences in `text`, leftmost-longest, in order."""
        if self._pattern is None:
            return []
        composed, offsets = _nfc_with_offsets(text)
        return [
            Found(offsets[m.start()], offsets[m.end()], m.group())
            for m in self._pattern.finditer(composed)
        ]


def _bounded(phrase: str) -> str:
    """Return the pattern of `phrase` as a whole word.

    Chinese, Japanese and Thai write no spaces between words: a phrase that starts
    (or ends) in such a script needs no word boundary there, or `阿拉木图市` would
    never mark `阿拉木图`.
    """
    start = "" if unspaced(phrase[0]) else r"(?<![\w\u0300-\u036f])"
    end = "" if unspaced(phrase[-1]) else r"(?![\w\u0300-\u036f])"
    return f"{start}{re.escape(phrase)}{end}"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _nfc_with_offsets(text: str) -> tuple[str, list[int]]:
    """Return NFC `text` and, for each of its positions (and its end), the original offset."""
    if unicodedata.is_normalized("NFC", text):
        return text, list(range(len(text) + 1))
    pieces: list[str] = []
    offsets: list[int] = []
    start = 0
    # Compose each base character with the combining marks that follow it.
    for index in range(1, len(text) + 1):
        if index == len(text) or not unicodedata.combining(text[index]):
            piece = unicodedata.normalize("NFC", text[start:index])
            pieces.append(piece)
            offsets += [start] * len(piece)
            start = index
    offsets.append(len(text))
    return "".join(pieces), offsets
