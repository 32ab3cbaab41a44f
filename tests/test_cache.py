"""The incremental cache: what a rebuild redoes after each kind of change."""

import pytest

from diaspora_book.build import build
from diaspora_book.plumbing.cache import BuildCache
from diaspora_book.project.config import load_project

A = "= Alpha =\n\nFirst.\n"
B = "= Beta =\n\nSecond.\n"


def rebuild(root, reuse=True):
    project = load_project(root)
    return build(project, cache=BuildCache(project.root, reuse=reuse))


@pytest.mark.slow
def test_rebuilds_only_what_changed(project_factory):
    root = project_factory({"a.txt": A, "b.txt": B}, "title: Cached\n")
    first = rebuild(root)
    assert first.ran == (
        "chapter:articles/a.txt",
        "chapter:articles/b.txt",
        "annotations",
        "candidates:articles/a.txt",
        "candidates:articles/b.txt",
        "pdf",
        "epub",
    )
    pdf_bytes = first.outputs[0].read_bytes()

    second = rebuild(root)
    assert second.ran == ()
    assert second.reused == (
        "chapter:articles/a.txt",
        "chapter:articles/b.txt",
        "annotations",
        "pdf",
        "epub",
    )
    assert second.outputs[0].read_bytes() == pdf_bytes

    (root / "articles" / "b.txt").write_text("= Beta =\n\nChanged.\n", encoding="utf-8")
    third = rebuild(root)
    # The book's checks run again, but only the edited article is looked at for terms.
    assert third.ran == (
        "chapter:articles/b.txt",
        "annotations",
        "candidates:articles/b.txt",
        "pdf",
        "epub",
    )
    assert "candidates:articles/a.txt" in third.reused
    assert "Changed" in (root / "chapters" / "02-b.md").read_text(encoding="utf-8")

    (root / "styles").mkdir()
    (root / "styles" / "book.css").write_text("h1 { color: red; }", encoding="utf-8")
    assert rebuild(root).ran == ("pdf", "epub")

    (root / "book.yml").write_text(
        "title: Cached\nsubtitle: Now with a subtitle\n", encoding="utf-8"
    )
    assert rebuild(root).ran == (
        "chapter:articles/a.txt",
        "chapter:articles/b.txt",
        "annotations",
        "candidates:articles/a.txt",
        "candidates:articles/b.txt",
        "pdf",
        "epub",
    )


def test_a_damaged_or_missing_output_is_rendered_again(project_factory):
    root = project_factory({"a.txt": A})
    pdf, epub = rebuild(root).outputs
    pdf.write_bytes(b"truncated")
    epub.unlink()
    report = rebuild(root)
    assert report.ran == ("pdf", "epub")
    assert pdf.read_bytes().startswith(b"%PDF") and epub.is_file()


def test_cached_diagnostics_are_reported_again(project_factory):
    root = project_factory({"a.txt": "= A =\n\nhowever, , only.\n"})
    first = rebuild(root)
    second = rebuild(root)
    assert second.ran == ()
    assert [str(d) for d in second.diagnostics] == [str(d) for d in first.diagnostics]
    assert [str(d) for d in second.diagnostics] == [
        "articles/a.txt:3:8: warning: ', ,' looks like a removed template [removed-template]"
    ]


@pytest.mark.slow
def test_no_cache_and_a_corrupt_cache_do_a_full_build(project_factory):
    root = project_factory({"a.txt": A})
    rebuild(root)
    assert rebuild(root, reuse=False).ran == (
        "chapter:articles/a.txt",
        "annotations",
        "candidates:articles/a.txt",
        "pdf",
        "epub",
    )
    assert rebuild(root).ran == ()  # what --no-cache built is recorded for the next build
    for record in (root / ".cache" / "diaspora-book").iterdir():
        if record.is_file():  # the stages' records, not the folders of kept pieces
            record.write_text("{not json", encoding="utf-8")
    assert rebuild(root).ran == (
        "chapter:articles/a.txt",
        "annotations",
        "candidates:articles/a.txt",
        "pdf",
        "epub",
    )
