"""The whole pipeline as one linear function: gather everything, then write.

parse -> lint -> convert -> (write chapters/) -> assemble -> render PDF and EPUB.
Every article is parsed before anything stops, so one run reports every broken
article, not just the first.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from diaspora_book.assemble import assemble
from diaspora_book.config import Project
from diaspora_book.convert import convert_all, write_chapters
from diaspora_book.errors import BookError, Diagnostic, Diagnostics
from diaspora_book.lint import lint_article
from diaspora_book.model import Article, Chapter, SourceSpan
from diaspora_book.parse import parse_file
from diaspora_book.render.epub import write_epub
from diaspora_book.render.pdf import write_pdf
from diaspora_book.slug import slugify
from diaspora_book.source import display_path

FORMATS = ("pdf", "epub")


class BuildFailed(BookError):
    """The build stopped; its diagnostics say why (they have been collected, not printed)."""

    def __init__(self, diagnostics: Diagnostics):
        count = len(diagnostics.errors)
        super().__init__(f"build failed with {count} error{'s' if count != 1 else ''}")
        self.diagnostics = diagnostics


@dataclass(frozen=True)
class BuildReport:
    outputs: tuple[Path, ...]
    chapters: tuple[Chapter, ...]
    diagnostics: tuple[Diagnostic, ...]
    seconds: float


def read_articles(project: Project, diagnostics: Diagnostics) -> list[Article]:
    """Parse and lint every article; a broken article becomes an error diagnostic."""
    paths = project.articles()
    if not paths:
        diagnostics.error(
            SourceSpan(display_path(project.articles_dir, project.root), 1),
            "no articles (*.txt) to build",
        )
    articles: list[Article] = []
    for path in paths:
        shown = display_path(path, project.root)
        try:
            article, found = parse_file(path, shown)
        except BookError as exc:
            diagnostics.error(exc.span, exc.message, exc.hint)
            continue
        diagnostics.extend(found)
        lint_article(article, diagnostics)
        articles.append(article)
    _check_unique_slugs(articles, diagnostics)
    return articles


def _check_unique_slugs(articles: list[Article], diagnostics: Diagnostics) -> None:
    seen: dict[str, Article] = {}
    for article in articles:
        if article.slug in seen:
            other = seen[article.slug].display_path
            diagnostics.error(
                article.title_span,
                f"file name gives the same chapter id '{article.slug}' as {other}",
                "rename one of the files",
            )
        seen[article.slug] = article


def convert_project(project: Project, diagnostics: Diagnostics) -> list[Chapter]:
    """Parse and convert every article; raise BuildFailed if any article is broken."""
    articles = read_articles(project, diagnostics)
    chapters = convert_all(articles, project.config, diagnostics)
    if diagnostics.errors:
        raise BuildFailed(diagnostics)
    return chapters


def output_stem(project: Project) -> str:
    return slugify(project.config.title, fallback="book")


def build(
    project: Project,
    formats: tuple[str, ...] = FORMATS,
    out_dir: Path | None = None,
    strict: bool = False,
) -> BuildReport:
    """Build the book; raise BuildFailed on errors (or on warnings when `strict`)."""
    started = time.perf_counter()
    diagnostics = Diagnostics()
    chapters = convert_project(project, diagnostics)
    if strict and diagnostics.warnings:
        raise BuildFailed(_strict(diagnostics))
    write_chapters(chapters, project.chapters_dir)
    out_dir = out_dir or project.dist_dir
    stem = output_stem(project)
    outputs: list[Path] = []
    with ThreadPoolExecutor(max_workers=1) as background:
        # The EPUB is made by a pandoc process while WeasyPrint lays out the PDF in this
        # one: the two files are independent, and on two cores the EPUB costs no time.
        epub = (
            background.submit(_epub, project, chapters, out_dir / f"{stem}.epub")
            if "epub" in formats
            else None
        )
        if "pdf" in formats:
            manuscript = assemble(project, chapters, "pdf")
            outputs.append(write_pdf(project, manuscript, out_dir / f"{stem}.pdf", diagnostics))
        if epub is not None:
            outputs.append(epub.result())
    if strict and diagnostics.warnings:
        raise BuildFailed(_strict(diagnostics))
    return BuildReport(
        tuple(outputs), tuple(chapters), tuple(diagnostics), time.perf_counter() - started
    )


def _epub(project: Project, chapters: list[Chapter], target: Path) -> Path:
    # The PDF is the longer path: give this thread, and the pandoc it starts, a lower
    # priority, so that on a busy machine the EPUB takes only what the PDF leaves over.
    # (Linux: a thread's nice value is its own and passes to its child processes.)
    with contextlib.suppress(AttributeError, OSError):  # not on this platform: no matter
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    return write_epub(project, assemble(project, chapters, "epub"), target)


def _strict(diagnostics: Diagnostics) -> Diagnostics:
    """Return the diagnostics with every warning promoted to an error (for --strict)."""
    promoted = Diagnostics()
    for d in diagnostics:
        promoted.items.append(Diagnostic("error", d.span, d.message, d.hint))
    return promoted
