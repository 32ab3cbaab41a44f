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
