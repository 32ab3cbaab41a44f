"""Write the back matter: Glossary, References and Index, as pandoc Markdown.

Each is a level-1 section after the chapters, with the ids and `epub:type`s the
renderers rely on:

    # Glossary {#glossary .unnumbered epub:type=glossary}        a definition list
    # References {#references .unnumbered epub:type=bibliography} filled by citeproc
    # Article sources and contributors {#article-sources ... epub:type=credits}
    # Image sources, licences and contributors {#image-sources ... epub:type=credits}
    # Index {#index .unnumbered epub:type=index}                  entries by letter

Glossary and index entries point at every place their term is marked. In the PDF a
locator is a page number: an empty link `[](#anchor){.pageref}` that the print
stylesheet fills with `target-counter()`; once a first layout has told which page
each anchor is on (`pages`), only one locator per page is kept. In the EPUB a
locator is a link named after the chapter and section it leads to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby

from diaspora_book.annotate.index import IndexEntry
from diaspora_book.annotate.project import Annotations
from diaspora_book.assemble.attribution import IMAGES_ID, image_sources_markdown, sources_markdown
from diaspora_book.assemble.attribution import SECTION_ID as SOURCES_ID
from diaspora_book.chapters.markdown import escape_inline, tagged
from diaspora_book.languages.book_language import BookLanguage
from diaspora_book.languages.collation import Collation
from diaspora_book.languages.labels import Labels
from diaspora_book.model import Chapter, Occurrence

# Each section's heading attributes; its title is the book's label of the same name.
SECTIONS = {
    "glossary": "{#glossary .unnumbered epub:type=glossary}",
    "references": "{#references .unnumbered epub:type=bibliography}",
    "article_sources": f"{{#{SOURCES_ID} .unnumbered .article-sources epub:type=credits}}",
    "image_sources": f"{{#{IMAGES_ID} .unnumbered .article-sources epub:type=credits}}",
    "index": "{#index .unnumbered epub:type=index}",
}


@dataclass(frozen=True)
class BackMatter:
    markdown: str
    sections: tuple[tuple[str, str], ...]  # (title, id) of each section, in order


def back_matter(
    notes: Annotations,
    chapters: Sequence[Chapter],
    fmt: str,
    book: BookLanguage,
    labels: Labels,
    pages: dict[str, int] | None = None,
) -> BackMatter:
    """Return the back matter for `fmt` ("pdf", "epub" or "handout"); `pages`: anchor -> page.

    A handout is print, so its locators are page numbers as in the PDF; it has no
    Index: for one chapter, the Glossary and References say what a reader needs.
    Entries sort, and the Index is grouped by letter, in the book's language.
    """
    handout = fmt == "handout"
    locate = _Locator(chapters, "pdf" if handout else fmt, book, labels, pages)
    collation = Collation.for_language(book.tag)
    parts: list[tuple[str, str]] = []
    glossary = _glossary(notes, locate, collation, only_used=handout)
    if glossary:
        parts.append(("glossary", glossary))
    if notes.has_bibliography and any(c.cites for c in chapters):
        parts.append(("references", "::: {#refs}\n:::\n"))
    sources = sources_markdown(chapters, notes.sources, labels)
    if sources:
        parts.append(("article_sources", sources))
    images = image_sources_markdown(chapters, notes.image_credits, labels)
    if images:
        parts.append(("image_sources", images))
    index = "" if handout else _index(notes, locate, collation)
    if index:
        parts.append(("index", index))
    titles = {name: labels.text(name) for name, _ in parts}
    markdown = "".join(
        f"# {escape_inline(titles[name])} {SECTIONS[name]}\n\n{body}\n" for name, body in parts
    )
    ids = {"article_sources": SOURCES_ID, "image_sources": IMAGES_ID}
    return BackMatter(markdown, tuple((titles[name], ids.get(name, name)) for name, _ in parts))


class _Locator:
    """Turns the occurrences of an entry into locators for one format."""

    def __init__(
        self,
        chapters: Sequence[Chapter],
        fmt: str,
        book: BookLanguage,
        labels: Labels,
        pages: dict[str, int] | None,
    ):
        self.fmt, self.book, self.labels, self.pages = fmt, book, labels, pages
        self.titles = {c.slug: c.title for c in chapters}
        self.by_entry: dict[str, list[Occurrence]] = {}
        for chapter in chapters:
            for occurrence in chapter.occurrences:
                self.by_entry.setdefault(occurrence.entry, []).append(occurrence)

    def used(self, entry: str) -> bool:
        return entry in self.by_entry

    def __call__(self, entry: str) -> str:
        occurrences = self.by_entry.get(entry, [])
        if self.fmt == "pdf":
            return _joined(
                self.labels,
                (f"[](#{o.anchor}){{.pageref}}" for o in self._one_per_page(occurrences)),
            )
        return _joined(
            self.labels,
            (self._chapter(group) for _, group in groupby(occurrences, _chapter_of)),
            "group_separator",
        )

    def count(self, entry: str) -> int:
        """Return how many locators `entry` gets."""
        occurrences = self.by_entry.get(entry, [])
        return len(self._one_per_page(occurrences)) if self.fmt == "pdf" else len(occurrences)

    def _one_per_page(self, occurrences: list[Occurrence]) -> list[Occurrence]:
        if self.pages is None:
            return occurrences
        first: dict[int, Occurrence] = {}
        for occurrence in occurrences:
            first.setdefault(self.pages.get(occurrence.anchor, -1), occurrence)
        return [first[page] for page in sorted(first)]

    def _chapter(self, occurrences: Iterable[Occurrence]) -> str:
        """`[Chapter](#opening): [Section](#a), [Other section](#b)` for one chapter."""
        sections: dict[str, Occurrence] = {}
        for occurrence in occurrences:
            sections.setdefault(occurrence.section, occurrence)
        chapter = next(iter(sections.values())).chapter
        title = tagged(self.titles.get(chapter, chapter), self.book)
        opening = sections.pop(chapter, None)
        head = f"[{title}](#{opening.anchor})" if opening else f"*{title}*"
        links = [f"[{tagged(o.section_title, self.book)}](#{o.anchor})" for o in sections.values()]
        if not links:
            return head
        separator = escape_inline(self.labels.text("label_separator"))
        return head + separator + _joined(self.labels, links)


def _joined(labels: Labels, items: Iterable[str], separator: str = "separator") -> str:
    """Join Markdown `items` with the language's punctuation (escaped: it is the book's text)."""
    return escape_inline(labels.text(separator)).join(items)


def _chapter_of(occurrence: Occurrence) -> str:
    return occurrence.chapter


def _glossary(
    notes: Annotations, locate: _Locator, collation: Collation, only_used: bool = False
) -> str:
    """The Glossary: every entry in the book, or (a handout) only those its chapters use."""
    accepted = notes.glossary.accepted
    if only_used:
        accepted = tuple(e for e in accepted if locate.used(e.id))
    entries = sorted(accepted, key=lambda e: collation.key(e.term))
    book, labels = locate.book, locate.labels
    items: list[str] = []
    for entry in entries:
        attributes = f"#{entry.id}" + (f" lang={entry.language}" if entry.language else "")
        term = f"[{escape_inline(entry.term)}]{{{attributes}}}"
        forms = [tagged(entry.script, book)] if entry.script else []
        if entry.transliteration:
            forms.append(f"*{escape_inline(entry.transliteration)}*")
        if forms:
            term += f" ({_joined(labels, forms)})"
        body = []
        if entry.gloss:
            body.append(f"[{tagged(entry.gloss, book)}]{{.gloss}}")
        if entry.definition:
            body.append(f"[{tagged(entry.definition, book)}]{{.definition}}")
        if locate.used(entry.id):
            if locate.fmt == "pdf":
                count, pages = locate.count(entry.id), locate(entry.id)
                uses = labels.markdown("used_on_pages", escape_inline, count=count, pages=pages)
            else:
                uses = labels.markdown("used_in", escape_inline, places=locate(entry.id))
            body.append(f"[{uses}]{{.uses}}")
        if not body:
            body.append("[]{.gloss}")
        # A blank line before the definition: each part is a paragraph of its own, so
        # the gloss and the definition do not run together ("newcomers What the ...").
        items.append(term + "\n\n:   " + "\n\n    ".join(body) + "\n")
    return "\n".join(items)


def _index(notes: Annotations, locate: _Locator, collation: Collation) -> str:
    rows: list[tuple[tuple, str, str]] = []  # (sort key, letter, list item)
    for entry in notes.glossary.accepted:
        if locate.used(entry.id):
            name = f"[{escape_inline(entry.term)}]{{#index-{entry.id} .index-term .kind-term}}"
            item = _item(name, locate, entry.id)
            rows.append((collation.key(entry.term), collation.letter(entry.term), item))
    targets = {e.term: f"index-{e.id}" for e in notes.glossary.accepted}
    targets.update({e.term: e.id for e in notes.index.accepted})
    for index_entry in notes.index.accepted:
        classes = " .index-term" + (f" .kind-{index_entry.kind}" if index_entry.kind else "")
        name = f"[{escape_inline(index_entry.term)}]{{#{index_entry.id}{classes}}}"
        sort = index_entry.sort or index_entry.term
        if index_entry.see:
            target = targets.get(index_entry.see)
            see = escape_inline(index_entry.see)
            word = escape_inline(locate.labels.text("see"))
            separator = escape_inline(locate.labels.text("separator"))
            item = f"{name}{separator}*{word}* " + (f"[{see}](#{target})" if target else see)
            rows.append((collation.key(sort), collation.letter(sort), item))
        elif locate.used(index_entry.id):
            item = _item(name, locate, index_entry.id) + _see_also(index_entry, targets, locate)
            rows.append((collation.key(sort), collation.letter(sort), item))
    rows.sort(key=lambda row: row[0])
    groups = []
    for letter, group in groupby(rows, key=lambda row: row[1]):
        lines = "\n".join(f"- {item}" for _, _, item in group)
        groups.append(
            f"::: {{.index-group}}\n[{escape_inline(letter)}]{{.index-letter}}\n\n{lines}\n:::\n"
        )
    return "\n".join(groups)


def _see_also(entry: IndexEntry, targets: dict[str, str], locate: _Locator) -> str:
    """`; *see also* [Semirechie](#index-semirechie)` after an entry's locators."""
    if not entry.see_also:
        return ""
    labels = locate.labels
    links = [
        f"[{escape_inline(term)}](#{targets[term]})" if term in targets else escape_inline(term)
        for term in entry.see_also
    ]
    word = escape_inline(labels.text("see_also"))
    return escape_inline(labels.text("group_separator")) + f"*{word}* " + _joined(labels, links)


def _item(name: str, locate: _Locator, entry: str) -> str:
    separator = "separator" if locate.fmt == "pdf" else "label_separator"
    return name + escape_inline(locate.labels.text(separator)) + locate(entry)
