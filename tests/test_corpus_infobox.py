"""Real Wikipedia infoboxes in print: facts a reader can read, next to the chapter's title.

Books of the real articles in ../shared/wikipedia (SOURCES.md): countries, a UK town,
an Iranian village, a philosopher, a footballer (en); Berlin and an Italian commune
with `{{НП}}` (ru); Berlin with `{{Yerleşim bilgi kutusu}}` (tr); the Japanese Berlin.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from diaspora_book.build import BuildRequest, build
from diaspora_book.project.config import load_project

from .conftest import make_project
from .readers import normalise, pdf_fonts, pdf_pages

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "wikipedia"
pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not SHARED.is_dir(), reason=f"the real articles are not in {SHARED}"),
]

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


def _book(tmp_path_factory, name: str, book_yml: str, files: list[str]) -> Path:
    root = make_project(tmp_path_factory.mktemp("corpus") / name, {}, book_yml)
    for file in files:
        shutil.copy(SHARED / file, root / "articles" / Path(file).name)
    report = build(load_project(root), BuildRequest(formats=("pdf",)))
    return next(p for p in report.outputs if p.suffix == ".pdf")


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    files = ["Germany", "Bodmin", "Teymanak-e_Olya", "Julia_Kristeva", "Irina_Saratovtseva"]
    return _book(tmp_path_factory, "en", "title: Infoboxes\n", [f"wiki/en/{f}.wiki" for f in files])


@pytest.fixture(scope="module")
def russian(tmp_path_factory):
    files = ["xml/ruwiki-Berlin.xml", "wiki/ru/Contrada.wiki"]
    return _book(tmp_path_factory, "ru", "title: Города\nlanguage: ru\n", files)


@pytest.fixture(scope="module")
def japanese(tmp_path_factory):
    return _book(tmp_path_factory, "ja", "title: Berlin\nlanguage: ja\n", ["xml/jawiki-Berlin.xml"])


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
    page = _opening(english, title)  # the title is not alone on its page: the box follows it
    for fact in facts:
        assert fact in page, (fact, page[:600])
    assert not RAW.search(page), RAW.search(page)


def test_no_raw_parameter_or_file_name_anywhere_in_the_fact_boxes(english, russian, japanese):
    for pdf in (english, russian, japanese):
        text = normalise(" ".join(pdf_pages(pdf)))
        assert not RAW.search(text), (pdf.name, RAW.search(text))
    for title in ("Germany", "Bodmin", "Julia Kristeva", "Irina Saratovtseva"):
        box = _opening(english, title)
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
    assert "Coordinates 52°30′59″N 13°22′39″E" in page
    assert "Area 891.85 km²" in page
    fonts = pdf_fonts(japanese)
    assert not [f.name for f in fonts if "CJK" in f.name and "Oblique" in f.name]
    han = {c for f in fonts for c in f.drawn if "\u4e00" <= c <= "\u9fff"}
    drawn_by = {f.name.split("+")[-1]: f.drawn for f in fonts}
    japanese_face = set().union(*(d for n, d in drawn_by.items() if "CJK-JP" in n))
    assert han and han <= japanese_face
