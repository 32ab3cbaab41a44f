"""Attribution of MediaWiki articles: the licence, "Article sources and contributors",
`dc:source` in the EPUB, and book.yml `sources:` / `licence:`."""

from __future__ import annotations

import pytest

from diaspora_book.build import build
from diaspora_book.check import run_checks
from diaspora_book.plumbing.errors import BookError
from diaspora_book.project.config import load_project

from .checkers import epubcheck_messages, run_epubcheck
from .readers import epub_documents, epub_xml, html_text, normalise, pdf_pages, pdf_text

EXPORT = """<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">
  <siteinfo>
    <sitename>Wikipedia</sitename>
    <base>https://en.wikipedia.org/wiki/Main_Page</base>
  </siteinfo>
  <page>
    <title>Dungans in Kyrgyzstan</title>
    <ns>0</ns>
    <id>100</id>
    <revision>
      <id>1190000001</id>
      <timestamp>2023-11-02T10:00:00Z</timestamp>
      <contributor><username>Alice Example</username><id>1</id></contributor>
      <text xml:space="preserve">An older text.</text>
    </revision>
    <revision>
      <id>1190000002</id>
      <timestamp>2024-05-01T10:00:00Z</timestamp>
      <contributor><ip>192.0.2.7</ip></contributor>
      <text xml:space="preserve">The '''Dungans''' of Kyrgyzstan; see [[Uyghurs in Kazakhstan]].</text>
    </revision>
  </page>
  <page>
    <title>Uyghurs in Kazakhstan</title>
    <ns>0</ns>
    <id>101</id>
    <revision>
      <id>1200000000</id>
      <timestamp>2024-01-15T08:30:00Z</timestamp>
      <contributor><username>Bob</username><id>2</id></contributor>
      <text xml:space="preserve">The '''Uyghurs''' of Kazakhstan.</text>
    </revision>
  </page>
</mediawiki>
"""
BOOK_YML = """title: Attributed
licence:
  name: CC BY-SA 3.0 Unported
  url: https://creativecommons.org/licenses/by-sa/3.0/
sources:
  notes.wiki:
    title: Dungan language
    url: https://en.wikipedia.org/w/index.php?title=Dungan_language&oldid=42
    revision: 42
    date: 2022-02-02
    contributors: [Carol, Dave & Co]
"""


def _project(root, book_yml=BOOK_YML, notes="Notes on the [[Dungans in Kyrgyzstan]].\n"):
    (root / "articles").mkdir(parents=True)
    (root / "articles" / "export.xml").write_text(EXPORT, encoding="utf-8")
    (root / "articles" / "notes.wiki").write_text(notes, encoding="utf-8")
    (root / "book.yml").write_text(book_yml, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def attributed(tmp_path_factory):
    root = _project(tmp_path_factory.mktemp("attribution") / "book")
    return build(load_project(root)), root


def test_the_copyright_page_names_the_licence_and_its_url(attributed):
    report, _ = attributed
    copyright_page = normalise(pdf_pages(report.outputs[0])[1])
    assert (
        "The text of the articles is available under the licence CC BY-SA 3.0 Unported: "
        "https://creativecommons.org/licenses/by-sa/3.0/" in copyright_page.replace("/ ", "/")
    )
    assert "Sources: articles/export.xml; articles/notes.wiki" in copyright_page


def test_the_sources_appendix_names_each_revision_and_its_contributors(attributed):
    report, _ = attributed
    text = normalise(pdf_text(report.outputs[0]))
    appendix = text[text.rindex("Article sources and contributors") :].replace("/ ", "/")
    assert appendix == (
        "Article sources and contributors "
        "Dungans in Kyrgyzstan Dungans in Kyrgyzstan, revision 1190000002 of May 1, 2024, "
        "https://en.wikipedia.org/w/index.php?oldid=1190000002 "
        "Contributors: Alice Example, 192.0.2.7 "
        "Uyghurs in Kazakhstan Uyghurs in Kazakhstan, revision 1200000000 of January 15, 2024, "
        "https://en.wikipedia.org/w/index.php?oldid=1200000000 "
        "Contributor: Bob "
        "notes Dungan language, revision 42 of February 2, 2022, "
        "https://en.wikipedia.org/w/index.php?title=Dungan_language&oldid=42 "
        "Contributors: Carol, Dave & Co"
    )
    assert "\u2010" not in appendix  # a URL is never hyphenated
    contents = normalise(pdf_pages(report.outputs[0])[2])
    assert "Article sources and contributors" in contents


def test_the_epub_names_each_source_and_has_the_appendix(attributed, tmp_path):
    report, _ = attributed
    epub = report.outputs[1]
    opf = epub_xml(epub, "EPUB/content.opf")
    dc = "{http://purl.org/dc/elements/1.1/}"
    sources = [e.text for e in opf.iter(f"{dc}source") if e.get("id", "").startswith("article")]
    assert sources == [
        "https://en.wikipedia.org/w/index.php?oldid=1190000002",
        "https://en.wikipedia.org/w/index.php?oldid=1200000000",
        "https://en.wikipedia.org/w/index.php?title=Dungan_language&oldid=42",
    ]
    documents = epub_documents(epub)
    appendix = next(d for d in documents.values() if 'id="article-sources"' in d)
    assert 'epub:type="credits"' in appendix and 'role="doc-credits"' in appendix
    assert 'href="https://en.wikipedia.org/w/index.php?oldid=1200000000"' in appendix
    assert "Contributors: Carol, Dave &amp; Co" in appendix
    copyright_page = next(d for d in documents.values() if 'id="copyright"' in d)
    assert "CC BY-SA 3.0 Unported" in html_text(copyright_page)
    report_json = run_epubcheck(epub, tmp_path)
    assert epubcheck_messages(report_json) == []


def test_a_german_book_says_it_in_german(tmp_path):
    book_yml = BOOK_YML.replace("title: Attributed\n", "title: Quellen\nlanguage: de\n")
    root = _project(tmp_path / "book", book_yml)
    from diaspora_book.build import BuildRequest

    report = build(load_project(root), BuildRequest(formats=("pdf",)))
    text = normalise(pdf_text(report.outputs[0])).replace("/ ", "/")
    assert "Der Text der Artikel steht unter der Lizenz CC BY-SA 3.0 Unported" in text
    assert "Quellen und Autoren der Artikel" in text
    assert "Version 1190000002 vom 1. Mai 2024" in text
    assert "Autor: Bob" in text and "Autoren: Carol, Dave & Co" in text


def test_the_default_licence_is_cc_by_sa_4(tmp_path):
    root = _project(tmp_path / "book", "title: Plain\n")
    config = load_project(root).config
    assert (config.licence.name, config.licence.url) == (
        "CC BY-SA 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    )


def test_check_reports_a_wiki_article_without_a_source_and_a_source_of_no_article(tmp_path):
    root = _project(tmp_path / "book", BOOK_YML.replace("notes.wiki", "ghost.wiki"))
    problems = [str(d) for d in run_checks(load_project(root)) if "source" in d.message]
    assert problems == [
        "articles/notes.wiki:1: warning: the source of this article is unknown; its licence "
        "requires naming it and its contributors (add it under 'sources:' in book.yml: "
        "notes.wiki: title, url, revision, date, contributors) [unknown-source]",
        "book.yml:7:5: warning: 'sources:' names 'ghost', which is no article",
    ]


@pytest.mark.parametrize(
    ("book_yml", "message"),
    [
        (
            "licence: WTFPL\n",
            "book.yml:1: error: licence 'WTFPL' needs its URL (write 'licence:' with 'name:' "
            "and 'url:'; known by name: cc by 3.0, cc by 4.0, cc by-sa 3.0, cc by-sa 4.0, "
            "cc0 1.0, gfdl 1.3)",
        ),
        (
            "licence:\n  name: X\n  url: ftp://x.org\n",
            "book.yml:1: error: 'licence' must be a licence's name or have 'name:' and an "
            "http(s) 'url:'",
        ),
        (
            "sources:\n  a.wiki:\n    title: A\n    oldid: 5\n",
            "book.yml:3:5: error: unknown key 'oldid' in the source of a.wiki (a source has: "
            "title, url, revision, date, contributors)",
        ),
        (
            "sources:\n  a.wiki:\n    url: https://x.org\n",
            "book.yml:3:5: error: the source of a.wiki needs a 'title:'",
        ),
        (
            "sources:\n  a.wiki:\n    title: A\n    url: javascript:alert(1)\n",
            "book.yml:3:5: error: the source of a.wiki: 'url' must be an http(s) address",
        ),
    ],
)
def test_bad_licence_and_sources_are_errors_at_their_line(tmp_path, book_yml, message):
    root = _project(tmp_path / "book", book_yml)
    with pytest.raises(BookError) as caught:
        load_project(root)
    assert str(caught.value) == message


def test_a_known_licence_by_name(tmp_path):
    root = _project(tmp_path / "book", "licence: CC BY 4.0\n")
    licence = load_project(root).config.licence
    assert licence.url == "https://creativecommons.org/licenses/by/4.0/"


def test_a_txt_article_is_attributed_from_book_yml(tmp_path):
    from diaspora_book.build import BuildRequest

    root = tmp_path / "book"
    (root / "articles").mkdir(parents=True)
    (root / "articles" / "uyghurs.txt").write_text(
        "= Uyghurs =\n\nThe Uyghurs of Almaty.\n", encoding="utf-8"
    )
    (root / "book.yml").write_text(
        "title: T\nsources:\n  uyghurs.txt:\n    title: Uyghurs in Kazakhstan\n"
        "    url: https://en.wikipedia.org/w/index.php?oldid=7\n    date: 2024-01-02\n",
        encoding="utf-8",
    )
    report = build(load_project(root), BuildRequest(formats=("pdf",)))
    text = normalise(pdf_text(report.outputs[0])).replace("/ ", "/")
    assert text.endswith(
        "Article sources and contributors Uyghurs Uyghurs in Kazakhstan, version of "
        "January 2, 2024, https://en.wikipedia.org/w/index.php?oldid=7"
    )
