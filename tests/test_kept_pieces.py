"""A rebuild converts only the chapters that changed (`render/kept_html.py`, `render/epub/kept_ast.py`).

pandoc's HTML of the print edition, and its reading of the e-book, are kept piece by
piece: the front matter, then each chapter. What a rebuild joins from kept pieces
and the few it converts again must be what one conversion of the whole book gives,
byte for byte. These tests convert for real, edit an article, and compare.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from diaspora_book.book import convert_book
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.project.config import Project, load_project
from diaspora_book.render import kept_ast
from diaspora_book.render.epub.write import pandoc_epub
from diaspora_book.render.html import to_html
from diaspora_book.render.kept_ast import KeptAst
from diaspora_book.render.kept_html import KeptHtml, manuscript_pieces
from tests.conftest import copy_sample_project

# A MediaWiki article with what the MediaWiki filter converts (a table, math, a note),
# beside plain-text ones: the filter runs for its piece only when the piece is read
# alone. (A MediaWiki article cites itself: its book's print HTML is converted whole.)
WIKI = """'''Dungans in Kyrgyzstan''' are Hui people.<ref>Rimsky-Korsakoff Dyer, 1979.</ref>

== Villages ==
{| class="wikitable"
! Village !! People
|-
| Aleksandrovka || 5,000
|}

The census counts <math>x^2</math> households.{{efn|The census of 1999.}}
"""


@pytest.fixture
def wiki_root(book_root) -> Path:
    (book_root / "articles" / "dungans-in-kyrgyzstan.wiki").write_text(WIKI, encoding="utf-8")
    return book_root


@pytest.fixture
def book_root(tmp_path, monkeypatch) -> Path:
    from bench.corpus import write_project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = tmp_path / "book"
    write_project(root, 4)
    return root


def _manuscript(root: Path, fmt: str):
    project = load_project(root)
    book = convert_book(project, Diagnostics())
    return project, book.assemble(project, fmt)


def _edit(root: Path) -> None:
    article = sorted((root / "articles").glob("*.txt"))[1]
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace(" the ", " the Zebrafinch ", 1), encoding="utf-8")


def _kept_files(folder: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}


def test_the_print_html_joined_from_kept_pieces_is_the_whole_conversion(book_root, tmp_path):
    folder = tmp_path / "html"
    _, manuscript = _manuscript(book_root, "pdf")
    pieces = manuscript_pieces(manuscript)
    assert pieces is not None and len(pieces) == len(manuscript.chapter_ids) + 1
    assert KeptHtml(folder).to_html(manuscript) == to_html(manuscript)
    before = _kept_files(folder)
    assert len(before) == len(pieces) + 1  # each piece, and the document's frame

    _edit(book_root)
    _, edited = _manuscript(book_root, "pdf")
    kept = KeptHtml(folder)
    joined = kept.to_html(edited)
    kept.keep_only_used()
    assert joined == to_html(edited)
    assert "Zebrafinch" in joined
    after = _kept_files(folder)
    # The edited chapter was converted again (a new piece, the old one removed); every
    # other piece was read as the first conversion kept it.
    assert len(set(after) - set(before)) == 1
    assert len(set(before) - set(after)) == 1
    assert all(after[name] == mtime for name, mtime in before.items() if name in after)


def test_a_small_book_with_citations_is_converted_whole(tmp_path):
    """citeproc's "n.d.-b" and the References read every citation of the book."""
    root = copy_sample_project(tmp_path / "sample")
    _, manuscript = _manuscript(root, "pdf")
    assert manuscript.pandoc_args  # the sample book cites its sources
    assert manuscript_pieces(manuscript) is None
    folder = tmp_path / "html"
    assert KeptHtml(folder).to_html(manuscript) == to_html(manuscript)
    assert not folder.exists()


def test_a_large_book_with_citations_keeps_pandocs_reading(wiki_root, tmp_path, monkeypatch):
    """Read into pandoc's JSON, then written with citeproc: the print edition's notes are
    still the `.footnote` spans the MediaWiki filter makes when pandoc writes HTML."""
    monkeypatch.setattr(kept_ast, "LARGE", 0)  # this small book is read in pieces
    monkeypatch.setattr(kept_ast, "MOST_ALONE", 1)  # and its pieces read alone, however few
    folder = tmp_path / "html"
    _, manuscript = _manuscript(wiki_root, "pdf")
    assert manuscript.pandoc_args  # a MediaWiki article cites itself
    whole = to_html(manuscript)
    assert '<span class="footnote">' in whole
    assert KeptHtml(folder).to_html(manuscript) == whole
    before = _kept_files(folder / "ast")
    assert len(before) == len(manuscript.chapter_ids) + 2

    _edit(wiki_root)
    _, edited = _manuscript(wiki_root, "pdf")
    assert KeptHtml(folder).to_html(edited) == to_html(edited)
    after = _kept_files(folder / "ast")
    assert len(set(after) - set(before)) == 1
    assert all(after[name] == mtime for name, mtime in before.items() if name in after)


def test_a_project_with_its_own_manuscript_template_is_converted_whole(book_root, tmp_path):
    folder = tmp_path / "html"
    _, manuscript = _manuscript(book_root, "pdf")
    kept = KeptHtml(folder, project_template=True)
    assert kept.to_html(manuscript) == to_html(manuscript)
    assert not folder.exists()


def _epub(project: Project, manuscript, target: Path, kept: KeptAst | None) -> list:
    """pandoc's EPUB as the finishing reads it: each entry's name, date and bytes, in order
    (a rebuild's is a zip of its own making, stored rather than deflated)."""
    with zipfile.ZipFile(pandoc_epub(project, manuscript, target, kept)) as epub:
        return [(info.filename, info.date_time, epub.read(info)) for info in epub.infolist()]


@pytest.mark.parametrize(
    "book",
    ["plain, in Chinese", "plain and wiki", pytest.param("citations", marks=pytest.mark.slow)],
)
def test_the_epub_read_from_kept_pieces_is_one_pandoc_run(book, book_root, tmp_path, monkeypatch):
    """Without citeproc, the last filters run in the reading: the Chinese book's language
    (which `cjk_runs.lua` reads from the metadata) must reach it."""
    monkeypatch.setattr(kept_ast, "LARGE", 0)  # these small books are read in pieces too
    monkeypatch.setattr(kept_ast, "MOST_ALONE", 1)  # and their pieces read alone, however few
    root = book_root
    if book == "plain, in Chinese":
        config = root / "book.yml"
        text = config.read_text(encoding="utf-8").replace("language: en\n", "language: zh\n")
        config.write_text(text, encoding="utf-8")
    elif book == "plain and wiki":
        (root / "articles" / "dungans-in-kyrgyzstan.wiki").write_text(WIKI, encoding="utf-8")
    elif book == "citations":
        root = copy_sample_project(tmp_path / "sample")
    folder = tmp_path / "ast"
    project, manuscript = _manuscript(root, "epub")
    assert bool(manuscript.pandoc_args) == (book in ("plain and wiki", "citations"))
    whole = _epub(project, manuscript, tmp_path / "whole.epub", None)
    assert _epub(project, manuscript, tmp_path / "cold.epub", KeptAst(folder)) == whole
    before = _kept_files(folder)
    assert len(before) == len(manuscript.chapter_ids) + 2

    _edit(root)
    project, edited = _manuscript(root, "epub")
    whole = _epub(project, edited, tmp_path / "whole.epub", None)
    assert _epub(project, edited, tmp_path / "warm.epub", KeptAst(folder)) == whole
    after = _kept_files(folder)
    assert len(set(after) - set(before)) == 1
    assert all(after[name] == mtime for name, mtime in before.items() if name in after)


def test_a_small_book_is_read_in_one_pandoc_run(book_root, tmp_path):
    folder = tmp_path / "ast"
    project, manuscript = _manuscript(book_root, "epub")
    assert len(manuscript.markdown) < kept_ast.LARGE
    _epub(project, manuscript, tmp_path / "book.epub", KeptAst(folder))
    assert not folder.exists()


def test_a_damaged_piece_is_converted_again(book_root, tmp_path):
    folder = tmp_path / "html"
    _, manuscript = _manuscript(book_root, "pdf")
    whole = KeptHtml(folder).to_html(manuscript)
    for piece in folder.iterdir():
        text = piece.read_text(encoding="utf-8")
        piece.write_text(text.replace("<p>", "<p>damaged "), encoding="utf-8")
    assert KeptHtml(folder).to_html(manuscript) == whole
