"""The project's articles, converted into the `Book` a build renders.

Parse, lint, annotate and convert every article in book order, with the build
cache: a chapter whose inputs did not change comes from the cache unparsed. Every
article is read before anything stops, so one run reports every broken article.
`BuildContext` is what the stages of one build share.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from diaspora_book.annotate.project import Annotations, check_annotations, load_annotations
from diaspora_book.assemble import Format, Manuscript, assemble
from diaspora_book.cache import BuildCache, digest, disabled, render_key, shared_digest
from diaspora_book.config import Project
from diaspora_book.convert import book_order, convert_article
from diaspora_book.errors import BookError, Diagnostics, diagnostic_from_json
from diaspora_book.labels import check_catalogue
from diaspora_book.lint import apply_accepted, lint_article
from diaspora_book.model import Article, Chapter, Occurrence, SourceSpan
from diaspora_book.parse import parse_text
from diaspora_book.progress import SILENT, Progress
from diaspora_book.slug import slugify
from diaspora_book.source import decode, display_path, read_text


class BuildFailed(BookError):
    """The build stopped; its diagnostics say why (they have been collected, not printed)."""

    def __init__(self, diagnostics: Diagnostics):
        count = len(diagnostics.errors)
        super().__init__(f"build failed with {count} error{'s' if count != 1 else ''}")
        self.diagnostics = diagnostics

    def __reduce__(self):
        return (type(self), (self.diagnostics,))


@dataclass(frozen=True)
class BuildContext:
    """What every stage of one build shares; `diagnostics` collects what they report."""

    project: Project
    cache: BuildCache
    progress: Progress
    diagnostics: Diagnostics
    shared: str  # digest of the project files and code every chapter and render reads

    @classmethod
    def start(
        cls,
        project: Project,
        cache: BuildCache | None = None,
        progress: Progress = SILENT,
        diagnostics: Diagnostics | None = None,
    ) -> BuildContext:
        """Return the context of a new build of `project` (no cache: nothing reused)."""
        found = Diagnostics() if diagnostics is None else diagnostics
        return cls(project, cache or disabled(), progress, found, shared_digest(project))

    def render_key(self, manuscript: Manuscript, *extra: str) -> str:
        """Return the cache key of a render of `manuscript` (and what else it depends on)."""
        return digest(render_key(self.project, manuscript, self.shared), *extra)


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
    """Parse, lint, annotate and convert every article in book order (see `convert_articles`)."""
    return convert_articles(BuildContext.start(project, cache, diagnostics=diagnostics))


@dataclass(frozen=True)
class _Converted:
    """One article's chapter, its cache key, and the article if it had to be parsed."""

    chapter: Chapter
    key: str
    article: Article | None  # None: the chapter came from the cache


def convert_articles(run: BuildContext) -> Book:
    """Parse, lint, annotate and convert every article in book order.

    Every article is read before anything stops, so one run reports every broken
    article. A chapter whose inputs are unchanged comes from the cache unparsed; the
    whole-book annotation checks (unused glossary terms, undefined candidates) are
    cached under the keys of all chapters together.
    """
    project, found = run.project, Diagnostics()
    check_catalogue(project.config, found)
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
