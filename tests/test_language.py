"""Script runs: which spans of text get a language tag."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diaspora_book.languages.book_language import (
    DEFAULT_LANGUAGES,
    BookLanguage,
    Run,
    book_script,
    direction_of,
    joins_run,
    script_of,
    script_pieces,
    script_runs,
)


def test_arabic_run_with_inner_space_is_one_run():
    assert script_runs("Qazaqstandyktar, قازاقىستانلىق ئۇيغۇرلار), form") == [
        Run("Qazaqstandyktar, ", None),
        Run("قازاقىستانلىق ئۇيغۇرلار", "arabic"),
        Run("), form", None),
    ]


def test_han_hangul_cyrillic_runs():
    runs = script_runs("Bào (哈萨克斯坦华侨报, lit.) 고려인 and Қазақстан.")
    assert [(r.text, r.script) for r in runs if r.script] == [
        ("哈萨克斯坦华侨报", "han"),
        ("고려인", "hangul"),
        ("Қазақстан", "cyrillic"),
    ]
    assert "".join(r.text for r in runs) == "Bào (哈萨克斯坦华侨报, lit.) 고려인 and Қазақстан."


def test_latin_with_diacritics_is_not_foreign_script():
    assert script_runs("Qazaqstandağy ūiğyrlar") == [Run("Qazaqstandağy ūiğyrlar", None)]


# Latin, Latin with diacritics, common punctuation above U+036F, Arabic, Han, Cyrillic,
# a combining mark and the characters allowed inside a run.
_MIXED = "aZ ,.(āğǎ–’“" + "قازئۇ" + "哈萨克" + "Қаз" + "\u0670\u0301" + " \u00a0-'·"


@given(st.text(alphabet=_MIXED, max_size=40))
def test_runs_cover_the_text_and_every_scripted_character_is_tagged(text):
    runs = script_runs(text)
    assert "".join(r.text for r in runs) == text
    for run in runs:
        if run.script is None:
            assert all(script_of(c) in (None, "latin") for c in run.text), run
        else:
            assert script_of(run.text[0]) == run.script, run
            last = run.text[-1]
            assert script_of(last) == run.script or joins_run(last, run.script), run


# ---- scripts from Unicode's data, and the language of a run ----------------------


@pytest.mark.parametrize(
    ("char", "script"),
    [
        ("ཀ", "tibetan"),
        ("क", "devanagari"),
        ("ሀ", "ethiopic"),
        ("ა", "georgian"),
        ("ก", "thai"),
        ("한", "hangul"),
        ("あ", "kana"),
        ("ア", "kana"),
        ("，", "han"),  # full-width punctuation goes with the CJK text around it
        ("a", "latin"),
        ("1", None),
        ("\u0301", None),
    ],
)
def test_every_script_is_known(char, script):
    assert script_of(char) == script


def test_kana_with_kanji_is_japanese_not_chinese():
    assert BookLanguage().runs("Tokyo (東京は日本の首都です) and 北京") == [
        ("Tokyo (", None, None),
        ("東京は日本の首都です", "ja", None),
        (") and ", None, None),
        ("北京", "zh", None),
    ]


def test_kazakh_cyrillic_is_told_from_russian():
    runs = BookLanguage().runs("Алматы, Қазақстан, Київ")
    assert runs == [
        ("Алматы", "ru", None),
        (", ", None, None),
        ("Қазақстан", "kk", None),
        (", ", None, None),
        ("Київ", "ru", None),  # і with ї is Ukrainian, not Kazakh: the map's Cyrillic
    ]
    # ... unless book.yml names the language of Cyrillic itself.
    named = BookLanguage("en", {**DEFAULT_LANGUAGES, "cyrillic": "tt"}, frozenset({"cyrillic"}))
    assert named.runs("Қазақстан")[0][1] == "tt"


@pytest.mark.parametrize(
    "tag, own",
    [
        ("ky", "Берлин — Германиянын борбору, үчүнчү чоң шаары"),  # ң ү ө are Kyrgyz too
        ("tt", "Берлин — Германиянең башкаласы һәм иң зур шәһәре"),
        ("tg", "Берлин — пойтахти Олмон ва шаҳри калонтарин ғ қ"),
        ("ba", "Берлин — Германияның баш ҡалаһы һәм иң ҙур ҡалаһы"),  # CLDR: no ba alphabet
        ("uk", "Берлін — столиця і найбільше місто Німеччини"),
    ],
)
def test_a_cyrillic_book_s_own_words_are_never_tagged_kazakh(tag, own):
    book = BookLanguage(tag)
    assert book.runs(own) == [(own, None, None)]
    # a Kazakh name in it, with letters its alphabet lacks, still is
    if tag != "ba":
        assert book.runs("Ұлытау")[0][1] == "kk"


def test_a_russian_book_tags_only_what_is_not_russian():
    assert BookLanguage("ru").runs("Казахи — Қазақтар, по-уйгурски قازاق.") == [
        ("Казахи — ", None, None),
        ("Қазақтар", "kk", None),
        (", по-уйгурски ", None, None),
        ("قازاق", "ug", "rtl"),
        (".", None, None),
    ]


def test_in_a_right_to_left_book_left_to_right_runs_get_dir_ltr():
    assert BookLanguage("ug").runs("ئۇيغۇر Almaty 哈萨克") == [
        ("ئۇيغۇر Almaty ", None, None),  # Latin has no language of its own by default
        ("哈萨克", "zh", "ltr"),
    ]


@pytest.mark.parametrize(
    ("tag", "script", "direction"),
    [
        ("ug", "arabic", "rtl"),
        ("ug-Latn", "latin", "ltr"),
        ("kk", "cyrillic", "ltr"),
        ("kk-Arab", "arabic", "rtl"),
        ("zh-Hant", "han", "ltr"),
        ("he", "hebrew", "rtl"),
        ("ur", "arabic", "rtl"),
        ("fa", "arabic", "rtl"),
        ("ja", "kana", "ltr"),
    ],
)
def test_a_language_s_script_and_direction_come_from_cldr(tag, script, direction):
    assert (book_script(tag), direction_of(tag)) == (script, direction)


def test_a_word_never_spans_two_scripts():
    assert script_pieces("ү五个字母") == [(0, "ү"), (1, "五个字母")]
    assert script_pieces("meshrep") == [(0, "meshrep")]


def test_han_in_a_japanese_passage_is_japanese():
    """A Han word cut off from the kana by Latin letters is still Japanese in Japanese text."""
    runs = BookLanguage().runs("ベルリンはドイツの首都です。Berlin 都市州。")
    assert ("都市州。", "ja", None) in runs
    assert {language for _, language, _ in runs} == {"ja", None}
