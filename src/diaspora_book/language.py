"""Find runs of non-Latin script in text, so they can be tagged with their language.

The book's language is the default; a run of another script gets a language from the
book's `languages` map (script -> BCP 47 tag), and right-to-left scripts get
`dir="rtl"`. Latin-script foreign words (Kazakh Latin, pinyin) cannot be told apart
by script and stay in the book's language.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

# (first, last, script) for the scripts a book in this series meets.
_RANGES: list[tuple[int, int, str]] = sorted(
    [
        (0x0370, 0x03FF, "greek"),
        (0x1F00, 0x1FFF, "greek"),
        (0x0400, 0x052F, "cyrillic"),
        (0x1C80, 0x1C8F, "cyrillic"),
        (0x2DE0, 0x2DFF, "cyrillic"),
        (0xA640, 0xA69F, "cyrillic"),
        (0x0530, 0x058F, "armenian"),
        (0x0590, 0x05FF, "hebrew"),
        (0xFB1D, 0xFB4F, "hebrew"),
        (0x0600, 0x06FF, "arabic"),
        (0x0750, 0x077F, "arabic"),
        (0x0870, 0x08FF, "arabic"),
        (0xFB50, 0xFDFF, "arabic"),
        (0xFE70, 0xFEFC, "arabic"),  # U+FEFF is the zero-width no-break space, not Arabic
        (0x0700, 0x074F, "syriac"),
        (0x0780, 0x07BF, "thaana"),
        (0x0900, 0x097F, "devanagari"),
        (0x0E00, 0x0E7F, "thai"),
        (0x10A0, 0x10FF, "georgian"),
        (0x1800, 0x18AF, "mongolian"),
        (0x1100, 0x11FF, "hangul"),
        (0x3130, 0x318F, "hangul"),
        (0xA960, 0xA97F, "hangul"),
        (0xAC00, 0xD7FF, "hangul"),
        (0x3040, 0x30FF, "kana"),
        (0x31F0, 0x31FF, "kana"),
        (0x2E80, 0x2FDF, "han"),
        (0x3000, 0x303F, "han"),  # CJK punctuation travels with the Han text around it
        (0x3400, 0x4DBF, "han"),
        (0x4E00, 0x9FFF, "han"),
        (0xF900, 0xFAFF, "han"),
        (0xFF00, 0xFFEF, "han"),  # full-width forms
        (0x20000, 0x3134F, "han"),
    ]
)
_STARTS = [first for first, _, _ in _RANGES]

RTL_SCRIPTS = frozenset({"arabic", "hebrew", "syriac", "thaana"})

# Default script -> language map; a book overrides it in book.yml `languages:`.
DEFAULT_LANGUAGES: dict[str, str] = {
    "arabic": "ug",
    "han": "zh",
    "kana": "ja",
    "hangul": "ko",
    "cyrillic": "ru",
    "greek": "el",
    "hebrew": "he",
    "armenian": "hy",
    "georgian": "ka",
    "devanagari": "hi",
    "thai": "th",
    "syriac": "syr",
    "thaana": "dv",
    "mongolian": "mn",
}

# Characters that may sit inside a run without ending it (when more of the same
# script follows): spaces, joiners and word-internal punctuation.
_INNER = frozenset(" \u00a0\u200c\u200d-'\u2019·")
# Below U+0370 every character is Latin or common (script None), and most of a book is:
# jump over such stretches with one regex search instead of a lookup per character.
_MAYBE_FOREIGN = re.compile("[^\u0000-\u036f]")


def script_of(char: str) -> str | None:
    """Return the script name of `char`, or None for Latin and common characters."""
    code = ord(char)
    index = bisect.bisect_right(_STARTS, code) - 1
    if index >= 0:
        first, last, script = _RANGES[index]
        if first <= code <= last:
            return script
    return None


@dataclass(frozen=True)
class Run:
    text: str
    script: str | None  # None: the book's own script


def script_runs(text: str) -> list[Run]:
    """Split `text` into runs of one script; Latin and common characters are script None."""
    runs: list[Run] = []
    plain_start = 0
    index = 0
    length = len(text)
    while index < length:
        candidate = _MAYBE_FOREIGN.search(text, index)
        if candidate is None:
            break
        index = candidate.start()
        script = script_of(text[index])
        if script is None:
            index += 1
            continue
        start = index
        end = index + 1  # one past the last character of this script (or a mark)
        probe = end
        while probe < length:
            char = text[probe]
            char_script = script_of(char)
            if char_script == script or unicodedata.category(char) in ("Mn", "Me"):
                probe += 1
                end = probe
            elif char in _INNER:
                probe += 1
            else:
                break
        if start > plain_start:
            runs.append(Run(text[plain_start:start], None))
        runs.append(Run(text[start:end], script))
        plain_start = index = end
    if plain_start < length:
        runs.append(Run(text[plain_start:], None))
    return runs
