"""Real articles of other Wikipedias print no wiki furniture: no namespace prefix, image
option or image file name reaches the PDF (the books of ../shared/wikipedia)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.project.config import load_project
from diaspora_book.read.mediawiki.wiki_words import CATEGORY, FILE, MEDIA, _data

from .conftest import make_project
from .readers import pdf_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "wikipedia"
pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not SHARED.is_dir(), reason=f"the real articles are not at {SHARED}"),
]
# (wiki, the corpus book, tests/corpus.py): the Berlin exports of other wikis, and the
# German articles (`[[Datei:…|mini|hochkant]]`).
BOOKS = [
    ("tr", "berlin-tr"),
    ("fa", "berlin-fa"),
    ("ja", "berlin-ja"),
    ("kk", "berlin-kk"),
    ("he", "berlin-he"),
    ("ru", "ru"),
    ("zh", "berlin-zh"),
    ("de", "de"),
]
FILE_NAME = re.compile(r"\.(jpe?g|png|svg|gif|tiff?|webp)\b", re.IGNORECASE)


def _furniture(wiki: str) -> tuple[list[str], list[str]]:
    """The wiki's File, Media and Category names, and its thumbnail words."""
    entry = _data()["languages"][wiki]
    names = [n for space in (FILE, MEDIA, CATEGORY) for n in entry["namespaces"][str(space)]]
    return names, entry["magic_words"]["img_thumbnail"]


def _prefix(name: str) -> str:
    """A namespace prefix as a pattern: a whole word (Han has no word breaks to look for)."""
    before = "" if ord(name[0]) >= 0x2E80 else r"(?<!\w)"
    return before + re.escape(name.casefold()) + r"\s*:"


def _book(root: Path, wiki: str, shared: str) -> Path:
    make_project(root, {}, f"title: Berlin {wiki}\nlanguage: {wiki}\n")
    shutil.copy(SHARED / shared, root / "articles" / Path(shared).name)
    return root


@pytest.mark.parametrize(("wiki", "name"), BOOKS, ids=[wiki for wiki, _ in BOOKS])
def test_no_namespace_option_or_file_name_in_the_pdf(wiki, name, corpus_book):
    text = pdf_text(corpus_book(name).pdf)
    lowered = text.casefold().replace("_", " ")
    names, thumbs = _furniture(wiki)
    assert [n for n in names if re.search(_prefix(n), lowered)] == []
    assert [w for w in thumbs if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)] == []
    assert re.findall(r"\b\d+ ?px\b", text) == []
    assert FILE_NAME.findall(text) == []


def test_an_english_book_of_a_turkish_export_reads_its_words(tmp_path):
    """The book says English, the export's siteinfo says English: the page shows Turkish."""
    from diaspora_book.book import convert_project

    root = _book(tmp_path / "en", "en", "xml/trwiki-Berlin.xml")
    chapters = convert_project(load_project(root), Diagnostics())
    body = chapters[0].body + str(chapters[0].metadata)
    for furniture in ("Kategori:", "Dosya:", "küçükresim", "Resim:"):
        assert furniture not in body
    assert FILE_NAME.findall(body) == []


def test_an_export_with_a_talk_page_notes_it_and_makes_one_chapter(tmp_path, capsys):
    from diaspora_book.cli import main

    root = _book(tmp_path / "cullu", "en", "xml/enwiki-Cullu_Agdam-with-talk-export-0.10.xml")
    assert main(["--project", str(root), "convert"]) == 0
    assert (
        "articles/enwiki-Cullu_Agdam-with-talk-export-0.10.xml:80: note: page "
        "'Talk:Çullu, Agdam' is a talk page, not an article; skipped"
    ) in capsys.readouterr().err
    assert [p.name for p in (root / "chapters").iterdir()] == ["01-cullu-agdam.md"]
