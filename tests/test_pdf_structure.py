"""The pydyf page-reference cache: same bytes, follows added pages, restored after."""

import contextlib

import pydyf

from diaspora_book.build import build
from diaspora_book.config import load_project
from diaspora_book.render.pdf import write as pdf_module
from diaspora_book.render.pdf.structure import cached_page_references

ARTICLES = {
    "alpha.txt": "= Alpha =\n\nFirst. قازاق 哈萨克\n\n== Part ==\n- one\n- two\n",
    "beta.txt": "= Beta =\n\n" + "A long paragraph that fills pages. " * 400 + "\n",
}


def test_the_cache_follows_added_pages_and_is_removed_after():
    original = pydyf.PDF.__dict__["page_references"]
    document = pydyf.PDF()
    with cached_page_references():
        assert pydyf.PDF.__dict__["page_references"] is not original
        document.add_page(pydyf.Dictionary({"Type": "/Page"}))
        first = document.page_references
        assert document.page_references is first  # computed once
        document.add_page(pydyf.Dictionary({"Type": "/Page"}))
        assert len(document.page_references) == 2 and document.page_references[0] == first[0]
        assert document.page_references == original.fget(document)
    assert pydyf.PDF.__dict__["page_references"] is original


def test_the_pdf_is_the_same_with_and_without_the_cache(project_factory, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    cached = build(
        load_project(project_factory(ARTICLES, "title: Same\n", name="cached")), formats=("pdf",)
    )
    monkeypatch.setattr(pdf_module, "cached_page_references", contextlib.nullcontext)
    plain = build(
        load_project(project_factory(ARTICLES, "title: Same\n", name="plain")), formats=("pdf",)
    )
    assert cached.outputs[0].read_bytes() == plain.outputs[0].read_bytes()
