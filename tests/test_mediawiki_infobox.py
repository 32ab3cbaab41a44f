"""Infoboxes as a reader wants them: facts, labelled in the book's language, no layout."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from PIL import Image

from diaspora_book.build import build
from diaspora_book.chapters.convert import convert_article
from diaspora_book.project.config import load_project
from diaspora_book.project.fonts import installed_coverage
from diaspora_book.read.mediawiki.infobox import MAX_ROWS, catalogue
from diaspora_book.read.mediawiki.source import Locator
from diaspora_book.read.mediawiki.wikitext import read_wikitext

from .checkers import epubcheck_messages, run_epubcheck
from .conftest import make_project
from .readers import epub_documents, pdf_pages

# An English city's infobox as Wikipedia writes it (abridged from Toronto's).
CITY = """{{Infobox settlement
| name = Toronto
| official_name = City of Toronto
| settlement_type = [[List of cities in Ontario|City]]
| image_skyline = Toronto skyline.jpg
| imagesize = 300px
| image_caption = Downtown Toronto
| image_flag = Flag of Toronto.svg
| flag_size = 125px
| pushpin_map = Canada Ontario
| pushpin_label_position = left
| subdivision_type = Country
| subdivision_name = [[Canada]]
| subdivision_type1 = [[Provinces and territories of Canada|Province]]
| subdivision_name1 = {{flag|Ontario}}
| leader_title = Mayor
| leader_name = [[John Tory]]
| area_total_km2 = 630.20
| area_footnotes = <!-- a comment -->
| population_total = 2,731,571
| population_as_of = 2016
| population_density_km2 = 4334.4
| timezone = [[Eastern Time Zone|EST]]
| utc_offset = −5
| latd = 43 | latm = 42 | latNS = N
| longd = 79 | longm = 24 | longEW = W
| coordinates_display = 1
| blank1_name = [[Forward sortation area|FSA]]
| blank1_info = M
| unit_pref = Metric
| website = {{URL|toronto.ca}}
}}
Toronto is a city.
"""


def read(text: str, language: str = "en", name: str = "Some_page.wiki"):
    article, diagnostics = read_wikitext(
        text, Path(name), Locator.of(text, f"articles/{name}"), {}, (name[:-5], None), language
    )
    return article, diagnostics


def rows(text: str, language: str = "en") -> list[tuple[str, str]]:
    article, _ = read(text, language)
    assert article.infobox is not None
    return [(fact.key, fact.value) for fact in article.infobox.facts]


def test_a_city_infobox_gives_facts_not_parameters():
    assert rows(CITY) == [
        ("Official name", "City of Toronto"),
        ("Type", "City"),
        ("Country", "Canada"),
        ("Province", "Ontario"),
        ("Mayor", "John Tory"),
        ("Area", "630.20 km²"),
        ("Population", "2,731,571 (2016)"),
        ("Density", "4334.4/km²"),
        ("Time zone", "EST (UTC−5)"),
        ("FSA", "M"),
        ("Website", "toronto.ca"),
        ("Coordinates", "43°42′N 79°24′W"),
    ]
    article, _ = read(CITY)
    assert article.infobox.name == ""  # no caption: the template's name is furniture
    assert article.infobox.image.file == "Toronto skyline.jpg"
    assert article.infobox.image.caption.text == "Downtown Toronto"


def test_the_generic_rule_drops_layout_and_joins_label_value_pairs():
    text = CITY.replace("Infobox settlement", "Infobox Canadian place")
    facts = rows(text)
    keys = [key for key, _ in facts]
    for raw in ("Image skyline", "Flag size", "Imagesize", "Latd", "LatNS", "Pushpin map",
                "Coordinates display", "Unit pref", "Blank1 info", "Blank1 name",
                "Area footnotes", "Image caption", "Name"):  # fmt: skip
        assert raw not in keys
    assert ("FSA", "M") in facts  # blank1_name / blank1_info: a label and its value
    assert ("Coordinates", "43°42′N 79°24′W") in facts
    assert ("Population", "2,731,571 (2016)") in facts
    assert ("Mayor", "John Tory") in facts
    assert not any("px" in value or ".svg" in value or ".jpg" in value for _, value in facts)


def test_an_unknown_parameter_keeps_its_name_made_readable():
    facts = rows(
        "{{Infobox widget\n| main_colour_ref = x\n| spin_rate = 33 rpm\n| logo = W.png\n}}"
    )
    assert facts == [("Spin rate", "33 rpm")]


@pytest.mark.parametrize(
    ("language", "country", "population"),
    [
        ("en", "Country", "Population"),
        ("ru", "Страна", "Население"),
        ("kk", "Ел", "Тұрғыны"),
        ("de", "Staat", "Einwohner"),
        ("tr", "Ülke", "Nüfus"),
        ("fr", "Pays", "Population"),
        ("zh-Hans", "国家", "人口"),
        ("ug", "دۆلەت", "نوپۇسى"),
        ("ja", "国", "人口"),
        ("ko", "국가", "인구"),
        ("fa", "کشور", "جمعیت"),
        ("he", "מדינה", "אוכלוסייה"),
        ("uz", "Mamlakat", "Aholisi"),
        ("ba", "Ил", "Халҡы"),
        ("ar", "البلد", "عدد السكان"),
        ("es", "País", "Población"),
    ],
)
def test_labels_are_in_the_books_language(language, country, population):
    text = "{{НП\n| страна = Италия\n| население = 2986\n| год переписи = 2008\n}}\nТекст."
    assert rows(text, language) == [(country, "Италия"), (population, "2986 (2008)")]


def test_a_japanese_books_settlement_box_is_labelled_in_japanese():
    # The labels the catalogue gives are Japanese; the rows whose label the article
    # itself writes (subdivision_type, leader_title, blank1_name) keep its words.
    assert rows(CITY, "ja") == [
        ("正式名称", "City of Toronto"),
        ("種別", "City"),
        ("Country", "Canada"),
        ("Province", "Ontario"),
        ("Mayor", "John Tory"),
        ("面積", "630.20 km²"),
        ("人口", "2,731,571 (2016)"),
        ("人口密度", "4334.4/km²"),
        ("時間帯", "EST (UTC−5)"),
        ("FSA", "M"),
        ("ウェブサイト", "toronto.ca"),
        ("座標", "43°42′N 79°24′W"),
    ]


def test_every_label_is_given_in_every_required_language():
    # The 8 first languages and the 13 of the Wikipedias the diaspora reads (issue 20):
    # a label missing falls back to English, an English word in the book.
    required = set("en ru kk de tr fr zh ug ja ko fa he uk uz ky tg tt ba ur ar es".split())
    book = catalogue()
    for field in book.fields.values():
        assert required <= set(field.labels), field.name
    for group, labels in book.pair_labels.items():
        assert not labels or required <= set(labels), group


def test_every_character_of_a_label_has_a_font():
    covered = installed_coverage()
    assert covered is not None, "fontconfig is missing"
    book = catalogue()
    labels = [f.labels for f in book.fields.values()] + list(book.pair_labels.values())
    text = "".join(value for group in labels for value in group.values())
    assert {c for c in text if ord(c) not in covered and not c.isspace()} == set()


def test_a_russian_settlement_joins_its_pieces():
    text = (
        "{{НП\n|статус = [[Коммуна (Италия)|Коммуна]]\n|страна = Италия\n"
        "|вид региона = Административное деление Италии{{!}}Регион\n"
        "|регион = Кампания (Италия){{!}}Кампания\n|ширина герба = 100\n"
        "|lat_dir = N |lat_deg = 40 |lat_min = 52 |lat_sec = 1\n"
        "|lon_dir = E |lon_deg = 14 |lon_min = 46 |lon_sec = 47\n"
        "|площадь = 10 |высота центра НП = 420\n|часовой пояс = +1\n"
        "|размер карты страны = 280\n|сайт = http://www.comune.contrada.av.it/\n}}\nТекст."
    )
    assert rows(text, "ru") == [
        ("Статус", "Коммуна"),
        ("Страна", "Италия"),
        ("Регион", "Кампания"),
        ("Площадь", "10 km²"),
        ("Высота", "420 m"),
        ("Часовой пояс", "UTC+1"),
        ("Сайт", "http://www.comune.contrada.av.it/"),
        ("Координаты", "40°52′1″N 14°46′47″E"),
    ]


def test_coord_template_and_decimal_coordinates():
    assert ("Coordinates", "50.466°N 4.718°W") in rows(
        "{{Infobox UK place\n| country = England\n"
        "| coordinates = {{coord|50.466|-4.718|display=inline,title}}\n}}"
    )
    assert ("Coordinates", "35°30′12″N 60°35′37″E") in rows(
        "{{Infobox settlement\n| coordinates = {{coord|35|30|12|N|60|35|37|E|region:IR}}\n}}"
    )


def test_a_person_is_born_on_a_date_in_a_place_written_in_the_books_language():
    text = (
        "{{Infobox philosopher\n| name = Julia Kristeva\n| image = K.jpg\n"
        "| birth_date = {{birth date and age|1941|6|24|df=y}}\n"
        "| birth_place = [[Sliven]], [[Kingdom of Bulgaria|Bulgaria]]\n"
        "| school_tradition = {{ublist |[[Psychoanalysis]] |[[Structuralism]]}}\n}}"
    )
    assert rows(text) == [
        ("Born", "June 24, 1941, Sliven, Bulgaria"),
        ("School", "Psychoanalysis, Structuralism"),
    ]
    assert rows(text, "de")[0] == ("Geboren", "24. Juni 1941, Sliven, Bulgaria")


def test_a_fact_box_has_at_most_max_rows():
    params = "".join(f"| field_{i} = value {i}\n" for i in range(40))
    assert len(rows("{{Infobox many\n" + params + "}}")) == MAX_ROWS


def test_a_local_infobox_in_the_lead_is_found_by_its_shape():
    params = "".join(f"| поле {i} = значение {i}\n" for i in range(10))
    article, diagnostics = read("{{Карта города\n" + params + "}}\nТекст.\n\n== Раздел ==\nТекст.")
    assert article.infobox is not None and len(article.infobox.facts) == 10
    assert "Карта города" not in str(list(diagnostics))
    # The same template under a heading is not an infobox: it is an unknown template.
    article, diagnostics = read("Текст.\n\n== Раздел ==\n{{Карта города\n" + params + "}}\n")
    assert article.infobox is None
    assert "{{карта города}} is not interpreted" in str(list(diagnostics))


def test_the_catalogue_names_curated_boxes_of_every_wiki():
    boxes = catalogue().boxes
    for name in ("infobox settlement", "infobox country", "infobox ethnic group",
                 "infobox person", "infobox officeholder", "infobox company",
                 "infobox football club", "infobox football biography", "infobox scientist",
                 "нп", "город", "государство", "персона", "елді мекен", "infobox software",
                 "infobox ort in deutschland", "yerleşim bilgi kutusu", "ülke bilgi kutusu",
                 "جعبه اطلاعات شهر"):  # fmt: skip
        assert name in boxes, name
    data = yaml.safe_load(
        (Path(__file__).parents[1] / "src/diaspora_book/read/mediawiki/infoboxes.yml").read_text(
            encoding="utf-8"
        )
    )
    for kind, spec in data["infoboxes"].items():
        for item in spec["show"]:
            name = next(iter(item)) if isinstance(item, dict) else item
            assert name in data["fields"] or name in data["pairs"], (kind, name)


def test_the_infobox_image_is_shown_when_media_has_it(tmp_path):
    text = "{{Infobox settlement\n| image_skyline = Toronto skyline.jpg\n| country = Canada\n}}\nT."
    root = make_project(tmp_path / "b", {"Toronto.wiki": text}, "title: T\n")
    path = root / "articles" / "Toronto.wiki"
    article, _ = read_wikitext(
        text, path, Locator.of(text, "articles/Toronto.wiki"), {}, ("Toronto", None)
    )
    config = load_project(root).config
    body = convert_article(article, 1, config).body
    assert "Toronto skyline" not in body and "Toronto_skyline" not in body  # no file name
    (root / "media").mkdir()
    (root / "media" / "Toronto_skyline.jpg").write_bytes(b"\xff\xd8\xff")
    body = convert_article(article, 1, config).body
    box = body[body.index("::: {.factbox}") :]
    assert box.index("](media/Toronto_skyline.jpg){.figure}") < box.index("Country")


def test_a_gallery_in_the_lead_is_not_taken_for_the_infobox():
    images = "".join(f"| image{i} = P{i}.jpg\n| caption{i} = Picture {i}\n" for i in range(5))
    article, _ = read(
        "{{Multiple image\n| align = right\n" + images + "}}\n"
        "{{Infobox settlement\n| country = Canada\n}}\nText.\n\n== Part ==\nText."
    )
    assert article.infobox is not None
    assert [(f.key, f.value) for f in article.infobox.facts] == [("Country", "Canada")]


def test_a_book_with_a_city_fact_box_and_its_image(tmp_path):
    """Both outputs: the box's facts and image, no raw parameter; EPUBCheck finds nothing."""
    root = make_project(
        tmp_path / "city",
        {"Toronto.wiki": CITY},
        "title: Cities\nsources:\n  Toronto.wiki: {title: Toronto, url: 'https://en.wikipedia.org/wiki/Toronto'}\n",
    )
    (root / "media").mkdir()
    Image.new("RGB", (300, 120), (60, 90, 140)).save(root / "media" / "Toronto_skyline.jpg")
    report = build(load_project(root))
    pdf = next(p for p in report.outputs if p.suffix == ".pdf")
    epub = next(p for p in report.outputs if p.suffix == ".epub")
    opening = next(page for page in pdf_pages(pdf) if page.lstrip().startswith("Toronto"))
    for fact in ("Population", "2,731,571 (2016)", "43°42′N 79°24′W", "FSA"):
        assert fact in opening
    for raw in ("Image skyline", "Flag size", "Latd", "Blank1", "Unit pref", "125px"):
        assert raw not in opening
    documents = epub_documents(epub).items()
    chapter = next(t for n, t in documents if n.endswith(".xhtml") and "factbox" in t)
    box = chapter[chapter.index('class="factbox"') :]
    assert box.index("<img") < box.index("Population")
    assert epubcheck_messages(run_epubcheck(epub, tmp_path)) == []
