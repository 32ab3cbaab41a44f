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
import shutil
from dataclasses import dataclass
from pathlib import Path

import mwparserfromhell
import pypandoc
import pytest

from diaspora_book.build import BuildRequest, build
from diaspora_book.project.config import load_project

from .checkers import epubcheck_messages, run_epubcheck
from .readers import epub_text, pdf_fonts, pdf_text

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "wikipedia"
pytestmark = [
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


BOOKS = (
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
    CorpusBook("ru", "ru", ("wiki/ru/Contrada.wiki", "xml/ruwiki-Berlin.xml")),
    *(CorpusBook(f"berlin-{tag}", tag, (f"xml/{tag}wiki-Berlin.xml",)) for tag in BERLINS),
)

# What must never reach the page. Each pattern names the furniture it catches.
FURNITURE = {
    "an image option": re.compile(
        r"\b(?:thumb|thumbnail|frameless|upright|küçükresim|мини|миниатюра|mini|hochkant"
        r"|縮略圖|サムネイル|섬네일|بندانگشتی|ממוזער)\b",
        re.IGNORECASE,
    ),
    "an image size": re.compile(r"\b\d+\s?px\b"),
    "an image file name": re.compile(r"[\w)-]\.(?:jpe?g|png|svg|gif|tiff?|webm|ogg)\b", re.I),
    "a namespace prefix": re.compile(
        r"\b(?:Category|Kategori|Kategorie|Категория|Санат|Категорія|Turkum|Файл|File|Datei"
        r"|Image|Dosya|Bild|Fichier|Изображение|Сурет)\s?:|(?:رده|پرونده|קטגוריה|קובץ"
        r"|分类|分類|カテゴリ|ファイル|분류|파일)\s?:"
    ),
    "empty parentheses": re.compile(r"\(\s*[,;:]?\s*\)|（\s*[,;、]?\s*）"),
    "an emptied list item": re.compile(r"•\s*(?:[\w\s]{0,12}:)?\s*[,;]\s*[,;]?\s*(?:•|$)"),
    "a raw infobox field": re.compile(
        r"\b(?:Image skyline|Image flag|Image map|Flag size|Seal size|Latd|Latm|Lats|LatNS"
        r"|Longd|Longm|LongEW|Coordinates display|Pushpin map|Blank\d? (?:name|info)"
        r"|Unit pref|Image size|Mapsize|Map caption|Imagesize)\b",
        re.IGNORECASE,
    ),
}


@dataclass(frozen=True)
class Built:
    book: CorpusBook
    root: Path
    pdf: Path
    epub: Path
    warnings: tuple[str, ...]
    articles: int


def _build(book: CorpusBook, parent: Path) -> Built:
    root = parent / book.name
    (root / "articles").mkdir(parents=True)
    for name in book.files:
        shutil.copy(SHARED / name, root / "articles" / Path(name).name)
    (root / "book.yml").write_text(
        f"title: {book.name}\nlanguage: {book.language}\n", encoding="utf-8"
    )
    report = build(load_project(root), BuildRequest(jobs=1))
    pdf = next(p for p in report.outputs if p.suffix == ".pdf")
    epub = next(p for p in report.outputs if p.suffix == ".epub")
    warnings = tuple(str(d) for d in report.diagnostics if str(d.severity) == "warning")
    return Built(book, root, pdf, epub, warnings, len(report.chapters))


def _furniture(text: str) -> list[str]:
    found = []
    for what, pattern in FURNITURE.items():
        for match in pattern.finditer(text):
            around = text[max(0, match.start() - 40) : match.end() + 40]
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


def _pandoc_words(wikitext: str) -> set[str]:
    """The words pandoc's MediaWiki reader finds outside templates, as a set.

    Category and interlanguage links are dropped first, and a file's link is reduced
    to its caption: pandoc prints them as text, which no book should.
    """
    code = mwparserfromhell.parse(wikitext)
    for link in code.filter_wikilinks(recursive=False):
        title = str(link.title).strip().lstrip(":")
        if _NOT_TEXT.match(title) or _INTERLANGUAGE.match(title):
            parts = [p for p in str(link.text or "").split("|") if not _OPTION.match(p.strip())]
            keep = parts[-1] if parts and re.match(r"(?i)file|datei|image|bild", title) else ""
            try:
                code.replace(link, keep)
            except ValueError:
                pass
    plain = pypandoc.convert_text(
        str(code), "plain", format="mediawiki", extra_args=["--wrap=none"]
    )
    return {w.lower() for w in re.findall(r"[^\W\d_]{2,}", plain)}


@pytest.fixture(scope="module")
def corpus_parent(tmp_path_factory):
    return tmp_path_factory.mktemp("corpus")


@pytest.mark.parametrize("book", BOOKS, ids=lambda b: b.name)
def test_a_book_of_real_articles_is_valid_and_readable(book, corpus_parent):
    built = _build(book, corpus_parent)
    problems: list[str] = []

    report = run_epubcheck(built.epub, built.root)
    problems += [f"EPUBCheck {m}" for m in epubcheck_messages(report)]

    for font in pdf_fonts(built.pdf):
        missing = sorted(font.drawn - font.has - {" ", "\u00a0"})
        if missing:
            problems.append(f"no glyph in {font.name} for {missing[:10]}")

    text = pdf_text(built.pdf)
    problems += _furniture(text)

    # Warnings a user can act on: at most two per article on average.
    if len(built.warnings) > 2 * built.articles:
        problems.append(
            f"{len(built.warnings)} warnings for {built.articles} articles: "
            + " | ".join(built.warnings[:5])
        )

    if book.language in ("en", "de"):
        pdf_words = {w.lower() for w in re.findall(r"[^\W\d_]{2,}", text)}
        epub_words = {w.lower() for w in re.findall(r"[^\W\d_]{2,}", epub_text(built.epub))}
        for name in book.files:
            words: set[str] = set()
            for wikitext in _wiki_text(SHARED / name):
                words |= _pandoc_words(wikitext)
            for edition, found in (("PDF", pdf_words), ("EPUB", epub_words)):
                lost = sorted(words - found)
                if words and len(lost) > 0.01 * len(words):
                    problems.append(
                        f"{name}: {len(lost)} of {len(words)} words missing from the "
                        f"{edition}: {lost[:20]}"
                    )

    assert problems == [], "\n".join(problems[:60])
