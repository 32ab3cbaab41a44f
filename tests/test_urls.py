"""Every href is a valid URL; an address that cannot be one prints as text."""

from __future__ import annotations

import re
import zipfile

import pytest

from diaspora_book.build import BuildRequest, build
from diaspora_book.chapters.styled_runs import Links, RichWriter
from diaspora_book.languages.book_language import BookLanguage
from diaspora_book.model import Run
from diaspora_book.plumbing.urls import doi_path, web_href
from diaspora_book.project.config import load_project

from .checkers import epubcheck_messages, run_epubcheck
from .conftest import make_project

_URI = re.compile(r"^[a-z]+:(//[a-z0-9.-]+(:\d+)?)?([-\w.~:/?#\[\]@!$&'()*+,;=]|%[0-9A-F]{2})*$")
SICI = "10.1002/1439-7633(20021104)3:11<1135::AID-CBIC1135>3.0.CO;2-M"


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ('https://example.org/a b)"<x>', "https://example.org/a%20b%29%22%3Cx%3E"),
        ("HTTP://Example.ORG/a|b", "http://example.org/a%7Cb"),
        (
            "https://пример.рф/путь?q=я#a#b",
            "https://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C?q=%D1%8F#a%23b",
        ),
        ("https://x.org/100%", "https://x.org/100%25"),
        ("https://x.org/%41", "https://x.org/%41"),
        ("https://[::1]:8080/a", "https://[::1]:8080/a"),
        ("http://my_blog.example.org/", "http://my_blog.example.org/"),
        ("mailto:a@b.org", "mailto:a@b.org"),
        ("ftp://ftp.x.org/f", "ftp://ftp.x.org/f"),
        ("http://", ""),
        ("http://:80/x", ""),
        ("http://a.org:99999/", ""),
        ("http://a.org:x/", ""),
        ("http://[::1/", ""),
        ("http://exa mple.org/", ""),
        ("javascript:alert(1)", ""),
        ("file:///etc/passwd", ""),
        ("mailto:", ""),
        ("//example.org/a b", "https://example.org/a%20b"),
        ("///x", ""),
    ],
)
def test_web_href_makes_a_valid_url_or_refuses(url, href):
    assert web_href(url) == href


def test_a_doi_is_escaped_for_its_url():
    assert doi_path(SICI) == "10.1002/1439-7633(20021104)3:11%3C1135::AID-CBIC1135%3E3.0.CO;2-M"


HOSTILE = f"""'''Links''' of every kind.

* [https://example.org/a|b a pipe]
* [https://example.org/a#b#c two hashes]
* [http://пример.рф/путь a Cyrillic host]
* [https://example.org/ü?q=ä non-ASCII]
* [http:// an empty host]
* [http://example.org:99999/ a bad port]
* Bare: https://example.org/bare|pipe and http://пример.рф/.

A journal.<ref>{{{{cite journal |last=Roe |first=A. |title=Enzymes |journal=ChemBioChem
|year=2002 |doi={SICI} |url=https://example.org/a b}}}}</ref> A site.<ref>{{{{cite web
|url=http:// |title=Nowhere}}}}</ref> A page.<ref>[https://example.org/x|y A page], 2020.</ref>

== References ==
<references />
"""

REFERENCES_BIB = """@online{curated,
  title = {Curated},
  author = {Poe, Edgar},
  year = {2020},
  url = {https://example.org/curated|x#a#b},
}
@online{nohost,
  title = {No host},
  author = {Doe, Jane},
  year = {2021},
  url = {http://},
}
"""

CITATIONS = """rules:
  - phrase: "of every kind"
    cite: [curated, nohost]
"""

BOOK = """title: Links
sources:
  Links.wiki:
    title: Links
    url: https://fa.wikipedia.org/wiki/برلین|x
    revision: 1
    date: 2024-01-01
    contributors: [Ann]
"""


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("urls") / "book", {"Links.wiki": HOSTILE}, BOOK)
    (root / "references.bib").write_text(REFERENCES_BIB, encoding="utf-8")
    (root / "citations.yml").write_text(CITATIONS, encoding="utf-8")
    report = build(load_project(root), BuildRequest(formats=("epub",)))
    with zipfile.ZipFile(report.outputs[0]) as epub:
        xhtml = "".join(epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml"))
    return report.outputs[0], xhtml


@pytest.mark.slow  # EPUBCheck: the sample book's run stays fast
def test_hostile_urls_make_a_valid_epub(hostile_book, tmp_path):
    epub, _ = hostile_book
    assert epubcheck_messages(run_epubcheck(epub, tmp_path)) == []


def test_every_href_is_a_valid_url_and_the_rest_is_text(hostile_book):
    _, xhtml = hostile_book
    hrefs = set(re.findall(r'href="([^"#][^"]*)"', xhtml))
    outward = {h for h in hrefs if h.startswith(("http", "mailto"))}
    for href in outward:  # RFC 3986's characters, one `#`, every `%` an escape
        assert _URI.match(href.replace("&amp;", "&")) and href.count("#") <= 1, href
    assert "https://example.org/a%7Cb" in outward
    assert "https://example.org/a#b%23c" in outward
    assert "http://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C" in outward
    assert "https://example.org/%C3%BC?q=%C3%A4" in outward
    assert "https://doi.org/10.1002/1439-7633(20021104)3:11%3C1135::AID-CBIC1135%3E3.0.CO;2-M" in (
        outward
    )
    assert "https://example.org/curated%7Cx#a%23b" in outward
    # No link, but the words stay: an empty host, a bad port, a bibliography URL without one.
    assert not any(h.startswith("http://example.org:99999") or h == "http://" for h in outward)
    assert "an empty host" in xhtml and "a bad port" in xhtml
    assert "Nowhere" in xhtml and "no host" in xhtml.lower()
    # The attribution's URL: printed as written, linked as a valid URL.
    assert "https://fa.wikipedia.org/wiki/%D8%A8%D8%B1%D9%84%DB%8C%D9%86%7Cx" in outward


def test_a_link_with_no_visible_text_is_no_link():
    writer = RichWriter(BookLanguage("en"), Links({"Main Page": "main-page"}))
    runs = [Run(0, 1, "wikilink", "Main Page"), Run(4, 5, "link", "https://example.org/")]
    assert writer.write("\xa0 - \xa0 x", runs, (), []) == "\xa0 - \xa0 x"
    assert writer.write("Main", [Run(0, 4, "wikilink", "Main Page")], (), []) == (
        "[Main](#main-page){.xref}"
    )
