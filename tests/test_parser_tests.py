"""MediaWiki's parser tests, every case an article: nothing ends in an internal error.

The cases (`../shared/wikipedia/parser-tests/*.txt`, see `parser_tests.py`) are the
odd and hostile wikitext MediaWiki itself is tested with. The fast test reads and
converts them all (no rendering), for the edit loop; the corpus test builds them as
one book, one chapter per case, and checks its EPUB with EPUBCheck.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from diaspora_book.book import BuildFailed, convert_book
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.project.config import load_project

from .checkers import epubcheck_messages, run_epubcheck
from .parser_tests import REPO, all_cases, file_names

# What a case may rightly be refused for: it is not an article (input errors, exit 1).
INPUT_PROBLEMS = ("the article is empty", "control character U+")


def _write_cases(root: Path) -> Path:
    """Write every case into `root/articles/` as `<test title>.wiki`; return `root`."""
    cases = all_cases()
    (root / "articles").mkdir(parents=True)
    for case, name in zip(cases, file_names(cases), strict=True):
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


def test_every_parser_test_case_reads_and_converts(tmp_path):
    root = _write_cases(tmp_path / "cases")
    count = len(list((root / "articles").iterdir()))
    chapters, found = _convert(root)  # an internal error raises here, with its traceback
    refused = [d for d in found.errors if not d.message.startswith(INPUT_PROBLEMS)]
    assert refused == []
    assert count > 2800
    # The only articles refused are empty ones and those with control characters.
    assert len({d.span.path for d in found.errors}) < 20
    assert chapters in (0, count)


@pytest.fixture(scope="session")
def parser_test_book(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """Build the cases that are articles as one book, EPUB only, through the command line."""
    root = _write_cases(tmp_path_factory.mktemp("parser-tests") / "book")
    _, found = _convert(root)
    for problem in found.errors:  # not articles: refused with a message, checked above
        (root / problem.span.path).unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "diaspora_book", "--project", str(root), "--quiet"]
        + ["build", "--format", "epub"],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    return done, root


@pytest.mark.corpus
def test_the_parser_test_book_builds(parser_test_book):
    done, root = parser_test_book
    assert done.returncode == 0, done.stderr[-3000:]
    assert "internal error" not in done.stderr
    chapters = list((root / "chapters").glob("*.md"))
    assert len(chapters) > 2800


@pytest.mark.corpus
def test_the_parser_test_book_passes_epubcheck(parser_test_book, tmp_path):
    done, root = parser_test_book
    epub = root / "dist" / "mediawiki-parser-tests.epub"
    assert epub.is_file(), done.stderr[-3000:]
    assert epubcheck_messages(run_epubcheck(epub, tmp_path)) == []
