"""The converter: golden chapters, book order, and the stale-chapter check.

Golden cases live in tests/golden/<case>/: `article.txt` in, `expected.md` out.
Regenerate them after an intended change with `UPDATE_GOLDEN=1 pytest tests/test_convert.py`
and review the diff.
"""

import os
from pathlib import Path

import pytest

from diaspora_book.build import convert_project
from diaspora_book.chapters.convert import (
    chapter_text,
    convert_article,
    stale_chapters,
    write_chapters,
)
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.project.chapter_order import book_order
from diaspora_book.project.config import BookConfig, load_project
from diaspora_book.read.plain_text import parse_file, parse_text

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "article.txt").is_file())


@pytest.mark.parametrize("case", CASES)
def test_golden_chapter(case):
    folder = GOLDEN / case
    article, _ = parse_file(folder / "article.txt", f"articles/{case}.txt")
    text = chapter_text(convert_article(article, 1, BookConfig(title="Golden")))
    expected = folder / "expected.md"
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")


def article(name: str, text: str):
    return parse_text(text, Path(f"{name}.txt"), f"articles/{name}.txt")[0]


def test_chapters_follow_book_order_and_report_strays(project_factory):
    articles = {"a.txt": "= A =\n", "b.txt": "= B =\n", "c.txt": "= C =\n"}
    root = project_factory(articles, "chapters: [c, a]\n")
    diagnostics = Diagnostics()
    chapters = convert_project(load_project(root), diagnostics)
    assert [c.filename for c in chapters] == ["01-c.md", "02-a.md", "03-b.md"]
    assert [str(d) for d in diagnostics] == [
        "warning: articles/b.txt is not listed in book.yml 'chapters'; added at the end",
    ]
    diagnostics = Diagnostics()
    config = BookConfig(title="T", chapters=("c", "a", "missing"))
    assert book_order(["a", "b", "c"], config, diagnostics) == ["c", "a", "b"]
    assert [str(d) for d in diagnostics] == [
        "error: book.yml lists chapter 'missing' but articles/missing.txt does not exist",
        "warning: articles/b.txt is not listed in book.yml 'chapters'; added at the end",
    ]


def test_write_chapters_keeps_files_it_does_not_own(tmp_path):
    (tmp_path / "README.md").write_text("notes", encoding="utf-8")
    # Named like a chapter, but the editor's own: it lacks the converter's front matter.
    (tmp_path / "08-notes.md").write_text("---\ntitle: mine\n---\nold", encoding="utf-8")
    old = convert_article(article("old", "= Old =\n"), 7, BookConfig(title="T"))
    write_chapters([old], tmp_path)
    chapters = [convert_article(article("a", "= A =\n"), 1, BookConfig(title="T"))]
    changed = write_chapters(chapters, tmp_path)
    assert sorted(p.name for p in changed) == ["01-a.md", "07-old.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["01-a.md", "08-notes.md", "README.md"]
    assert write_chapters(chapters, tmp_path) == []
    assert stale_chapters(chapters, tmp_path, "chapters") == []


def test_headings_get_unique_ids_even_without_latin_letters():
    chapter = convert_article(
        article("x", "= X =\n== История ==\n== История ==\n== Notes ==\n"), 1, BookConfig(title="T")
    )
    assert '## [История]{lang="ru"} {#x--section}' in chapter.body
    assert '## [История]{lang="ru"} {#x--section-2}' in chapter.body
    assert "## Notes {#x--notes}" in chapter.body


def test_template_residue_in_a_fact_becomes_rows_of_its_own():
    text = (
        "= Alphabet =\n\nInfobox\n"
        "- In use: Cyrillic (official) | planned = Latin | abroad = Arabic (China)\n"
        "- Popplace: Almaty | related-c = Overseas Chinese\n\nText.\n"
    )
    chapter = convert_article(article("alphabet", text), 1, BookConfig(title="T"))
    assert chapter.metadata["facts"] == [
        {"key": "In use", "value": "Cyrillic (official)"},
        {"key": "planned", "value": "Latin"},
        {"key": "abroad", "value": "Arabic (China)"},
        {"key": "Popplace", "value": "Almaty"},
        {"key": "related-c", "value": "Overseas Chinese"},
    ]
    assert "planned\n:   Latin\n" in chapter.body
    assert "|" not in chapter.body.split(":::")[1]
