"""The incremental print edition: a rebuild reuses the parts of the book that did not change.

Each run of chapters is kept with its layout (`render/pdf/parts/memo.py`); a rebuild
lays out again only the runs whose content or start changed (and the back matter
when page numbers moved). What it writes must be what a build from scratch writes,
byte for byte, PDF and EPUB: these tests edit a book, rebuild it, and compare with a
`--no-cache` build of the same inputs.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from diaspora_book.build import BuildRequest, build
from diaspora_book.plumbing.cache import BuildCache
from diaspora_book.plumbing.progress import Progress
from diaspora_book.project.config import load_project
from diaspora_book.render.pdf.parts import cut
from diaspora_book.render.pdf.parts.cut import stable_runs
from tests.readers import pdf_pages

ARTICLES = 7


@pytest.fixture
def corpus(tmp_path, monkeypatch) -> Path:
    """A book of seven chapters, cut into runs of about two (so a small book has several)."""
    from bench.corpus import write_project

    monkeypatch.setattr(cut, "CHAPTERS_PER_RUN", 2)
    monkeypatch.setattr(cut, "STABLE_FROM", 2)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = tmp_path / "book"
    write_project(root, ARTICLES)
    return root


def _build(root: Path, out: Path, reuse: bool = True) -> tuple[bytes, bytes, str]:
    """Build with the project's cache (`reuse=False`: --no-cache); return PDF, EPUB, the log."""
    log = io.StringIO()
    report = build(
        load_project(root),
        BuildRequest(out_dir=out, jobs=2),
        Progress("verbose", log),
        BuildCache(root, reuse=reuse),
    )
    pdf, epub = (path.read_bytes() for path in report.outputs)
    return pdf, epub, log.getvalue()


def _pdf(out: Path) -> Path:
    return next(out.glob("*.pdf"))


def _kept(log: str) -> tuple[int, int]:
    match = re.search(r"print edition: (\d+) of (\d+) parts kept", log)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def _article(root: Path, index: int) -> Path:
    return sorted((root / "articles").glob("*.txt"))[index]


def test_runs_are_cut_where_the_chapter_ids_say():
    ids = [f"chapter-{n}" for n in range(60)]
    runs = stable_runs(ids)
    assert [i for start, stop in runs for i in range(start, stop)] == list(range(60))
    assert all(stop - start <= 2 * cut.CHAPTERS_PER_RUN for start, stop in runs)
    # Removing a chapter moves no cut far from it.
    fewer = stable_runs(ids[:30] + ids[31:])
    assert [ids[stop - 1] for _, stop in runs[-3:]] == [
        (ids[:30] + ids[31:])[stop - 1] for _, stop in fewer[-3:]
    ]


@pytest.mark.slow
def test_an_edited_article_is_laid_out_again_alone_and_the_book_is_the_full_build(corpus, tmp_path):
    _build(corpus, tmp_path / "first")
    article = _article(corpus, 3)
    text = article.read_text(encoding="utf-8")
    lead = re.search(r"^[A-Z][a-z]+ ", text, flags=re.MULTILINE)
    assert lead is not None
    article.write_text(text.replace(lead.group(0), "Indeed " + lead.group(0), 1), "utf-8")
    pdf, epub, log = _build(corpus, tmp_path / "again")
    kept, parts = _kept(log)
    assert parts > 4 and kept >= parts - 3  # only the edited run and the front matter (+ back)
    assert "Indeed" in "".join(pdf_pages(_pdf(tmp_path / "again")))
    fresh_pdf, fresh_epub, fresh_log = _build(corpus, tmp_path / "fresh", reuse=False)
    assert _kept(fresh_log) == (0, 0)
    assert pdf == fresh_pdf
    assert epub == fresh_epub


@pytest.mark.slow
def test_a_chapter_that_grows_moves_the_pages_after_it_and_is_still_the_full_build(
    corpus, tmp_path
):
    first_pdf, _, _ = _build(corpus, tmp_path / "first")
    article = _article(corpus, 1)
    text = article.read_text(encoding="utf-8")
    paragraph = next(
        p for p in text.split("\n\n") if len(p) > 400 and not p.startswith(("=", "{", "*"))
    )
    article.write_text(text + "\n\n" + "\n\n".join([paragraph] * 8) + "\n", "utf-8")
    pdf, epub, log = _build(corpus, tmp_path / "again")
    assert pdf != first_pdf
    kept, parts = _kept(log)
    assert kept >= 1  # the runs before it
    fresh_pdf, fresh_epub, _ = _build(corpus, tmp_path / "fresh", reuse=False)
    assert pdf == fresh_pdf
    assert epub == fresh_epub
    first_pages = len(pdf_pages(_pdf(tmp_path / "first")))
    pages = len(pdf_pages(_pdf(tmp_path / "again")))
    assert pages > first_pages  # the runs after it start later


@pytest.mark.slow
def test_a_rebuild_at_another_time_keeps_every_part_and_dates_the_book_anew(
    corpus, tmp_path, monkeypatch
):
    """The first part's Info dictionary carries the build's date (`splice` restamps it):
    a rebuild a moment later lays nothing out again, front matter included."""
    import pikepdf

    _build(corpus, tmp_path / "first")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000005")  # five seconds on: the same day
    pdf, epub, log = _build(corpus, tmp_path / "again")
    kept, parts = _kept(log)
    assert parts > 4 and kept == parts
    with pikepdf.open(_pdf(tmp_path / "again")) as book:
        assert str(book.docinfo["/CreationDate"]) == "D:20231114221325Z"
        assert str(book.docinfo["/ModDate"]) == "D:20231114221325Z"
    fresh_pdf, fresh_epub, _ = _build(corpus, tmp_path / "fresh", reuse=False)
    assert pdf == fresh_pdf
    assert epub == fresh_epub
