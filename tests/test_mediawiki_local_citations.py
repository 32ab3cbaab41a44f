"""Citation templates of every wiki: local names, local parameters, local dates."""

from __future__ import annotations

from pathlib import Path

import mwparserfromhell
import pytest

from diaspora_book.model import Name, Source, SourceSpan
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.read.mediawiki.cite_dates import iso_date, join_parts
from diaspora_book.read.mediawiki.local_templates import (
    english_name,
    flag_kind,
    local_citation,
    reference_lists,
)
from diaspora_book.read.mediawiki.references import RefState, read_ref
from diaspora_book.read.mediawiki.source import Locator
from diaspora_book.read.mediawiki.wikitext import read_wikitext

PATH = "articles/a.wiki"


def sources(text: str, language: str = "en") -> tuple[list[Source], list[str]]:
    state = RefState(PATH, language)
    for tag in mwparserfromhell.parse(text).filter_tags(recursive=False):
        read_ref(tag, SourceSpan(PATH, 1), state)
    diagnostics = Diagnostics()
    found = [s for c in state.citations(diagnostics) for s in c.sources]
    return found, [d.message for d in diagnostics]


def one(text: str, language: str = "en") -> Source:
    found, _ = sources(text, language)
    assert len(found) == 1
    return found[0]


def test_turkish_web_kaynagi_maps_its_turkish_parameters():
    source = one(
        "<ref>{{Web kaynağı |url=https://www.berlin.de/a |başlık=Berlin'in kardeş şehirleri "
        "|erişimtarihi=12 Mart 2020 |yayımcı=Berlin Belediyesi |dil=İngilizce "
        "|soyadı=Yılmaz |ad=Ayşe |soyadı2=Kaya |ad2=Ali}}</ref>",
        "tr",
    )
    assert source.entry_type == "online"
    fields = dict(source.fields)
    assert fields["title"] == "Berlin'in kardeş şehirleri"
    assert fields["url"] == "https://www.berlin.de/a"
    assert fields["urldate"] == "2020-03-12"
    assert fields["publisher"] == "Berlin Belediyesi"
    assert source.authors == (Name("Yılmaz", "Ayşe"), Name("Kaya", "Ali"))


def test_kitap_kaynagi_is_a_book_and_its_page_is_the_locator():
    state = RefState(PATH, "tr")
    tag = mwparserfromhell.parse(
        "<ref>{{Kitap kaynağı |başlık=Kitap |yazar=Ali Veli |yıl=1990 |yayıncı=YKY "
        "|sayfa=12}}</ref>"
    ).filter_tags()[0]
    citation = read_ref(tag, SourceSpan(PATH, 1), state)
    assert citation is not None
    (source,) = citation.sources
    assert source.entry_type == "book"
    assert dict(source.fields) == {"title": "Kitap", "publisher": "YKY", "date": "1990"}
    assert citation.locators == (("12", True),)


def test_russian_statya_reads_izdanie_as_the_journal_and_kniga_as_the_edition():
    article = one(
        "<ref>{{Статья |автор=Иванов И. И., Петров П. П. |заглавие=О чём-то "
        "|издание=Вопросы истории |год=1990 |том=3 |номер=4 |страницы=10—20}}</ref>",
        "ru",
    )
    assert article.entry_type == "article"
    assert article.authors == (Name("Иванов", "И. И."), Name("Петров", "П. П."))
    assert dict(article.fields)["journal"] == "Вопросы истории"
    assert dict(article.fields)["pages"] == "10—20"
    book = one(
        "<ref>{{Книга |автор=Поспелов Е. М. |заглавие=Географические названия мира "
        "|издание=2-е изд. |место=М. |издательство=АСТ |год=2002 |страниц=512}}</ref>",
        "ru",
    )
    assert book.entry_type == "book"
    assert dict(book.fields)["edition"] == "2-е изд."
    assert dict(book.fields)["address"] == "М."
    assert book.authors == (Name("Поспелов", "Е. М."),)


def test_french_split_dates_and_persian_digits_and_months():
    lien = one(
        "<ref>{{Lien web |titre=Berlin |url=https://x.fr |année=2020 |mois=mars |jour=3 "
        "|consulté le=3 mars 2020 |site=Le Monde}}</ref>",
        "fr",
    )
    assert dict(lien.fields)["date"] == "2020-03-03"
    assert dict(lien.fields)["urldate"] == "2020-03-03"
    persian = one(
        "<ref>{{یادکرد وب |نشانی=https://x.ir |عنوان=برلین |تاریخ بازبینی=۱۴ ژوئن ۲۰۲۰ "
        "|نام خانوادگی۲=رضایی |نام۲=علی}}</ref>",
        "fa",
    )
    assert dict(persian.fields)["urldate"] == "2020-06-14"
    assert persian.authors == (Name("رضایی", "علی"),)


def test_english_cite_web_takes_the_wiki_aliases_of_a_cs1_wiki():
    source = one(
        "<ref>{{Cite web |url=https://a.tr |başlık=Başlık |erişimtarihi=5 Nisan 2017}}</ref>"
    )
    assert dict(source.fields) == {
        "title": "Başlık",
        "url": "https://a.tr",
        "urldate": "2017-04-05",
    }


def test_hebrew_and_japanese_templates():
    hebrew = one(
        "<ref>{{צ-מאמר |מחבר=דוד כהן |שם המאמר=ברלין |כתב עת=זמנים |שנת הוצאה=1999}}</ref>"
    )
    assert hebrew.entry_type == "article"
    assert dict(hebrew.fields)["journal"] == "זמנים"
    japanese = one(
        "<ref>{{Cite web|和書|title=ベルリン |url=https://a.jp |accessdate=2020年3月5日}}</ref>"
    )
    assert dict(japanese.fields)["language"] == "ja"
    assert dict(japanese.fields)["urldate"] == "2020-03-05"


@pytest.mark.parametrize(
    ("text", "language", "iso"),
    [
        ("12 Mart 2020", "tr", "2020-03-12"),
        ("9 ноября 2025", "ru", "2025-11-09"),
        ("9 ноября 2025 года", "ru", "2025-11-09"),
        ("۱۴ ژوئن ۲۰۲۰", "fa", "2020-06-14"),
        ("3 mars 2020", "fr", "2020-03-03"),
        ("1 de enero de 2020", "es", "2020-01-01"),
        ("24 أغسطس 2019", "ar", "2019-08-24"),
        ("2020年3月5日", "ja", "2020-03-05"),
        ("5. März 2004", "de", "2004-03-05"),
        ("March 5, 2004", "en", "2004-03-05"),
        ("12 Mart 2020", "en", "2020-03-12"),  # known in any book: no other language disagrees
        ("31 Mart 2020 öğleden", "tr", ""),
    ],
)
def test_dates_in_the_wikis_own_words(text, language, iso):
    assert iso_date(text, language) == iso


def test_date_parts_join():
    assert join_parts("1990", "5", "3") == "1990-05-03"
    assert join_parts("2020", "mars", "", "fr") == "2020-03"
    assert join_parts("", "mars", "3", "fr") == ""


def test_an_unknown_template_in_a_ref_becomes_an_entry_from_its_values():
    found, problems = sources(
        "<ref>{{БРЭ |статья=Берлин |ссылка=https://bigenc.ru/geography/text/1868637 "
        "|том=3 |год=2005}}</ref><ref>{{ВТ-ЭСБЕ|Берлин, столица Германской империи}}</ref>"
        "<ref>{{ref-de}}{{dead link}}</ref>",
        "ru",
    )
    assert [dict(s.fields).get("title") for s in found] == [
        "Берлин",
        "Берлин, столица Германской империи",
    ]
    assert dict(found[0].fields)["url"] == "https://bigenc.ru/geography/text/1868637"
    assert any("is not a citation template" in p for p in problems)
    assert any("holds no text" in p for p in problems)  # the language mark alone is no work


def test_parameter_names_with_numbers_and_unknowns():
    table = {"soyadı#": "last#", "yazar#": "author#", "sayfa sayısı": None}
    assert english_name("soyadı3", table) == "last3"
    assert english_name("Yazar", table) == "author"
    assert english_name("sayfa_sayısı", table) is None
    assert english_name("whatever", table) == "whatever"


def test_the_data_knows_the_wikis_reference_lists_and_flags():
    assert {"kaynakça", "примечания", "reflist", "پانویس", "הערות שוליים"} <= reference_lists()
    assert local_citation("Web_kaynağı") is not None
    assert local_citation("یادکرد\u200cوب") is None  # a ZWNJ is not a space
    assert flag_kind("flag") == "name"
    assert flag_kind("Флагификация") == "name"
    assert flag_kind("bayraksimge") == "icon"
    assert flag_kind("Флаг России") == "icon"
    assert flag_kind("Байрак/АКШ") == "icon"
    assert flag_kind("Kardeş şehir") == ""


def test_free_text_keeps_its_isbn_and_loses_what_a_dropped_template_left():
    (source,) = sources(
        "<ref>Chapman, Key thinkers, Oxford University Press, 2005, {{ISBN|0-19-1}}, "
        "{{dead link|date=2010}}, Google Print, p. 166</ref>"
    )[0]
    assert source.note == (
        "Chapman, Key thinkers, Oxford University Press, 2005, ISBN 0-19-1, Google Print, p. 166"
    )


def test_a_ref_written_as_a_template_is_a_ref():
    article_text = (
        "ברלין{{הערה|שם=a|{{קישור כללי|כתובת=https://a.de|כותרת=Boom hält an|הכותב=Abel, Andreas}}}}"
        " עיר{{הערה|שם=a}} גדולה{{הערה|עמוס אילון, רקוויאם גרמני, עמ' 20.}}"
    )
    locator = Locator.of(article_text, PATH)
    article, diagnostics = read_wikitext(
        article_text, Path("/p/a.wiki"), locator, {}, ("ברלין", None), "he"
    )
    assert list(diagnostics) == []
    first, again, free = article.citations
    assert first.sources == again.sources
    assert dict(first.sources[0].fields)["title"] == "Boom hält an"
    assert first.sources[0].authors == (Name("Abel", "Andreas"),)
    assert free.sources[0].note == "עמוס אילון, רקוויאם גרמני, עמ' 20."
    (paragraph,) = article.blocks
    assert paragraph.text == "ברלין עיר גדולה"
    assert [r.kind for r in paragraph.runs] == ["cite", "cite", "cite"]
