"""The sample book's PDF, opened and read as a reader would."""

import subprocess

from diaspora_book.parse import parse_file

from .conftest import SAMPLES, sample_source_words
from .readers import (
    epub_citations,
    missing_words,
    pdf_fonts,
    pdf_pages,
    pdf_text,
    without_citations,
)


def pdf_of(report):
    return next(p for p in report.outputs if p.suffix == ".pdf")


def test_every_word_reaches_the_pdf(sample_build):
    # Citations sit between words and their punctuation: "census (Agency 2009)."
    epub = next(p for p in sample_build.outputs if p.suffix == ".epub")
    text = without_citations(pdf_text(pdf_of(sample_build)), epub_citations(epub))
    words = sample_source_words()
    assert len(words) > 2000
    assert missing_words(words, text) == []


def test_no_missing_glyphs(sample_build):
    fonts = pdf_fonts(pdf_of(sample_build))
    # Each font drew only characters its own glyph table has (no .notdef boxes) ...
    for font in fonts:
        assert font.drawn <= font.has, (font.name, sorted(font.drawn - font.has))
    # ... and between them the fonts drew every character of the articles.
    drawn = set().union(*(f.drawn for f in fonts))
    source = set()
    for path in SAMPLES:
        source |= set(path.read_text(encoding="utf-8"))
    source -= set(" \n\t")
    assert source - drawn == set()
    names = {f.name.split("+", 1)[1] for f in fonts}
    assert {"Noto-Naskh-Arabic", "Noto-Serif-CJK-SC", "Noto-Serif"} <= names


def test_metadata_and_pages(sample_build):
    info = subprocess.run(
        ["pdfinfo", str(pdf_of(sample_build))], check=True, capture_output=True, text=True
    ).stdout
    assert "Title:           Kazakhstan's Diasporas" in info
    assert "Author:          Wikipedia contributors" in info
    assert "Page size:       595.276 x 841.89 pts (A4)" in info


def test_title_page_and_contents(sample_build):
    pages = pdf_pages(pdf_of(sample_build))
    assert "Kazakhstan's Diasporas" in pages[0]
    contents = next(p for p in pages if p.startswith("Contents"))
    titles = [parse_file(p, p.name)[0].title for p in SAMPLES]
    for title in titles:
        line = next(line for line in contents.splitlines() if line.startswith(title))
        page_number = int(line.rsplit(" ", 1)[-1].strip(". "))
        # The chapter really starts on the page the contents line names.
        assert pages[page_number - 1].lstrip().startswith(title), (title, page_number)
