"""The wiki's own words: namespaces, image options, redirects, switches and language links
of every Wikipedia the data knows, read from small inline wikitext."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from diaspora_book.model import Figure, Paragraph
from diaspora_book.read.mediawiki.export import read_export, read_siteinfo, skipped_pages
from diaspora_book.read.mediawiki.source import Locator
from diaspora_book.read.mediawiki.wiki_words import (
    CATEGORY,
    FILE,
    _data,
    known_wikis,
    page_wikis,
    wiki_words,
)
from diaspora_book.read.mediawiki.wikitext import read_wikitext

WIKIS = ("en de ru kk ky uz tg tt ba uk tr zh ja ko fa he ur ar ug fr es").split()


def read(text: str, language: str = "en", name: str = "Page.wiki"):
    path = Path("/p/articles") / name
    locator = Locator.of(text, f"articles/{name}")
    return read_wikitext(text, path, locator, {}, ("Page", None), language)


def figures(text: str, language: str = "en") -> list[tuple[str, str]]:
    blocks = read(text, language)[0].blocks
    return [(b.file, b.caption.text) for b in blocks if isinstance(b, Figure)]


def paragraphs(text: str, language: str = "en") -> list[str]:
    return [b.text for b in read(text, language)[0].blocks if isinstance(b, Paragraph)]


def test_the_data_covers_the_wikis_and_names_its_source():
    assert set(WIKIS) <= set(known_wikis())
    source = _data()["source"]
    assert source["mediawiki"]["folder"] == "mediawiki-1.43.9"
    assert "wikimedia/operations-mediawiki-config" in json.dumps(source)


@pytest.mark.parametrize(
    ("language", "link", "caption"),
    [
        ("tr", "[[Dosya:X.jpg|küçükresim|sol|Açıklama]]", "Açıklama"),
        ("fa", "[[پرونده:X.jpg|بندانگشتی|چپ|300px|نمای شهر]]", "نمای شهر"),
        ("de", "[[Datei:X.jpg|mini|hochkant=1.2|links|Das Tor]]", "Das Tor"),
        ("de", "[[Bild:X.jpg|mini|hochkant|Das Tor]]", "Das Tor"),
        ("ja", "[[ファイル:X.jpg|thumb|left|360px|ブランデンブルク門]]", "ブランデンブルク門"),
        ("ja", "[[画像:X.jpg|サムネイル|左|ブランデンブルク門]]", "ブランデンブルク門"),
        ("ru", "[[Файл:X.jpg|мини|250px|справа|Рейхстаг]]", "Рейхстаг"),
        ("ru", "[[Изображение:X.jpg|thumb|upright=0.8|Рейхстаг]]", "Рейхстаг"),
        ("kk", "[[Сурет:X.jpg|нобай|солға|200px|Рейхстаг]]", "Рейхстаг"),
        ("he", "[[קובץ:X.jpg|ממוזער|שמאל|שער ברנדנבורג]]", "שער ברנדנבורג"),
        ("zh", "[[文件:X.jpg|缩略图|左|250px|勃兰登堡门]]", "勃兰登堡门"),
        ("ur", "[[تصویر:X.jpg|تصغیر|بائیں|برلن]]", "برلن"),
        ("uk", "[[Файл:X.jpg|мініатюра|ліворуч|Рейхстаг]]", "Рейхстаг"),
        ("fr", "[[Fichier:X.jpg|vignette|gauche|redresse=1.2|Porte]]", "Porte"),
        ("es", "[[Archivo:X.jpg|miniaturadeimagen|izquierda|Puerta]]", "Puerta"),
        ("en", "[[File:X.jpg|thumb|left|x200px|alt=A gate|link=|The gate]]", "The gate"),
    ],
)
def test_a_file_link_in_local_words_is_a_figure_with_only_its_caption(language, link, caption):
    assert figures(f"Text.\n\n{link}\n", language) == [("X.jpg", caption)]


@pytest.mark.parametrize("wiki", WIKIS)
def test_every_wikis_own_file_and_option_words_are_read(wiki):
    """Built from the data: the wiki's File name and its first thumb, left and width words."""
    entry = _data()["languages"][wiki]
    words = entry["magic_words"]
    options = [words["img_thumbnail"][0], words["img_left"][0]]
    options.append(words["img_width"][0].replace("$1", "300"))
    link = f"[[{entry['namespaces']['6'][0]}:X.jpg|{'|'.join(options)}|Caption]]"
    assert figures(f"Text.\n\n{link}\n[[{entry['namespaces']['14'][0]}:Y]]", wiki) == [
        ("X.jpg", "Caption")
    ]


def test_options_match_as_mediawikis_magic_words_do():
    words = wiki_words(("de",))
    assert words.image_option("mini") == "img_thumbnail"
    assert words.image_option("hochkant=1.5") == "img_upright"
    assert words.image_option("300px") == words.image_option("x120px") == "img_width"
    assert words.image_option("300 px") == "img_width"
    assert words.image_option("Thumb") is None  # the case counts: MediaWiki shows a caption
    assert words.image_option("wide px") is None  # not a width: caption text
    assert words.image_option("Das Tor") is None
    # A part that is not an option is the caption, as on the wiki: the last one wins.
    assert figures("[[File:X.jpg|Thumb]]") == [("X.jpg", "Thumb")]
    assert figures("[[File:X.jpg|first|thumb|second]]") == [("X.jpg", "second")]


@pytest.mark.parametrize(
    ("language", "link"),
    [
        ("tr", "[[Kategori:Almanya'daki şehirler]]"),
        ("tr", "[[KAT:Berlin]]"),
        ("fa", "[[رده:شهرهای آلمان]]"),
        ("ru", "[[Категория:Города Германии]]"),
        ("kk", "[[Санат:Германия қалалары]]"),
        ("he", "[[קטגוריה:ברלין]]"),
        ("de", "[[Kategorie:Ort in Berlin|Berlin]]"),
        ("zh", "[[分类:德国城市]]"),
        ("ja", "[[Category:ドイツの都市]]"),
        ("ja", "[[カテゴリ:ドイツの都市]]"),
        ("ar", "[[تصنيف:مدن ألمانيا]]"),
        ("en", "[[category:Cities in Germany|Berlin]]"),
    ],
)
def test_category_links_never_print(language, link):
    assert paragraphs(f"Berlin {link} ist.", language) == ["Berlin ist."]


def test_language_links_are_dropped_in_any_form_and_kept_with_a_leading_colon():
    text = (
        "Berlin [[de:Berlin]][[zh-yue:柏林]][[fa:برلین|برلین]][[simple:Berlin]] is "
        "[[:de:Berlin|die Stadt]]."
    )
    assert paragraphs(text) == ["Berlin is die Stadt."]


def test_a_page_of_another_wiki_in_an_english_book_is_read_with_its_words():
    """The book says English; the page's own `[[Kategori:` and `[[Dosya:` tell its wiki."""
    text = "Metin.\n\n[[Dosya:X.jpg|küçükresim|sağ|Açıklama]]\n[[Kategori:Şehirler]]"
    assert page_wikis(text, "en") == ("en", "tr")
    assert figures(text) == [("X.jpg", "Açıklama")]
    assert paragraphs(text) == ["Metin."]


def test_a_gallery_alone_tells_the_wiki():
    text = "Metin.\n<gallery>\nDosya:A.jpg|küçükresim|Birinci\n</gallery>"
    assert page_wikis(text, "en") == ("en", "tr")
    assert figures(text) == [("A.jpg", "Birinci")]


def test_english_alone_never_decides():
    """`Dosya:` is no namespace in English: an English page's link to it stays a link."""
    assert wiki_words(()).namespace("Dosya") is None
    assert wiki_words(("tr",)).namespace("dosya") == FILE
    assert wiki_words(("tr",)).namespace("KATEGORİ") == CATEGORY  # any case, Turkish İ
    assert wiki_words(("ru",)).namespace("Обсуждение_Википедии") == 5


def test_leading_colon_file_and_category_links_print_words_never_a_file_name():
    text = (
        "See [[:Category:Rivers]], [[:File:Map.svg|the map]] and [[:Datei:Map.svg]][[Media:M.ogg]]."
    )
    assert paragraphs(text, "de") == ["See Rivers, the map and ."]


def test_the_pipe_trick_drops_a_namespace_or_interwiki_prefix_only():
    text = "A [[wikt:word|]] B [[Yardım:İçindekiler|]] C [[Star Wars: Episode IV|]] D [[Paris (France)|]]."
    assert paragraphs(text, "tr") == ["A word B İçindekiler C Star Wars: Episode IV D Paris."]


def test_behaviour_switches_do_not_print():
    text = "__ОБЯЗАТЕЛЬНОЕ_ОГЛАВЛЕНИЕ__\nТекст __БЕЗ_ОГЛАВЛЕНИЯ__ статьи.__NOTOC__ __notoc__"
    assert paragraphs(text, "ru") == ["Текст статьи."]
    assert paragraphs("Text __KEIN_INHALTSVERZEICHNIS__ here.", "de") == ["Text here."]
    assert paragraphs("Text __NOTOC_ here.") == ["Text __NOTOC_ here."]  # not a switch


def test_sort_keys_and_shown_titles_in_local_words_are_silent():
    for language, text in (
        ("tr", "{{VARSAYILANSIRALA:Berlin}}"),
        ("ru", "{{СОРТИРОВКА_ПО_УМОЛЧАНИЮ:Берлин}}"),
        ("ja", "{{デフォルトソート:べるりん}}"),
        ("en", "{{DEFAULTSORT:Berlin}}{{DISPLAYTITLE:''Berlin''}}"),
    ):
        article, found = read(f"Text.{text}", language)
        assert [b.text for b in article.blocks] == ["Text."]
        assert [str(d) for d in found] == []


def test_a_link_trail_after_nowiki_reads_as_mediawiki_shows_it():
    """`[[Help]]<nowiki/>ers` is "Helpers" on the wiki: the link is "Help", the words touch."""
    article, _ = read("The [[Help]]<nowiki/>ers came.")
    block = article.blocks[0]
    assert block.text == "The Helpers came."
    linked = [block.text[r.start : r.end] for r in block.runs if r.kind == "wikilink"]
    assert linked == ["Help"]


def test_gallery_lines_with_local_or_no_namespace_and_options():
    text = (
        "<gallery>\nDosya:A.jpg|küçükresim|Birinci\nB.png|İkinci\nFile:C.svg\n"
        "Kategori:Not an image|X\nResim:D_x.jpg|alt=Alt|Dördüncü\nE.jpg|Bir [[Berlin|şehir]] resmi\n"
        "</gallery>"
    )
    assert figures(text, "tr") == [
        ("A.jpg", "Birinci"),
        ("B.png", "İkinci"),
        ("C.svg", ""),
        ("D x.jpg", "Dördüncü"),
        ("E.jpg", "Bir şehir resmi"),
    ]


def test_a_wiki_file_that_is_a_redirect_is_skipped_with_a_note(project_factory):
    from diaspora_book.book import read_articles
    from diaspora_book.plumbing.errors import Diagnostics
    from diaspora_book.project.config import load_project

    root = project_factory(
        {"Berlin.wiki": "Berlin ist eine Stadt.", "Old.wiki": "#YÖNLENDİRME [[Berlin]]"},
        "language: tr\n",
    )
    found = Diagnostics()
    articles = read_articles(load_project(root), found)
    assert [a.title for a in articles] == ["Berlin"]
    assert [str(d) for d in found if d.severity == "note"] == [
        "articles/Old.wiki:1: note: 'Old' is a redirect, not an article; skipped"
    ]


EXPORT = """<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" xml:lang="tr">
  <siteinfo>
    <dbname>trwiki</dbname>
    <base>https://tr.wikipedia.org/wiki/Anasayfa</base>
    <namespaces>
      <namespace key="0" case="first-letter" />
      <namespace key="1" case="first-letter">Tartışma</namespace>
      <namespace key="6" case="first-letter">Dosya</namespace>
      <namespace key="14" case="first-letter">Kategori</namespace>
    </namespaces>
  </siteinfo>
  <page>
    <title>Berlin</title>
    <ns>0</ns>
    <revision><id>1</id><text>Berlin bir şehirdir. [[Kategori:Şehirler]]</text></revision>
  </page>
  <page>
    <title>Kategori:Şehirler</title>
    <ns>14</ns>
    <revision><id>2</id><text>Şehirler. [[Kategori:Yerleşim]]</text></revision>
  </page>
  <page>
    <title>Tartışma:Berlin</title>
    <revision><id>3</id><text>Bir soru.</text></revision>
  </page>
  <page>
    <title>Berlin şehri</title>
    <ns>0</ns>
    <revision><id>4</id><text>#yönlendirme [[Berlin]]</text></revision>
  </page>
</mediawiki>
"""


def test_an_exports_pages_that_are_not_articles_are_skipped_with_a_note():
    pages = read_export(EXPORT, "articles/tr.xml")
    assert [page.title for page in pages] == ["Berlin"]
    assert [(where.line, note) for where, note in skipped_pages(EXPORT, "articles/tr.xml")] == [
        (17, "page 'Kategori:Şehirler' is a category page, not an article; skipped"),
        (22, "page 'Tartışma:Berlin' is a talk page, not an article; skipped"),
        (26, "page 'Berlin şehri' is a redirect, not an article; skipped"),
    ]
    site = read_siteinfo(EXPORT, "articles/tr.xml")
    assert site.language == "tr" and (6, "Dosya") in site.namespaces


def test_a_book_of_an_export_with_a_category_page_notes_it_and_builds_one_chapter(
    project_factory, capsys
):
    from diaspora_book.cli import main

    root = project_factory({"tr.xml": EXPORT}, "language: tr\n")
    assert main(["--project", str(root), "convert"]) == 0
    err = capsys.readouterr().err
    assert "articles/tr.xml:17: note: page 'Kategori:Şehirler' is a category page" in err
    chapters = sorted(p.name for p in (root / "chapters").iterdir())
    assert chapters == ["01-berlin.md"]
    assert "Kategori" not in (root / "chapters" / "01-berlin.md").read_text(encoding="utf-8")
    assert main(["--project", str(root), "check", "--format", "json"]) == 0  # notes pass
    report = json.loads(capsys.readouterr().out)
    assert report["notes"] == 3 and report["errors"] == 0 and report["warnings"] == 0


def test_an_infoboxs_file_names_and_sizes_are_not_facts():
    article, _ = read(
        "{{Infobox settlement|name=Berlin|image_skyline=Berlin Montage 4.jpg|image_size=280px"
        "|image_flag=Dosya:Flag_of_Berlin.svg|flag_size=130 px|population=3,6 milyon}}\nText.",
        "tr",
    )
    # a curated settlement box, labelled in the book's language (its name is the title's)
    assert [(f.key, f.value) for f in article.infobox.facts] == [("Nüfus", "3,6 milyon")]
