"""MediaWiki's parser tests, every case an article: nothing ends in an internal error.

The cases (`../shared/wikipedia/parser-tests/*.txt`, see `parser_tests.py`) are the
odd and hostile wikitext MediaWiki itself is tested with. The fast test reads and
converts them all (no rendering), for the edit loop; the corpus test builds them as
one book, one chapter per case, and checks its EPUB with EPUBCheck.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from diaspora_book.book import Book, BuildFailed, convert_book
from diaspora_book.chapters.convert import write_chapters
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.project.config import load_project
from diaspora_book.render.epub.write import write_epub

from .checkers import epubcheck_messages, run_epubcheck
from .parser_tests import all_cases, file_names, is_article

# What a case may rightly be refused for: it is not an article (input errors, exit 1).
INPUT_PROBLEMS = ("the article is empty", "control character U+")


def _write_cases(root: Path, only_articles: bool = False) -> Path:
    """Write every case into `root/articles/` as `<test title>.wiki`; return `root`.

    `only_articles`: leave out what the reader rightly refuses (`is_article`).
    """
    cases = all_cases()
    (root / "articles").mkdir(parents=True)
    for case, name in zip(cases, file_names(cases), strict=True):
        if is_article(case) or not only_articles:
            (root / "articles" / name).write_text(case.wikitext, encoding="utf-8")
    (root / "book.yml").write_text("title: MediaWiki parser tests\n", encoding="utf-8")
    return root


def _convert(root: Path) -> tuple[int, Diagnostics]:
    """Read and convert every article of the project; return the chapters and problems."""
    found = Diagnostics()
    try:
        chapters = len(convert_book(load_project(root), found).chapters)
    except BuildFailed as failed:
        return 0, failed.diagnostics
    return chapters, found


@pytest.mark.corpus  # MediaWiki's parser tests, read from ../shared
def test_every_parser_test_case_reads_and_converts(tmp_path):
    root = _write_cases(tmp_path / "cases")
    count = len(list((root / "articles").iterdir()))
    chapters, found = _convert(root)  # an internal error raises here, with its traceback
    refused = [d for d in found.errors if not d.message.startswith(INPUT_PROBLEMS)]
    assert refused == []
    assert count > 2800
    # The articles refused are exactly the cases that are none: empty, or with a
    # control character.
    cases = all_cases()
    expected = {
        f"articles/{n}" for c, n in zip(cases, file_names(cases), strict=True) if not is_article(c)
    }
    assert {d.span.path for d in found.errors} == expected
    assert chapters == 0  # convert_book stops, after reading every article, on an error


@pytest.fixture(scope="session")
def parser_test_book(tmp_path_factory) -> tuple[Book, Diagnostics, Path]:
    """Convert the cases that are articles as one book and write its EPUB.

    The EPUB is written without the print edition's page list: laying out some
    6,000 printed pages (every chapter opens on a right-hand page) takes WeasyPrint
    many minutes, and the EPUB is what EPUBCheck judges. Converting and writing are
    what `build --format epub` does besides.
    """
    root = tmp_path_factory.mktemp("parser-tests") / "book"
    _write_cases(root, only_articles=True)
    project, found = load_project(root), Diagnostics()
    book = convert_book(project, found)  # an internal error raises here
    write_chapters(list(book.chapters), project.chapters_dir)
    epub = root / "dist" / "parser-tests.epub"
    write_epub(project, book.assemble(project, "epub"), epub, None, found)
    return book, found, epub


@pytest.mark.corpus
def test_the_parser_test_book_converts_every_article(parser_test_book):
    book, found, epub = parser_test_book
    articles = [case for case in all_cases() if is_article(case)]
    assert found.errors == []
    # A case that is a template, a category or a redirect page (an `!! article` such as
    # "Template:1x") is not an article: it is skipped with a note naming it.
    skipped = [d for d in found if d.severity == "note" and "skipped" in d.message]
    assert len(book.chapters) + len(skipped) == len(articles) > 2800
    assert len(book.chapters) > 2800
    assert {d.span.path for d in skipped}.isdisjoint(c.source for c in book.chapters)
    assert len({chapter.filename for chapter in book.chapters}) == len(book.chapters)
    assert epub.is_file()


@pytest.mark.corpus
def test_the_parser_test_book_passes_epubcheck(parser_test_book, tmp_path):
    _, _, epub = parser_test_book
    assert epubcheck_messages(run_epubcheck(epub, tmp_path)) == []
