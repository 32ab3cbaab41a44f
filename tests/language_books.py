"""The small books in other languages (tests/fixtures/books/<tag>), built once per session.

Each is a project of three short articles with its glossary and index, in Russian,
Kazakh (Cyrillic), Uyghur (Arabic script, right to left), Chinese and German. A
book is built (PDF, EPUB, handouts) with `--strict` the first time a test asks for
it; every later test reads the same files.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from diaspora_book.build import BuildRequest, build, build_handouts
from diaspora_book.languages.labels import catalogue, catalogue_for, load_labels
from diaspora_book.project.config import book_identifier, load_project

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "books"
LANGUAGES = ("ru", "kk", "ug", "zh", "de")
# Names and codes a book in any language carries: standards, formats, the page size.
TECHNICAL = {"EPUB", "WCAG", "AA", "PDF", "A5", "urn", "uuid", "Accessibility", "txt", "articles"}


@dataclass(frozen=True)
class LanguageBook:
    tag: str  # the fixture folder, e.g. "zh"
    root: Path
    pdf: Path
    epub: Path
    handouts: tuple[Path, ...]
    diagnostics: tuple[str, ...]  # everything the build reported


def build_language_book(tag: str, parent: Path) -> LanguageBook:
    """Copy the fixture project `tag` under `parent` and build it, strictly."""
    root = shutil.copytree(FIXTURES / tag, parent / tag)
    project = load_project(root)
    report = build(project, BuildRequest(strict=True, jobs=2))
    handouts = build_handouts(project, [], jobs=1, strict=True)
    pdf = next(p for p in report.outputs if p.suffix == ".pdf")
    epub = next(p for p in report.outputs if p.suffix == ".epub")
    return LanguageBook(
        tag,
        root,
        pdf,
        epub,
        tuple(h.path for h in handouts.handouts),
        tuple(str(d) for d in (*report.diagnostics, *handouts.diagnostics)),
    )


def source_words(book: LanguageBook) -> set[str]:
    """Every word the book's own files give it: articles, book.yml, glossary, index,
    bibliography, and its identifier (a UUID made from the title)."""
    texts = [p.read_text(encoding="utf-8") for p in (book.root / "articles").glob("*.txt")]
    texts.append(book_identifier(load_project(book.root).config))
    for name in ("book.yml", "glossary.yml", "index.yml"):
        texts.append(yaml.safe_dump(yaml.safe_load((book.root / name).read_text("utf-8"))))
    if (book.root / "references.bib").is_file():  # titles, names and URLs of the sources
        texts.append((book.root / "references.bib").read_text("utf-8"))
    text = " ".join(texts)
    return set(re.findall(r"\w+", text)) | set(re.findall(r"[^\W\d_]+", text))


def article_texts(book: LanguageBook) -> list[str]:
    """The text of every article as a reader gets it: title, infobox, headings, body."""
    from diaspora_book.read.plain_text import parse_file

    texts: list[str] = []
    for path in sorted((book.root / "articles").glob("*.txt")):
        article, _ = parse_file(path, path.name)
        texts.append(article.title)
        if article.infobox:
            texts += [f"{f.key} {f.value} {article.infobox.name}" for f in article.infobox.facts]
        for block in article.blocks:
            items = getattr(block, "items", None)
            texts += [item.text for item in items] if items is not None else [block.text]
    return texts


def book_language(book: LanguageBook) -> str:
    return load_project(book.root).config.language


def generated_words(book: LanguageBook) -> set[str]:
    """Every word the book may add itself: its catalogue, CLDR's date and language names,
    and the licence it names (book.yml `licence:`, by default "CC BY-SA 4.0" and its URL)."""
    language = book_language(book)
    labels, _ = load_labels(language, {})
    texts = list(catalogue(catalogue_for(language) or "en").values())
    licence = load_project(book.root).config.licence
    texts += [licence.name, licence.url]
    texts.append(labels.date("2024-05-01"))
    texts.append(labels.language_names(["ug", "zh", "kk", "ko", "ru", "en"]))
    return set(re.findall(r"\w+", " ".join(texts)))


def latin_words(text: str) -> set[str]:
    """Words in Latin letters (an English word would be one), two letters or more."""
    return {w for w in re.findall(r"[^\W\d_]+", text) if len(w) > 1 and w.isascii()}
