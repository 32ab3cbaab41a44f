"""A book laid out whole and written in two halves at once is the book written whole.

`write_pdf` with two writers forks the laid-out book and writes each half in its
own process (`render/pdf/halves.py`); these tests render a book both ways and
compare what a reader and a screen reader get: every page's text, every page's
picture, links and where they lead, bookmarks, the structure tree, the fonts
(one program per face, the one-process write's, byte for byte) and the warnings.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from diaspora_book.build import convert_book
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.plumbing.progress import Progress
from diaspora_book.project.config import load_project
from diaspora_book.render.html import to_html
from diaspora_book.render.pdf import halves
from diaspora_book.render.pdf.finish import PdfInfo
from diaspora_book.render.pdf.halves import HALF_PAGES, cut_before, write_in_halves
from diaspora_book.render.pdf.layout import PrintJob, PrintSetup, Session, session
from diaspora_book.render.pdf.whole import WholeLayout
from diaspora_book.render.pdf.write import PrintLayout, write_pdf
from tests.conftest import make_project
from tests.print_readers import (
    artifacts,
    outline,
    page_pictures,
    programs_by_name,
    reader_view,
    structure_tree,
    unreferenced_marked_content,
)
from tests.readers import pdf_fonts, pdf_pages

TOWNS = ["Almaty", "Ghulja", "Bishkek", "Osh", "Kashgar", "Turpan", "Karakol", "Taraz"]


def _article(title: str, number: int, extra: str = "") -> str:
    """About five pages of text, different in every article, with an Uyghur and a
    Chinese run (so those faces are drawn in both halves)."""
    paragraphs = []
    for p in range(20):
        sentences = " ".join(
            f"In {TOWNS[(number + p + s) % len(TOWNS)]} the {title} families kept "
            f"record {number * 100 + p * 10 + s} of the road, the river and the market."
            for s in range(7)
        )
        paragraphs.append(sentences)
    paragraphs[3] += " They said قازاق and 哈萨克 alike."
    paragraphs[12] += extra
    sections = [
        f"== Part {n} ==\n\n" + "\n\n".join(paragraphs[n * 10 : n * 10 + 10]) for n in (0, 1)
    ]
    return f"= {title} =\n\n" + "\n\n".join(sections) + "\n"


def _book(root: Path, extra: str = "") -> Path:
    names = ["Almaty", "Ghulja", "Karakol", "Taraz"]
    articles = {
        f"{name.lower()}.txt": _article(name, n, extra if n in (0, 3) else "")
        for n, name in enumerate(names)
    }
    return make_project(root, articles, "title: Two Halves\nlanguage: en\n")


@dataclass(frozen=True)
class Written:
    path: Path
    layout: PrintLayout
    warnings: list[str]
    details: list[str]


def _write(root: Path, target: Path, writers: int) -> Written:
    project = load_project(root)
    book = convert_book(project, Diagnostics())
    job = PrintJob(project, book.assemble(project, "pdf"), jobs=1, writers=writers)
    diagnostics, log = Diagnostics(), io.StringIO()
    layout = write_pdf(job, target, diagnostics, Progress("verbose", log))
    return Written(target, layout, [d.message for d in diagnostics], log.getvalue().splitlines())


def _assert_same_book(whole: Written, other: Written, tmp_path: Path) -> None:
    assert other.layout == whole.layout  # pages, where every id landed
    assert pdf_pages(other.path) == pdf_pages(whole.path)  # text, folios and heads
    assert reader_view(other.path) == reader_view(whole.path)  # links, destinations, boxes
    assert outline(other.path) == outline(whole.path)
    assert structure_tree(other.path) == structure_tree(whole.path)
    assert artifacts(other.path) == artifacts(whole.path)
    assert unreferenced_marked_content(other.path) == []
    assert programs_by_name(other.path) == programs_by_name(whole.path)  # byte for byte
    assert {f.name: f.drawn for f in pdf_fonts(other.path)} == {
        f.name: f.drawn for f in pdf_fonts(whole.path)
    }
    assert other.warnings == whole.warnings
    assert _finished(other.path) == _finished(whole.path)  # finished as the halves were joined
    assert page_pictures(other.path, tmp_path / "other") == page_pictures(
        whole.path, tmp_path / "whole"
    )


def _finished(path: Path) -> tuple[bytes, str]:
    with pikepdf.open(path) as pdf:
        return pdf.Root.Metadata.read_bytes(), repr(pdf.Root.get("/ViewerPreferences"))


@pytest.fixture(scope="module", autouse=True)
def _dated():
    """Every PDF here carries the same date, so two writes can be compared byte for byte."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        yield


@pytest.fixture(scope="module")
def book(tmp_path_factory, _dated) -> tuple[Path, Written]:
    root = _book(tmp_path_factory.mktemp("halves") / "book")
    return root, _write(root, root / "whole.pdf", writers=1)


def test_a_book_written_in_halves_is_the_book_written_whole(book, tmp_path):
    root, whole = book
    assert whole.layout.pagination.page_count >= 2 * HALF_PAGES
    assert "print edition: written in two halves at once" not in whole.details
    two = _write(root, tmp_path / "halves.pdf", writers=2)
    assert "print edition: written in two halves at once" in two.details
    _assert_same_book(whole, two, tmp_path)
    # Links from the contents (first half) lead into the chapters of the second.
    pages = whole.layout.pagination.page_count
    assert any(page > pages // 2 for _, _, page, _ in reader_view(two.path)["links"])


@contextlib.contextmanager
def _laid_out(root: Path) -> Iterator[tuple[Session, Any, dict[str, int], int]]:
    """Lay a short book out whole; yield its session, document, where its ids landed
    and the index of its second chapter's first page (a cut shorter than `cut_before`
    would make)."""
    project = load_project(root)
    manuscript = convert_book(project, Diagnostics()).assemble(project, "pdf")
    setup = PrintSetup(project, "pdf", PdfInfo.of(manuscript.description))
    with session(setup) as layout:
        whole = WholeLayout(layout)
        anchors = whole.first(to_html(manuscript))
        yield layout, whole.document, anchors, anchors[manuscript.chapter_ids[1]] - 1


SHORT = {"a.txt": "= Alpha =\n\nOne line.\n", "b.txt": "= Beta =\n\nAnother line.\n"}


def test_when_the_other_half_dies_nothing_is_written(tmp_path, monkeypatch):
    """A failure path (the forked writer killed): the caller writes the book whole."""
    monkeypatch.setattr(halves, "_second_half", lambda *args: os._exit(3))
    with _laid_out(make_project(tmp_path / "book", SHORT)) as (layout, document, anchors, cut):
        assert write_in_halves(layout, document, anchors, tmp_path / "two.pdf", cut) is None
        assert not (tmp_path / "two.pdf").exists()
        assert layout.warnings == []


def test_when_joining_the_halves_fails_nothing_is_written(tmp_path, monkeypatch):
    """A failure path (pikepdf cannot join them): the caller writes the book whole."""
    import pikepdf

    def failing(*args, **kwargs):
        raise pikepdf.PdfError("test")

    monkeypatch.setattr(halves, "splice", failing)
    with _laid_out(make_project(tmp_path / "book", SHORT)) as (layout, document, anchors, cut):
        assert write_in_halves(layout, document, anchors, tmp_path / "two.pdf", cut) is None
        assert not (tmp_path / "two.pdf").exists()
        assert layout.warnings == []


def test_a_character_no_font_has_makes_the_halves_give_up(tmp_path):
    """Each half would number a stand-in glyph from the same number, so one in either
    half is not shared: nothing is written, and what the attempt warned of is dropped
    (the whole write warns of it once)."""
    articles = {**SHORT, "b.txt": "= Beta =\n\nA sign no font has: \ue000.\n"}
    with _laid_out(make_project(tmp_path / "book", articles)) as (layout, document, anchors, cut):
        assert write_in_halves(layout, document, anchors, tmp_path / "two.pdf", cut) is None
        assert not (tmp_path / "two.pdf").exists()
        assert layout.warnings == []
        layout.write(document, tmp_path / "whole.pdf")
        assert len(layout.warnings) == 1 and "U+E000" in layout.warnings[0]


@pytest.mark.parametrize(
    ("pages", "chapters", "cut"),
    [
        (43, [5, 9, 13, 19, 21, 27, 31, 35, 39, 41], 20),  # pages 1-20 and 21-43
        (43, [5, 25], 24),  # 24 / 19
        (30, [5, 11], 10),  # 10 / 20: each half long enough
        (30, [5, 9], None),  # 4 or 8 pages before: too few for a process
        (19, [3, 10], None),  # a short book: no half long enough
        (40, [], None),
    ],
)
def test_the_cut_is_the_chapter_that_halves_the_book_most_evenly(pages, chapters, cut):
    assert cut_before(pages, chapters) == cut


def test_a_book_too_short_for_two_halves_is_written_whole(tmp_path):
    root = make_project(
        tmp_path / "book",
        {"a.txt": "= Alpha =\n\nOne line.\n", "b.txt": "= Beta =\n\nAnother line.\n"},
    )
    two = _write(root, tmp_path / "two.pdf", writers=2)
    assert "print edition: written in two halves at once" not in two.details
    assert two.layout.pagination.page_count < 2 * HALF_PAGES


@pytest.mark.slow
def test_the_build_writes_in_halves_unless_told_one_process(book, tmp_path):
    """`build` gives the print edition a writer per core; `--jobs 1` gives it one."""
    from diaspora_book.build import BuildRequest, build

    root, whole = book
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one core: the build has no second writer")
    for jobs, halved in ((None, True), (1, False)):
        log = io.StringIO()
        request = BuildRequest(formats=("pdf",), out_dir=tmp_path / str(jobs), jobs=jobs)
        report = build(load_project(root), request, Progress("verbose", log))
        assert ("written in two halves at once" in log.getvalue()) is halved, jobs
        assert pdf_pages(report.outputs[0]) == pdf_pages(whole.path)
