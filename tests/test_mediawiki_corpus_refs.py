"""Real articles of several Wikipedias: their references become bibliography entries,
and their dropped templates leave no `()`, `(, )`, `, ,` or emptied list items.

Books are built from `../shared/wikipedia/` (see its SOURCES.md) where the files lie;
the tests skip, saying why, when that folder is absent. Only the PDF is built.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from diaspora_book.build import BuildRequest, build
from diaspora_book.project.config import load_project

from .conftest import make_project
from .readers import pdf_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "wikipedia"
pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(
        not SHARED.is_dir(), reason=f"the real articles are not here: {SHARED} is absent"
    ),
]
# What a dropped template used to leave: empty brackets, a bracket opened on a comma, two
# commas with nothing between, a list item of a year and commas ("• 1993: , ,").
FURNITURE = re.compile(r"\(\s*[,;،]?\s*\)|\(\s*[,;،]\s|[,،]\s*[,،]|（\s*）|•\s*[\d\s:.,]*$", re.M)
# Furniture the article itself writes (the comma explained in the French article).
ALLOWED = ("comma (,)",)


def _book(tmp_path_factory, name: str, language: str, files: tuple[str, ...]) -> tuple[str, str]:
    """Build a PDF of `files` (paths under ../shared/wikipedia); its text and its References."""
    root = make_project(
        tmp_path_factory.mktemp("corpus") / name, {}, f"title: {name}\nlanguage: {language}\n"
    )
    for file in files:
        (root / "articles" / Path(file).name).symlink_to(SHARED / file)
    report = build(load_project(root), BuildRequest(formats=("pdf",)))
    pdf = next(p for p in report.outputs if p.suffix == ".pdf")
    text = pdf_text(pdf)
    return text, _references(text)


def _references(text: str) -> str:
    """The text after the last "References" heading (any catalogue's word for it)."""
    words = ("References", "Kaynakça", "Список литературы", "Литература", "Literatur",
             "Bibliographie", "Références", "参考文献", "منابع", "מקורות", "Kaynaklar",
             "Quellen", "Источники", "Einzelnachweise", "Literaturverzeichnis")  # fmt: skip
    starts = [m.start() for w in words for m in re.finditer(rf"^[ \t]*{w}[ \t]*$", text, re.M)]
    return text[max(starts) :] if starts else ""


def _furniture(text: str) -> list[str]:
    found = []
    for match in FURNITURE.finditer(text):
        around = text[max(0, match.start() - 30) : match.end() + 10]
        if not any(allowed in around for allowed in ALLOWED):
            found.append(around)
    return found


BOOKS = {
    "tr": ("tr", ("xml/trwiki-Berlin.xml",)),
    "ru": ("ru", ("xml/ruwiki-Berlin.xml", "wiki/ru/Contrada.wiki")),
    "fa": ("fa", ("xml/fawiki-Berlin.xml",)),
    "he": ("he", ("xml/hewiki-Berlin.xml",)),
    "ja": ("ja", ("xml/jawiki-Berlin.xml",)),
    "de": ("de", ("wiki/de/Bazooka.wiki",)),
    "en": ("en", ("wiki/en/Senate_of_Pakistan.wiki", "wiki/en/Julia_Kristeva.wiki")),
}


@pytest.fixture(scope="module", params=sorted(BOOKS))
def book(request, tmp_path_factory):
    language, files = BOOKS[request.param]
    return request.param, *_book(tmp_path_factory, request.param, language, files)


def test_real_articles_leave_no_empty_brackets_stray_commas_or_emptied_items(book):
    name, text, _ = book
    assert _furniture(text) == [], name


def test_real_references_become_bibliography_entries(book):
    name, text, references = book
    expected = {
        "tr": ("Berlin's international city relations", "Arşivlenmiş kopya"),
        "ru": ("Географические названия мира", "Kleine Berlin-Geschichte"),
        "fa": ("New Europe: A vision of unity", "Lonely Planet"),
        "he": ("Hertha BSC", "Berlin Marathon"),
        "ja": (
            "Berlin Zoo culls creator of the cult of Knut",
            "Four Thousand Years of Urban Growth",
        ),
        "de": ("Bazooka",),
        "en": ("Kristeva",),
    }[name]
    assert references, f"{name}: no References section in the book"
    for title in expected:
        assert title in " ".join(references.split()), (name, title)


def test_the_turkish_berlin_has_no_empty_kaynakca_heading(book):
    name, text, references = book
    if name != "tr":
        pytest.skip("the Turkish book only")
    # The article's own "Kaynakça" heading stood over {{kaynakça}} alone: it is gone, and
    # the book's References hold the {{Web kaynağı}} entries.
    body = text[: text.rfind(references)] if references else text
    assert not re.search(r"^\s*Kaynakça\s*\n\s*Dış bağlantılar", body, re.M)
    assert "Dış bağlantılar" in body
    assert "Berlin Belediye Başkanı Bürosu" in " ".join(references.split())
    assert re.search(r"1993: Cakarta", text)  # the twin cities keep their names
