"""Tell an English word from a foreign term, for glossary candidates and index seeds.

The lexicon is pyspellchecker's English word list. Articles in British spelling
(`labourers`, `militarised`, `neighbouring`) and inflected forms (`ethnicities`)
are checked through their usual variants, so only words that are really not English
(`oralmans`, `meshrep`, `yärlik`) count as foreign.
"""

from __future__ import annotations

import functools
import re

from diaspora_book.annotate.word_list import WordList, spellchecker_words

# British spelling -> American, as (suffix pattern, replacement) on a lower-case word.
_VARIANTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"our(s|ed|ing|ers?|able|ite|ites|hood)?$"), r"or\1"),
    (re.compile(r"our(?=[a-z])"), "or"),
    (re.compile(r"is(e|ed|es|ing|ation|ations|er|ers)$"), r"iz\1"),
    (re.compile(r"ys(e|ed|es|ing)$"), r"yz\1"),
    (re.compile(r"tre(s)?$"), r"ter\1"),
    (re.compile(r"ll(ed|ing|er|ers)$"), r"l\1"),
    (re.compile(r"ogue(s)?$"), r"og\1"),
    (re.compile(r"ae"), "e"),
]
# Inflections -> stem.
_STEMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"ies$"), "y"),
    (re.compile(r"ied$"), "y"),
    (re.compile(r"es$"), ""),
    (re.compile(r"s$"), ""),
    (re.compile(r"'s$"), ""),
    (re.compile(r"ed$"), ""),
    (re.compile(r"ed$"), "e"),
    (re.compile(r"ing$"), ""),
    (re.compile(r"ing$"), "e"),
    (re.compile(r"ly$"), ""),
]


@functools.cache
def _lexicon() -> WordList:
    return spellchecker_words("en")


@functools.cache  # a pure function of the word; books repeat their words
def is_english(word: str) -> bool:
    """Return whether `word` (any case) is an English word, in any usual spelling or form."""
    lexicon = _lexicon()
    lower = word.casefold().replace("\u2019", "'")
    if "-" in lower.strip("-"):  # a compound is English when its parts are: `short-term`
        return all(is_english(part) for part in lower.split("-") if part)
    if not lower.isascii():
        return False  # English words in these articles carry no diacritics
    forms = {lower}
    for pattern, replacement in _VARIANTS:
        forms |= {pattern.sub(replacement, form) for form in forms}
    stems = set(forms)
    for form in forms:
        for pattern, replacement in _STEMS:
            if pattern.search(form):
                stems.add(pattern.sub(replacement, form))
    return any(form in lexicon for form in stems)
