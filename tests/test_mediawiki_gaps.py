"""MediaWiki constructs beyond the first release, built for real: explanatory notes
as footnotes (not bibliography entries), preformatted text and code, HTML lists, links to redirect pages."""

from __future__ import annotations

import re

import pikepdf
import pytest

from diaspora_book.build import build
from diaspora_book.cli import main
from diaspora_book.project.config import load_project

from .checkers import epubcheck_messages, run_epubcheck
from .conftest import make_project
from .readers import epub_documents, pdf_fonts, pdf_page_texts, pdf_text

NOTES = """\
The Dungans came in 1878.<ref group="note">They crossed the *Tian Shan* [in winter].</ref> \
Some stayed in Karakol.{{efn|name=b|A second note, with {{lang|ug|ئۇيغۇر}}.}} Others went \
on{{efn|name=b}} to Tokmok<ref group=n name="late"/>.<ref>Smith, John (1999). Migrations.</ref>

== Notes ==
{{notelist}}
<references group=n><ref name="late">Defined in the list.</ref></references>

== References ==
{{reflist}}
"""

LONG = "x" * 30 + " = " + " + ".join(f"value_{n}" for n in range(30))
CODE = (
    "Call <code>f(**kw)</code> or <tt>[[not a link]]</tt> to begin.\n\n"
    " def greet(name):\n"
    "     return '''hello''' + name  # [[kept]]\n\n"
    "<pre>\n<b>raw</b> {{tpl}} *stars* ئۇيغۇر\n  two spaces in\n</pre>\n"
    f'<syntaxhighlight lang="python">\n{LONG}\nprint("```")\n</syntaxhighlight>\n'
    "After the code.\n"
)

LISTS = (
    "Steps:\n<ol>\n<li>Cross the ''pass''</li>\n<li>Rest\n"
    "<ul><li>at Naryn</li><li>at Tokmok</li></ul>\n</li>\n<li>Settle</li>\n</ol>\nDone.\n"
)

EXPORT = """<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">
  <page>
    <title>Hui people</title>
    <revision><id>7</id><timestamp>2024-01-01T00:00:00Z</timestamp>
      <contributor><username>Ma</username></contributor>
      <text xml:space="preserve">The Hui are a people of China.</text>
    </revision>
  </page>
  <page>
    <title>Huizu</title>
    <redirect title="Hui people" />
    <revision><id>8</id><timestamp>2010-01-01T00:00:00Z</timestamp>
      <contributor><username>Bot</username></contributor>
      <text xml:space="preserve">#REDIRECT [[Hui people]]</text>
    </revision>
  </page>
</mediawiki>
"""
LINKS = "Their ancestors were [[Huizu|the Hui of Gansu]], not [[Hui (disambiguation)|others]].\n"


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    root = make_project(
        tmp_path_factory.mktemp("mwgaps") / "book",
        {
            "Notes.wiki": NOTES,
            "Code.wiki": CODE,
            "Lists.wiki": LISTS,
            "Links.wiki": LINKS,
            "hui.xml": EXPORT,
        },
        "title: Gaps\n",
    )
    report = build(load_project(root))
    pdf = next(p for p in report.outputs if p.suffix == ".pdf")
    epub = next(p for p in report.outputs if p.suffix == ".epub")
    return report, pdf, epub


def test_explanatory_notes_are_footnotes_in_print_not_references(book):
    report, pdf, _ = book
    pages = pdf_page_texts(pdf)
    chapter = next(p for p in pages if "The Dungans came in 1878" in p)
    # At the foot of the page they are called from, in order, text kept as written.
    assert "They crossed the *Tian Shan* [in winter]." in chapter
    assert chapter.index("Others went on") < chapter.index("They crossed the")
    assert chapter.count("A second note, with ئۇيغۇر.") == 2
    assert "Defined in the list." in chapter
    references = next(p for p in pages if "Migrations" in p and p is not chapter)
    assert "They crossed" not in references and "A second note" not in references
    assert not [d for d in report.diagnostics if "note" in d.message]


def test_explanatory_notes_are_epub_footnotes_and_the_epub_is_valid(book, tmp_path):
    _, _, epub = book
    docs = "".join(epub_documents(epub).values())
    notes = re.findall(r'<aside[^>]*epub:type="footnote"[^>]*>(.*?)</aside>', docs, re.S)
    texts = [re.sub(r"<[^>]+>", "", n).strip() for n in notes]
    assert any("They crossed the *Tian Shan* [in winter]." in t for t in texts)
    assert any("Defined in the list." in t for t in texts)
    references = next(t for t in epub_documents(epub).values() if 'id="ref-' in t)
    assert "They crossed" not in references
    assert epubcheck_messages(run_epubcheck(epub, tmp_path)) == []


def test_preformatted_text_and_code_keep_their_layout_in_a_monospace_face(book):
    report, pdf, epub = book
    docs = "".join(epub_documents(epub).values())
    blocks = re.findall(r"<pre[^>]*>(.*?)</pre>", docs, re.S)
    shown = [re.sub(r"<[^>]+>", "", b) for b in blocks]
    assert any("def greet(name):\n    return hello + name  # kept" in b for b in shown)
    assert any("&lt;b&gt;raw&lt;/b&gt; {{tpl}} *stars*" in b for b in shown)
    assert any("\n  two spaces in" in b for b in shown)
    # Another script in code keeps its language (the EPUB stays accessible).
    assert any('<span lang="ug" dir="rtl" xml:lang="ug">ئۇيغۇر</span>' in b for b in blocks)
    assert not [d for d in report.diagnostics if "not marked with its language" in d.message]
    assert any('print("```")' in b for b in shown)
    assert "<code>f(**kw)</code>" in docs and "<code>not a link</code>" in docs
    text = pdf_text(pdf)
    assert "f(**kw)" in text and "<b>raw</b> {{tpl}} *stars*" in text
    # The long line wraps on the page: all of it is printed.
    assert "value_29" in text and "value_0" in text
    mono = [f for f in pdf_fonts(pdf) if "Mono" in f.name]
    assert mono and any({"{", "*", "_"} <= f.drawn for f in mono)
    assert all(f.drawn <= f.has for f in pdf_fonts(pdf))


def test_html_lists_are_real_lists(book):
    _, pdf, epub = book
    chapter = next(t for t in epub_documents(epub).values() if "Cross the" in t)
    found = re.search(r"<ol[^>]*>(.*?)</ol>", chapter, re.S)
    assert found
    items = re.sub(r"\s+", " ", re.sub(r"<(?!/?[ou]l)[^>]+>", "", found.group(1)))
    assert items.strip() == "Cross the pass Rest <ul> at Naryn at Tokmok </ul> Settle"
    assert "<em>pass</em>" in found.group(1)
    text = pdf_text(pdf)
    assert "1. Cross the pass" in text and "3. Settle" in text
    assert "<li>" not in text and "<ol>" not in text


def test_a_link_to_a_redirect_page_is_a_cross_reference_to_its_target(book):
    _, pdf, epub = book
    docs = epub_documents(epub)
    chapter = next(t for t in docs.values() if "Their ancestors" in t)
    link = re.search(r'<a href="([^"]+)"[^>]*>the Hui of Gansu</a>', chapter)
    assert link is not None
    target_file, _, anchor = link.group(1).partition("#")
    assert anchor == "hui-people"
    assert 'id="hui-people"' in docs["EPUB/text/" + target_file]
    assert not re.search(r"<a [^>]*>others</a>", chapter)  # not in the book: plain text
    page = next(i for i, t in enumerate(pdf_page_texts(pdf)) if "Their ancestors" in t)
    with pikepdf.open(pdf) as document:
        internal = [
            a
            for a in document.pages[page].get("/Annots", [])
            if a.get("/Subtype") == "/Link" and "/URI" not in a.get("/A", {})
        ]
    assert len(internal) == 1


@pytest.mark.parametrize(
    ("articles", "missing", "unlisted"),
    [
        (
            {"a.wiki": "A.\n", "b.wiki": "B.\n"},
            "articles/c.wiki does not exist",
            "articles/b.wiki is",
        ),
        (
            {"a.txt": "= A =\n", "b.wiki": "B.\n"},
            "neither articles/c.txt nor articles/c.wiki exists",
            "articles/b.wiki is",
        ),
        (
            {"a.wiki": "A.\n", "hui.xml": EXPORT},
            "articles/c.wiki does not exist and no page of articles/hui.xml has that id",
            "articles/hui.xml (page 'hui-people') is",
        ),
    ],
)
def test_a_missing_chapter_is_looked_for_in_the_projects_kinds_of_file(
    project_factory, capsys, articles, missing, unlisted
):
    root = project_factory(articles, "title: T\nchapters:\n  - a\n  - c\n")
    assert main(["check", "--project", str(root)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert f"book.yml:4:5: error: book.yml lists chapter 'c' but {missing}" in err
    assert f"warning: {unlisted} not listed in book.yml 'chapters'; added at the end" in err
