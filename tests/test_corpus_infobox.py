"""Real Wikipedia infoboxes in print: facts a reader can read, next to the chapter's title.

Books of the real articles in ../shared/wikipedia (SOURCES.md): countries, a UK town,
an Iranian village, a philosopher, a footballer (en); Berlin and an Italian commune
with `{{НП}}` (ru); Berlin with `{{Yerleşim bilgi kutusu}}` (tr); the Japanese Berlin.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .corpus import CORPUS
from .readers import normalise, pdf_fonts, pdf_pages

pytestmark = CORPUS

# What an infobox's parameters look like when printed raw (issue 20's Toronto, Berlin...).
RAW = re.compile(
    r"\b(Image skyline|Image size|Image flag|Image map|Image coat|Image caption|Flag size|"
    r"Seal size|Mapsize|Map caption|Pushpin|Latd|Latm|Lats|LatNS|Longd|Longm|Longs|LongEW|"
    r"Lat deg|Lon deg|Coordinates display|Coordinates region|Blank\d? ?(name|info)|"
    r"Unit pref|Subdivision (type|name)|Leader (title|name)|Population as of|"
    r"Population total|Static image|Area footnotes|Utc offset|Established (event|date)|"
    r"Lat dir|Lon dir|CoordAddon|CoordScale)\b",
)
# The same, as ru {{НП}} writes them (checked on its fact box only: they are words).
RAW_RU = re.compile(r"(Ширина|Размер карты|Карта страны|Описание изображения|Вид региона)")
FILE_OR_SIZE = re.compile(r"\.(jpe?g|png|svg)\b|\b\d+ ?px\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def english(corpus_book):
    """The English books' PDFs, by the title of the article whose box a test reads."""
    return {
        "Germany": corpus_book("en-germany-france").pdf,
        **{
            title: corpus_book("en-articles").pdf
            for title in ("Bodmin", "Teymanak-e Olya", "Julia Kristeva", "Irina Saratovtseva")
        },
    }


@pytest.fixture(scope="module")
def russian(corpus_book):
    return corpus_book("ru").pdf


@pytest.fixture(scope="module")
def japanese(corpus_book):
    return corpus_book("berlin-ja").pdf


def _opening(pdf: Path, title: str) -> str:
    """The text of the page a chapter opens on (its title the page's first line)."""
    for page in pdf_pages(pdf):
        lines = [line.strip() for line in page.split("\n") if line.strip()]
        if lines and lines[0] == title:
            return normalise(page)
    raise AssertionError(f"no page opens with {title!r}")


@pytest.mark.parametrize(
    ("title", "facts"),
    [
        (
            "Germany",
            [
                "Capital Berlin",
                "Coordinates 52°31′N 13°23′E",
                "Population 81,757,600 (Jan. 1, 2010)",
                "Area 357,021 km²",
                "Chancellor (Head of Government) Angela Merkel (CDU)",
                "Time zone CET (UTC+1)",
            ],
        ),
        ("Bodmin", ["Country England", "Coordinates 50.466°N 4.718°W"]),
        (
            "Teymanak-e Olya",
            ["Province Razavi Khorasan", "Population 559 (2006)", "35°30′12″N 60°35′37″E"],
        ),
        ("Julia Kristeva", ["Born June 24, 1941, Sliven, Bulgaria"]),
        ("Irina Saratovtseva", ["Position Goalkeeper", "2009–2010 Zvezda Perm"]),
    ],
)
def test_english_fact_boxes_are_facts_next_to_their_title(english, title, facts):
    page = _opening(english[title], title)  # the title is not alone on its page: the box follows it
    for fact in facts:
        assert fact in page, (fact, page[:600])
    assert not RAW.search(page), RAW.search(page)


def test_no_raw_parameter_or_file_name_anywhere_in_the_fact_boxes(english, russian, japanese):
    for pdf in (*set(english.values()), russian, japanese):
        text = normalise(" ".join(pdf_pages(pdf)))
        assert not RAW.search(text), (pdf.name, RAW.search(text))
    for title in ("Germany", "Bodmin", "Julia Kristeva", "Irina Saratovtseva"):
        box = _opening(english[title], title)
        assert not FILE_OR_SIZE.search(box), (title, FILE_OR_SIZE.search(box))


def test_russian_fact_boxes_speak_russian(russian):
    berlin = _opening(russian, "Берлин")
    for fact in ("Страна Германия", "Население 3644826 (31 декабря 2018)", "Площадь 891,68 km²"):
        assert fact in berlin, (fact, berlin[:600])
    contrada = _opening(russian, "Contrada")
    assert not RAW_RU.search(berlin + contrada)
    assert "Координаты 40°52′1″N 14°46′47″E" in contrada
    assert "Регион Кампания" in contrada


def test_the_japanese_berlin_is_set_in_the_japanese_face_and_never_slanted(japanese):
    page = _opening(japanese, "ベルリン")
    assert "座標 52°30′59″N 13°22′39″E" in page  # labelled in the book's language
    assert "面積 891.85 km²" in page
    fonts = pdf_fonts(japanese)
    assert not [f.name for f in fonts if "CJK" in f.name and "Oblique" in f.name]
    han = {c for f in fonts for c in f.drawn if "\u4e00" <= c <= "\u9fff"}
    drawn_by = {f.name.split("+")[-1]: f.drawn for f in fonts}
    japanese_face = set().union(*(d for n, d in drawn_by.items() if "CJK-JP" in n))
    assert han and han <= japanese_face
