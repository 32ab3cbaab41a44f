"""Find whole-word occurrences of known phrases (terms, aliases, names) in text.

Matching is exact, diacritics included (`yärlik` never matches `yarlik`), on
canonically composed (NFC) text, so an article saved in decomposed form still
matches; offsets are always into the original text. The longest phrase wins
where phrases overlap (`Almaty Province` over `Almaty`). In scripts written
without spaces (Han, kana, Thai) a phrase needs no word boundary.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from diaspora_book.languages.book_language import unspaced


@dataclass(frozen=True)
class Found:
    start: int  # offsets into the original text
    end: int
    phrase: str  # the phrase as given (NFC)


class PhraseMatcher:
    """Finds a fixed set of phrases; build once, use on every block.

    The phrases are kept in a trie (a dict of dicts, one level per character), so a
    text is scanned once, each position walking only as far as some phrase goes:
    the time grows with the text, not with text x phrases (a regex alternation of
    5,000 index terms tried each of them at every position).
    """

    def __init__(self, phrases: Iterable[str]):
        unique = {nfc(p) for p in phrases if p.strip()}
        self.phrases = frozenset(unique)
        self._trie: dict = {}
        for phrase in unique:
            node = self._trie
            for char in phrase:
                node = node.setdefault(char, {})
            node[_END] = phrase

    def find(self, text: str) -> list[Found]:
        """Return the non-overlapping occurrences in `text`, leftmost-longest, in order."""
        if not self._trie:
            return []
        composed, offsets = _nfc_with_offsets(text)
        found: list[Found] = []
        index, length = 0, len(composed)
        while index < length:
            phrase = self._longest_at(composed, index)
            if phrase is None:
                index += 1
                continue
            end = index + len(phrase)
            found.append(Found(offsets[index], offsets[end], phrase))
            index = end
        return found

    def _longest_at(self, text: str, start: int) -> str | None:
        """Return the longest phrase that occurs as a whole word at `start`, if any."""
        node = self._trie.get(text[start])
        if node is None:
            return None
        # A phrase that starts in a script written without spaces needs no boundary.
        if start > 0 and _in_word(text[start - 1]) and not unspaced(text[start]):
            return None
        best = None
        index = start
        while node is not None:
            phrase = node.get(_END)
            index += 1
            if phrase is not None and (
                index == len(text) or not _in_word(text[index]) or unspaced(phrase[-1])
            ):
                best = phrase
            node = node.get(text[index]) if index < len(text) else None
        return best


_END = ""  # the trie key under which a node keeps the phrase that ends there


def _in_word(char: str) -> bool:
    """Return whether `char` continues a word (regex `\\w`, or a combining accent)."""
    return char.isalnum() or char == "_" or "\u0300" <= char <= "\u036f"


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
