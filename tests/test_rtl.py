"""A right-to-left book (Uyghur) on paper: where its lines, heads, folios and chapters fall.

Measured on the PDF with pdftotext's boxes, against the German book of the same
shape laid out left to right, so each test would fail on a left-to-right layout.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from diaspora_book.read.plain_text import parse_file

from .print_readers import artifacts, bbox_lines, outline, page_width
from .readers import word_variants
from .test_render_parts import _assert_same_book, _render

SHORT = 0.75  # a line narrower than this share of the measure does not fill it


def _factbox_words(root: Path) -> set[str]:
    """The words of the articles' infoboxes, as a PDF extractor may give them."""
    words: set[str] = set()
    for path in (root / "articles").glob("*.txt"):
        article, _ = parse_file(path, path.name)
        if article.infobox:
            for fact in article.infobox.facts:
                for word in f"{fact.key} {fact.value} {article.infobox.name}".split():
                    words |= word_variants(word)
    return words


def _body_lines(pdf: Path, root: Path, pages: range):
    """Yield (page, line, left edge, right edge) for the running text of `pages`: no
    page furniture, no fact box; the edges are those of the page's widest lines."""
    furniture = artifacts(pdf)
    boxed = _factbox_words(root)
    for number, lines in enumerate(bbox_lines(pdf), start=1):
        if number not in pages:
            continue
        body = [
            line
            for line in lines
            if line[4].strip() not in furniture[number - 1]
            and not re.fullmatch(r"[\d\s]+", line[4])
            and not set(line[4].split()) & boxed
        ]
        if body:
            left, right = min(x[0] for x in body), max(x[2] for x in body)
            for line in body:
                yield number, line, left, right


def _index_page(book) -> int:
    """The page the Index (the last section, set in two columns) opens on."""
    return max(page for level, _, page in outline(book.pdf) if level == 1)


@pytest.mark.parametrize("tag, rtl", [("ug", True), ("de", False)])
def test_text_starts_at_the_right_margin(language_books, tag, rtl):
    """Every line that does not fill the measure (a heading, a paragraph's last
    line) ends at the right margin in Uyghur, and starts at the left one in German."""
    book = language_books(tag)
    short = _short_lines(book.pdf, book.root, range(2, _index_page(book)))  # no title page
    assert len(short) > 20
    assert [s for s in short if s[2] != rtl] == []


def _short_lines(pdf: Path, root: Path, pages: range) -> list[tuple[int, str, bool]]:
    """Return (page, text, flush right) for each line that does not fill the measure."""
    short = []
    for number, line, left, right in _body_lines(pdf, root, pages):
        x_min, _, x_max, _, text = line
        if x_max - x_min < SHORT * (right - left):
            flush_right = right - x_max < 20  # within a paragraph indent or a hanging one
            short.append((number, text[:30], flush_right))
    return short


@pytest.mark.parametrize("tag, rtl", [("ug", True), ("de", False)])
def test_chapters_open_on_the_page_a_right_bound_book_opens_on(language_books, tag, rtl):
    """A right-to-left book is bound on the right: page 1 and every page where a
    chapter opens are left-hand pages, with the folio at their outer (left) corner."""
    book = language_books(tag)
    width = page_width(book.pdf)
    openings = [page for level, _, page in outline(book.pdf) if level == 1]
    assert all(page % 2 == 1 for page in openings)
    pages = bbox_lines(book.pdf)
    for page in openings:
        [folio] = [line for line in pages[page - 1] if line[4].strip() == str(page)]
        assert (folio[2] < width / 2) == rtl, (page, folio)


def test_running_heads_swap_sides_in_a_right_to_left_book(language_books):
    """The verso (a right-hand page) carries the book's title, the recto (left) the
    chapter's; pdftotext gives the Arabic letters in visual order."""
    book = language_books("ug")
    heads = artifacts(book.pdf)
    title = "يەتتەسۇ كۆچمەنلىرى"
    chapter = "قازاقىستاندىكى ئۇيغۇرلار"
    assert outline(book.pdf)[1][1:] == (chapter, 5)  # opens on page 5; pages 6-7 follow
    assert any(h in (title, title[::-1]) for h in heads[5])  # page 6: a verso
    assert any(h in (chapter, chapter[::-1]) for h in heads[6])  # page 7: a recto
    assert heads[4] == ["5"]  # the opening page: no head


def test_contents_leaders_run_from_the_title_on_the_right_to_the_number_on_the_left(
    language_books,
):
    book = language_books("ug")
    contents = bbox_lines(book.pdf)[2]
    numbers = [
        line for line in contents if re.fullmatch(r"\d+", line[4].split()[0]) and line[4] != "3"
    ]  # every number but the folio
    dotted = [line for line in contents if ". . ." in line[4]]  # a title and its leader
    # Three chapters, the Glossary, the References and the Index.
    assert len(numbers) == 6 and len(dotted) == 6
    assert max(line[0] for line in numbers) < 60  # at the left margin
    assert min(line[2] for line in dotted) > page_width(book.pdf) - 70  # from the right


def test_handouts_run_right_to_left(language_books):
    book = language_books("ug")
    for handout in book.handouts:
        short = _short_lines(handout, book.root, range(1, 100))
        assert short and all(flush_right for _, _, flush_right in short), handout.name


@pytest.mark.slow
def test_right_to_left_book_in_parts_is_the_whole_book_layout(language_books, tmp_path):
    """The parallel layout cuts the book where chapters open on rectos; in a
    right-to-left book those are left-hand pages, and the parts join up the same."""
    root = language_books("ug").root
    rendered = [_render(root, tmp_path / f"jobs-{jobs}.pdf", jobs=jobs) for jobs in (1, 2)]
    whole, parts = rendered
    assert (whole.parts, parts.parts) == (1, 4)
    _assert_same_book(whole, parts)
