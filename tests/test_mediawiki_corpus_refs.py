"""Real articles of several Wikipedias: their references become bibliography entries,
and their dropped templates leave no `()`, `(, )`, `, ,` or emptied list items.

Books are built from `../shared/wikipedia/` (see its SOURCES.md) where the files lie;
the tests skip, saying why, when that folder is absent. Only the PDF is built.
"""

from __future__ import annotations

import re

import pytest

from diaspora_book.languages.labels import load_labels

from .corpus import CORPUS
from .print_readers import pdftotext
from .readers import epub_documents, epub_text, html_text, normalise

pytestmark = CORPUS
# What a dropped template used to leave: empty brackets, a bracket opened on a comma, two
# commas with nothing between, a list item of a year and commas ("• 1993: , ,").
FURNITURE = re.compile(
    r"\(\s*[,;،]?\s*\)|\(\s*[,;،]\s|[,،][ \t]+[,،]|（\s*）|•\s*[\d\s:.,]*$", re.M
)
# Furniture the article itself writes (the comma explained in the French article).
ALLOWED = ("comma (,)",)


def _book(built) -> dict[str, str]:
    """A built corpus book's text: the running text and the References in reading order
    (the EPUB's: pdftotext gives a right-to-left run inside a line in visual order,
    "(Dorotheenstadt)," as "(,)Dorotheenstadt"), and the PDF's pages before the
    References (raw pdftotext, line by line)."""
    language = built.book.language
    pages = pdftotext(built.pdf).split("\f")
    heading = load_labels(language, {})[0].text("references")
    opening = [i for i, page in enumerate(pages) if page.strip().split("\n")[0].strip() == heading]
    start = opening[0] if opening else len(pages)  # later pages: the running head
    documents = epub_documents(built.epub)
    bibliography = [  # pandoc's citeproc writes the entries into <div id="refs">
        normalise(html_text(doc)) for doc in documents.values() if 'id="refs"' in doc
    ]
    return {
        "running": epub_text(built.epub),
        "body": "\n".join(pages[:start]),
        "references": " ".join(bibliography),
    }


def _furniture(text: str) -> list[str]:
    found = []
    for match in FURNITURE.finditer(text):
        around = text[max(0, match.start() - 30) : match.end() + 10]
        if not any(allowed in around for allowed in ALLOWED):
            found.append(around)
    return found


# The corpus books (tests/corpus.py) whose references and dropped templates are checked.
BOOKS = {
    "tr": "berlin-tr",
    "ru": "ru",
    "fa": "berlin-fa",
    "he": "berlin-he",
    "ja": "berlin-ja",
    "de": "de",
    "en": "en-articles",
    "en-uk": "en-united-kingdom",
}


@pytest.fixture(scope="module", params=sorted(BOOKS))
def book(request, corpus_book):
    return request.param, _book(corpus_book(BOOKS[request.param]))


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
        "en": ("Twentieth-century French Philosophy", "Brief History of Senate"),
        "en-uk": ("Team GB Olympic name row still simmering in Northern Ireland",),
    }[name]
    assert text["references"], f"{name}: no References section in the book"
    for title in expected:
        assert title in text["references"].replace("’", "'"), (name, title)


def test_the_turkish_berlin_has_no_empty_kaynakca_heading(corpus_book):
    text = _book(corpus_book("berlin-tr"))
    # The article's own "Kaynakça" heading stood over {{kaynakça}} alone: it is gone, and
    # the book's References hold the {{Web kaynağı}} entries.
    lines = [line.strip() for line in text["body"].split("\n") if line.strip()]
    assert "Dış bağlantılar" in lines
    assert lines[lines.index("Dış bağlantılar") - 1] != "Kaynakça"
    assert "Berlin Belediye Başkanı Bürosu" in text["references"]
    assert "1993: Cakarta, Endonezya" in text["running"]  # the twin cities keep their names
