"""The print HTML: pandoc's, as WeasyPrint lays it out (`render.html.print_html`)."""

from __future__ import annotations

import re

import pytest

from diaspora_book.build import convert_book
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.project.config import load_project
from diaspora_book.render.html import print_html, to_html
from diaspora_book.render.pdf.layout import PrintJob
from diaspora_book.render.pdf.write import write_pdf
from tests.conftest import make_project
from tests.print_readers import structure_tree


@pytest.mark.parametrize(
    ("pandoc", "laid_out"),
    [
        ('<p><span id="a_p1"></span>Text.</p>', '<p id="a_p1">Text.</p>'),
        # The print HTML's way for a paragraph: a wrapper div with its id.
        (
            '<div id="a_p1" class="block-id">\n<p>Text <em>here</em>.</p>\n</div>',
            '<p id="a_p1">Text <em>here</em>.</p>',
        ),
        (
            '<div id="a-long-chapter-slug_p12"\nclass="block-id">\n<p>One.</p>\n</div>\n<p>Two.</p>',
            '<p id="a-long-chapter-slug_p12">One.</p>\n<p>Two.</p>',
        ),
        ('<li><span id="a_p2"></span>An item</li>', '<li id="a_p2">An item</li>'),
        ('<dt><span\nid="a_p3"></span>A term</dt>', '<dt id="a_p3">A term</dt>'),
        (
            '<h1 class="book-title"><span id="front_p1"></span>Title</h1>',
            '<h1 id="front_p1" class="book-title">Title</h1>',
        ),
        # A block with an id of its own keeps both; a span later in a block stays.
        (
            '<p id="x"><span id="a_p4"></span>Text.</p>',
            '<p id="x"><span id="a_p4"></span>Text.</p>',
        ),
        ('<p>Text <span id="a_p5"></span>more.</p>', '<p>Text <span id="a_p5"></span>more.</p>'),
        # Not an empty span: a language run keeps its element.
        (
            '<p><span id="k" lang="ug">قازاق</span> text</p>',
            '<p><span id="k" lang="ug">قازاق</span> text</p>',
        ),
    ],
)
def test_each_block_carries_its_own_id(pandoc, laid_out):
    assert print_html(pandoc) == laid_out


def test_the_block_ids_are_anchors_of_the_pdf_and_no_empty_spans(tmp_path):
    """Each paragraph's and item's id lands where it starts (the EPUB's page list
    needs it), and the structure tree has no empty Span for it."""
    root = make_project(
        tmp_path / "book",
        {"alpha.txt": "= Alpha =\n\nOne paragraph.\n\n* an item\n* another\n\nA last one.\n"},
    )
    project = load_project(root)
    manuscript = convert_book(project, Diagnostics()).assemble(project, "pdf")
    html = to_html(manuscript)
    assert 'id="alpha_p1"' in html and "block-id" not in html
    assert re.search(r'<span id="[^"]*"></span>', html) is None
    layout = write_pdf(PrintJob(project, manuscript), tmp_path / "book.pdf", Diagnostics())
    anchors = layout.pagination.anchor_pages
    assert {"alpha_p1", "alpha_p2", "alpha_p3", "alpha_p4"} <= set(anchors)
    assert anchors["alpha_p1"] == anchors["alpha"]
    tree = structure_tree(tmp_path / "book.pdf")
    assert [e for e in tree if e.tag == "Span" and not e.text] == []
    assert [e.text for e in tree if e.tag == "P" and "paragraph" in e.text] == ["One paragraph."]
