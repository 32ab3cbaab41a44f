"""MediaWiki references: `<ref>`s and citation templates -> sources, keys and a .bib file."""

from __future__ import annotations

import mwparserfromhell
import pytest
from mwparserfromhell.nodes import Tag, Template

from diaspora_book.model import Name, Source, SourceSpan
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.read.mediawiki.cite_values import iso_date, plain
from diaspora_book.read.mediawiki.references import (
    RefState,
    WikiCitation,
    is_reference_furniture,
    read_citation_template,
    read_ref,
)

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


def test_rp_after_a_ref_with_several_works_goes_to_the_one_without_a_page():
    citations, problems = read(
        "A<ref>{{cite book |title=T |year=2000 |page=3}} {{cite book |title=U |year=2001}}</ref>"
        "{{rp|12}} "
        'B<ref name="two">{{cite book |title=V |year=2002}} {{cite book |title=W |year=2003}}'
        '</ref> C<ref name="two" />{{rp|40}}'
    )
    assert citations[0].locators == (("3", True), ("12", True))
    assert citations[1].locators == (("", True), ("", True))
    assert citations[2].locators == (("", True), ("", True))
    assert problems == [
        f"{PATH}:1:208: warning: {{{{rp|40}}}} follows a <ref> citing 2 works; its page is "
        "dropped (put it in the citation template: |page=)"
    ]


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


# --- keys, the generated bibliography, citations in the text ---------------------------

TWO_ARTICLES = (
    "A<ref>{{cite book |last=Roberts |first=Sean |title=The Uyghur War |year=2020 "
    "|publisher=PUP |page=5}}</ref> B<ref>{{cite web |url=https://r.org |title=Uyghur "
    "diaspora |last=Roberts |date=2020}}</ref> C<ref>{{cite journal |last=Li |title=Dungans "
    "|journal=J |year=2015 |doi=10.1/ABC}}</ref> D<ref>Interview with Dilnur Reyhan, "
    "Almaty, 12 May 2014.</ref>",
    "E<ref>{{cite book |last=Roberts |first=S. |title=The Uyghur war |year=2020 "
    "|publisher=PUP |pages=9–10}}</ref> F<ref>{{cite journal |title=Other title "
    "|doi=10.1/abc |journal=J}}</ref> G<ref>{{cite book |last=Рахимов |title=Дунгане "
    "|year=1999 |publisher=Наука}}</ref>",
)


def keyed(*texts: str, curated=None):
    from diaspora_book.annotate.wiki_bibliography import assign_keys

    articles = [read(text)[0] for text in texts]
    return articles, assign_keys(articles, curated)


def test_keys_are_author_year_and_first_title_word_disambiguated():
    articles, keys = keyed(*TWO_ARTICLES)
    assert [key for key, _ in keys.entries] == [
        "roberts2020uyghur",
        "roberts2020uyghurb",
        "li2015dungans",
        "interview2014dilnur",
        "rahimov1999dungane",
    ]
    assert [keys.keys_of(c) for c in articles[1]] == [
        ("roberts2020uyghur",),  # the same book as in the first article
        ("li2015dungans",),  # the same DOI, whatever else it says
        ("rahimov1999dungane",),
    ]


def test_keys_are_stable_from_build_to_build():
    assert keyed(*TWO_ARTICLES)[1] == keyed(*TWO_ARTICLES)[1]


def test_a_work_the_curated_bibliography_holds_uses_its_key(tmp_path):
    from diaspora_book.annotate.citations import load_bibliography

    (tmp_path / "references.bib").write_text(
        "@article{li-dungans,\n  author = {Li, W.},\n  title = {Dungans},\n"
        "  journal = {J},\n  year = {2015},\n  doi = {10.1/abc},\n}\n"
        "@book{pup-book,\n  author = {Roberts, Sean},\n  title = {The Uyghur War},\n"
        "  publisher = {PUP},\n  year = {2020},\n  isbn = {0-691-20221-1},\n}\n"
        "@book{rahimov1999dungane,\n  author = {Rahimov},\n  title = {Dungane},\n"
        "  publisher = {Nauka},\n  year = {1999},\n}\n",
        encoding="utf-8",
    )
    curated = load_bibliography(tmp_path, Diagnostics())
    with_isbn = TWO_ARTICLES[0].replace("|publisher=PUP |page=5", "|isbn=978-0-691-20221-1")
    articles, keys = keyed(with_isbn, TWO_ARTICLES[1], curated=curated)
    assert [keys.keys_of(c) for c in articles[0]][:3] == [
        ("pup-book",),  # the same ISBN (ISBN-10 and ISBN-13)
        ("roberts2020uyghur",),
        ("li-dungans",),  # the same DOI
    ]
    assert keys.keys_of(articles[1][2]) == ("rahimov1999dungane",)  # the same key
    assert "li-dungans" not in keys.bibtex() and "@book{pup-book" not in keys.bibtex()


def test_cite_markdown_gives_keys_and_page_locators():
    from diaspora_book.chapters.convert import cite_markdown

    articles, keys = keyed(
        "A<ref>{{cite book |last=Roberts |title=War |year=2020 |page=5}}"
        "{{cite book |last=Li |title=Speech |year=2015 |loc=ch. [2]}}</ref> B<ref>Free.</ref>"
        ' C<ref name="x" />'
    )
    assert [cite_markdown(c, keys) for c in articles[0]] == [
        "[@roberts2020war, 5; @li2015speech, ch. \\[2\\]]",
        "[@free]",
        "",  # never defined: reported, cites nothing
    ]


def test_the_bibliography_escapes_what_latex_would_read_and_reads_back(tmp_path):
    import bibtexparser
    import pypandoc
    from bibtexparser.middlewares import LatexDecodingMiddleware

    hostile = r"100% of #1 & {braces} ~ \ ^ $ _ end"
    articles, keys = keyed(
        f"A<ref>{{{{cite book |author=Smith & Sons, Ltd. |title={hostile} |year=2001 "
        "|publisher=Sons}}</ref> B<ref>{{cite web |url=https://x.org/a_b%20c?d=1&e=2 "
        f"|title=Web |last=Ó Briain |first=Dara}}}}</ref> C<ref>{hostile}</ref>"
    )
    text = keys.bibtex()
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert library.failed_blocks == []
    book, web, free = library.entries
    # pylatexenc reads \textasciicircum as U+02C6 (a modifier letter); pandoc, below, as "^"
    assert book["title"].strip("{}").replace("\u02c6", "^") == hostile
    # a URL is verbatim for biblatex and pandoc: read it undecoded
    assert bibtexparser.parse_string(text).entries[1]["url"] == "https://x.org/a_b%20c?d=1&e=2"
    assert web["author"] == "Ó Briain, Dara"
    assert free["title"].strip("{}").replace("\u02c6", "^") == hostile
    path = tmp_path / "generated.bib"
    path.write_text(text, encoding="utf-8")
    read_back = pypandoc.convert_file(str(path), "csljson", format="biblatex")
    import json

    items = {item["id"]: item for item in json.loads(read_back)}
    assert items[keys.key(articles[0][0].sources[0])]["title"] == hostile
    assert items[keys.key(articles[0][0].sources[0])]["author"] == [
        {"literal": "Smith & Sons, Ltd."}
    ]
    assert items[keys.key(articles[0][1].sources[0])]["URL"] == "https://x.org/a_b%20c?d=1&e=2"
    assert items[keys.key(articles[0][2].sources[0])]["title"] == hostile


def test_hostile_references_give_text_or_a_warning_never_markup_or_a_traceback():
    citations, problems = read(
        '<ref name="loop"><ref name="loop" />Loop.</ref> A<ref name="loop" />'
        "<ref>{{cite book |title=<script>alert(1)</script>Safe <img src=x onerror=alert(1)>"
        "title |url=javascript:alert(1) |year=2001}}</ref>"
        "<ref>{{#invoke:Citation/CS1|citation}}</ref>"
        "<ref>{{cite book |title=" + "{{lang|en|" * 5000 + "Deep" + "}}" * 5000 + "}}</ref>"
    )
    loop, again, script, deep = citations
    assert loop.sources == again.sources and loop.sources[0].note == "Loop."
    assert dict(script.sources[0].fields) == {"title": "Safe title", "date": "2001"}
    assert deep.sources[0].fields == ()  # nested past any sense: dropped, and reported
    assert problems == [
        f"{PATH}:1:200: warning: this <ref> holds no text; it is dropped",
        f"{PATH}:1:249: warning: {{{{cite book}}}} has no title",
    ]


def test_explanatory_notes_are_not_citations():
    citations, problems = read(
        "A{{efn|An explanatory note with {{lang|ug|ئۇ}}.}} B{{efn|name=n|Named note.}} "
        'C{{efn|name=n}} D{{refn|Refn note.}} E<ref group="note">Grouped.</ref> '
        "F<ref>{{cite book |title=T |year=2000 |page=4}}</ref>"
    )
    assert [(c.sources[0].get("title"), c.locator) for c in citations] == [("T", "4")]
    assert problems == []


def test_r_template_reuses_a_named_ref_with_its_page():
    citations, problems = read(
        'A<ref name="w">{{cite book |last=W |title=Work |year=1999 |page=3}}</ref> '
        "B{{r|w|p=17}} C{{r|w}} D{{r|w|x}}"
    )
    assert [c.locators for c in citations] == [
        (("3", True),),
        (("17", True),),
        (("3", True),),
        (("3", True),),
    ]
    assert {c.sources for c in citations} == {citations[0].sources}
    assert problems == [
        f"{PATH}:1:99: warning: {{{{r}}}} with several names cites only the first, 'w'"
    ]


def test_two_web_pages_with_one_title_are_two_works_one_page_twice_is_one():
    _, keys = keyed(
        "A<ref>{{cite web |url=https://a.example/census |title=Census}}</ref>"
        "B<ref>{{cite web |url=https://b.example/census |title=Census}}</ref>"
        "C<ref>{{cite web |url=http://www.a.example/census/ |title=Census}}</ref>"
    )
    assert [key for key, _ in keys.entries] == ["census", "censusb"]


def test_a_ref_that_is_only_an_address_is_a_web_page_named_by_its_site():
    source = only_source("<ref>http://www.docs.python.org/library/functions.html#range</ref>")
    assert (source.entry_type, dict(source.fields), source.note) == (
        "online",
        {
            "title": "docs.python.org",
            "url": "http://www.docs.python.org/library/functions.html#range",
        },
        "",
    )


def test_a_free_text_ref_in_author_year_form_names_its_author_and_year():
    source = only_source("<ref>Smith, John (2004). ''The Steppe''. Almaty: Atamura. p. 12.</ref>")
    assert (source.authors, dict(source.fields), source.note) == (
        (Name("Smith", "John"),),
        {"title": "The Steppe. Almaty: Atamura. p. 12.", "year": "2004"},
        "",
    )
    other = only_source("<ref>Smith and Jones (2004) say so.</ref>")  # not that form
    assert (other.authors, other.note) == ((), "Smith and Jones (2004) say so.")


@pytest.mark.parametrize(
    "written, name",
    [
        ("Max Mangold (ed.)", Name("Mangold", "Max")),  # Germany's {{cite book |editor=}}
        ("Müller, Hans (Hrsg.)", Name("Müller", "Hans")),
        ("Иванов И. И. (ред.)", Name("Иванов", "И. И.")),
    ],
)
def test_a_role_written_after_a_name_is_not_its_family_name(written, name):
    from diaspora_book.read.mediawiki.cite_values import person

    assert person(written) == name
