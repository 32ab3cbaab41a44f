"""Whole builds: defaults, byte-identical output, and inputs that must fail cleanly."""

import pytest

from diaspora_book.build import build
from diaspora_book.config import load_project

from .readers import epub_text, pdf_text

ARTICLE = "= Alpha =\nInfobox\n- Kind: test\n\nFirst paragraph.\n\n== Part ==\n- one\n- two\n"


def test_articles_only_project_builds_with_defaults(project_factory):
    root = project_factory({"alpha.txt": ARTICLE}, name="field-notes")
    report = build(load_project(root))
    assert [p.name for p in report.outputs] == ["field-notes.pdf", "field-notes.epub"]
    assert "Field Notes" in pdf_text(report.outputs[0])
    assert "First paragraph." in epub_text(report.outputs[1])
    assert (root / "chapters" / "01-alpha.md").is_file()


def test_source_date_epoch_gives_identical_bytes(project_factory, monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = project_factory(
        {"alpha.txt": ARTICLE, "beta.txt": "= Beta =\nقازاق 哈萨克\n"}, "title: Same\n"
    )
    first = build(load_project(root), out_dir=tmp_path / "one")
    second = build(load_project(root), out_dir=tmp_path / "two")
    for a, b in zip(first.outputs, second.outputs, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_a_failure_in_the_background_epub_reaches_the_caller(project_factory, monkeypatch):
    """The EPUB is made beside the PDF, in a thread; its error must not be lost."""
    import diaspora_book.build as build_module
    from diaspora_book.errors import ToolError

    def broken(project, manuscript, target):
        raise ToolError("pandoc failed: out of memory")

    monkeypatch.setattr(build_module, "write_epub", broken)
    root = project_factory({"alpha.txt": ARTICLE})
    with pytest.raises(ToolError, match="^error: pandoc failed: out of memory$"):
        build(load_project(root))
    assert (root / "dist" / "book.pdf").is_file()  # the PDF beside it was finished
