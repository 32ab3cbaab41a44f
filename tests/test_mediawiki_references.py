"""MediaWiki references: `<ref>`s and citation templates -> sources, keys and a .bib file."""

from __future__ import annotations

import mwparserfromhell
from mwparserfromhell.nodes import Tag, Template

from diaspora_book.errors import Diagnostics
from diaspora_book.mediawiki.citation import Name, Source
from diaspora_book.mediawiki.cite_values import iso_date, plain
from diaspora_book.mediawiki.references import (
    RefState,
    WikiCitation,
    is_reference_furniture,
    read_citation_template,
    read_ref,
)
from diaspora_book.model import SourceSpan

PATH = "articles/a.wiki"


def read(text: str) -> tuple[tuple[WikiCitation, ...], list[str]]:
    """Read `text` as the MediaWiki reader does: every top-level tag and template, in order."""
    state = RefState(PATH)
    code = mwparserfromhell.parse(text)
    for node in code.nodes:
        before = text[: text.find(str(node))]
        span = SourceSpan(PATH, before.count("\n") + 1, len(before) - before.rfind("\n"))
        if isinstance(node, Tag):
            read_ref(node, span, state)
        elif isinstance(node, Template):
            read_citation_template(node, span, state)
    diagnostics = Diagnostics()
    citations = state.citations(diagnostics)
    return citations, [str(d) for d in diagnostics]


def only_source(text: str) -> Source:
    citations, problems = read(text)
    assert problems == []
    assert len(citations) == 1 and len(citations[0].sources) == 1
    return citations[0].sources[0]


def test_cite_book_gives_its_fields_as_plain_text():
    source = only_source(
        "<ref>{{cite book |last=Roberts |first=Sean R. |title=The [[Uyghurs|Uyghur]] "
        "''War'' |publisher=Princeton University Press |location=Princeton |year=2020 "
        "|isbn=978-0-691-20221-8 |page=45 |language=en}}</ref>"
    )
    assert source.entry_type == "book"
    assert source.authors == (Name("Roberts", "Sean R."),)
    assert dict(source.fields) == {
        "title": "The Uyghur War",
        "publisher": "Princeton University Press",
        "address": "Princeton",
        "date": "2020",
        "isbn": "978-0-691-20221-8",
        "language": "en",
    }


def test_the_page_belongs_to_the_citation_not_the_source():
    citations, _ = read(
        "<ref>{{cite book |last=A |first=B |title=T |year=2000 |page=5}}</ref>"
        "<ref>{{Cite_book |last=A |first=B |title=T |year=2000 |pages=7–9}}</ref>"
    )
    assert [c.locators for c in citations] == [(("5", True),), (("7–9", True),)]
    assert citations[0].sources == citations[1].sources  # one work, cited twice


def test_journal_article_keeps_its_page_range_and_numbered_authors():
    source = only_source(
        "<ref>{{cite journal |last1=Li |first1=Wei |last2=Chen |first2=Yu |author3=Ana Ruiz "
        "|title=Dungan speech |journal=[[Central Asian Survey]] |volume=12 |issue=3 "
        "|pages=101–120 |date=March 2015 |doi=10.1080/02634937.2015.1 |p=104}}</ref>"
    )
    assert source.entry_type == "article"
    assert source.authors == (Name("Li", "Wei"), Name("Chen", "Yu"), Name("Ruiz", "Ana"))
    assert source.get("journal") == "Central Asian Survey"
    assert (source.get("volume"), source.get("number")) == ("12", "3")
    assert source.get("pages") == "101–120"
    assert source.get("date") == "2015-03"
    assert source.get("doi") == "10.1080/02634937.2015.1"


def test_cite_web_and_news_and_internetquelle():
    web = only_source(
        "<ref>{{Cite web |url=https://stat.gov.kz/x |title=Census 2009 |website=Stat.gov.kz "
        "|access-date=5 March 2020 |author=Agency of Statistics of the Republic}}</ref>"
    )
    assert web.entry_type == "online"
    assert web.get("url") == "https://stat.gov.kz/x"
    assert web.get("urldate") == "2020-03-05"
    assert web.get("journal") == "Stat.gov.kz"
    assert web.authors == (Name("Agency of Statistics of the Republic", literal=True),)
    news = only_source(
        "<ref>{{cite news |title=Uyghurs in Almaty |newspaper=The Times |date=June 3, 2019}}</ref>"
    )
    assert (news.entry_type, news.get("journal"), news.get("date")) == (
        "article",
        "The Times",
        "2019-06-03",
    )
    german = only_source(
        "<ref>{{Internetquelle |url=http://example.de/a |titel=Die Uiguren |autor=Anna Schmidt "
        "|werk=Zeit Online |datum=2018-04-01 |abruf=2021-01-02 |sprache=de}}</ref>"
    )
    assert german.entry_type == "online"
    assert german.authors == (Name("Schmidt", "Anna"),)
    assert dict(german.fields) == {
        "title": "Die Uiguren",
        "journal": "Zeit Online",
        "date": "2018-04-01",
        "url": "http://example.de/a",
        "urldate": "2021-01-02",
        "language": "de",
    }


def test_literatur_with_editors_and_a_chapter_is_a_collection():
    source = only_source(
        "<ref>{{Literatur |Autor=Max Muster; Erika Beispiel |Hrsg=Karl Mayer |Titel=Zentralasien "
        "|Kapitel=Die Dunganen |Verlag=Reimer |Ort=Berlin |Jahr=1990 |ISBN=3-496-00000-1 "
        "|Seiten=44–46}}</ref>"
    )
    assert source.entry_type == "incollection"
    assert source.authors == (Name("Muster", "Max"), Name("Beispiel", "Erika"))
    assert source.editors == (Name("Mayer", "Karl"),)
    assert (source.get("title"), source.get("booktitle")) == ("Die Dunganen", "Zentralasien")


def test_only_http_urls_are_kept():
    source = only_source("<ref>{{cite web |url=javascript:alert(1) |title=T}}</ref>")
    assert source.get("url") == ""


def test_named_refs_are_one_source_cited_several_times_even_before_their_definition():
    citations, problems = read(
        'A<ref name="census" /> B<ref name=census>{{cite web |url=https://x.kz |title=Census}}'
        "</ref> C<ref name='census'/>"
    )
    assert problems == []
    assert [c.kind for c in citations] == ["cite"] * 3
    assert {c.sources for c in citations} == {citations[1].sources}
    assert citations[0].sources[0].get("title") == "Census"


def test_list_defined_refs_in_references_and_reflist():
    citations, problems = read(
        'A<ref name="a" /> B<ref name="b" />\n<references>\n<ref name="a">Free text A.</ref>\n'
        "</references>\n{{reflist|refs=<ref name=b>{{cite book |title=B |year=1999}}</ref>}}"
    )
    assert problems == []
    assert [c.sources[0].note or c.sources[0].get("title") for c in citations] == [
        "Free text A.",
        "B",
    ]


def test_a_ref_name_never_defined_is_reported():
    citations, problems = read('Text<ref name="ghost" />.')
    assert citations[0].sources == ()
    assert problems == [f'{PATH}:1:5: warning: <ref name="ghost" /> is never defined']


def test_a_name_defined_twice_with_other_content_is_reported():
    _, problems = read('A<ref name="x">One.</ref>\nB<ref name="x">Two.</ref>')
    assert problems == [
        f'{PATH}:2:2: warning: <ref name="x"> is defined again with other content; '
        "the definition on line 1 is used"
    ]


def test_free_text_ref_becomes_a_misc_entry_with_its_text_as_note():
    source = only_source(
        "<ref>Interview with [[Dilnur Reyhan]], Almaty, 12 May 2014. "
        "[https://example.org/i Transcript]</ref>"
    )
    assert source.entry_type == "misc"
    assert source.note == "Interview with Dilnur Reyhan, Almaty, 12 May 2014. Transcript"
    assert source.get("url") == "https://example.org/i"
    assert source.get("year") == "2014"


def test_sfn_and_harvnb_cite_the_full_entry_by_author_and_year():
    citations, problems = read(
        "A{{sfn|Roberts|2020|p=5}} B<ref>{{harvnb|Li|Chen|2015|pp=3–4}}</ref> C{{sfn|Gone|1900}}\n"
        "* {{cite book |last=Roberts |first=Sean |title=The War |year=2020}}\n"
        "* {{cite journal |last1=Li |first1=W. |last2=Chen |first2=Y. |title=Speech "
        "|journal=J |date=2015a}}\n"
    )
    assert [c.kind for c in citations] == ["cite", "cite", "cite", "entry", "entry"]
    assert citations[0].sources == citations[3].sources
    assert citations[0].locators == (("5", True),)
    assert citations[1].sources == citations[4].sources
    assert citations[1].locators == (("3–4", True),)
    assert citations[2].sources[0].note == "Gone 1900"
    assert problems == [
        f"{PATH}:1:71: warning: {{{{sfn}}}} cites 'Gone 1900', which no full citation in this "
        "article matches (by family names and year)"
    ]


def test_sfnref_names_a_work_explicitly():
    citations, _ = read(
        "A{{sfn|UNHCR|2001|loc=ch. 2}}\n"
        "* {{cite report |author=United Nations High Commissioner for Refugees |title=R "
        "|year=2001 |ref={{sfnref|UNHCR|2001}}}}"
    )
    assert citations[0].sources[0].get("title") == "R"
    assert citations[0].locators == (("ch. 2", False),)


def test_rp_gives_the_previous_ref_its_page():
    citations, _ = read("A<ref>{{cite book |title=T |year=2000}}</ref>{{rp|12–14}} B")
    assert citations[0].locators == (("12–14", True),)


def test_unknown_cite_variant_and_missing_title_are_reported_at_their_line():
    citations, problems = read(
        "Text.\n\nMore<ref>{{cite blog |url=https://b.org |date=2001}}</ref>"
    )
    assert citations[0].sources[0].entry_type == "misc"
    assert problems == [
        f"{PATH}:3:10: warning: {{{{cite blog}}}} is not a citation template diaspora-book "
        "knows; its fields are kept in a generic entry",
        f"{PATH}:3:10: warning: {{{{cite blog}}}} has no title",
    ]


def test_an_empty_ref_is_reported_and_cites_nothing():
    citations, problems = read("A<ref></ref> B<ref>  </ref>")
    assert citations == ()
    assert problems == [
        f"{PATH}:1:2: warning: an empty <ref> cites nothing; it is dropped",
        f"{PATH}:1:15: warning: an empty <ref> cites nothing; it is dropped",
    ]


def test_other_templates_are_not_citations():
    citations, problems = read("{{convert|16|m|ft}} {{lang|ug|x}} {{reflist}}")
    assert (citations, problems) == ((), [])
    assert is_reference_furniture("Reflist") and is_reference_furniture("rp")
    assert not is_reference_furniture("convert")


def test_values_lose_their_markup():
    assert plain("'''Bold''' [[A|b]] [[C]] [http://x.y Z] {{lang|ug|ئۇ}}&nbsp;<!-- c -->d") == (
        "Bold b C Z ئۇ\u00a0d"
    )
    assert plain("{{circa}}1900 {{ndash}} <ref>x</ref>y") == "1900 \u2013 y"


def test_dates_in_the_forms_wikipedia_writes_them():
    assert iso_date("2004-03-05") == "2004-03-05"
    assert iso_date("5 March 2004") == "2004-03-05"
    assert iso_date("March 5, 2004") == "2004-03-05"
    assert iso_date("March 2004") == "2004-03"
    assert iso_date("5. März 2004") == "2004-03-05"
    assert iso_date("05.03.2004") == "2004-03-05"
    assert iso_date("Spring 2004") == ""
    assert iso_date("31 February 2004") == ""
