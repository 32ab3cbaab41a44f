"""Script runs: which spans of text get a language tag."""

from hypothesis import given
from hypothesis import strategies as st

from diaspora_book.language import Run, joins_run, script_of, script_runs


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
