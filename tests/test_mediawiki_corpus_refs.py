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
from .print_readers import pdftotext
from .readers import epub_text, pdf_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "wikipedia"
pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(
        not SHARED.is_dir(), reason=f"the real articles are not here: {SHARED} is absent"
    ),
]
# What a dropped template used to leave: empty brackets, a bracket opened on a comma, two
# commas with nothing between, a list item of a year and commas ("• 1993: , ,").
FURNITURE = re.compile(
    r"\(\s*[,;،]?\s*\)|\(\s*[,;،]\s|[,،][ \t]+[,،]|（\s*）|•\s*[\d\s:.,]*$", re.M
)
# Furniture the article itself writes (the comma explained in the French article).
ALLOWED = ("comma (,)",)
# The book's References heading, from its language's catalogue (English where none ships).
REFERENCES = {"tr": "Kaynakça", "ru": "Литература", "de": "Literatur"}
RTL = ("fa", "he")


def _book(tmp_path_factory, name: str, language: str, files: tuple[str, ...]) -> dict[str, str]:
    """Build `files` (paths under ../shared/wikipedia): the PDF's running text, its pages
    before the References and the References (raw pdftotext, in the order of the page),
    and for a right-to-left book the EPUB's text (pdftotext gives such lines in visual
    order, "(Dorotheenstadt)," as "(,)Dorotheenstadt")."""
    root = make_project(
        tmp_path_factory.mktemp("corpus") / name, {}, f"title: {name}\nlanguage: {language}\n"
    )
    for file in files:
        (root / "articles" / Path(file).name).symlink_to(SHARED / file)
    formats = ("pdf", "epub") if language in RTL else ("pdf",)
    report = build(load_project(root), BuildRequest(formats=formats))
    pdf = next(p for p in report.outputs if p.suffix == ".pdf")
    pages = pdftotext(pdf).split("\f")
    heading = REFERENCES.get(language, "References")
    opening = [i for i, page in enumerate(pages) if page.strip().split("\n")[0].strip() == heading]
    start = opening[0] if opening else len(pages)  # later pages: the running head
    book = {
        "running": pdf_text(pdf),
        "body": "\n".join(pages[:start]),
        "references": " ".join("\n".join(pages[start:]).split()),
    }
    if language in RTL:
        book["running"] = epub_text(next(p for p in report.outputs if p.suffix == ".epub"))
    return book


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
    "en": (
        "en",
        (
            "wiki/en/Senate_of_Pakistan.wiki",
            "wiki/en/Julia_Kristeva.wiki",
            "wiki/en/United_Kingdom.wiki",
        ),
    ),
}


@pytest.fixture(scope="module", params=sorted(BOOKS))
def book(request, tmp_path_factory):
    language, files = BOOKS[request.param]
    return request.param, _book(tmp_path_factory, request.param, language, files)


def test_real_articles_leave_no_empty_brackets_stray_commas_or_emptied_items(book):
    name, text = book
    assert _furniture(text["running"]) == [], name


def test_real_references_become_bibliography_entries(book):
    name, text = book
    expected = {
        "tr": ("Berlin's international city relations", "Arşivlenmiş kopya"),
        "ru": ("Географические названия мира", "Kleine Berlin-Geschichte"),
        "fa": ("New Europe: A vision of unity", "Lonely Planet"),
        "he": ("Hertha BSC", "Berlin Marathon"),
        "ja": (
            "Berlin Zoo culls creator of the cult of Knut",
            "Four Thousand Years of Urban Growth",
        ),
        "de": ("Rockets and Missiles",),
        "en": (
            "Twentieth-century French Philosophy",
            "Brief History of Senate",
            "Team GB Olympic name row still simmering in Northern Ireland",
        ),
    }[name]
    assert text["references"], f"{name}: no References section in the book"
    for title in expected:
        assert title in text["references"].replace("’", "'"), (name, title)


def test_the_turkish_berlin_has_no_empty_kaynakca_heading(book):
    name, text = book
    if name != "tr":
        pytest.skip("the Turkish book only")
    # The article's own "Kaynakça" heading stood over {{kaynakça}} alone: it is gone, and
    # the book's References hold the {{Web kaynağı}} entries.
    lines = [line.strip() for line in text["body"].split("\n") if line.strip()]
    assert "Dış bağlantılar" in lines
    assert lines[lines.index("Dış bağlantılar") - 1] != "Kaynakça"
    assert "Berlin Belediye Başkanı Bürosu" in text["references"]
    assert "1993: Cakarta, Endonezya" in text["running"]  # the twin cities keep their names
