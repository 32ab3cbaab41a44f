"""The EPUB drafted in a second process while the PDF is laid out is the same EPUB."""

from __future__ import annotations

import zipfile

import pytest

from diaspora_book import build as build_module
from diaspora_book.build import BuildRequest, build
from diaspora_book.plumbing.cache import BuildCache
from diaspora_book.project.config import load_project
from diaspora_book.render.epub import beside as epub_beside

from .readers import epub_text

ARTICLES = {
    "alpha.txt": "= Alpha =\nInfobox\n- Kind: test\n\nFirst paragraph.\n\n== Part ==\n- one\n",
    "beta.txt": "= Beta =\n\nThe Uyghur name قازاق and the Chinese 哈萨克 stay.\n",
}


def _counting_beside(monkeypatch) -> list[int]:
    started: list[int] = []

    class Counting(epub_beside.EpubBeside):
        def __init__(self, *args, **kwargs):
            started.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(build_module, "EpubBeside", Counting)
    return started


def _counting_in_process(monkeypatch) -> list[int]:
    """Count the EPUBs made in the build process (none when the draft beside is used)."""
    made: list[int] = []
    real = build_module.write_epub

    def counting(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "write_epub", counting)
    return made


@pytest.mark.slow
def test_epub_drafted_beside_the_pdf_has_the_same_bytes(project_factory, monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    started = _counting_beside(monkeypatch)
    in_process = _counting_in_process(monkeypatch)
    project = load_project(project_factory(ARTICLES))
    alone = build(project, BuildRequest(out_dir=tmp_path / "alone", jobs=1))
    assert (started, in_process) == ([], [1])
    beside = build(project, BuildRequest(out_dir=tmp_path / "beside", jobs=2))
    assert (started, in_process) == ([1], [1])  # the draft was used, not made again
    assert beside.outputs[1].read_bytes() == alone.outputs[1].read_bytes()
    assert "The Uyghur name قازاق and the Chinese 哈萨克 stay." in epub_text(beside.outputs[1])


def test_a_failed_draft_is_made_again_in_the_build_process(project_factory, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(epub_beside, "draft_epub", broken)  # only the forked process uses it
    in_process = _counting_in_process(monkeypatch)
    report = build(load_project(project_factory(ARTICLES)), BuildRequest(jobs=2))
    assert in_process == [1]
    epub = report.outputs[1]
    assert "First paragraph." in epub_text(epub)
    with zipfile.ZipFile(epub) as archive:
        assert archive.namelist()[0] == "mimetype"


@pytest.mark.slow
def test_an_up_to_date_epub_stops_the_draft(project_factory, monkeypatch):
    """`--print` renders the PDF again; its pages, and so the EPUB, do not change."""
    started = _counting_beside(monkeypatch)
    project = load_project(project_factory(ARTICLES))
    build(project, BuildRequest(jobs=2), cache=BuildCache(project.root))
    epub = next(project.dist_dir.glob("*.epub"))
    before = epub.stat().st_mtime_ns
    report = build(project, BuildRequest(jobs=2, press=True), cache=BuildCache(project.root))
    assert "pdf" in report.ran and "epub" in report.reused
    assert started == [1, 1]  # drafted, then stopped unused
    assert epub.stat().st_mtime_ns == before


def test_a_book_laid_out_whole_drafts_its_epub_once_its_html_is_made(
    project_factory, monkeypatch, tmp_path
):
    """Held until the print HTML is made (`EpubBeside(held=True)`), as the glossary
    candidates are (`Later(held=True)`): they no longer share the cores with the
    conversion and the press's import, and the book is the same."""
    from diaspora_book import book as book_module
    from diaspora_book.render.pdf import write as write_module
    from diaspora_book.render.pdf.parts.conduct import usable_cores

    if usable_cores() < 2:
        pytest.skip("one core: the EPUB is made after the PDF, nothing is drafted beside it")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    events = tmp_path / "events"  # written by this process and the forked ones

    def recording(name, function):
        def recorded(*args, **kwargs):
            if name != "html":
                with events.open("a") as record:
                    record.write(f"{name}\n")
            result = function(*args, **kwargs)
            if name == "html":
                with events.open("a") as record:
                    record.write("html\n")
            return result

        return recorded

    project = load_project(project_factory(ARTICLES))
    alone = build(project, BuildRequest(out_dir=tmp_path / "alone", jobs=1))
    events.unlink(missing_ok=True)
    monkeypatch.setattr(write_module, "to_html", recording("html", write_module.to_html))
    monkeypatch.setattr(epub_beside, "draft_epub", recording("draft", epub_beside.draft_epub))
    candidates = recording("candidates", book_module.article_candidates)
    monkeypatch.setattr(book_module, "article_candidates", candidates)
    started = _counting_beside(monkeypatch)
    held = build(project, BuildRequest(out_dir=tmp_path / "held"))  # small: laid out whole
    assert started == [1]
    order = events.read_text().split()
    assert order[0] == "html" and sorted(order[1:]) == ["candidates", "draft"]
    assert held.outputs[1].read_bytes() == alone.outputs[1].read_bytes()
    assert [str(d) for d in held.diagnostics] == [str(d) for d in alone.diagnostics]


def test_a_book_in_parts_hands_its_pages_over_before_its_pdf_is_joined(
    project_factory, monkeypatch
):
    """The EPUB is completed while the build joins the parts (`PrintJob.paginated`)."""
    from diaspora_book.render.pdf.parts import conduct

    order: list[str] = []
    real_hand_over, real_splice = epub_beside.EpubBeside.hand_over, conduct.splice

    def hand_over(self, pages):
        order.append("handed")
        return real_hand_over(self, pages)

    def splice(*args, **kwargs):
        order.append("joined")
        return real_splice(*args, **kwargs)

    monkeypatch.setattr(epub_beside.EpubBeside, "hand_over", hand_over)
    monkeypatch.setattr(conduct, "splice", splice)
    in_process = _counting_in_process(monkeypatch)
    report = build(load_project(project_factory(ARTICLES)), BuildRequest(jobs=2))
    assert order == ["handed", "joined", "handed"]  # the second: `complete`, a no-op
    assert in_process == []
    assert "First paragraph." in epub_text(report.outputs[1])


def test_an_epub_completed_with_other_pages_is_made_again(project_factory, monkeypatch, tmp_path):
    """Should the pages handed over not be the print edition's in the end, the EPUB
    completed with them is not used."""
    from dataclasses import replace

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = load_project(project_factory(ARTICLES))
    alone = build(project, BuildRequest(out_dir=tmp_path / "alone", jobs=1))
    real_hand_over = epub_beside.EpubBeside.hand_over

    def other_pages(self, pages):
        real_hand_over(self, replace(pages, page_count=pages.page_count + 2))

    monkeypatch.setattr(epub_beside.EpubBeside, "hand_over", other_pages)
    in_process = _counting_in_process(monkeypatch)
    again = build(project, BuildRequest(out_dir=tmp_path / "again", jobs=2))
    assert in_process == [1]
    assert again.outputs[1].read_bytes() == alone.outputs[1].read_bytes()
