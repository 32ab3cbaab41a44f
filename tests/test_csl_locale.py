"""The References in the book's language: the shipped CSL locales, rendered by pandoc.

pandoc's citeproc has no Kazakh, Uyghur, Kyrgyz, Uzbek, Tajik, Tatar, Bashkir or Urdu
locale; the package ships them and adds them to the style pandoc reads. These tests
render with the wheel's pandoc itself: every term of en-US comes out in the book's
language, ordinals agree with the vowel of the number word, a lone year stays bare,
Russian/German/Chinese keep pandoc's own locales, a project's own style keeps its own
wording, and a Kyrgyz book's PDF says when its sources were read in Kyrgyz.
"""

from __future__ import annotations

import json
import re
import shutil
from importlib import resources
from pathlib import Path

import pytest
from lxml import etree

from diaspora_book.annotate.citations import Bibliography
from diaspora_book.annotate.project import Annotations, default_csl, load_annotations
from diaspora_book.build import BuildRequest, build
from diaspora_book.languages import csl_locale
from diaspora_book.plumbing import cache
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.project.config import load_project
from diaspora_book.project.fonts import installed_coverage
from diaspora_book.render.html import convert

from .readers import pdf_text

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
# Words a language writes as English does (the test of every term would take them for
# English that fell back).
SAME_AS_ENGLISH = {
    "uz": {
        ("film", "long"),
        ("film", "short"),
        ("internet", "long"),
        ("preprint", "long"),
        ("article", "long"),  # a preprint
        ("patent", "long"),
        ("opus", "long"),
        ("opus", "short"),  # op.
    },
    "ur": {  # Urdu quotes as English does: “” and ‘’
        ("open-quote", "long"),
        ("close-quote", "long"),
        ("open-inner-quote", "long"),
        ("close-inner-quote", "long"),
    },
}
# Every locale the package ships, by the language of its file name (locales-<tag>.xml).
SHIPPED = sorted(
    entry.name[len("locales-") : -len(".xml")]
    for entry in (resources.files("diaspora_book") / "csl").iterdir()
    if entry.name.startswith("locales-") and entry.name.endswith(".xml")
)
NEW = ["ky", "uz", "tg", "tt", "ba", "ur"]  # the languages of issue 20's Wikipedias


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


def test_the_package_ships_a_locale_for_each_language_pandoc_lacks():
    assert SHIPPED == sorted(["kk", "ug", *NEW])
    for language in SHIPPED:
        assert csl_locale.has_csl_locale(language)
        assert csl_locale.language_and_script(language)[0] not in csl_locale.PANDOC_LOCALES


@pytest.mark.parametrize("language", SHIPPED)
def test_a_shipped_locale_is_well_formed_and_has_every_term_once(language):
    text = (resources.files("diaspora_book") / "csl" / f"locales-{language}.xml").read_text(
        encoding="utf-8"
    )
    root = etree.fromstring(text.encode("utf-8"))  # raises on a malformed file
    ns = {"csl": csl_locale.CSL_NS}
    assert root.tag == f"{{{csl_locale.CSL_NS}}}locale"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    assert text.lstrip().startswith('<?xml version="1.0" encoding="utf-8"?>\n<locale')
    assert "<!--" in text.split("<info>")[0]  # it says what it is and where its words come from
    terms = [(t.get("name"), t.get("form", "long")) for t in root.iterfind(".//csl:term", ns)]
    assert len(terms) == len(set(terms))
    missing = [term for term in en_us_terms() if term not in set(terms)]
    assert missing == []
    assert {d.get("form") for d in root.iterfind("csl:date", ns)} == {"text", "numeric"}
    assert root.find("csl:style-options", ns) is not None


@pytest.mark.parametrize("language", SHIPPED)
def test_every_character_of_a_locale_has_a_font(language):
    covered = installed_coverage()
    assert covered is not None, "fontconfig is missing"
    locale = csl_locale.locale_for(language)
    assert locale is not None
    root = etree.fromstring(locale.encode("utf-8"))
    words = "".join(
        "".join(t.itertext()) for t in root.iter(f"{{{csl_locale.CSL_NS}}}term")
    ) + "".join(
        d.get("prefix", "") + d.get("suffix", "")
        for d in root.iter(f"{{{csl_locale.CSL_NS}}}date-part")
    )
    assert {c for c in words if ord(c) not in covered and not c.isspace()} == set()


@pytest.mark.parametrize("language", SHIPPED)
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
        if text == en
        and tuple(term.split(":")) not in SAME_EVERYWHERE | SAME_AS_ENGLISH.get(language, set())
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


# An ordinal after a figure, by the vowel of the number word (Tatar, Bashkir), after a
# vowel (Tajik "дуюм", "сеюм", "сиюм"), or a bare hyphen (Kyrgyz, Uzbek); Tatar's
# follows a space, as in CLDR's "1 нче квартал".
ORDINALS = {
    "tt": ["1 нче", "2 нче", "6 нчы", "9 нчы", "10 нчы", "12 нче", "20 нче", "30 нчы", "50 нче"],
    "ba": ["1-се", "2-се", "3-сө", "6-сы", "10-сы", "13-сө", "20-се", "30-сы", "100-сө"],
    "tg": ["1-ум", "2-юм", "3-юм", "4-ум", "10-ум", "12-ум", "22-юм", "30-юм", "100-ум"],
    "ky": ["1-", "2-", "3-", "6-", "10-", "12-", "20-", "30-", "100-"],
    "uz": ["1-", "2-", "3-", "6-", "10-", "12-", "20-", "30-", "100-"],
}


@pytest.mark.parametrize("language", sorted(ORDINALS))
def test_ordinals_after_a_figure_follow_the_number_word(tmp_path, language):
    style = tmp_path / "ordinals.csl"
    style.write_text(
        term_style([]).replace(
            '<group delimiter="|"></group>',
            '<number variable="edition" form="ordinal"/>',
        ),
        encoding="utf-8",
    )
    editions = [_leading_number(e) for e in ORDINALS[language]]
    items = [{"id": f"e{n}", "type": "book", "title": f"{n:03d}", "edition": n} for n in editions]
    found = [" ".join(e.split()) for e in render(tmp_path, style, language, items).split("\n\n")]
    assert sorted(found, key=_leading_number) == ORDINALS[language]


def _leading_number(text: str) -> int:
    return int(re.findall(r"^\d+", text)[0])


# A date as each language writes it whole, without its day, and a lone year: a year's
# affix would follow the year alone too, so no locale puts one there.
DATES = {
    "ky": ["2024-ж., 3-июнь", "2024-июнь", "2024"],
    "uz": ["3-iyun, 2024", "iyun, 2024", "2024"],
    "tg": ["3 июн 2024", "июн 2024", "2024"],
    "tt": ["2024 ел, 3 июнь", "2024 июнь", "2024"],
    "ba": ["3 июнь, 2024", "июнь, 2024", "2024"],
    "ur": ["3 جون، 2024", "جون، 2024", "2024"],
}


@pytest.mark.parametrize("language", sorted(DATES))
def test_dates_follow_cldr_and_a_lone_year_stays_bare(tmp_path, language):
    style = tmp_path / "dates.csl"
    style.write_text(
        term_style([]).replace(
            '<group delimiter="|"></group>',
            '<date variable="issued" form="text"/><text value="|"/>'
            '<date variable="issued" form="text" date-parts="year"/>',
        ),
        encoding="utf-8",
    )
    parts = [[2024, 6, 3], [2024, 6]]
    items = [
        {"id": f"d{i}", "type": "book", "title": f"{i}", "issued": {"date-parts": [p]}}
        for i, p in enumerate(parts)
    ]
    found = [
        " ".join(line.split()) for line in render(tmp_path, style, language, items).split("\n\n")
    ]
    assert found == [f"{DATES[language][0]}|2024", f"{DATES[language][1]}|2024"]


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
    "ky": ["жана", "редакторлору:", "которгон:", "ж. жок", "Каралган күнү 2024-ж., 3-июнь"],
    "uz": ["va", "muharrirlari:", "tarjima qilgan:", "sanasiz", "Murojaat sanasi 3-iyun, 2024"],
    "tg": ["ва", "зери таҳрири", "тарҷумаи", "б. с.", "Санаи муроҷиат 3 июн 2024", "2-юм нашр"],
    "tt": ["һәм", "мөхәррирләре:", "тәрҗемә иткән:", "е. юк", "Каралган көне 2024 ел, 3 июнь"],
    "ba": ["һәм", "мөхәррирҙәре:", "тәржемә иткән:", "й. юҡ", "Ҡаралған көнө 3 июнь, 2024"],
    "ur": ["اور", "مرتبہ", "ترجمہ:", "بلا تاریخ", "اخذ شدہ بتاریخ 3 جون، 2024", "2واں ایڈیشن"],
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
    assert len(generated) == (1 if language in SHIPPED else 0)


@pytest.mark.parametrize("language", ["ug", "ur"])
def test_arabic_script_references_use_the_arabic_comma(tmp_path, language):
    text = render(tmp_path, default_csl(), language, ITEMS)
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
    for language in NEW:
        assert csl_locale.locale_for(language) is not None
    assert csl_locale.locale_for("uz-Latn-UZ") is not None
    assert csl_locale.locale_for("uz-Cyrl") is None  # Uzbek in Cyrillic: not the Latin words
    assert csl_locale.locale_for("uz-Arab-AF") is None
    assert csl_locale.locale_for("ky-Cyrl-KG") is not None
    assert csl_locale.locale_for("tg-Arab") is None
    assert csl_locale.locale_for("tt-Latn") is None
    assert csl_locale.locale_for("ur-IN") is not None


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

    assert warnings("uz-Cyrl", True) == [
        "book.yml:2: warning: no CSL locale for language 'uz-Cyrl': the citations and "
        "References will use English terms ('and', 'edited by', 'n.d.', month names) "
        '(add a <locale xml:lang="uz-Cyrl"> with its terms to a CSL style of your own and '
        "name it under 'csl:' in book.yml)"
    ]
    assert warnings("uz-Cyrl", False) == []
    for language in NEW:
        assert warnings(language, True) == []
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


# A Kyrgyz book whose one chapter cites a web page read on 3 June 2024, a book with two
# editors and a translator, and a page with no date.
KYRGYZ_ARTICLE = """= Кыргызстандагы уйгурлар =

Уйгурлар Кыргызстанда негизинен Бишкек шаарында жана Чүй облусунда жашашат.

Алгачкы уйгурлар Жети-Сууга 1881-жылы Кулжадан көчүп келишкен.
"""
KYRGYZ_BIB = """@online{uigurlar,
  author       = {Асанова, Гүлзат and Токтогулов, Бакыт},
  title        = {Кыргызстандагы уйгурлар},
  organization = {Википедия},
  url          = {https://ky.wikipedia.org/wiki/Уйгурлар},
  urldate      = {2024-06-03},
}

@incollection{kochuu,
  author    = {Абдыкадыров, Марат},
  title     = {Көчүү жана отурукташуу},
  booktitle = {Кыргызстандын элдери},
  editor    = {Осмонова, Айгүл and Жумабаев, Нурлан},
  translator = {Бекова, Сейил},
  publisher = {Илим},
  address   = {Бишкек},
  year      = {2018},
  edition   = {2},
}
"""
KYRGYZ_RULES = """rules:
  - phrase: 1881-жылы Кулжадан көчүп келишкен
    cite: kochuu
"""


def test_a_kyrgyz_book_s_references_are_kyrgyz_in_its_pdf(project_factory):
    root = project_factory(
        {"uigurlar.txt": KYRGYZ_ARTICLE},
        "title: Кыргызстандагы диаспоралар\nlanguage: ky\nchapters:\n  - uigurlar\n",
    )
    (root / "references.bib").write_text(KYRGYZ_BIB, encoding="utf-8")
    (root / "citations.yml").write_text(KYRGYZ_RULES, encoding="utf-8")
    report = build(load_project(root), BuildRequest(strict=True, jobs=1))
    pdf = next(p for p in report.outputs if p.suffix == ".pdf")
    text = " ".join(pdf_text(pdf).split())
    for words in [
        "Каралган күнү 2024-ж., 3-июнь",  # accessed, CLDR's Kyrgyz date
        "Асанова, Гүлзат, жана Бакыт Токтогулов",
        "Китепте: Кыргызстандын элдери, 2- бас., редакторлору: Айгүл Осмонова жана "
        "Нурлан Жумабаев, которгон: Сейил Бекова. Илим.",
        "ж. жок. «Кыргызстандагы уйгурлар»",  # no date, Kyrgyz quotes
        "көчүп келишкен (Абдыкадыров 2018).",  # the citation: a lone year stays bare
    ]:
        assert words in text, (words, text)
    english = ["Accessed", "June", "and", "edited", "translated", "by", "ed.", "n.d.", "In:"]
    assert [w for w in english if w in text.split()] == []
    assert [str(d) for d in report.diagnostics if "CSL" in str(d)] == []
