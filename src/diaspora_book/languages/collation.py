"""Sort keys and index letters for glossary and index entries, in the book's language.

ICU's collation with CLDR's tailoring for the language does the sorting: Russian
and Kazakh follow their alphabets (ә after а, қ after к, ұ and ү after у, һ after
х, і after ы), German files ä, ö, ü with a, o, u, Turkish keeps ç, ğ, ı, ö, ş, ü
as letters of their own (ı before i), Chinese sorts by pinyin, Uyghur by its
alphabet. Spaces and punctuation count only to break ties (ICU's "shifted"
alternate handling), as a book's index does.

The letter an entry is filed under is ICU's alphabetic index bucket for the same
collation (`AlphabeticIndex`): A-Z for English and German, pinyin initials for
Chinese, the Kazakh alphabet's 42 letters. A script the language's alphabet lacks
(a Latin term in a Russian book) gets the English letters; anything else, its own
first character.

Uyghur needs one repair: CLDR sorts the hamza carrier ئ before every letter, so all
words that begin with a vowel (ئالمۇتا, ئۇيغۇر, written with ئ) would come first. A
Uyghur dictionary files them under their vowel, in the alphabet's order (ئا ئە ...
ھ ئو ئۇ ئۆ ئۈ ۋ ئې ئى ي); the rules below make ئ + vowel sort as the vowel.
"""

from __future__ import annotations

import functools
import unicodedata

# Per language: ICU collation rules added to CLDR's, and how a letter heading is shown.
_UYGHUR_VOWELS = "اەوۇۆۈېى"
_EXTRA_RULES = {"ug": " ".join(f"&{vowel}<<\u0626{vowel}" for vowel in _UYGHUR_VOWELS)}


class Collation:
    """Sorts and files entries as a reader of the book's language expects."""

    def __init__(self, tag: str):
        import icu

        self.tag = tag
        self.language = tag.split("-")[0].lower()
        locale = icu.Locale.forLanguageTag(tag)
        collator = icu.Collator.createInstance(locale)
        extra = _EXTRA_RULES.get(self.language)
        if extra:
            collator = icu.RuleBasedCollator(collator.getRules() + " " + extra)
        collator.setAttribute(
            icu.UCollAttribute.ALTERNATE_HANDLING, icu.UCollAttributeValue.SHIFTED
        )
        self._collator = collator
        index = icu.AlphabeticIndex(collator)
        index.addLabels(locale)
        if not _latin(tag):
            index.addLabels(icu.Locale("en"))
        self._index = index.buildImmutableIndex()

    @staticmethod
    @functools.cache
    def for_language(tag: str) -> Collation:
        """Return the collation of the language `tag` (built once: ICU's setup is costly)."""
        return Collation(tag)

    def key(self, text: str) -> tuple[bytes, str]:
        """Return a sort key: ICU's, then the text itself, so the order is total."""
        return self._collator.getSortKey(text), text

    def letter(self, text: str) -> str:
        """Return the letter heading an entry is filed under ("Ü" -> "U" in English)."""
        label, kind = self._index.getBucket(self._index.getBucketIndex(text))
        if kind == 0:  # a letter of the alphabet, not underflow, inflow or overflow
            if self.language == "ug" and label in _UYGHUR_VOWELS:
                return "\u0626" + label  # vowels are written with the hamza carrier
            return label
        decomposed = unicodedata.normalize("NFD", text)
        first = next((c for c in decomposed if c.isalnum()), "")
        return first.upper() or "#"


@functools.cache
def _latin(tag: str) -> bool:
    from diaspora_book.languages.book_language import book_script

    return book_script(tag) == "latin"
