"""`glossary suggest` and `index suggest`: append new candidates for an editor.

Nothing already in a file (as a term, an alias, a candidate or a rejected entry) is
suggested again. Glossary candidates arrive with `status: candidate` (they need a
gloss and a definition before they go into the book); index entries seeded from
proper nouns go straight into the index, for the editor to prune or reject.
"""

from __future__ import annotations

import re

from diaspora_book.annotate.candidates import Candidate, find_candidates
from diaspora_book.annotate.curated import append_records
from diaspora_book.annotate.glossary import GLOSSARY_FILE, Glossary
from diaspora_book.annotate.index import INDEX_FILE, Index, Seed, proper_nouns
from diaspora_book.model import Article
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.project.chapter_order import book_order
from diaspora_book.project.config import Project

GLOSSARY_HEADER = """\
# The book's glossary, curated by its editors. Each entry:
#   term, script (own script), transliteration, gloss, definition, language (BCP 47),
#   aliases, chapter (the one that defines it), status (candidate | rejected).
# 'diaspora-book glossary suggest' appends candidates found in the articles.
"""
INDEX_HEADER = """\
# The book's index, curated by its editors. Each entry:
#   term, kind (person, place, organisation, event, group, ...), aliases,
#   sort (the form it sorts by), see (a cross-reference), status (rejected).
# Glossary terms are indexed too. 'diaspora-book index suggest' appends proper nouns.
"""


def in_book_order(articles: list[Article], project: Project) -> list[Article]:
    """Return `articles` in book order (`convert.book_order`: book.yml `chapters:` first)."""
    by_slug = {article.slug: article for article in articles}
    order = book_order(list(by_slug), project.config, Diagnostics())  # build reports them
    return [by_slug[slug] for slug in order]


def suggest_glossary(project: Project, articles: list[Article], glossary: Glossary):
    """Append the new glossary candidates to glossary.yml; return them."""
    new: list[Candidate] = []
    for candidate in find_candidates(in_book_order(articles, project), project.config.language):
        if not any(glossary.knows(f) for f in (candidate.term, *candidate.aliases)):
            new.append(candidate)
    if new:
        append_records(
            project.root / GLOSSARY_FILE,
            [(f"{c.span}: {c.context}", _glossary_entry(c)) for c in new],
            GLOSSARY_HEADER,
        )
    return new


def _glossary_entry(candidate: Candidate) -> dict:
    entry: dict = {"term": candidate.term, "gloss": candidate.gloss, "definition": ""}
    if candidate.aliases:
        entry["aliases"] = list(candidate.aliases)
    entry["language"] = ""
    entry["chapter"] = candidate.chapter
    entry["status"] = "candidate"
    return entry


def suggest_index(
    project: Project, articles: list[Article], glossary: Glossary, index: Index
) -> list[Seed]:
    """Append the articles' proper nouns that no file has yet to index.yml; return them."""
    ordered = in_book_order(articles, project)
    title_words = {
        re.sub(r"['\u2019]s?$", "", word)  # "Kazakhstan's" -> "Kazakhstan"
        for title in [project.config.title, *(a.title for a in ordered)]
        for word in title.split()
    }
    new = [
        seed
        for seed in proper_nouns(ordered, skip=title_words, language=project.config.language)
        if not index.knows(seed.term) and not glossary.knows(seed.term)
    ]
    if new:
        append_records(
            project.root / INDEX_FILE,
            [(str(seed.span), {"term": seed.term}) for seed in new],
            INDEX_HEADER,
        )
    return new
