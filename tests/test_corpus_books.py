"""Books of real Wikipedia articles, from every Wikipedia in ../shared/wikipedia (issue 20).

Each book is built as a user would (PDF and EPUB) and judged on what a reader gets:
the build succeeds, EPUBCheck reports nothing, every character drawn has a glyph in
its font, and none of the wiki's furniture reaches the page: image options and sizes,
image file names, namespace prefixes, empty parentheses and emptied list items, raw
infobox field names. For the English and German articles, the words pandoc's own
MediaWiki reader finds outside templates must reach both the PDF and the EPUB.

The articles are read where they lie and copied only into a temporary project; the
tests skip, saying why, where ../shared is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import mwparserfromhell
import pypandoc
import pytest

from .checkers import epubcheck_messages, run_epubcheck
from .corpus import BOOKS, CORPUS, SHARED
from .readers import epub_text, pdf_fonts, pdf_text

pytestmark = CORPUS

BRACKETS = "empty parentheses"
BRACKETS_ITEM = "empty parentheses, or an emptied list item"
# What must never reach the page. Each pattern names the furniture it catches.
FURNITURE = {
    # an option as the reader once printed it: beside a `|` ("küçükresim|sol|Açıklama")
    "an image option": re.compile(
        r"(?:\||\b)(?:thumb|thumbnail|frameless|upright|küçükresim|мини|миниатюра|mini|hochkant"
        r"|縮略圖|サムネイル|섬네일|بندانگشتی|ממוזער|left|right|sol|sağ|links|rechts|چپ|راست)"
        r"\s*\||\|\s*(?:thumb|küçükresim|mini|hochkant|мини|بندانگشتی|ממוזער)\b",
        re.IGNORECASE,
    ),
    "an image size": re.compile(r"\b\d+\s?px\b"),
    "an image file name": re.compile(r"[\w)-]\.(?:jpe?g|png|svg|gif|tiff?|webm|ogg)\b", re.I),
    "a namespace prefix": re.compile(
        r"\b(?:Category|Kategori|Kategorie|Категория|Санат|Категорія|Turkum|Файл|File|Datei"
        r"|Image|Dosya|Bild|Fichier|Изображение|Сурет)\s?:|(?:رده|پرونده|קטגוריה|קובץ"
        r"|分类|分類|カテゴリ|ファイル|분류|파일)\s?:"
    ),
    BRACKETS: re.compile(r"\(\s*[,;:]?\s*\)|（\s*[,;、]?\s*）"),
    BRACKETS_ITEM: re.compile(r"•\s*(?:[\w\s]{0,12}:)?\s*[,;]\s*[,;]?\s*(?:•|$)"),
    "a raw infobox field": re.compile(
        r"\b(?:Image skyline|Image flag|Image map|Flag size|Seal size|Latd|Latm|Lats|LatNS"
        r"|Longd|Longm|LongEW|Coordinates display|Pushpin map|Blank\d? (?:name|info)"
        r"|Unit pref|Image size|Mapsize|Map caption|Imagesize)\b",
        re.IGNORECASE,
    ),
    # A template's opening braces, a reference's tag (a quote left open in them:
    # read/mediawiki/quotes.py).
    "a raw template": re.compile(r"\{\{"),
    "a raw reference": re.compile(r"<ref\b", re.IGNORECASE),
}


# What an article writes itself that looks like furniture (France: "the comma (,) is
# the decimal separator").
ALLOWED = ("comma (,)",)


def _furniture(text: str) -> list[str]:
    found = []
    for what, pattern in FURNITURE.items():
        for match in pattern.finditer(text):
            around = text[max(0, match.start() - 40) : match.end() + 40]
            if not any(allowed in around for allowed in ALLOWED):
                found.append(f"{what}: {match.group(0)!r} in ...{around}...")
    return found


def _wiki_text(path: Path) -> list[str]:
    """Return the wikitext of each article a file holds (an export's pages: the last
    revision of each page in the main namespace)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".xml":
        return [text]
    from lxml import etree

    tree = etree.parse(str(path))
    texts = []
    for page in tree.iter("{*}page"):
        ns = page.find("{*}ns")
        if ns is not None and ns.text != "0":
            continue
        revisions = page.findall("{*}revision")
        body = revisions[-1].find("{*}text") if revisions else None
        if (
            body is not None
            and body.text
            and not body.text.lstrip().upper().startswith("#REDIRECT")
        ):
            texts.append(body.text)
    return texts


_NOT_TEXT = re.compile(r"^(?:category|kategorie|file|datei|image|bild|media)\s*:", re.I)
_INTERLANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[a-z]+)?\s*:")
_OPTION = re.compile(r"^(?:thumb|mini|hochkant|left|right|center|upright|frameless|\d+px)", re.I)


def _pandoc_words(wikitext: str) -> set[str] | None:
    """The words pandoc's MediaWiki reader finds outside templates, as a set (None
    where pandoc cannot read the article).

    Templates are removed first (outside templates: what they print is the reader's
    to decide), category and interlanguage links are dropped, and a file's link is
    reduced to its caption: pandoc prints them as text, which no book should.
    """
    code = mwparserfromhell.parse(wikitext)
    for template in code.filter_templates():  # in tables and tags too
        try:
            code.remove(template)
        except ValueError:  # inside a template removed already
            pass
    for gallery in code.filter_tags(matches=lambda node: str(node.tag).strip() == "gallery"):
        lines = str(gallery.contents or "").split("\n")  # File:X.jpg|caption: the caption
        captions = [line.split("|")[-1] for line in lines if "|" in line]
        try:
            code.replace(gallery, "\n\n".join(captions))
        except ValueError:
            pass
    for link in code.filter_wikilinks(recursive=False):
        title = str(link.title).strip().lstrip(":")
        if _NOT_TEXT.match(title) or _INTERLANGUAGE.match(title):
            parts = [p for p in str(link.text or "").split("|") if not _OPTION.match(p.strip())]
            keep = parts[-1] if parts and re.match(r"(?i)file|datei|image|bild", title) else ""
            try:
                code.replace(link, keep)
            except ValueError:
                pass
    try:
        plain = pypandoc.convert_text(
            str(code), "plain", format="mediawiki", extra_args=["--wrap=none"]
        )
    except RuntimeError:  # pandoc's reader refuses some real articles (a stray </ref>):
        for tag in code.filter_tags(matches=lambda node: str(node.tag).strip() == "ref"):
            try:  # then the words outside the references
                code.remove(tag)
            except ValueError:
                pass
        unbalanced = re.sub(r"</?ref\b[^>]*>", " ", str(code))  # a stray </ref> is left
        try:
            plain = pypandoc.convert_text(
                unbalanced, "plain", format="mediawiki", extra_args=["--wrap=none"]
            )
        except RuntimeError:
            return None
    return {w.lower() for w in re.findall(r"[^\W\d_]{2,}", plain)}


@pytest.mark.parametrize("name", sorted(BOOKS))
def test_a_book_of_real_articles_is_valid_and_readable(name, corpus_book, tmp_path):
    built = corpus_book(name)
    book = built.book
    problems: list[str] = []

    report = run_epubcheck(built.epub, tmp_path)
    problems += [f"EPUBCheck {m}" for m in epubcheck_messages(report)]

    for font in pdf_fonts(built.pdf):
        missing = sorted(font.drawn - font.has - {" ", "\u00a0"})
        if missing:
            problems.append(f"no glyph in {font.name} for {missing[:10]}")

    # What reaches the page, in reading order: the PDF's text for what order cannot
    # change; for brackets, the EPUB's (pdftotext gives a right-to-left run inside a
    # line in visual order: "ודינג (Wedding)" comes out "ודינג ()Wedding").
    text = pdf_text(built.pdf)
    logical = epub_text(built.epub)
    problems += [p for p in _furniture(text) if not p.startswith(BRACKETS)]
    problems += [p for p in _furniture(logical) if p.startswith(BRACKETS)]

    if book.language in ("en", "de"):
        pdf_words = {w.lower() for w in re.findall(r"[^\W\d_]{2,}", text)}
        epub_words = {w.lower() for w in re.findall(r"[^\W\d_]{2,}", logical)}
        for name in book.files:
            words: set[str] = set()
            for wikitext in _wiki_text(SHARED / name):
                words |= _pandoc_words(wikitext) or set()
            for edition, found in (("PDF", pdf_words), ("EPUB", epub_words)):
                lost = sorted(words - found)
                if words and len(lost) > 0.01 * len(words):
                    problems.append(
                        f"{name}: {len(lost)} of {len(words)} words missing from the "
                        f"{edition}: {lost[:20]}"
                    )

    assert problems == [], "\n".join(problems[:60])


def test_the_corpus_gives_at_most_two_warnings_per_article(corpus_book):
    """Warnings a user can act on: on the whole corpus, at most two lines per article on
    average, as `build` prints them (a kind repeated in an article is one line; glossary
    candidates are one note per article, a review list). Runs after the books above,
    in the same process: it reads what they built."""
    built = [corpus_book(name) for name in sorted(BOOKS)]
    warnings = [line for book in built for line in book.warnings]
    articles = sum(len(book.chapters) for book in built)
    assert len(warnings) <= 2 * articles, "\n".join(warnings)
