"""The whole pipeline as one linear function: gather everything, then write.

parse -> lint -> convert -> (write chapters/) -> assemble -> render PDF and EPUB.
Every article is parsed before anything stops, so one run reports every broken
article, not just the first.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from diaspora_book.assemble import Manuscript, assemble
from diaspora_book.cache import BuildCache, digest, disabled, file_digest, tool_fingerprint
from diaspora_book.config import Project
from diaspora_book.convert import book_order, convert_article, write_chapters
from diaspora_book.errors import BookError, Diagnostic, Diagnostics, diagnostic_from_json
from diaspora_book.fonts import installed_fonts_digest
from diaspora_book.lint import apply_accepted, lint_article
from diaspora_book.model import Chapter, SourceSpan
from diaspora_book.parse import parse_text
from diaspora_book.progress import SILENT, Progress
from diaspora_book.render.epub import write_epub
from diaspora_book.render.pdf import write_pdf
from diaspora_book.slug import slugify
from diaspora_book.source import decode, display_path
from diaspora_book.stylesheets import stylesheets

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
    ran: tuple[str, ...] = ()  # cache stages that had to run (e.g. "pdf", "chapter:articles/a.txt")
    reused: tuple[str, ...] = ()  # cache stages taken from the cache


def convert_project(
    project: Project, diagnostics: Diagnostics, cache: BuildCache | None = None
) -> list[Chapter]:
    """Parse, lint and convert every article in book order; raise BuildFailed on errors.

    Every article is read before anything stops, so one run reports every broken
    article. A chapter whose inputs are unchanged comes from the cache unparsed.
    """
    cache = cache or disabled()
    found = Diagnostics()
    paths = _articles_by_slug(project, found)
    order = book_order(list(paths), project.config, found)
    shared = digest(*(file_digest(p) for p in project.shared_inputs()), tool_fingerprint())
    chapters: list[Chapter] = []
    for number, slug in enumerate(order, start=1):
        chapter = _chapter(project, paths[slug], number, shared, cache, found)
        if chapter is not None:
            chapters.append(chapter)
    diagnostics.extend(apply_accepted(found, project.config.accept))
    if diagnostics.errors:
        raise BuildFailed(diagnostics)
    return chapters


def _articles_by_slug(project: Project, diagnostics: Diagnostics) -> dict[str, Path]:
    paths = project.articles()
    if not paths:
        diagnostics.error(
            SourceSpan(display_path(project.articles_dir, project.root), 1),
            "no articles (*.txt) to build",
        )
    by_slug: dict[str, Path] = {}
    for path in paths:
        slug = slugify(path.stem, fallback="article")
        if slug in by_slug:
            other = display_path(by_slug[slug], project.root)
            diagnostics.error(
                SourceSpan(display_path(path, project.root), 1),
                f"file name gives the same chapter id '{slug}' as {other}",
                "rename one of the files",
            )
            continue
        by_slug[slug] = path
    return by_slug


def _chapter(
    project: Project,
    path: Path,
    number: int,
    shared: str,
    cache: BuildCache,
    diagnostics: Diagnostics,
) -> Chapter | None:
    """Convert one article, or take its chapter from the cache when nothing changed."""
    shown = display_path(path, project.root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        diagnostics.error(SourceSpan(shown, 1), f"cannot read file: {exc.strerror}")
        return None
    key = digest(data, shown, str(number), shared)
    stage = f"chapter:{shown}"
    cached = cache.lookup(stage, key)
    if cached is not None:
        diagnostics.items.extend(diagnostic_from_json(d) for d in cached["diagnostics"])
        return Chapter(**cached["chapter"])
    found = Diagnostics()
    try:
        article, parse_diagnostics = parse_text(decode(data, shown), path, shown)
    except BookError as exc:
        diagnostics.error(exc.span, exc.message, exc.hint)
        return None
    found.extend(parse_diagnostics)
    lint_article(article, found)
    chapter = convert_article(article, number, project.config)
    cache.store(
        stage, key, {"chapter": asdict(chapter), "diagnostics": [d.to_json() for d in found]}
    )
    diagnostics.extend(found)
    return chapter


def output_stem(project: Project) -> str:
    return slugify(project.config.title, fallback="book")


def build(
    project: Project,
    formats: tuple[str, ...] = FORMATS,
    out_dir: Path | None = None,
    strict: bool = False,
    progress: Progress = SILENT,
    cache: BuildCache | None = None,
) -> BuildReport:
    """Build the book; raise BuildFailed on errors (or on warnings when `strict`).

    With a `cache`, stages whose inputs did not change are skipped: a rebuild with
    nothing changed renders nothing.
    """
    started = time.perf_counter()
    cache = cache or disabled()
    diagnostics = Diagnostics()
    with progress.stage("convert"):
        chapters = convert_project(project, diagnostics, cache)
    if strict and diagnostics.warnings:
        raise BuildFailed(_strict(diagnostics))
    write_chapters(chapters, project.chapters_dir)
    out_dir = out_dir or project.dist_dir
    stem = output_stem(project)
    outputs: list[Path] = []
    if "pdf" in formats:
        manuscript = assemble(project, chapters, "pdf")
        target = out_dir / f"{stem}.pdf"
        key = _render_key(project, manuscript, target)
        if cache.lookup("pdf", key, (target,)) is None:
            with progress.stage("render PDF"):
                write_pdf(project, manuscript, target, diagnostics)
            cache.store("pdf", key, {}, (target,))
        outputs.append(target)
    if "epub" in formats:
        manuscript = assemble(project, chapters, "epub")
        target = out_dir / f"{stem}.epub"
        key = _render_key(project, manuscript, target)
        if cache.lookup("epub", key, (target,)) is None:
            with progress.stage("render EPUB"):
                write_epub(project, manuscript, target)
            cache.store("epub", key, {}, (target,))
        outputs.append(target)
    if strict and diagnostics.warnings:
        raise BuildFailed(_strict(diagnostics))
    return BuildReport(
        tuple(outputs),
        tuple(chapters),
        tuple(diagnostics),
        time.perf_counter() - started,
        ran=tuple(cache.misses),
        reused=tuple(cache.hits),
    )


def _render_key(project: Project, manuscript: Manuscript, target: Path) -> str:
    """Hash everything a render reads: manuscript, metadata, styles, fonts, tools, target."""
    styles = stylesheets(project, manuscript.format)
    return digest(
        manuscript.format,
        manuscript.markdown,
        json.dumps(manuscript.metadata, sort_keys=True, ensure_ascii=False),
        *(file_digest(path) for path in styles),
        installed_fonts_digest(),
        tool_fingerprint(),
        str(target.resolve()),
    )


def _strict(diagnostics: Diagnostics) -> Diagnostics:
    """Return the diagnostics with every warning promoted to an error (for --strict)."""
    promoted = Diagnostics()
    for d in diagnostics:
        promoted.items.append(Diagnostic("error", d.span, d.message, d.hint))
    return promoted
