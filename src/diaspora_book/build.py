"""The whole pipeline as one linear function: gather everything, then write.

parse -> lint -> convert -> (write chapters/) -> assemble -> render PDF and EPUB.
Every article is parsed before anything stops, so one run reports every broken
article, not just the first.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import asdict, dataclass, replace
from functools import partial
from pathlib import Path

from diaspora_book.annotate.project import Annotations, check_annotations, load_annotations
from diaspora_book.assemble import Format, Manuscript, assemble
from diaspora_book.cache import BuildCache, digest, disabled, render_key, shared_digest
from diaspora_book.config import Project
from diaspora_book.convert import book_order, convert_article, write_chapters
from diaspora_book.errors import BookError, Diagnostic, Diagnostics, diagnostic_from_json
from diaspora_book.lint import apply_accepted, lint_article
from diaspora_book.model import Article, Chapter, Occurrence, Pagination, SourceSpan
from diaspora_book.parse import parse_text
from diaspora_book.progress import SILENT, Progress
from diaspora_book.render.epub.beside import EpubBeside
from diaspora_book.render.epub.write import write_epub
from diaspora_book.render.handouts import (
    HandoutsJob,
    HandoutsReport,
    select_chapters,
    write_handouts,
)
from diaspora_book.render.pdf.layout import PrintJob
from diaspora_book.render.pdf.parts.conduct import usable_cores
from diaspora_book.render.pdf.write import paginate, write_pdf
from diaspora_book.slug import slugify
from diaspora_book.source import decode, display_path, read_text

FORMATS = ("pdf", "epub")


class BuildFailed(BookError):
    """The build stopped; its diagnostics say why (they have been collected, not printed)."""

    def __init__(self, diagnostics: Diagnostics):
        count = len(diagnostics.errors)
        super().__init__(f"build failed with {count} error{'s' if count != 1 else ''}")
        self.diagnostics = diagnostics

    def __reduce__(self):
        return (type(self), (self.diagnostics,))


@dataclass(frozen=True)
class BuildReport:
    outputs: tuple[Path, ...]
    chapters: tuple[Chapter, ...]
    diagnostics: tuple[Diagnostic, ...]
    seconds: float
    ran: tuple[str, ...] = ()  # cache stages that had to run (e.g. "pdf", "chapter:articles/a.txt")
    reused: tuple[str, ...] = ()  # cache stages taken from the cache


@dataclass(frozen=True)
class Book:
    """The converted book: its chapters in book order and the annotations that marked them."""

    chapters: tuple[Chapter, ...]
    notes: Annotations

    def assemble(self, project: Project, fmt: Format) -> Manuscript:
        """Return the manuscript of the whole book for `fmt`."""
        return assemble(project, list(self.chapters), fmt, self.notes)


def convert_project(
    project: Project, diagnostics: Diagnostics, cache: BuildCache | None = None
) -> list[Chapter]:
    """Parse, annotate and convert every article; raise BuildFailed on any error."""
    return list(convert_book(project, diagnostics, cache).chapters)


def convert_book(
    project: Project, diagnostics: Diagnostics, cache: BuildCache | None = None
) -> Book:
    """Parse, lint, annotate and convert every article in book order (see `_convert`)."""
    run = BuildContext(project, cache or disabled(), SILENT, diagnostics, shared_digest(project))
    return _convert(run)


@dataclass(frozen=True)
class _Converted:
    """One article's chapter, its cache key, and the article if it had to be parsed."""

    chapter: Chapter
    key: str
    article: Article | None  # None: the chapter came from the cache


def _convert(run: BuildContext) -> Book:
    """Parse, lint, annotate and convert every article in book order.

    Every article is read before anything stops, so one run reports every broken
    article. A chapter whose inputs are unchanged comes from the cache unparsed; the
    whole-book annotation checks (unused glossary terms, undefined candidates) are
    cached under the keys of all chapters together.
    """
    project, found = run.project, Diagnostics()
    notes = load_annotations(project, found)
    paths = _articles_by_slug(project, found)
    order = [paths[slug] for slug in book_order(list(paths), project.config, found)]
    converted = [
        done
        for number, path in enumerate(order, start=1)
        if (done := _chapter(run, notes, path, number, found)) is not None
    ]
    book = Book(tuple(c.chapter for c in converted), notes)
    # Runs even after errors, on the articles that parsed, so one run reports everything.
    _check_book(run, book, order, converted, found)
    run.diagnostics.extend(apply_accepted(found, project.config.accept))
    if run.diagnostics.errors:
        raise BuildFailed(run.diagnostics)
    return book


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
    run: BuildContext, notes: Annotations, path: Path, number: int, diagnostics: Diagnostics
) -> _Converted | None:
    """Convert one article, or take its chapter from the cache."""
    project = run.project
    shown = display_path(path, project.root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        diagnostics.error(SourceSpan(shown, 1), f"cannot read file: {exc.strerror}")
        return None
    key = digest(data, shown, str(number), run.shared)
    stage = f"chapter:{shown}"
    cached = run.cache.lookup(stage, key)
    if cached is not None:
        diagnostics.items.extend(diagnostic_from_json(d) for d in cached["diagnostics"])
        return _Converted(_chapter_from_json(cached["chapter"]), key, None)
    found = Diagnostics()
    article = _parse(project, path, found, data)  # the bytes the key was made from
    diagnostics.extend(found)
    if article is None:
        return None
    chapter = convert_article(article, number, project.config, notes)
    record = {"chapter": asdict(chapter), "diagnostics": [d.to_json() for d in found]}
    run.cache.store(stage, key, record)
    return _Converted(chapter, key, article)


def _check_book(
    run: BuildContext,
    book: Book,
    paths: list[Path],
    converted: list[_Converted],
    diagnostics: Diagnostics,
) -> None:
    """Run the whole-book annotation checks, or replay them from the cache.

    Articles whose chapter came from the cache are parsed here, only if the checks
    must run.
    """
    key = digest(*(c.key for c in converted))
    cached = run.cache.lookup("annotations", key)
    if cached is not None:
        diagnostics.items.extend(diagnostic_from_json(d) for d in cached["diagnostics"])
        return
    parsed = {c.article.path: c.article for c in converted if c.article is not None}
    articles = []
    for path in paths:
        article = parsed.get(path) or _parse(run.project, path, Diagnostics())
        if article is not None:
            articles.append(article)
    found = Diagnostics()
    check_annotations(articles, list(book.chapters), book.notes, found)
    run.cache.store("annotations", key, {"diagnostics": [d.to_json() for d in found]})
    diagnostics.extend(found)


def _chapter_from_json(data: dict) -> Chapter:
    """Rebuild a Chapter stored with `dataclasses.asdict` (the cache's format)."""
    return Chapter(
        **{
            **data,
            "occurrences": tuple(Occurrence(**o) for o in data["occurrences"]),
            "cites": tuple(data["cites"]),
            "cite_rules": tuple(data["cite_rules"]),
        }
    )


def output_stem(project: Project) -> str:
    return slugify(project.config.title, fallback="book")


@dataclass(frozen=True)
class BuildRequest:
    """What to build: which outputs, where, and how."""

    formats: tuple[str, ...] = FORMATS  # "pdf", "epub"
    out_dir: Path | None = None  # default: the project's dist/
    strict: bool = False  # warnings fail the build
    press: bool = False  # the PDF for a print shop: 3 mm bleed and crop marks
    jobs: int | None = None  # processes at once; default: one per core (same output)


@dataclass(frozen=True)
class BuildContext:
    """What every stage of one build shares; `diagnostics` collects what they report."""

    project: Project
    cache: BuildCache
    progress: Progress
    diagnostics: Diagnostics
    shared: str  # digest of the project files and code every chapter and render reads

    def render_key(self, manuscript: Manuscript, *extra: str) -> str:
        """Return the cache key of a render of `manuscript` (and what else it depends on)."""
        return digest(render_key(self.project, manuscript, self.shared), *extra)


def build(
    project: Project,
    request: BuildRequest = BuildRequest(),
    progress: Progress = SILENT,
    cache: BuildCache | None = None,
) -> BuildReport:
    """Build the book; raise BuildFailed on errors (or on warnings when `request.strict`).

    Convert, assemble, paginate (the print edition's layout), write the PDF, write
    the EPUB with the print edition's page numbers. With a `cache`, stages whose
    inputs did not change are skipped: a rebuild with nothing changed renders nothing.
    """
    started = time.perf_counter()
    run = BuildContext(
        project, cache or disabled(), progress, Diagnostics(), shared_digest(project)
    )
    with progress.stage("convert"):
        book = _convert(run)
    _stop_if_strict(run, request)
    write_chapters(list(book.chapters), project.chapters_dir)
    out_dir = request.out_dir or project.dist_dir
    pdf = out_dir / f"{output_stem(project)}.pdf" if "pdf" in request.formats else None
    epub = out_dir / f"{output_stem(project)}.epub" if "epub" in request.formats else None
    jobs = request.jobs or usable_cores()
    print_job = PrintJob(
        project,
        book.assemble(project, "pdf"),
        relayout=partial(assemble, project, list(book.chapters), "pdf", book.notes),
        press=request.press and pdf is not None,
        jobs=jobs,
    )
    ebook = book.assemble(project, "epub") if epub else None
    with contextlib.ExitStack() as stack:
        pagination = _cached_print_edition(run, print_job, pdf)
        beside: EpubBeside | None = None
        if pagination is None:
            if ebook is not None and epub is not None and jobs > 1:
                # A core to spare: draft the EPUB while the print edition is laid out.
                beside = stack.enter_context(EpubBeside(project, ebook, epub))
            pagination = _print_edition(run, print_job, pdf)
        if ebook is not None and epub is not None:
            _epub(run, ebook, epub, pagination, beside)
    _stop_if_strict(run, request)
    return BuildReport(
        tuple(path for path in (pdf, epub) if path is not None),
        book.chapters,
        tuple(run.diagnostics),
        time.perf_counter() - started,
        ran=tuple(run.cache.misses),
        reused=tuple(run.cache.hits),
    )


def _print_stage(job: PrintJob, target: Path | None) -> tuple[str, tuple[Path, ...], str]:
    """Return the cache stage of the print edition, its outputs and its key's extra part.

    Without a target (an EPUB-only build) the print edition is laid out only for
    its pages: a stage of its own, with no output file.
    """
    if target is None:
        return "pagination", (), ""
    return "pdf", (target,), f"{target.resolve()}|press={job.press}"


def _cached_print_edition(run: BuildContext, job: PrintJob, target: Path | None):
    """Return the print edition's pagination from the cache, or None if it must be laid out."""
    stage, outputs, extra = _print_stage(job, target)
    cached = run.cache.lookup(stage, run.render_key(job.manuscript, extra), outputs)
    if cached is None:
        return None
    run.diagnostics.items.extend(diagnostic_from_json(d) for d in cached["diagnostics"])
    return Pagination(cached["page_count"], cached["anchor_pages"])


def _print_edition(run: BuildContext, job: PrintJob, target: Path | None) -> Pagination:
    """Lay out the print edition and write it to `target` (none: only paginate it)."""
    stage, outputs, extra = _print_stage(job, target)
    found = Diagnostics()
    with run.progress.stage("render PDF" if target else "paginate the print edition"):
        if target is None:
            layout = paginate(job, found, run.progress)
        else:
            layout = write_pdf(job, target, found, run.progress)
    pagination = layout.pagination
    data = {
        "page_count": pagination.page_count,
        "anchor_pages": pagination.anchor_pages,
        "diagnostics": [d.to_json() for d in found],
    }
    run.cache.store(stage, run.render_key(job.manuscript, extra), data, outputs)
    run.diagnostics.extend(found)
    return pagination


def _epub(
    run: BuildContext,
    manuscript: Manuscript,
    target: Path,
    pagination: Pagination,
    beside: EpubBeside | None,
) -> None:
    """Write the EPUB with the print edition's pages, unless it is up to date.

    A draft made beside the print edition is completed and used; if that failed,
    the EPUB is made again here, where a failure is raised with its own message.
    """
    pages = json.dumps([pagination.page_count, pagination.anchor_pages], sort_keys=True)
    key = run.render_key(manuscript, str(target.resolve()), pages)
    if run.cache.lookup("epub", key, (target,)) is not None:
        return  # `beside`, if any, is stopped unused on the way out
    with run.progress.stage("render EPUB"):
        found = beside.complete(pagination) if beside is not None else None
        if found is None:
            write_epub(run.project, manuscript, target, pagination, run.diagnostics)
        else:
            run.diagnostics.items.extend(found)
    run.cache.store("epub", key, {}, (target,))


def _stop_if_strict(run: BuildContext, request: BuildRequest) -> None:
    """With --strict, stop at the first stage that recorded a warning."""
    if request.strict and run.diagnostics.warnings:
        raise BuildFailed(_strict(run.diagnostics))


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
    request = BuildRequest(out_dir=out_dir, strict=strict, jobs=jobs)
    run = BuildContext(project, cache or disabled(), SILENT, Diagnostics(), shared_digest(project))
    book = _convert(run)
    chapters = select_chapters(list(book.chapters), slugs)
    _stop_if_strict(run, request)
    out_dir = out_dir or project.dist_dir / "handouts"
    report = write_handouts(
        HandoutsJob(project, tuple(chapters), book.notes, run.shared, jobs),
        out_dir,
        prune=not slugs,
        cache=run.cache,
    )
    run.diagnostics.items.extend(report.diagnostics)
    _stop_if_strict(run, request)
    return replace(report, diagnostics=tuple(run.diagnostics))
