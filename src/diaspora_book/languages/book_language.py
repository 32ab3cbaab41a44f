"""The book's language, and the runs of other scripts inside its text.

Which script a character belongs to comes from Unicode's own data (fontTools'
`unicodedata`: Scripts.txt and ScriptExtensions.txt), so every script is known, not
only those a hand-kept table listed. A run of a script other than the book's gets a
language from the book's `languages` map (script name -> BCP 47 tag), refined where
the letters say more than the script: Han text with kana is Japanese, and Cyrillic
with Kazakh letters (ә ғ қ ң ө ұ ү һ і) is Kazakh unless `languages:` in book.yml
names the Cyrillic language itself. A run whose direction differs from the book's
gets `dir` (`rtl` in an English book, `ltr` in a Uyghur one).

Latin-script foreign words (Kazakh Latin, pinyin) cannot be told apart by script
and stay in the book's language.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from fontTools import unicodedata as ucd

RTL_SCRIPTS = frozenset({"arabic", "hebrew", "syriac", "thaana", "nko", "adlam"})

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
    "tibetan": "bo",
    "ethiopic": "am",
    "khmer": "km",
    "lao": "lo",
    "myanmar": "my",
    "bengali": "bn",
    "tamil": "ta",
    "sinhala": "si",
}
# A well-formed BCP 47 tag (RFC 5646, section 2.1) whose language is an ISO 639 code:
# language[-extlang][-script][-region][-variant...][-extension...][-x-private].
_LANGUAGE_TAG = re.compile(
    r"[a-z]{2,3}(?:-[a-z]{3}){0,3}"
    r"(?:-[a-z]{4})?"
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
    r"(?:-[a-wyz0-9](?:-[a-z0-9]{2,8})+)*"
    r"(?:-x(?:-[a-z0-9]{1,8})+)?",
    re.IGNORECASE | re.ASCII,
)


def is_language_tag(text: object) -> bool:
    """Return whether `text` is a well-formed BCP 47 language tag (`en`, `ug-Latn`, `de-AT`).

    Tags go into XHTML attributes and the EPUB's metadata as they are, so nothing
    else (a quote, a space, a line end) may pass.
    """
    return isinstance(text, str) and _LANGUAGE_TAG.fullmatch(text) is not None


# Scripts that write Chinese, Japanese and Korean run into each other without a space.
_CJK = frozenset({"han", "kana", "hangul", "bopomofo"})
# Scripts written without spaces between words.
UNSPACED_SCRIPTS = frozenset({"han", "kana", "thai", "lao", "khmer", "myanmar"})
# ISO 15924 codes that name a writing system rather than one Unicode script.
_WRITING_SYSTEMS = {"Hans": "han", "Hant": "han", "Jpan": "kana", "Kore": "hangul"}
# Letters of Kazakh's Cyrillic alphabet that Russian lacks; and letters of other
# Cyrillic alphabets that Kazakh lacks (Ukrainian, Belarusian, Tajik, Tatar, Bashkir).
_KAZAKH = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_NOT_KAZAKH = frozenset("їєґўҷҳӣӯҗҙҫҡЇЄҐЎҶҲӢӮҖҘҪҠ")
# Characters that may sit inside a run without ending it (when more of the same
# script follows): spaces, joiners and word-internal punctuation.
_INNER = frozenset(" \u00a0\u200c\u200d-'\u2019·")
# Below U+0370 every character is Latin or common, and most of a Latin book is:
# jump over such stretches with one regex search instead of a lookup per character.
_MAYBE_FOREIGN = re.compile("[^\u0000-\u036f]")
# Hiragana, katakana (with their extensions and half-width forms): the text is Japanese.
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f\U0001b000-\U0001b16f]")
# A letter of an alphabet (Latin, Cyrillic, ...): not Han, kana, Hangul or full-width.
_ALPHABETIC = re.compile(
    "[^\\W\\d_\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]"
)


@functools.lru_cache(maxsize=4096)
def script_of(char: str) -> str | None:
    """Return the script of `char` ("arabic", "han", "latin", ...); None for common
    characters (spaces, digits, punctuation) and combining marks.

    Japanese kana (hiragana, katakana) are "kana"; full-width and wide punctuation
    (`，`, `。`) belongs to the CJK text around it, so it counts as "han".
    """
    code = ucd.script(char)
    if code in ("Zyyy", "Zinh", "Zzzz"):
        if code == "Zyyy" and unicodedata.east_asian_width(char) in ("W", "F"):
            return "han"
        return None
    if code in ("Hira", "Kana", "Hrkt"):
        return "kana"
    return ucd.script_name(code).lower().replace(" ", "_")


def unspaced(char: str) -> bool:
    """Return whether `char` is of a script written without spaces between words."""
    return script_of(char) in UNSPACED_SCRIPTS


@functools.lru_cache(maxsize=4096)
def joins_run(char: str, script: str) -> bool:
    """Return whether `char`, a mark or a common character, continues a run of `script`
    (the Arabic comma in Uyghur, the interpunct in a Chinese transliterated name)."""
    if unicodedata.category(char) in ("Mn", "Me"):
        return True
    if ucd.script(char) not in ("Zyyy", "Zinh"):
        return False
    extensions = {_script_name(code) for code in ucd.script_extension(char)}
    return script in extensions or (script in _CJK and bool(extensions & _CJK))


def _script_name(code: str) -> str:
    if code in ("Hira", "Kana", "Hrkt"):
        return "kana"
    return ucd.script_name(code).lower().replace(" ", "_")


@dataclass(frozen=True)
class Run:
    text: str
    script: str | None  # None: the book's own script (Latin by default) or common


def script_runs(text: str, plain: frozenset[str] = frozenset({"latin"})) -> list[Run]:
    """Split `text` into runs of one script; scripts in `plain` and common characters
    are script None. Han, kana and Hangul continue one another's run: the run is
    "kana" if it has kana (Japanese), else "hangul" if it has Hangul, else "han"."""
    runs: list[Run] = []
    plain_start = 0
    index = 0
    length = len(text)
    fast = "latin" in plain
    while index < length:
        if fast:
            candidate = _MAYBE_FOREIGN.search(text, index)
            if candidate is None:
                break
            index = candidate.start()
        script = script_of(text[index])
        if script is None or script in plain:
            index += 1
            continue
        start, end, scripts = index, index + 1, {script}
        probe = end
        while probe < length:
            char = text[probe]
            char_script = script_of(char)
            # Han, kana and Hangul join only where they touch: `中国人と` is one
            # (Japanese) run, `中国人 と` two.
            if char_script == script or (script in _CJK and char_script in _CJK and probe == end):
                scripts.add(char_script or script)
                probe += 1
                end = probe
            elif char_script is None and joins_run(char, script):
                probe += 1
                end = probe
            elif char in _INNER:
                probe += 1
            else:
                break
        if start > plain_start:
            runs.append(Run(text[plain_start:start], None))
        runs.append(Run(text[start:end], _family(script, scripts)))
        plain_start = index = end
    if plain_start < length:
        runs.append(Run(text[plain_start:], None))
    return runs


def _family(script: str, scripts: set[str]) -> str:
    if script not in _CJK:
        return script
    for name in ("kana", "hangul"):
        if name in scripts:
            return name
    return "han"


@dataclass(frozen=True)
class BookLanguage:
    """The book's language and how the runs of other scripts in it are tagged."""

    tag: str = "en"  # BCP 47 tag of the book's language
    languages: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_LANGUAGES))
    explicit: frozenset[str] = frozenset()  # scripts whose language book.yml names

    @functools.cached_property
    def home(self) -> str:
        """The script the book's language is written in ("latin", "cyrillic", "han", ...)."""
        return book_script(self.tag)

    @functools.cached_property
    def direction(self) -> str:
        """ "rtl" for a book in a right-to-left language, else "ltr"."""
        return direction_of(self.tag)

    def runs(self, text: str) -> list[tuple[str, str | None, str | None]]:
        """Return `text` as (text, language, dir) pieces; language None: the book's own.

        Consecutive pieces in the book's own language are joined, so a piece of plain
        text is never cut inside (escaping a line's start depends on whole pieces).
        """
        plain = frozenset({"latin"}) if self.home == "latin" else frozenset()
        pieces: list[tuple[str, str | None, str | None]] = []
        book = self.passage(text)
        for run in script_runs(text, plain):
            language = book.run_language(run)
            if language is None and pieces and pieces[-1][1] is None:
                pieces[-1] = (pieces[-1][0] + run.text, None, None)
            else:
                pieces.append((run.text, language, self.run_direction(run, language)))
        return pieces

    def passage(self, text: str) -> BookLanguage:
        """Return how runs are tagged in `text`, a whole passage (a paragraph, a heading).

        In a Japanese passage (it has at least as many kana as letters of alphabets)
        Han characters are Japanese even in a run of their own (`1999年`, `独` after
        `Berlin）`): they take the kana's language, so Japanese glyphs draw them, not
        Chinese ones. A Japanese phrase quoted in an English sentence leaves a Han
        word elsewhere in the sentence as it was (Chinese, by default).
        """
        kana = self.languages.get("kana")
        if not kana or self.languages.get("han") == kana:
            return self
        count = len(_KANA.findall(text))
        if not count or count < len(_ALPHABETIC.findall(text)):
            return self
        return replace(self, languages={**self.languages, "han": kana})

    def run_language(self, run: Run) -> str | None:
        """Return the language of a run, or None when it is in the book's language."""
        script = run.script
        if script is None:
            return None
        if script == "cyrillic" and "cyrillic" not in self.explicit and self._kazakh(run.text):
            language: str | None = "kk"
        elif self._is_home(script):
            return None
        else:
            language = self.languages.get(script)
        if language is None or language.lower() == self.tag.lower():
            return None
        return language

    def run_direction(self, run: Run, language: str | None) -> str | None:
        """Return the `dir` a tagged run needs: its direction where it differs from the book's."""
        if language is None or run.script is None:
            return None
        own = "rtl" if run.script in RTL_SCRIPTS else "ltr"
        return own if own != self.direction else None

    def _kazakh(self, text: str) -> bool:
        """Whether a Cyrillic run is Kazakh in this book.

        In a book written in another script, a run with Kazakh's own letters is Kazakh.
        In a Cyrillic book only letters its own alphabet lacks count: Kyrgyz, Tatar and
        Tajik write ң, ү, ө, ғ or қ too, so a Kyrgyz book's own words are Kyrgyz. Where
        CLDR does not know the book's alphabet, its Cyrillic is its own language.
        """
        if self.home != "cyrillic":
            return _is_kazakh(text)
        alphabet = _alphabet(self.tag)
        if not alphabet or not any(script_of(c) == "cyrillic" for c in alphabet):
            return False
        return _is_kazakh("".join(set(text.lower()) - alphabet))

    def _is_home(self, script: str) -> bool:
        home = self.home
        if script == home:
            return True
        return home in ("kana", "hangul") and script in (home, "han")


def _is_kazakh(text: str) -> bool:
    letters = set(text)
    return bool(letters & _KAZAKH) and not letters & _NOT_KAZAKH


@functools.cache
def _alphabet(tag: str) -> frozenset[str]:
    """Return the letters of the language `tag` (CLDR's exemplar characters, lower case)."""
    import icu

    exemplars = icu.LocaleData(tag).getExemplarSet(0, icu.ULocaleDataExemplarSetType.ES_STANDARD)
    return frozenset(c for c in exemplars if len(c) == 1)


@functools.cache
def book_script(tag: str) -> str:
    """Return the script a language is written in, by CLDR's likely subtags (ICU)."""
    import icu

    locale = icu.Locale.forLanguageTag(tag)
    maximal = icu.Locale(locale.getName())
    maximal.addLikelySubtags()
    code = maximal.getScript()
    if not code:
        return "latin"
    if code in _WRITING_SYSTEMS:
        return _WRITING_SYSTEMS[code]
    try:
        return ucd.script_name(code).lower().replace(" ", "_")
    except KeyError:
        return "latin"


@functools.cache
def direction_of(tag: str) -> str:
    """Return "rtl" if the language `tag` names is written right to left (by its script)."""
    return "rtl" if book_script(tag) in RTL_SCRIPTS else "ltr"


def script_pieces(word: str) -> list[tuple[int, str]]:
    """Split `word` where its script changes: `ү五个字母` is `ү` and `五个字母`.

    Returns (offset, piece) pairs; marks and common characters stay with the piece
    before them. A word of one script is one piece.
    """
    pieces: list[tuple[int, str]] = []
    start, current = 0, None
    for index, char in enumerate(word):
        script = script_of(char)
        if script is None or script == current:
            continue
        if current is not None:
            pieces.append((start, word[start:index]))
            start = index
        current = script
    pieces.append((start, word[start:]))
    return pieces
