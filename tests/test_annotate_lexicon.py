"""The lexicons that tell a language's own words from foreign terms (annotate/lexicon)."""

from __future__ import annotations

import shutil

import pytest

from diaspora_book.annotate.lexicon import _Hunspell, lexicon_for

needs_hunspell = pytest.mark.skipif(
    shutil.which("hunspell") is None, reason="hunspell is not installed: run scripts/setup.sh"
)


@needs_hunspell
@pytest.mark.parametrize(
    ("tag", "own", "foreign"),
    [
        ("tr", ["kitapların", "şehirlerinden", "başkentidir", "Almanya"], ["meshrep", "kegänlär"]),
        ("de", ["Ausstellungskataloge", "Hauptstadt", "größten"], ["meshrep", "yärlik"]),
        ("ru", ["поэзией", "столица", "городами"], ["мешреп", "сабаке"]),
    ],
)
def test_hunspell_knows_inflected_words_and_not_foreign_ones(tag, own, foreign):
    lexicon = lexicon_for(tag)
    assert isinstance(lexicon, _Hunspell), lexicon.kind
    lexicon.learn(own + foreign + ["1989", "köchäp kegän"])
    assert [w for w in own if not lexicon.knows(w)] == []
    assert [w for w in foreign if lexicon.knows(w)] == []
    assert not lexicon.knows("1989")  # no letter: no word of any language
    assert not lexicon.knows("köchäp kegän")  # one unknown word makes the line unknown


@needs_hunspell
def test_a_turkish_book_of_words_is_looked_up_at_once():
    """Hunspell's pipe mode looked for suggestions for every unknown word: 2,000 words
    of the Turkish Berlin took 46 s. Asked for the unknown lines only, a few thousand
    words (every tenth one made up) come back with an answer each."""
    lexicon = _Hunspell("tr", lexicon_for("tr").dictionary)  # a fresh one: nothing learnt yet
    words = [
        f"{stem}{suffix}"
        for stem in ("ev", "şehir", "kitap", "okul")
        for suffix in ("", "ler", "lerin", "de", "den", "imiz", "inizden")
    ]
    made_up = [f"qxz{n}wq" for n in range(300)]
    lexicon.learn(words + made_up)
    assert len(lexicon.known) == len(set(words + made_up))
    assert sum(lexicon.known[w] for w in made_up) == 0


@pytest.mark.parametrize("language", ["en", "es", "fa"])
def test_a_word_list_holds_exactly_pyspellchecker_s_words(language):
    """The compact word list (annotate/word_list.py) reads pyspellchecker's JSON itself:
    it must give the words pyspellchecker gives, no more and no fewer."""
    from spellchecker import SpellChecker

    from diaspora_book.annotate.word_list import spellchecker_words

    words = spellchecker_words(language)
    theirs = frozenset(SpellChecker(language=language, distance=1).word_frequency.dictionary)
    assert len(words) == len(theirs) > 10_000
    assert set(words) == theirs
    assert all(word in words for word in theirs)
    assert not any(word + "\u0301" in words or "q" + word in words for word in list(theirs)[:500])


def test_a_word_list_finds_its_first_and_last_words_and_nothing_between():
    from diaspora_book.annotate.word_list import WordList

    words = WordList(["yurt", "aul", "yurt", "kumis"])
    assert len(words) == 3 and list(words) == ["aul", "kumis", "yurt"]
    assert [w in words for w in ("aul", "kumis", "yurt")] == [True, True, True]
    assert [w in words for w in ("", "a", "aulx", "zz", "kumis\nyurt", 3)] == [False] * 6
    assert len(WordList([])) == 0 and "aul" not in WordList([])
