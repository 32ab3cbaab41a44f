"""MediaWiki constructs beyond the first release, built for real: explanatory notes
as footnotes (not bibliography entries)."""

from __future__ import annotations

import re

import pytest

from diaspora_book.build import build
from diaspora_book.config import load_project

from .checkers import epubcheck_messages, run_epubcheck
from .conftest import make_project
from .readers import epub_documents, pdf_page_texts

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


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    root = make_project(
        tmp_path_factory.mktemp("mwgaps") / "book", {"Notes.wiki": NOTES}, "title: Gaps\n"
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
