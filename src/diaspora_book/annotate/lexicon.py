"""Tell an ordinary word of the book's language from a foreign term.

The glossary candidate finder asks "is this word foreign to the book's language?"
and the index seeder "is this a common word that just opens a sentence?". The answer
comes from the best lexicon there is for the language:

1. English: pyspellchecker's word list, with British spellings and inflections
   (`english.py`), as the English books have always used.
2. A Hunspell dictionary from Debian (`hunspell-ru`, `-de-de`, `-tr`, `-fr`;
   `scripts/setup.sh` installs them), asked through the `hunspell` program, which
   knows the language's inflection and compounding (`поэзией`, `Ausstellungskataloge`).
   Only dictionaries that know a language's ordinary inflected words are used:
   Debian's Kazakh one (2012) does not know `өзенінің` or `облысындағы`, and would
   make a Kazakh book's every third word a "term", so Kazakh gets rule 4.
3. pyspellchecker's word list for the language, where it ships one (es, it, pt, ar, ...).
4. None: then a conservative rule. Every word written in the book's own script
   counts as the language's, so a book in a language without a lexicon gets no
   flood of candidates; only words in another script (a Latin `meshrep` in a
   Uyghur book) can be foreign.

A word in another script than the book's is never one of its words, whatever the
lexicon: `Қазақстан` is foreign to a Russian book, `oralmans` to any book but an
English one (and there it is not in the lexicon).
"""

from __future__ import annotations

import functools
import glob
import os
import shutil
import subprocess
from collections.abc import Iterable

from diaspora_book.annotate.word_list import WordList, spellchecker_words
from diaspora_book.languages.book_language import book_script, script_of

HUNSPELL_DIRS = ("/usr/share/hunspell", "/usr/share/myspell")
# Languages whose Hunspell dictionary was tried on articles and knows their inflections.
HUNSPELL_LANGUAGES = frozenset({"ru", "de", "fr", "tr"})
# pyspellchecker's word lists (its `resources/` folder), for languages Hunspell lacks.
_WORD_LISTS = frozenset({"ar", "de", "es", "eu", "fa", "fr", "it", "lv", "nl", "pt", "ru"})


class Lexicon:
    """The words of one language: `knows(word)` says whether a word is one of them."""

    def __init__(self, tag: str):
        self.tag = tag
        self.script = book_script(tag)
        self.kind = "script"  # the conservative rule, unless a lexicon is found below

    def knows(self, word: str) -> bool:
        """Return whether `word` (any case) is an ordinary word of the language."""
        return self._in_script(word)

    def learn(self, words: Iterable[str]) -> None:
        """Look `words` up ahead of `knows` (one Hunspell run for a whole book)."""

    def _in_script(self, word: str) -> bool:
        scripts = {script_of(c) for c in word} - {None}
        return scripts == {self.script} or (not scripts and self.script == "latin")


class _English(Lexicon):
    def __init__(self, tag: str):
        super().__init__(tag)
        self.kind = "pyspellchecker (English, with British spellings)"

    def knows(self, word: str) -> bool:
        from diaspora_book.annotate.english import is_english

        return is_english(word)


class _WordList(Lexicon):
    def __init__(self, tag: str, language: str):
        super().__init__(tag)
        self.kind = f"pyspellchecker ({language})"
        self.words = _word_list(language)

    def knows(self, word: str) -> bool:
        return self._in_script(word) and word.casefold() in self.words


class _Hunspell(Lexicon):
    def __init__(self, tag: str, dictionary: str):
        super().__init__(tag)
        self.kind = f"Hunspell ({os.path.basename(dictionary)})"
        self.dictionary = dictionary
        self.known: dict[str, bool] = {}

    def knows(self, word: str) -> bool:
        if not self._in_script(word):
            return False
        if word not in self.known:
            self.learn([word])
        return self.known[word]

    def learn(self, words: Iterable[str]) -> None:
        new = sorted({w for w in words if w and w not in self.known and "\n" not in w})
        if new:
            self.known.update(_hunspell(self.dictionary, new))


@functools.cache
def lexicon_for(tag: str) -> Lexicon:
    """Return the lexicon for the language `tag` (see the module docstring for which)."""
    language = tag.split("-")[0].lower()
    script = book_script(tag)
    if language == "en" and script == "latin":
        return _English(tag)
    if script == book_script(language):  # `kk-Latn` is not what `kk`'s dictionary spells
        dictionary = _hunspell_dictionary(language, tag) if language in HUNSPELL_LANGUAGES else None
        if dictionary:
            return _Hunspell(tag, dictionary)
        if language in _WORD_LISTS:
            return _WordList(tag, language)
    return Lexicon(tag)


def _hunspell_dictionary(language: str, tag: str) -> str | None:
    """Return the path (without .dic) of the best installed dictionary for `tag`."""
    if shutil.which("hunspell") is None:
        return None
    import icu

    likely = icu.Locale(icu.Locale.forLanguageTag(tag).getName())
    likely.addLikelySubtags()
    preferred = [f"{language}_{likely.getCountry()}", language]
    found: dict[str, str] = {}
    for folder in HUNSPELL_DIRS:
        for path in glob.glob(os.path.join(folder, f"{language}*.dic")):
            name = os.path.basename(path)[:-4]
            if name == language or name.startswith(language + "_"):
                found.setdefault(name, path[:-4])
    for name in preferred:
        if name in found:
            return found[name]
    return found[sorted(found)[0]] if found else None


def _hunspell(dictionary: str, words: list[str]) -> dict[str, bool]:
    """Ask Hunspell about `words`, one per line; return word -> known.

    `hunspell -L` prints back the lines that hold a word it does not know. Its pipe
    mode (`-a`) would also look for suggestions for every unknown word, which no one
    here reads and which costs most of the run: a Turkish Berlin's 2,000 words took
    46 s that way and take 0.3 s this way, with the same answers (tr, de, ru). A
    line without a letter is no word of any language, whatever Hunspell says.
    """
    done = subprocess.run(
        ["hunspell", "-L", "-i", "utf-8", "-d", dictionary],
        input="".join(f"{word}\n" for word in words),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if done.returncode != 0:  # no answer at all: treat every word as unknown, as before
        return dict.fromkeys(words, False)
    unknown = set(done.stdout.split("\n"))
    return {word: word not in unknown and any(c.isalpha() for c in word) for word in words}


@functools.cache
def _word_list(language: str) -> WordList:
    return spellchecker_words(language)
