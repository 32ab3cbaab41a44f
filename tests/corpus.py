"""The books of real Wikipedia articles (../shared/wikipedia), built once per test run.

Each book is built as a user would (PDF and EPUB) the first time any test asks for it;
every test of every process reads the same files (`conftest.built_once`), so the
corpus tests that look at one book for different things cost one build. The articles
are read where they lie and copied only into the book's temporary project; a test
module marks itself with `CORPUS` and skips, saying why, where ../shared is absent.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from diaspora_book.build import BuildRequest, build
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.plumbing.summary import summarised
from diaspora_book.project.config import load_project

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "wikipedia"
CORPUS = [
    pytest.mark.corpus,
    pytest.mark.skipif(
        not SHARED.is_dir(), reason=f"the real articles are not here: {SHARED} is absent"
    ),
]

BERLINS = ("kk", "ky", "uz", "tg", "tt", "ba", "uk", "tr", "zh", "ja", "ko", "fa", "he")
EN_SMALL = (
    "Ibn_al-Haytham",
    "Bodmin",
    "Julia_Kristeva",
    "List_of_RNLI_stations",
    "Senate_of_Pakistan",
    "Goryeo_ware",
    "Irina_Saratovtseva",
    "Teymanak-e_Olya",
    "List_of_MythBusters_special_episodes",
    "List_of_high_schools_in_San_Diego_County,_California",
)


@dataclass(frozen=True)
class CorpusBook:
    name: str
    language: str
    files: tuple[str, ...]  # paths under ../shared/wikipedia


BOOKS = {
    book.name: book
    for book in (
        CorpusBook("en-united-kingdom", "en", ("wiki/en/United_Kingdom.wiki",)),
        CorpusBook("en-germany-france", "en", ("wiki/en/Germany.wiki", "wiki/en/France.wiki")),
        CorpusBook(
            "en-articles",
            "en",
            (
                *(f"wiki/en/{name}.wiki" for name in EN_SMALL),
                "xml/enwiki-Pear-export-0.10.xml",
                "xml/enwiki-Pear-history-export-0.3.xml",
                "xml/enwiki-Cullu_Agdam-with-talk-export-0.10.xml",
            ),
        ),
        CorpusBook(
            "de",
            "de",
            (
                "wiki/de/Mozilla_Firefox.wiki",
                "wiki/de/Bazooka.wiki",
                "wiki/de/Liste_der_argentinischen_Botschafter_in_Chile.wiki",
            ),
        ),
        CorpusBook("ru", "ru", ("xml/ruwiki-Berlin.xml", "wiki/ru/Contrada.wiki")),
        *(CorpusBook(f"berlin-{tag}", tag, (f"xml/{tag}wiki-Berlin.xml",)) for tag in BERLINS),
    )
}


@dataclass(frozen=True)
class Built:
    """A corpus book as built: read its files, never change them."""

    book: CorpusBook
    root: Path
    pdf: Path
    epub: Path
    diagnostics: tuple[str, ...]  # every diagnostic, as `--verbose` prints it
    warnings: tuple[str, ...]  # the warnings as `build` prints them (grouped)
    chapters: tuple[str, ...]  # the chapters' titles, in book order


def build_corpus_book(book: CorpusBook, folder: Path) -> Built:
    """Copy the book's articles into a new project under `folder` and build it."""
    root = folder / book.name
    (root / "articles").mkdir(parents=True)
    for name in book.files:
        shutil.copy(SHARED / name, root / "articles" / Path(name).name)
    (root / "book.yml").write_text(
        f"title: {book.name}\nlanguage: {book.language}\n", encoding="utf-8"
    )
    report = build(load_project(root), BuildRequest(jobs=1))
    found = Diagnostics()
    found.items.extend(report.diagnostics)
    return Built(
        book,
        root,
        next(p for p in report.outputs if p.suffix == ".pdf"),
        next(p for p in report.outputs if p.suffix == ".epub"),
        tuple(str(d) for d in report.diagnostics),
        tuple(str(d) for d in summarised(found) if d.severity == "warning"),
        tuple(chapter.title for chapter in report.chapters),
    )
