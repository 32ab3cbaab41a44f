"""A project's annotations, loaded once: glossary, index, citation rules, bibliography.

`load_annotations` reads the curated files; `Annotations.marks` and `.cites` are what
the converter asks for each block of text; `check_annotations` reports what an editor
should fix, each at its `path:line`, and `candidate_notes` the terms the glossary lacks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Protocol

from diaspora_book.annotate.candidates import ArticleCandidates, merge_candidates
from diaspora_book.annotate.citations import (
    Bibliography,
    CitationRules,
    check_keys,
    cites_in,
    load_bibliography,
    load_rules,
    source_key,
    source_key_of,
)
from diaspora_book.annotate.glossary import Glossary, load_glossary, marked_forms
from diaspora_book.annotate.index import Index, check_see_loops, load_index
from diaspora_book.annotate.phrases import PhraseMatcher
from diaspora_book.annotate.wiki_bibliography import CitationKeys, write_nocite
from diaspora_book.languages.csl_locale import GENERATED_DIR, check_csl_locale, citeproc_style
from diaspora_book.languages.labels import english_name
from diaspora_book.model import Article, Chapter, Cite, Mark, SourceSpan
from diaspora_book.plumbing.errors import BookError, Diagnostics
from diaspora_book.plumbing.summary import GLOSSARY_CANDIDATE
from diaspora_book.project.config import Project
from diaspora_book.project.image_credits import ImageCredit, read_credits
from diaspora_book.project.licences import Attribution

DEFAULT_CSL = "chicago-author-date.csl"


def default_csl() -> Path:
    """Return the CSL style that ships with the package."""
    return Path(str(resources.files("diaspora_book") / "csl" / DEFAULT_CSL))


@dataclass(frozen=True)
class Annotations:
    """Everything an editor curates about the book's text, besides the articles."""

    glossary: Glossary = Glossary()
    index: Index = Index()
    bibliography: Bibliography = Bibliography()
    rules: CitationRules = CitationRules()
    csl: Path = field(default_factory=default_csl)
    language: str = "en"  # the book's (BCP 47): its lexicon tells terms from its words
    # Where the style with the language's CSL locale added is written (csl_locale.py);
    # None: the `.cache/` beside the bibliography.
    generated: Path | None = None
    root: Path | None = None  # the project (None: the folder of references.bib)
    # MediaWiki articles' references: the key of every work they cite (book level).
    wiki_keys: CitationKeys = CitationKeys()
    # Per MediaWiki article ("path#page"): a hash of the keys its citations got, so a
    # chapter is converted again only when its own keys change.
    wiki_key_digests: dict[str, str] = field(default_factory=dict)
    # book.yml `sources:`: where each .wiki/.txt article's text came from.
    sources: dict[str, Attribution] = field(default_factory=dict)
    # media/credits.yml: who made each image and under which licence (image_credits.py).
    image_credits: dict[str, ImageCredit] = field(default_factory=dict)

    @cached_property
    def _terms(self) -> tuple[PhraseMatcher, dict[str, Mark]]:
        """Every marked form -> a template mark; glossary terms win over index entries."""
        table: dict[str, Mark] = {}
        for entry in self.glossary.accepted:
            for form in entry.forms:
                for spelled in marked_forms(form):
                    table.setdefault(spelled, Mark(0, 0, "glossary", entry.id, entry.language))
        for index_entry in self.index.accepted:
            if not index_entry.see:
                for form in index_entry.forms:
                    table.setdefault(form, Mark(0, 0, "index", index_entry.id))
        return PhraseMatcher(table), table

    def marks(self, text: str) -> list[Mark]:
        """Return the glossary and index terms in `text`."""
        matcher, table = self._terms
        found = []
        for hit in matcher.find(text):
            template = table[hit.phrase]
            found.append(Mark(hit.start, hit.end, template.kind, template.entry, template.lang))
        return found

    def cites(self, text: str, slug: str, used: set[int] | None = None) -> list[Cite]:
        """Return the citations the rules put into `text` of article `slug`.

        The positions of the rules that matched are added to `used`.
        """
        return cites_in(text, slug, self.rules, set() if used is None else used)

    def source_key(self, article: Article) -> str:
        return source_key(article, self.rules, self.bibliography)

    @property
    def has_bibliography(self) -> bool:
        """Whether citeproc has entries to cite: references.bib, or the articles' own."""
        return self.bibliography.path is not None or bool(self.wiki_keys.entries)

    def pandoc_args(self, cited: Sequence[str] = ()) -> list[str]:
        """Return pandoc's citeproc arguments ([] when the book has no bibliography).

        pandoc's `--sandbox` lets citeproc read exactly the files named here. The
        style carries the CSL locale of a book language pandoc has none for. The
        MediaWiki articles' entries are a generated `.bib` beside `references.bib`;
        `cited` (every key the chapters cite, some only listed in an article's
        bibliography and cited nowhere in its text) goes to citeproc as `nocite`, so
        the References list every work the articles name.
        """
        if not self.has_bibliography:
            return []
        root = self.root or (self.bibliography.path or Path("references.bib")).resolve().parent
        generated = self.generated or root / GENERATED_DIR
        style = citeproc_style(self.csl, self.language, generated)
        bibliographies = [self.bibliography.path, self.wiki_keys.write(root)]
        args = ["--citeproc", *(f"--bibliography={p}" for p in bibliographies if p)]
        args += [f"--csl={style}", "--metadata=link-citations:true"]
        listed = [key for key in dict.fromkeys(cited) if key in self.wiki_keys.generated]
        if listed:
            args.append(f"--metadata-file={write_nocite(listed, root)}")
        return args


def load_annotations(project: Project, diagnostics: Diagnostics) -> Annotations:
    """Read glossary.yml, index.yml, citations.yml and references.bib, where they exist."""
    root = project.root
    csl = project.config.csl
    notes = Annotations(
        glossary=load_glossary(root, diagnostics),
        index=load_index(root, diagnostics),
        bibliography=load_bibliography(root, diagnostics),
        rules=load_rules(root, diagnostics),
        csl=(root / csl).resolve() if csl else default_csl(),
        language=project.config.language,
        generated=root / GENERATED_DIR,
        sources=project.config.sources,
        root=root,
        image_credits=_image_credits(root, diagnostics),
    )
    if notes.bibliography.path is not None:
        check_csl_locale(project.config, diagnostics)
    return notes


def _image_credits(root: Path, diagnostics: Diagnostics) -> dict[str, ImageCredit]:
    """Read media/credits.yml; a problem in it is an error at its line."""
    try:
        return read_credits(root)
    except BookError as exc:
        diagnostics.error(exc.span, exc.message, exc.hint)
        return {}


class ArticleHead(Protocol):
    """An article as the checks name it: its slug and where its title is."""

    @property
    def slug(self) -> str: ...

    @property
    def title_span(self) -> SourceSpan: ...


def check_annotations(
    articles: Sequence[ArticleHead],
    chapters: list[Chapter],
    notes: Annotations,
    diagnostics: Diagnostics,
) -> None:
    """Report unused and unknown entries, unreviewed candidates and unknown keys.

    `articles` are the book's articles in book order (their slugs and titles). The
    glossary candidates found in their text are reported by `candidate_notes`.
    """
    used = {o.entry for chapter in chapters for o in chapter.occurrences}
    slugs = {a.slug for a in articles}
    for entry in notes.glossary.entries:
        if entry.status == "candidate":
            diagnostics.warn(
                entry.span,
                f"glossary candidate '{entry.term}' awaits review",
                "write its gloss and definition and remove 'status: candidate', "
                "or set 'status: rejected'",
            )
        elif not entry.status and entry.id not in used:
            diagnostics.warn(entry.span, f"glossary term '{entry.term}' is never used")
        if entry.chapter and entry.chapter not in slugs:
            diagnostics.warn(entry.span, f"'{entry.term}': no chapter '{entry.chapter}'")
    check_see_loops(notes.index, diagnostics)
    for index_entry in notes.index.accepted:
        if index_entry.see and not (
            notes.index.knows(index_entry.see) or notes.glossary.knows(index_entry.see)
        ):
            diagnostics.warn(
                index_entry.span,
                f"'{index_entry.term}' refers to '{index_entry.see}', which is not an index entry",
            )
        for other in index_entry.see_also:
            if not (notes.index.knows(other) or notes.glossary.knows(other)):
                diagnostics.warn(
                    index_entry.span,
                    f"'{index_entry.term}': 'see_also' names '{other}', which is not an entry",
                )
        if notes.glossary.knows(index_entry.term) and not index_entry.see:
            diagnostics.warn(
                index_entry.span,
                f"'{index_entry.term}' is a glossary term, which the index lists already",
            )
        elif not index_entry.see and index_entry.id not in used:
            diagnostics.warn(
                index_entry.span,
                f"index entry '{index_entry.term}' is never found in the text",
            )
    check_keys(notes.rules, notes.bibliography, diagnostics)
    _check_rules_match(chapters, notes, diagnostics)
    if notes.bibliography.path is not None:
        for article in articles:
            if not source_key_of(article.slug, notes.rules, notes.bibliography):
                diagnostics.warn(
                    article.title_span,
                    "no references.bib entry for this article",
                    f"add one with the key '{article.slug}' "
                    "or name its key under 'sources:' in citations.yml",
                )


def candidate_notes(
    articles: list[ArticleCandidates], notes: Annotations, diagnostics: Diagnostics
) -> None:
    """Note the terms the articles define or use that the glossary lacks.

    `articles` are the book's articles as the glossary candidate finder saw them
    (`candidates.article_candidates`), in book order. A review list, not a fault:
    notes (they never fail --strict), one line per article as printed
    (plumbing/summary.py).
    """
    foreign = f"looks like a term (not {english_name(notes.language)})"
    for candidate in merge_candidates(articles):
        forms = (candidate.term, *candidate.aliases)
        if not any(notes.glossary.knows(form) for form in forms):
            what = "is defined here" if candidate.defined else foreign
            diagnostics.note(
                candidate.span,
                f"'{candidate.term}' {what} but is not in glossary.yml",
                "run 'diaspora-book glossary suggest' to add it for review",
                code=GLOSSARY_CANDIDATE,
            )


def _check_rules_match(chapters: list[Chapter], notes: Annotations, diagnostics: Diagnostics):
    """Report the citation rules no chapter's text matched (the converter recorded them)."""
    matched = {number for chapter in chapters for number in chapter.cite_rules}
    for number, rule in enumerate(notes.rules.rules):
        if number not in matched:
            diagnostics.warn(rule.span, "this citation rule matches no text")
