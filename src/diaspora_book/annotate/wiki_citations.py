"""The book's citation keys, before any chapter is converted.

A key is chosen over the whole book (a work cited in two articles is one entry; two
works with the same author, year and title word are told apart), so every
MediaWiki article's citations are read first, in book order. An article's citations
are cached under the hash of its bytes: a rebuild reads only the articles that
changed. Their problems are not reported here: converting the article reports them,
from the same parse when the build hands in a `parsed` memo (a long article takes
a second or so to parse; a build without the cache used to parse each twice).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace

from diaspora_book.annotate.citation_json import citations_from_json, citations_to_json
from diaspora_book.annotate.project import Annotations
from diaspora_book.annotate.wiki_bibliography import assign_keys
from diaspora_book.model import Article, WikiCitation
from diaspora_book.plumbing.cache import BuildCache, digest
from diaspora_book.plumbing.errors import BookError, Diagnostics
from diaspora_book.plumbing.strict_text import decode
from diaspora_book.project.config import Project
from diaspora_book.project.config_values import WIKITEXT_SUFFIXES
from diaspora_book.read.sources import ArticleSource, parse_source

WIKI_SUFFIXES = (*WIKITEXT_SUFFIXES, ".xml")

# What an article parsed here gave, for converting it: article id -> (its bytes, the
# article, what parsing it reported).
Parsed = dict[str, tuple[bytes, Article, Diagnostics]]


def with_wiki_keys(
    project: Project,
    cache: BuildCache,
    shared: str,
    sources: Sequence[ArticleSource],
    notes: Annotations,
    parsed: Parsed | None = None,
) -> Annotations:
    """Return `notes` with the key of every work the book's MediaWiki articles cite.

    `shared` is the build's digest of the project files and the tool's code. Each
    article parsed here is put in `parsed` (when given) under `article_id(source)`.
    """
    articles = [_citations(project, cache, shared, source, parsed) for source in sources]
    if not any(articles):
        return notes
    keys = assign_keys(articles, notes.bibliography)
    digests = {
        _article_id(source): hashlib.sha256(
            repr([keys.keys_of(citation) for citation in citations]).encode()
        ).hexdigest()
        for source, citations in zip(sources, articles, strict=True)
        if citations
    }
    return replace(notes, wiki_keys=keys, wiki_key_digests=digests)


def article_keys(notes: Annotations, source: ArticleSource) -> str:
    """A hash of the keys article `source` cites ("" for an article without citations)."""
    return notes.wiki_key_digests.get(_article_id(source), "")


def article_id(source: ArticleSource) -> str:
    """The id of an article of the book: its file, and its page in an export."""
    return _article_id(source)


def _article_id(source: ArticleSource) -> str:
    return source.shown + (f"#{source.page}" if source.page is not None else "")


def _citations(
    project: Project,
    cache: BuildCache,
    shared: str,
    source: ArticleSource,
    parsed: Parsed | None,
) -> tuple[WikiCitation, ...]:
    if source.path.suffix not in WIKI_SUFFIXES:
        return ()
    try:
        data = source.path.read_bytes()
    except OSError:
        return ()  # converting the article reports it
    key = digest(data, source.shown, source.slug, str(source.page), shared)
    stage = f"citations:{_article_id(source)}"
    cached = cache.lookup(stage, key)
    if cached is not None:
        return citations_from_json(cached["citations"])
    try:
        article, found = parse_source(source, decode(data, source.shown), project.config)
    except BookError:
        return ()  # converting the article reports it
    if parsed is not None:
        parsed[_article_id(source)] = (data, article, found)
    cache.store(stage, key, {"citations": citations_to_json(article.citations)})
    return article.citations
