"""The pydyf page-reference cache: same bytes, follows added pages, restored after."""

import contextlib

import pydyf
import pytest

from diaspora_book.build import BuildRequest, build
from diaspora_book.project.config import load_project
from diaspora_book.render.pdf import layout as layout_module
from diaspora_book.render.pdf.hooks import cached_page_references

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


@pytest.mark.parametrize("jobs", [1, 2], ids=["whole", "parts"])
def test_the_pdf_is_the_same_with_and_without_the_cache(
    project_factory, monkeypatch, tmp_path, jobs
):
    """Both layouts write through the cache; without it they give the same bytes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    log = tmp_path / "uses.txt"  # the parts are written in worker processes too

    @contextlib.contextmanager
    def counted(name, hook):
        with log.open("a") as file:
            file.write(name + "\n")
        with hook():
            yield

    def build_with(name, hook):
        monkeypatch.setattr(layout_module, "cached_page_references", lambda: counted(name, hook))
        root = project_factory(ARTICLES, "title: Same\n", name=name)
        return build(load_project(root), BuildRequest(formats=("pdf",), jobs=jobs)).outputs[0]

    cached = build_with("cached", cached_page_references)
    plain = build_with("plain", contextlib.nullcontext)
    # Every document written went through the patched name: the whole book once, or
    # each of its parts (front matter, two chapters) once.
    written = 1 if jobs == 1 else 3
    assert sorted(log.read_text().split()) == ["cached"] * written + ["plain"] * written
    assert cached.read_bytes() == plain.read_bytes()
