"""Script runs: which spans of text get a language tag."""

from diaspora_book.language import Run, script_runs


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
