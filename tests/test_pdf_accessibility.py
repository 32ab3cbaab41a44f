"""The print edition as a screen reader meets it, and as a declared, checked PDF/UA-1 file.

The `pdfua` checker (PyPI) runs the machine-checkable subset of PDF/UA-1; the other
tests here read the structure tree the way assistive technology walks it.
"""

from __future__ import annotations

import pikepdf
import pytest
from pdfua import Severity, validate

from .print_readers import artifacts, structure_tree
from .readers import pdf_pages

BOOK_TITLE = "Kazakhstan's Diasporas"
CONTENTS = ["Uyghurs in Kazakhstan", "Chinese people in Kazakhstan", "Glossary", "References"]


def pdf_of(report):
    return next(p for p in report.outputs if p.suffix == ".pdf")


@pytest.fixture(scope="module")
def tree(sample_build):
    return structure_tree(pdf_of(sample_build))


def test_pdfua_checker_finds_no_error_or_warning(sample_build):
    report = validate(str(pdf_of(sample_build)))
    findings = [
        (f.rule_id, f.severity.name, f.message)
        for f in report.findings
        if f.severity in (Severity.ERROR, Severity.WARNING)
    ]
    assert findings == []


def test_the_pdf_declares_pdf_ua_1(sample_build):
    with pikepdf.open(pdf_of(sample_build)) as pdf:
        assert pdf.open_metadata()["pdfuaid:part"] == "1"


def test_the_title_page_title_is_the_first_heading(tree):
    headings = [e for e in tree if e.tag in ("H1", "H2", "H3")]
    assert (headings[0].tag, headings[0].text) == ("H1", BOOK_TITLE)
    assert headings[1].text == "Contents"


def test_no_heading_is_empty(tree):
    """pdfua's own empty-heading rule (UA-14-001) cannot run on pikepdf 10."""
    empty = [e.tag for e in tree if e.tag[:1] == "H" and e.tag[1:].isdigit() and not e.text]
    assert empty == []


def test_each_contents_entry_is_one_link_with_its_title_and_page(sample_build, tree):
    pages = pdf_pages(pdf_of(sample_build))
    contents = pages.index(next(p for p in pages if p.lstrip().startswith("Contents")))
    start = next(i for i, e in enumerate(tree) if e.tag == "H1" and e.text == "Contents")
    entries = []
    for element in tree[start + 1 :]:
        if element.tag == "Sect" and element.depth <= tree[start].depth - 1:
            break  # the next chapter
        if element.tag == "Link":
            entries.append(element)
    # One Link per entry, none inside another, each read as "Title<en space>page".
    assert [e.leaf for e in entries] == [True] * len(entries)
    titles = [e.text.rsplit("\u2002", 1)[0] for e in entries]
    assert titles[: len(CONTENTS)] == CONTENTS
    for entry in entries:
        title, page = entry.text.rsplit("\u2002", 1)
        assert pages[int(page) - 1].lstrip().startswith(title), entry
        assert "." not in entry.text.replace(BOOK_TITLE, "")
    # The dotted leaders are decoration: artifacts, not text in the tree.
    furniture = "".join(artifacts(pdf_of(sample_build))[contents])
    assert furniture.count(".") > 20 * len(entries)
    assert set(furniture) <= set(". 0123456789")  # the leaders and the folio


def test_glossary_page_numbers_are_one_link_each(tree):
    """A locator's number is generated content (::after) of its link: part of that link."""
    glossary = next(i for i, e in enumerate(tree) if e.tag == "H1" and e.text == "Glossary")
    links = [e for e in tree[glossary:] if e.tag == "Link"]
    assert links and all(e.leaf and e.text.isdigit() for e in links[:5])
