"""Shared fixtures: small projects in tmp_path, and the sample book built once per test run.

`make test` runs the tests in parallel processes (pytest-xdist, `--dist loadfile`:
each file's tests in one process, so a module fixture builds its book once). A
session fixture would still build once per process; `built_once` makes the
processes share one build instead. What they share they only read: a test that
changes a built book works on a copy of it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from diaspora_book.build import BuildReport, build
from diaspora_book.project.config import load_project

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted((REPO / "articles").glob("*.txt"))
# The editor's curated files that annotate the sample book (glossary, index, citations).
ANNOTATION_FILES = ("glossary.yml", "index.yml", "references.bib", "citations.yml")


def make_project(root: Path, articles: dict[str, str | bytes], book_yml: str | None = None) -> Path:
    """Create a project with `articles/<name>` files (text or raw bytes) and an optional book.yml."""
    (root / "articles").mkdir(parents=True, exist_ok=True)
    for name, content in articles.items():
        path = root / "articles" / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if book_yml is not None:
        (root / "book.yml").write_text(book_yml, encoding="utf-8")
    return root


@pytest.fixture
def project_factory(tmp_path):
    def factory(articles, book_yml=None, name="book"):
        return make_project(tmp_path / name, articles, book_yml)

    return factory


def copy_sample_project(root: Path) -> Path:
    """Copy the repository's own book project (articles, book.yml, curated files) to `root`."""
    shutil.copytree(REPO / "articles", root / "articles")
    for name in ("book.yml", *ANNOTATION_FILES):
        shutil.copy(REPO / name, root / name)
    return root


T = TypeVar("T")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def built_once(tmp_path_factory, name: str, make: Callable[[Path], T]) -> T:
    """Return `make(folder)`, run once for every test process of this run.

    The first process to ask runs it in a folder beside the processes' own temporary
    folders, under a lock, and pickles the result there; the others wait for the
    lock and read it. Without pytest-xdist this is simply `make` in a new folder.
    """
    base = tmp_path_factory.getbasetemp()
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return make(tmp_path_factory.mktemp(name))
    shared = base.parent  # the run's folder, above each worker's own
    done = shared / f"{name}.pickle"
    with _locked(shared / f"{name}.lock"):
        if done.is_file():
            return pickle.loads(done.read_bytes())
        folder = shared / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        result = make(folder)
        done.write_bytes(pickle.dumps(result))
        return result


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> BuildReport:
    """The repository's own book, built once into a copy of the project (read it, never change it)."""
    return built_once(
        tmp_path_factory,
        "sample",
        lambda folder: build(load_project(copy_sample_project(folder / "book"))),
    )


@pytest.fixture(scope="session")
def language_books(tmp_path_factory):
    """Return `get(tag)`: the fixture book in that language, built the first time any test
    process asks for it (read it, never change it)."""
    from .language_books import build_language_book

    built = {}

    def get(tag: str):
        if tag not in built:
            built[tag] = built_once(
                tmp_path_factory, f"language-{tag}", lambda folder: build_language_book(tag, folder)
            )
        return built[tag]

    return get


@pytest.fixture(scope="session")
def corpus_book(tmp_path_factory):
    """Return `get(name)`: the book of real articles `name` (tests/corpus.py BOOKS),
    built the first time any test process asks for it (read it, never change it)."""
    from .corpus import BOOKS, build_corpus_book

    built = {}

    def get(name: str):
        if name not in built:
            built[name] = built_once(
                tmp_path_factory,
                f"corpus-{name}",
                lambda folder: build_corpus_book(BOOKS[name], folder),
            )
        return built[name]

    return get


def sample_source_words() -> list[str]:
    """Every word of both articles (title, headings, infobox values, body, lists).

    A template residue in an infobox value ("Almaty | related-c = Overseas Chinese")
    is printed as rows of its own: its words are the rows' keys and values.
    """
    from diaspora_book.chapters.convert import fact_rows
    from diaspora_book.read.plain_text import parse_file

    words: list[str] = []
    for path in SAMPLES:
        article, _ = parse_file(path, path.name)
        texts = [article.title]
        if article.infobox:
            rows = [row for fact in article.infobox.facts for row in fact_rows(fact)]
            texts += [key for key, _ in rows] + [value for _, value in rows]
        for block in article.blocks:
            texts += (
                [item.text for item in block.items] if hasattr(block, "items") else [block.text]
            )
        for text in texts:
            words += text.split()
    return words


# The longest test files, first: `--dist loadfile` hands each file to one process in
# collection order, so a long file collected last (the parser tests, after the
# alphabet's p) kept one core busy after the other had run out of files.
LONGEST_FIRST = (
    "test_corpus_books.py",
    "test_parser_tests.py",
    "test_languages.py",
    "test_render_parts.py",
    "test_fetch.py",
    "test_render_halves.py",
    "test_render_pdf.py",
    "test_render_press.py",
    "test_mediawiki_corpus_refs.py",
    "test_bench.py",
    "test_titles.py",
    "test_print_shops.py",
)


def pytest_collection_modifyitems(config, items):
    """Run the longest files first (`LONGEST_FIRST`), the rest in their order."""

    def rank(item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: each file's tests keep their order
