"""The References in the book's language: the shipped CSL locales, rendered by pandoc.

pandoc's citeproc has no Kazakh or Uyghur locale; the package ships them and adds
them to the style pandoc reads. These tests render with the wheel's pandoc itself:
every term of en-US comes out in the book's language, ordinals agree with Kazakh
vowel harmony, Russian/German/Chinese keep pandoc's own locales, and a project's own
style keeps its own wording.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from diaspora_book.annotate.citations import Bibliography
from diaspora_book.annotate.project import Annotations, default_csl, load_annotations
from diaspora_book.languages import csl_locale
from diaspora_book.plumbing import cache
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.project.config import load_project
from diaspora_book.render.html import convert

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "csl"
# Terms whose every language writes them alike: symbols, punctuation, the empty timestamp.
SAME_EVERYWHERE = {
    ("and", "symbol"),
    ("at", "symbol"),
    ("paragraph", "symbol"),
    ("section", "symbol"),
    ("page-range-delimiter", "long"),
    ("timestamp", "long"),
    ("timestamp", "short"),
}


def en_us_terms() -> list[tuple[str, str]]:
    """Every (term, form) of the en-US locale inside pandoc 3.9 (its fallback)."""
    lines = (FIXTURES / "en-US-terms.tsv").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if not line.startswith("#")]  # type: ignore[misc]


def term_style(terms: list[tuple[str, str]]) -> str:
    """A CSL style whose one bibliography entry prints `name:form→text` for each term,
    '|' between them (a term that is empty still leaves its name)."""
    texts = "".join(
        f'<group delimiter="→"><text value="{name}:{form}"/><text term="{name}" form="{form}"/>'
        "</group>"
        for name, form in terms
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Terms</title><id>terms</id><updated>2025-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout><group delimiter="|">{texts}</group></layout></bibliography>
</style>
"""


def render(tmp_path: Path, style: Path, language: str, items: list[dict], layout="") -> str:
    """Render every item of a CSL-JSON bibliography with `style`, as plain text."""
    bibliography = tmp_path / "refs.json"
    bibliography.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    notes = Annotations(
        bibliography=Bibliography(bibliography),
        csl=style,
        language=language,
        generated=tmp_path / "generated",
    )
    cites = "; ".join(f"@{item['id']}" for item in items)
    markdown = f"[{cites}]\n\n⁂\n\n::: {{#refs}}\n:::\n"
    text = convert(markdown, "plain", [*notes.pandoc_args(), f"--metadata=lang:{language}"])
    return text.split("⁂", 1)[1].strip()


@pytest.mark.parametrize("language", ["kk", "ug"])
def test_every_term_en_us_has_comes_out_in_the_language(tmp_path, language):
    # Bare punctuation merges with the text around it; the Uyghur comma has a test below.
    terms = [t for t in en_us_terms() if t[0] not in ("colon", "comma", "semicolon")]
    style = tmp_path / "terms.csl"
    style.write_text(term_style(terms), encoding="utf-8")
    item = [{"id": "x", "type": "book", "title": "x"}]
    words = _worded(render(tmp_path, style, language, item))
    english = _worded(render(tmp_path, style, "en", item))
    assert list(words) == list(english) == [f"{name}:{form}" for name, form in terms]
    fallen_back = [
        (term, text)
        for (term, text), en in zip(words.items(), english.values(), strict=True)
        if text == en and tuple(term.split(":")) not in SAME_EVERYWHERE
    ]
    assert fallen_back == []


def _worded(text: str) -> dict[str, str]:
    """`name:form→text|...` -> {"name:form": "text"} (line breaks of plain text undone)."""
    pairs = (part.partition("→") for part in " ".join(text.split()).split("|"))
    return {key.strip(): value.strip() for key, _, value in pairs}


def test_kazakh_ordinals_follow_the_vowel_of_the_last_number_word(tmp_path):
    style = tmp_path / "ordinals.csl"
    style.write_text(
        term_style([]).replace(
            '<group delimiter="|"></group>',
            '<number variable="edition" form="ordinal"/>',
        ),
        encoding="utf-8",
    )
    editions = [1, 2, 6, 9, 10, 11, 13, 20, 40, 50, 60, 70, 100]
    items = [{"id": f"e{n}", "type": "book", "title": f"{n:03d}", "edition": n} for n in editions]
    found = render(tmp_path, style, "kk", items).split()
    assert sorted(found, key=lambda s: int(s.split("-")[0])) == [
        "1-ші",  # бірінші
        "2-ші",  # екінші
        "6-шы",  # алтыншы
        "9-шы",  # тоғызыншы
        "10-шы",  # оныншы
        "11-ші",  # он бірінші
        "13-ші",  # он үшінші
        "20-шы",  # жиырмасыншы
        "40-шы",  # қырқыншы
        "50-ші",  # елуінші
        "60-шы",  # алпысыншы
        "70-ші",  # жетпісінші
        "100-ші",  # жүзінші
    ]


# One entry of each kind the References commonly hold; the web page has no date.
ITEMS = [
    {
        "id": "book",
        "type": "book",
        "title": "Тарих",
        "author": [{"family": "Сейітов", "given": "Бақыт"}, {"family": "Ким", "given": "Ольга"}],
        "publisher": "Алаш",
        "issued": {"date-parts": [[2019]]},
        "edition": "2",
    },
    {
        "id": "chapter",
        "type": "chapter",
        "title": "Көш",
        "author": [{"family": "Ахметова", "given": "Гүлнар"}],
        "container-title": "Халықтар",
        "editor": [{"family": "Әбенов", "given": "Марат"}, {"family": "Оспан", "given": "Ай"}],
        "translator": [{"family": "Бекова", "given": "Сәуле"}],
        "publisher": "Ғылым",
        "issued": {"date-parts": [[2018]]},
    },
    {
        "id": "web",
        "type": "webpage",
        "title": "Дүнгендер",
        "author": [{"family": "Омаров", "given": "Дәурен"}],
        "URL": "https://example.org/d",
        "accessed": {"date-parts": [[2024, 6, 3]]},
    },
]
# What the Chicago style says for ITEMS, in each book language: pandoc's own locale
# for Russian, German and Chinese, the shipped one for Kazakh and Uyghur.
WORDED = {
    "kk": ["және", "редакторлары:", "аударған:", "ж. жоқ", "Қаралған күні 2024 ж. 3 маусым"],
    "ug": ["ۋە", "مۇھەررىرلىرى:", "تەرجىمە قىلغان:", "يىلى يوق", "كۆرۈلگەن ۋاقتى 3-ئىيۇن، 2024"],
    "ru": ["и", "под редакцией", "переведено", "б. д.", "Просмотрено 3 июнь 2024 г."],
    "de": ["und", "herausgegeben von", "übersetzt von", "o. J.", "Zugegriffen 3. Juni 2024"],
    "zh-Hans": ["和", "编辑", "翻译", "不详", "见于 2024年6月3日"],
}
ENGLISH = ["and", "edited", "translated", "n.d.", "Accessed", "June", "ed."]


@pytest.mark.parametrize("language", sorted(WORDED))
def test_the_references_are_worded_in_the_book_language(tmp_path, language):
    text = " ".join(render(tmp_path, default_csl(), language, ITEMS).split())
    for words in WORDED[language]:
        assert words.lower() in text.lower(), (words, text)
    assert [w for w in ENGLISH if w in text.split()] == []
    generated = list((tmp_path / "generated").glob("*.csl"))
    # pandoc's own locale where it has one: the packaged style goes to pandoc unchanged.
    assert len(generated) == (1 if language in ("kk", "ug") else 0)


def test_uyghur_references_use_the_arabic_comma(tmp_path):
    text = render(tmp_path, default_csl(), "ug", ITEMS)
    assert "ئاخمېتوۋا" not in text  # the names stay as written
    assert "Ахметова، Гүлнар" in text
    assert "," not in text.replace("https://example.org/d", "")


def test_a_project_style_gets_the_locale_and_keeps_its_own_terms(tmp_path):
    own = (
        default_csl()
        .read_text(encoding="utf-8")
        .replace(
            '<locale xml:lang="en">',
            '<locale xml:lang="kk"><terms><term name="and">мен</term></terms></locale>\n'
            '  <locale xml:lang="en">',
        )
    )
    style = tmp_path / "styles" / "own.csl"
    style.parent.mkdir()
    style.write_text(own, encoding="utf-8")
    text = " ".join(render(tmp_path, style, "kk", ITEMS).split())
    assert "Сейітов, Бақыт, мен Ольга Ким" in text  # the project's own word
    assert "Қаралған күні 2024 ж. 3 маусым" in text  # the shipped locale's
    assert style.read_text(encoding="utf-8") == own  # the project's file is not touched
    (generated,) = (tmp_path / "generated").glob("*.csl")
    assert generated.name.startswith("own.kk.")


def test_a_changed_style_gets_a_file_of_its_own_and_the_old_one_goes(tmp_path):
    style = tmp_path / "own.csl"
    style.write_text(default_csl().read_text(encoding="utf-8"), encoding="utf-8")
    first = csl_locale.citeproc_style(style, "kk", tmp_path / "generated")
    assert csl_locale.citeproc_style(style, "kk", tmp_path / "generated") == first
    style.write_text(style.read_text(encoding="utf-8").replace("Chicago", "Chicago!"), "utf-8")
    second = csl_locale.citeproc_style(style, "kk", tmp_path / "generated")
    assert second != first and second.is_file() and not first.exists()
    assert csl_locale.citeproc_style(style, "ru", tmp_path / "generated") == style


def test_a_locale_goes_only_to_the_script_it_is_written_in():
    assert csl_locale.locale_for("kk") is not None
    assert csl_locale.locale_for("kk-Cyrl-KZ") is not None
    assert csl_locale.locale_for("ug-CN") is not None
    assert csl_locale.locale_for("kk-Latn") is None
    assert csl_locale.locale_for("ug-Cyrl") is None
    assert csl_locale.locale_for("ru") is None


def test_a_style_that_is_not_csl_is_one_clear_error(tmp_path):
    style = tmp_path / "broken.csl"
    style.write_text("<html>not a style</html>", encoding="utf-8")
    with pytest.raises(Exception) as caught:
        csl_locale.citeproc_style(style, "kk", tmp_path / "generated")
    assert str(caught.value) == (
        "error: broken.csl: not a CSL style (no <style> with macros, a citation or a "
        "bibliography) (give 'csl' a CSL 1.0 style)"
    )


def test_check_warns_once_when_citeproc_has_no_locale_for_the_language(project_factory):
    def warnings(language: str, bibliography: bool) -> list[str]:
        root = project_factory(
            {"a": "= A =\n\nText.\n"},
            f"title: T\nlanguage: {language}\n",
            name=f"{language}-{bibliography}",
        )
        if bibliography:
            (root / "references.bib").write_text("@misc{a, title = {A}}\n", encoding="utf-8")
        found = Diagnostics()
        load_annotations(load_project(root), found)
        return [str(d) for d in found]

    assert warnings("ky", True) == [
        "book.yml:2: warning: no CSL locale for language 'ky': the citations and "
        "References will use English terms ('and', 'edited by', 'n.d.', month names) "
        '(add a <locale xml:lang="ky"> with its terms to a CSL style of your own and '
        "name it under 'csl:' in book.yml)"
    ]
    assert warnings("ky", False) == []
    assert warnings("kk", True) == []
    assert warnings("ug", True) == []
    assert warnings("zh-Hans", True) == []


def test_the_cache_fingerprint_notices_a_changed_locale(tmp_path, monkeypatch):
    package = Path(str(cache.resources.files("diaspora_book")))
    copy = shutil.copytree(
        package, tmp_path / "diaspora_book", ignore=shutil.ignore_patterns("__pycache__")
    )
    monkeypatch.setattr(cache.resources, "files", lambda name: copy)
    before = cache.tool_fingerprint.__wrapped__()
    locale = copy / "csl" / "locales-kk.xml"
    locale.write_text(locale.read_text(encoding="utf-8").replace("және", "мен"), "utf-8")
    assert cache.tool_fingerprint.__wrapped__() != before


def test_every_file_the_package_ships_counts_in_the_fingerprint():
    package = Path(str(cache.resources.files("diaspora_book")))
    shipped = {
        p.suffix
        for p in package.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    assert shipped <= cache.FINGERPRINTED
