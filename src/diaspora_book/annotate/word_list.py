"""A language's word list from pyspellchecker, kept small: its words in one string.

The candidate finder asks of nearly every word whether the language knows it. As a
frozenset, English's 160,572 words took 17 MiB for as long as a build ran, and 41 MiB
while pyspellchecker loaded them (its JSON as a dict, then a second dict of the words
in lower case): the largest thing a small book's build held, and what put its peak
memory above the bare tools'. Here the words are sorted into one string, found by
bisection: 2 MiB, with about 15 MiB while they are read.

The words are pyspellchecker's own (`SpellChecker(language=...).word_frequency`,
which lower-cases them), read from the JSON it ships without building its dict.
"""

from __future__ import annotations

import bisect
import gzip
import json
import pkgutil
import re
from array import array
from itertools import chain, groupby

# A key of pyspellchecker's {"word": count, ...} (a JSON string, escapes and all).
_KEY = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"\s*:')


class WordList:
    """Words, sorted into one string; `word in words` by bisection. The list given is
    emptied: its words are now the string's."""

    def __init__(self, words: list[str]):
        words.sort()  # in place, not a copy; pyspellchecker's come nearly sorted
        self._text = "\n".join(word for word, _ in groupby(words))
        del words[:]
        # Where each word starts: 0, and after each newline; then one past the end.
        ends = (match.end() for match in re.finditer("\n", self._text))
        self._starts = array("I", chain((0,), ends, (len(self._text) + 1,)))
        self._count = len(self._starts) - 1 if self._text else 0

    def __len__(self) -> int:
        return self._count

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or "\n" in word:
            return False
        index = bisect.bisect_left(range(self._count), word, key=self._word)
        return index < self._count and self._word(index) == word

    def __iter__(self):
        return iter(self._text.split("\n") if self._count else ())

    def _word(self, index: int) -> str:
        start = self._starts[index]
        return self._text[start : self._starts[index + 1] - 1]


def spellchecker_words(language: str) -> WordList:
    """Return pyspellchecker's words for `language` (lower case, as it keeps them)."""
    data = pkgutil.get_data("spellchecker", f"resources/{language}.json.gz")
    if data is None:
        raise ValueError(f"pyspellchecker has no word list for {language!r}")
    text = gzip.decompress(data).decode("utf-8").lower()  # one string, not one per word
    del data
    words = [json.loads(f'"{key}"').lower() if "\\" in key else key for key in _KEY.findall(text)]
    del text
    return WordList(words)
