"""The project's articles, converted into the `Book` a build renders.

Check the files `fetch` pinned in articles.lock, then parse, lint, annotate and
convert every article in book order, with the build cache: a chapter whose inputs
did not change comes from the cache unparsed. Every article is read before anything
stops, so one run reports every broken article.
`BuildContext` is what the stages of one build share.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from diaspora_book.annotate.candidates import ArticleCandidates, article_candidates
from diaspora_book.annotate.lexicon import lexicon_for
from diaspora_book.annotate.project import (
    Annotations,
    candidate_notes,
    check_annotations,
    load_annotations,
)
from diaspora_book.annotate.wiki_citations import (
    Parsed,
    article_id,
    article_keys,
    with_wiki_keys,
)
from diaspora_book.assemble.manuscript import Format, Manuscript, assemble
from diaspora_book.chapters.convert import convert_article
from diaspora_book.languages.labels import check_catalogue
from diaspora_book.model import Article, Chapter, Occurrence, SourceSpan
from diaspora_book.plumbing.cache import BuildCache, digest, disabled
from diaspora_book.plumbing.errors import BookError, Diagnostic, Diagnostics, diagnostic_from_json
from diaspora_book.plumbing.processes import Later
from diaspora_book.plumbing.progress import SILENT, Progress
from diaspora_book.plumbing.strict_text import decode, display_path, read_text
from diaspora_book.project.chapter_order import book_order
from diaspora_book.project.config import Project
from diaspora_book.project.licences import check_attribution
from diaspora_book.project.media import media_dir, media_files
from diaspora_book.read.fetch.lock import check_lock
from diaspora_book.read.lint import apply_accepted, lint_article, lint_figures
from diaspora_book.read.mediawiki.wikitext import merge_template_reports
from diaspora_book.read.sources import (
    ArticleSource,
    distinct_slugs,
    link_targets,
    parse_source,
    sources_in,
)
from diaspora_book.render.cache_keys import render_key, shared_digest


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
    cached under the keys of all chapters together. The glossary candidates' notes
    end the report.
    """
    book, candidates = convert_noting_later(run)
    candidates.report()
    return book


def convert_noting_later(run: BuildContext) -> tuple[Book, CandidateNotes]:
    """`convert_articles`, but the glossary candidates of the articles the cache does
    not know are looked for beside the build (`CandidateNotes`): the caller reports
    them once it has started rendering, and cancels them if it stops first."""
    project, found = run.project, Diagnostics()
    check_catalogue(project.config, found)
    notes = load_annotations(project, found)
    check_lock(project.root, found)  # fetched files: as pinned, or the build stops
    sources = _articles_by_slug(project, found)
    files = {slug: source.shown for slug, source in sources.items()}
    order = [sources[slug] for slug in book_order(list(sources), project.config, found, files)]
    parsed: Parsed = {}  # the MediaWiki articles read for their citations, parsed once
    notes = with_wiki_keys(project, run.cache, run.shared, order, notes, parsed)
    links = link_targets(order)
    converted = [
        done
        for number, source in enumerate(order, start=1)
        if (done := _chapter(run, (notes, links), source, number, found, parsed)) is not None
    ]
    book = Book(tuple(c.chapter for c in converted), notes)
    # Runs even after errors, on the articles that parsed, so one run reports everything.
    candidates = _check_book(run, book, order, converted, found)
    check_attribution(book.chapters, project.config.sources, found)
    found = merge_template_reports(found)
    run.diagnostics.extend(apply_accepted(found, project.config.accept))
    candidates.at = len(run.diagnostics.items)
    if run.diagnostics.errors:
        candidates.report()
        raise BuildFailed(run.diagnostics)
    return book, candidates


def read_articles(project: Project, diagnostics: Diagnostics) -> list[Article]:
    """Parse and lint every article (file order); a broken one becomes an error diagnostic."""
    articles: list[Article] = []
    for source in _articles_by_slug(project, diagnostics).values():
        article = _parse(project, source, diagnostics)
        if article is not None:
            articles.append(article)
    return articles


def _articles_by_slug(project: Project, diagnostics: Diagnostics) -> dict[str, ArticleSource]:
    paths = project.articles()
    if not paths:
        diagnostics.error(
            SourceSpan(display_path(project.articles_dir, project.root), 1),
            "no articles (*.txt, *.wiki, *.mediawiki, *.xml) to build",
        )
    for path in project.unread_files():
        what = "a folder" if path.is_dir() else "not an article"
        diagnostics.warn(
            SourceSpan(display_path(path, project.root), 1),
            f"{what}: not read",
            "articles are *.txt, *.wiki, *.mediawiki and *.xml files directly in articles/; "
            "move it out or rename it",
        )
    every: list[ArticleSource] = []
    for path in paths:
        shown = display_path(path, project.root)
        try:
            every += sources_in(path, shown, read_text(path, shown), diagnostics)
        except BookError as exc:
            diagnostics.error(exc.span, exc.message, exc.hint)
    by_slug: dict[str, ArticleSource] = {}
    for source in distinct_slugs(every):
        if source.slug in by_slug:  # the same file and title twice: cannot happen
            diagnostics.error(
                SourceSpan(source.shown, 1),
                f"'{source.title}' gives the same chapter id '{source.slug}' as "
                f"{by_slug[source.slug].shown}",
                "rename one of the files",
            )
            continue
        by_slug[source.slug] = source
    return by_slug


def _parse(
    project: Project, source: ArticleSource, diagnostics: Diagnostics, data: bytes | None = None
) -> Article | None:
    """Read (unless its bytes are given), parse and lint one article; a broken one
    becomes an error diagnostic."""
    path, shown = source.path, source.shown
    try:
        text = read_text(path, shown) if data is None else decode(data, shown)
        article, found = parse_source(source, text, project.config)
    except BookError as exc:
        diagnostics.error(exc.span, exc.message, exc.hint)
        return None
    return _checked(article, found, diagnostics)


def _checked(article: Article, found: Diagnostics, diagnostics: Diagnostics) -> Article:
    """Report what parsing `article` found, then lint it; return it."""
    diagnostics.extend(found)
    lint_article(article, diagnostics)
    lint_figures(article, diagnostics)
    return article


def _chapter(
    run: BuildContext,
    known: tuple[Annotations, dict[str, str]],
    source: ArticleSource,
    number: int,
    diagnostics: Diagnostics,
    parsed: Parsed | None = None,
) -> _Converted | None:
    """Convert one article, or take its chapter from the cache.

    `known` is the project's annotations and the titles of the book's articles
    (which links between articles become cross-references).
    """
    project, (notes, links) = run.project, known
    path, shown = source.path, source.shown
    try:
        data = path.read_bytes()
    except OSError as exc:
        diagnostics.error(SourceSpan(shown, 1), f"cannot read file: {exc.strerror}")
        return None
    titles = "\n".join(f"{title}\t{slug}" for title, slug in sorted(links.items()))
    media = "\n".join(media_files(media_dir(path)).values())
    keys = article_keys(notes, source)  # the book-wide citation keys its text uses
    key = digest(data, shown, source.slug, str(number), run.shared, titles, media, keys)
    stage = _stage("chapter", source)
    cached = run.cache.lookup(stage, key)
    if cached is not None:
        diagnostics.items.extend(diagnostic_from_json(d) for d in cached["diagnostics"])
        return _Converted(_chapter_from_json(cached["chapter"]), key, None)
    found = Diagnostics()
    earlier = (parsed or {}).pop(article_id(source), None)  # parsed for its citations
    article: Article | None
    if earlier is not None and earlier[0] == data:
        article = _checked(earlier[1], earlier[2], found)
    else:
        article = _parse(project, source, found, data)  # the bytes the key was made from
    diagnostics.extend(found)
    if article is None:
        return None
    chapter = convert_article(article, number, project.config, notes, links)
    record = {"chapter": asdict(chapter), "diagnostics": [d.to_json() for d in found]}
    run.cache.store(stage, key, record)
    return _Converted(chapter, key, article)


class CandidateNotes:
    """The glossary candidates' notes of one build: replayed, or being found.

    The articles the cache does not know are looked at in a forked process (`Later`)
    while the build lays out: 0.25 s of a 10-article build and 1.3 s of a 200-article
    one that held up pandoc and the layout, while the other core idled. It begins
    when the build says `go` (a book laid out whole: once its HTML is made, when a
    core is free). That process keeps what it found in the cache too. `report` puts
    the notes where the conversion's report ended (after its warnings, before what
    rendering reports), as a build that waited for them would.
    """

    def __init__(self, run: BuildContext, notes: list[Diagnostic] | Later):
        self.run = run
        self.at = len(run.diagnostics.items)  # where they go (`convert_noting_later` sets it)
        self.notes = notes

    def go(self) -> None:
        """Let the forked process begin looking (see `Later.go`)."""
        if isinstance(self.notes, Later):
            self.notes.go()

    def report(self) -> None:
        """Add the notes to the build's diagnostics (the first call; later ones do nothing)."""
        notes, self.notes = self.notes, []
        if isinstance(notes, Later):
            notes = notes.result()
        self.run.diagnostics.items[self.at : self.at] = notes

    def cancel(self) -> None:
        """Stop looking (the build stopped before it reported them)."""
        if isinstance(self.notes, Later):
            self.notes.cancel()


def _check_book(
    run: BuildContext,
    book: Book,
    sources: list[ArticleSource],
    converted: list[_Converted],
    diagnostics: Diagnostics,
) -> CandidateNotes:
    """Run the whole-book annotation checks, or replay them from the cache; return the
    glossary candidates' notes, being found.

    Each article's glossary candidates are kept in the cache under its chapter's key
    (`_Candidates`), so after an edit only the edited article is looked at again.
    """
    key = digest(*(c.key for c in converted))
    cached = run.cache.lookup("annotations", key)
    if cached is not None:
        diagnostics.items.extend(diagnostic_from_json(d) for d in cached["diagnostics"])
        return CandidateNotes(run, [diagnostic_from_json(d) for d in cached["candidate notes"]])
    found = Diagnostics()
    candidates = _Candidates.of(run, book.notes.language, sources, converted)
    check_annotations(candidates.heads, list(book.chapters), book.notes, found)
    diagnostics.extend(found)
    arguments = (run, candidates, book.notes, key, found)
    if candidates.missing:
        return CandidateNotes(run, Later(_candidate_notes, *arguments, held=True))
    return CandidateNotes(run, _candidate_notes(*arguments))


def _candidate_notes(
    run: BuildContext, candidates: _Candidates, notes: Annotations, key: str, checks: Diagnostics
) -> list[Diagnostic]:
    """Look for the missing articles' candidates; keep them, and the book's checks with
    the notes, in the cache; return the notes."""
    noted = Diagnostics()
    candidate_notes(candidates.articles(), notes, noted)
    record = {
        "diagnostics": [d.to_json() for d in checks],
        "candidate notes": [d.to_json() for d in noted],
    }
    run.cache.store("annotations", key, record)
    return noted.items


@dataclass(frozen=True)
class _Candidates:
    """Every article's glossary candidates: kept in the cache, or still to be found."""

    run: BuildContext
    language: str
    sources: list[ArticleSource]
    heads: list[ArticleCandidates | Article]  # each article's slug and title, in book order
    kept: dict[str, ArticleCandidates]
    missing: list[Article]  # the articles whose candidates the cache did not keep
    keys: dict[str, str]  # slug -> the cache key of its candidates
    stages: dict[str, str]  # slug -> where the cache keeps them

    @classmethod
    def of(
        cls,
        run: BuildContext,
        language: str,
        sources: list[ArticleSource],
        converted: list[_Converted],
    ) -> _Candidates:
        """Take the candidates the cache kept; parse the other articles unless they
        were converted just now."""
        by_slug = {c.chapter.slug: c for c in converted}
        lexicon = lexicon_for(language).kind
        # An article without a chapter (it did not parse) has no key to keep it under.
        keys = {
            s.slug: digest(by_slug[s.slug].key, language, lexicon)
            for s in sources
            if s.slug in by_slug
        }
        stages = {source.slug: _stage("candidates", source) for source in sources}
        kept: dict[str, ArticleCandidates] = {}
        for slug, key in keys.items():  # in book order
            entry = run.cache.lookup(stages[slug], key)
            if entry is not None:
                kept[slug] = ArticleCandidates.from_json(entry["candidates"])
        heads: list[ArticleCandidates | Article] = []
        missing: list[Article] = []
        for source in sources:
            if source.slug in kept:
                heads.append(kept[source.slug])
                continue
            done = by_slug.get(source.slug)
            article = (done.article if done else None) or _parse(run.project, source, Diagnostics())
            if article is not None:
                heads.append(article)
                missing.append(article)
        return cls(run, language, sources, heads, kept, missing, keys, stages)

    def articles(self) -> list[ArticleCandidates]:
        """Return every article's candidates in book order: the missing ones found
        (the lexicon asked once for all their words) and kept in the cache."""
        every = dict(self.kept)
        for found in article_candidates(self.missing, self.language):
            every[found.slug] = found
            if found.slug in self.keys:
                record = {"candidates": found.to_json()}
                self.run.cache.store(self.stages[found.slug], self.keys[found.slug], record)
        return [every[source.slug] for source in self.sources if source.slug in every]


def _stage(kind: str, source: ArticleSource) -> str:
    """Return the cache stage of one article's `kind` of result ("chapter:articles/a.txt")."""
    return f"{kind}:{source.shown}" + (f"#{source.page}" if source.page is not None else "")


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
