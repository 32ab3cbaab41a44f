"""The whole pipeline as one linear function: gather everything, then write.

parse -> lint -> convert -> (write chapters/) -> assemble -> render PDF and EPUB.
Every article is parsed before anything stops, so one run reports every broken
article, not just the first.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from diaspora_book.annotate.project import Annotations, check_annotations, load_annotations
from diaspora_book.assemble import assemble
from diaspora_book.cache import BuildCache, digest, disabled, render_key, shared_digest
from diaspora_book.config import Project
from diaspora_book.convert import book_order, convert_article, write_chapters
from diaspora_book.errors import BookError, Diagnostic, Diagnostics, diagnostic_from_json
from diaspora_book.labels import check_catalogue
from diaspora_book.lint import apply_accepted, lint_article
from diaspora_book.model import Article, Chapter, Occurrence, SourceSpan
from diaspora_book.parse import parse_text
from diaspora_book.progress import SILENT, Progress
from diaspora_book.render.epub import write_epub
from diaspora_book.render.epub_beside import EpubBeside
from diaspora_book.render.handouts import HandoutsReport, select_chapters, write_handouts
from diaspora_book.render.pdf import RenderedPdf, write_pdf
from diaspora_book.render.pdf_parallel import usable_cores
from diaspora_book.slug import slugify
from diaspora_book.source import decode, display_path, read_text

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
    """Parse, annotate and convert every article; raise BuildFailed on any error."""
    return convert_book(project, diagnostics, cache)[0]


def convert_book(
    project: Project, diagnostics: Diagnostics, cache: BuildCache | None = None
) -> tuple[list[Chapter], Annotations]:
    """Parse, lint, annotate and convert every article in book order.

    Every article is read before anything stops, so one run reports every broken
    article. A chapter whose inputs are unchanged comes from the cache unparsed; the
    whole-book annotation checks (unused glossary terms, undefined candidates) are
    cached under the keys of all chapters together.
    """
    cache = cache or disabled()
    found = Diagnostics()
    check_catalogue(project.config, found)
    notes = load_annotations(project, found)
    paths = _articles_by_slug(project, found)
    order = book_order(list(paths), project.config, found)
    shared = shared_digest(project)
    chapters: list[Chapter] = []
    keys: list[str] = []
    parsed: dict[str, Article] = {}
    for number, slug in enumerate(order, start=1):
        converted = _chapter(project, paths[slug], number, shared, notes, cache, found, parsed)
        if converted is not None:
            chapters.append(converted[0])
            keys.append(converted[1])
    # Runs even after errors, on the articles that parsed, so one run reports everything.
    _check_book(project, [paths[s] for s in order], chapters, notes, keys, cache, found, parsed)
    diagnostics.extend(apply_accepted(found, project.config.accept))
    if diagnostics.errors:
        raise BuildFailed(diagnostics)
    return chapters, notes


def read_articles(project: Project, diagnostics: Diagnostics) -> list[Article]:
    """Parse and lint every article (file order); a broken one becomes an error diagnostic."""
    articles: list[Article] = []
    for path in _articles_by_slug(project, diagnostics).values():
        article = _parse(project, path, diagnostics)
        if article is not None:
            articles.append(article)
    return articles


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


def _parse(
    project: Project, path: Path, diagnostics: Diagnostics, data: bytes | None = None
) -> Article | None:
    """Read (unless its bytes are given), parse and lint one article; a broken one
    becomes an error diagnostic."""
    shown = display_path(path, project.root)
    try:
        text = read_text(path, shown) if data is None else decode(data, shown)
        article, found = parse_text(text, path, shown)
    except BookError as exc:
        diagnostics.error(exc.span, exc.message, exc.hint)
        return None
    diagnostics.extend(found)
    lint_article(article, diagnostics)
    return article


def _chapter(
    project: Project,
    path: Path,
    number: int,
    shared: str,
    notes: Annotations,
    cache: BuildCache,
    diagnostics: Diagnostics,
    parsed: dict[str, Article],
) -> tuple[Chapter, str] | None:
    """Convert one article, or take its chapter from the cache; return it with its key."""
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
        return _chapter_from_json(cached["chapter"]), key
    found = Diagnostics()
    article = _parse(project, path, found, data)  # the bytes the key was made from
    diagnostics.extend(found)
    if article is None:
        return None
    parsed[article.slug] = article
    chapter = convert_article(article, number, project.config, notes)
    record = {"chapter": asdict(chapter), "diagnostics": [d.to_json() for d in found]}
    cache.store(stage, key, record)
    return chapter, key


def _check_book(
    project: Project,
    paths: list[Path],
    chapters: list[Chapter],
    notes: Annotations,
    keys: list[str],
    cache: BuildCache,
    diagnostics: Diagnostics,
    parsed: dict[str, Article],
) -> None:
    """Run the whole-book annotation checks, or replay them from the cache."""
    key = digest(*keys)
    cached = cache.lookup("annotations", key)
    if cached is not None:
        diagnostics.items.extend(diagnostic_from_json(d) for d in cached["diagnostics"])
        return
    articles = []
    for path in paths:
        slug = slugify(path.stem, fallback="article")
        article = parsed.get(slug) or _parse(project, path, Diagnostics())
        if article is not None:
            articles.append(article)
    found = Diagnostics()
    check_annotations(articles, chapters, notes, found)
    cache.store("annotations", key, {"diagnostics": [d.to_json() for d in found]})
    diagnostics.extend(found)


def _chapter_from_json(data: dict) -> Chapter:
    """Rebuild a Chapter stored with `dataclasses.asdict` (the cache's format)."""
    return Chapter(
        **{
            **data,
            "occurrences": tuple(Occurrence(**o) for o in data["occurrences"]),
            "cites": tuple(data["cites"]),
        }
    )


def output_stem(project: Project) -> str:
    return slugify(project.config.title, fallback="book")


def build(
    project: Project,
    formats: tuple[str, ...] = FORMATS,
    out_dir: Path | None = None,
    strict: bool = False,
    progress: Progress = SILENT,
    cache: BuildCache | None = None,
    press: bool = False,
    jobs: int | None = None,
) -> BuildReport:
    """Build the book; raise BuildFailed on errors (or on warnings when `strict`).

    With a `cache`, stages whose inputs did not change are skipped: a rebuild with
    nothing changed renders nothing. `press` gives the PDF 3 mm bleed and crop marks
    for a print shop. `jobs` parts of the print edition are laid out at a time
    (default: one per core; the PDF is the same either way).
    """
    started = time.perf_counter()
    cache = cache or disabled()
    diagnostics = Diagnostics()
    with progress.stage("convert"):
        chapters, notes = convert_book(project, diagnostics, cache)
    if strict and diagnostics.warnings:
        raise BuildFailed(_strict(diagnostics))
    write_chapters(chapters, project.chapters_dir)
    out_dir = out_dir or project.dist_dir
    stem = output_stem(project)
    outputs: list[Path] = []
    jobs = jobs or usable_cores()
    pdf_target = out_dir / f"{stem}.pdf" if "pdf" in formats else None
    epub_target = out_dir / f"{stem}.epub" if "epub" in formats else None
    epub = assemble(project, chapters, "epub", notes) if epub_target else None
    beside: EpubBeside | None = None

    def start_epub() -> None:
        """With a core to spare, draft the EPUB while the print edition is laid out."""
        nonlocal beside
        if epub is not None and epub_target is not None and jobs > 1:
            beside = EpubBeside(project, epub, epub_target)

    try:
        # The EPUB carries the print edition's page numbers, so it needs its layout:
        # without a PDF to write, the print edition is laid out only for its pages.
        pdf = _print_edition(
            project,
            chapters,
            notes,
            pdf_target,
            cache,
            diagnostics,
            progress,
            press=press and pdf_target is not None,
            jobs=jobs,
            on_render=start_epub,
        )
        if pdf_target is not None:
            outputs.append(pdf.path)
        if epub is not None and epub_target is not None:
            pages = json.dumps([pdf.page_count, pdf.anchor_pages], sort_keys=True)
            key = digest(render_key(project, epub, epub_target), pages)
            if cache.lookup("epub", key, (epub_target,)) is None:
                with progress.stage("render EPUB"):
                    found = beside.complete(pdf) if beside is not None else None
                    beside = None
                    if found is None:  # not drafted beside the PDF, or that failed
                        write_epub(project, epub, epub_target, pdf, diagnostics)
                    else:
                        diagnostics.items.extend(found)
                cache.store("epub", key, {}, (epub_target,))
            outputs.append(epub_target)
    finally:
        if beside is not None:  # the EPUB was up to date, or the build stopped
            beside.cancel()
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


def _print_edition(
    project: Project,
    chapters: list[Chapter],
    notes: Annotations,
    target: Path | None,
    cache: BuildCache,
    diagnostics: Diagnostics,
    progress: Progress,
    press: bool = False,
    jobs: int = 1,
    on_render: Callable[[], None] | None = None,
) -> RenderedPdf:
    """Render the print edition to `target`, or with no target lay it out in a scratch
    folder to paginate an EPUB-only build; take it from the cache when nothing changed.

    `on_render` is called just before rendering, when the cache could not be used.
    """
    manuscript = assemble(project, chapters, "pdf", notes)
    stage = "pdf" if target else "pagination"
    outputs = (target,) if target else ()
    key = digest(render_key(project, manuscript, target), f"press={press}")
    cached = cache.lookup(stage, key, outputs)
    if cached is not None:
        diagnostics.items.extend(diagnostic_from_json(d) for d in cached["diagnostics"])
        return RenderedPdf(target or Path(), cached["page_count"], cached["anchor_pages"])
    found = Diagnostics()
    if on_render is not None:
        on_render()
    with progress.stage("render PDF" if target else "paginate the print edition"):
        with contextlib.ExitStack() as stack:
            # Without a target the PDF is laid out only for its pages: a scratch file.
            where = target or Path(stack.enter_context(tempfile.TemporaryDirectory())) / "print.pdf"
            rendered = write_pdf(
                project,
                manuscript,
                where,
                found,
                relayout=lambda pages: assemble(project, chapters, "pdf", notes, pages),
                press=press,
                jobs=jobs,
            )
    data = {
        "page_count": rendered.page_count,
        "anchor_pages": rendered.anchor_pages,
        "diagnostics": [d.to_json() for d in found],
    }
    cache.store(stage, key, data, outputs)
    diagnostics.extend(found)
    return rendered


def _strict(diagnostics: Diagnostics) -> Diagnostics:
    """Return the diagnostics with every warning promoted to an error (for --strict)."""
    return Diagnostics([replace(d, severity="error") for d in diagnostics])


def build_handouts(
    project: Project,
    slugs: list[str],
    out_dir: Path | None = None,
    jobs: int | None = None,
    strict: bool = False,
    cache: BuildCache | None = None,
) -> HandoutsReport:
    """Render a PDF handout per chapter (or per chapter in `slugs`) into dist/handouts/.

    With a `cache`, only the handouts of changed chapters are rendered again.
    """
    diagnostics = Diagnostics()
    chapters, notes = convert_book(project, diagnostics, cache)
    chapters = select_chapters(chapters, slugs)
    if strict and diagnostics.warnings:
        raise BuildFailed(_strict(diagnostics))
    out_dir = out_dir or project.dist_dir / "handouts"
    report = write_handouts(project, chapters, notes, out_dir, jobs, prune=not slugs, cache=cache)
    diagnostics.items.extend(report.diagnostics)
    if strict and diagnostics.warnings:
        raise BuildFailed(_strict(diagnostics))
    return replace(report, diagnostics=tuple(diagnostics))
