"""The back-of-book index: `index.yml`, curated by an editor, seeded from proper nouns.

An entry (a YAML mapping; only `term` is required):

    - term: Ghulja Incident
      kind: event              # person, place, organisation, event, group, work, ...
      aliases: [Ghulja massacre]
      sort: Ghulja             # sort under another form (optional)
    - term: Hui
      see: Dungan              # a cross-reference: "Hui, see Dungan"; marks nothing
    - term: Almaty
      see_also: [Semirechie]   # after its pages: "Almaty, 12; see also Semirechie"
    - term: Spring
      status: rejected         # not an entry; `index suggest` will not offer it again

Glossary terms are index entries too, without being listed here. `index suggest`
appends the articles' proper nouns that are not yet in either file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from diaspora_book.annotate.curated import Record, load_records
from diaspora_book.annotate.lexicon import Lexicon, lexicon_for
from diaspora_book.annotate.phrases import nfc
from diaspora_book.model import Article, SourceSpan, running_runs, running_text
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.plumbing.slug import slugify, unique

INDEX_FILE = "index.yml"
KEYS = ("term", "kind", "aliases", "sort", "see", "see_also", "status")


@dataclass(frozen=True)
class IndexEntry:
    term: str
    id: str  # anchor of the entry in the Index, e.g. "index-almaty"
    span: SourceSpan
    kind: str = ""
    aliases: tuple[str, ...] = ()
    sort: str = ""  # the form it is sorted by, when not `term`
    see: str = ""  # a cross-reference to another entry's term
    see_also: tuple[str, ...] = ()  # related entries' terms, after this one's pages
    status: str = ""  # "", "candidate" or "rejected"

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


@dataclass(frozen=True)
class Index:
    entries: tuple[IndexEntry, ...] = ()

    @property
    def accepted(self) -> tuple[IndexEntry, ...]:
        return tuple(e for e in self.entries if not e.status)

    def knows(self, form: str) -> bool:
        return any(nfc(form) in e.forms for e in self.entries)


def load_index(root: Path, diagnostics: Diagnostics) -> Index:
    """Read `index.yml` (an empty index when the project has none)."""
    entries: list[IndexEntry] = []
    ids: set[str] = set()
    seen: dict[str, SourceSpan] = {}
    for record in load_records(root / INDEX_FILE, INDEX_FILE, KEYS, diagnostics):
        entry = _entry(record, ids, diagnostics)
        if entry is None:
            continue
        for form in entry.forms:
            if form in seen:
                diagnostics.error(
                    entry.span, f"'{form}' is already an index entry (line {seen[form].line})"
                )
            seen.setdefault(form, entry.span)
        entries.append(entry)
    return Index(tuple(entries))


def check_see_loops(index: Index, diagnostics: Diagnostics) -> None:
    """Warn about a `see:` that points to its own entry or goes round in a loop.

    "Almaty, see Almaty" sends a reader nowhere; so do "Hui, see Dungan" and
    "Dungan, see Hui". Each loop is reported once, at its first entry in the file.
    """
    by_form = {form: entry for entry in index.accepted for form in entry.forms}
    reported: set[frozenset[str]] = set()
    for entry in index.accepted:
        path = [entry]
        while path[-1].see and (target := by_form.get(path[-1].see)) is not None:
            if target in path:
                loop = path[path.index(target) :]
                key = frozenset(e.id for e in loop)
                if key not in reported and target is entry:
                    reported.add(key)
                    _warn_loop(loop, diagnostics)
                break
            path.append(target)


def _warn_loop(loop: list[IndexEntry], diagnostics: Diagnostics) -> None:
    first = loop[0]
    if len(loop) == 1:
        message = f"'{first.term}' refers to itself ('see: {first.see}')"
    else:
        chain = " -> ".join(f"'{e.term}'" for e in [*loop, first])
        message = f"the 'see' references {chain} go round in a loop"
    diagnostics.warn(first.span, message, "point 'see' at the entry that lists the pages")


def _entry(record: Record, ids: set[str], diagnostics: Diagnostics) -> IndexEntry | None:
    term = nfc(record.text("term", diagnostics))
    if not term:
        diagnostics.error(record.span, "index entry without a 'term'")
        return None
    return IndexEntry(
        term=term,
        id=unique(f"index-{slugify(term, 'entry')}", ids),
        span=record.span,
        kind=record.text("kind", diagnostics),
        aliases=tuple(nfc(a) for a in record.texts("aliases", diagnostics) if nfc(a) != term),
        sort=record.text("sort", diagnostics),
        see=nfc(record.text("see", diagnostics)),
        see_also=tuple(nfc(t) for t in record.texts("see_also", diagnostics)),
        status=record.status(diagnostics),
    )


# Proper-noun seeding ------------------------------------------------------------

_TOKEN = re.compile(r"[^\W\d_][\w'\u2019]*")
_CONNECTORS = frozenset({"of", "de", "del", "da", "von", "van", "al", "el", "bin", "ibn"})
_JOINERS = frozenset({" ", "-", "\u2013"})  # "Sino-Soviet", "China–Kazakhstan"
_NOT_NAMES = frozenset(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Spring Summer Autumn Winter".split()
)
_SENTENCE_END = re.compile(r"(?:^|[.!?:;]\s+|[\"\u201c(]\s*)$")


@dataclass(frozen=True)
class Seed:
    term: str
    span: SourceSpan  # first occurrence


def proper_nouns(articles: list[Article], skip: set[str], language: str = "en") -> list[Seed]:
    """Return the articles' proper nouns (runs of capitalised words), first seen first.

    A capitalised word of the book's language that opens a sentence (`The`, `During`)
    is not a name unless it is capitalised somewhere else in mid-sentence (`China`).
    Words of the book's titles (`Kazakhstan`, `Uyghurs`) and anything in `skip` are
    left out. Scripts without capitals (Arabic, Han) have no names to find this way.
    """
    lexicon = lexicon_for(language)
    texts = [(text, span) for article in articles for text, span in running_text(article)]
    lexicon.learn(word for text, _ in texts for _, word in _tokens(text))
    mid_sentence = {
        word for text, _ in texts for start, word in _tokens(text) if not _opens(text, start)
    }
    seeds: dict[str, Seed] = {}
    for article in articles:  # what an article links to is a name worth indexing
        for _, runs, span in running_runs(article):
            for run in runs:
                target = run.value.partition("#")[0].strip() if run.kind == "wikilink" else ""
                if target[:1].isupper() and ":" not in target and target not in skip:
                    where = span.at(run.start)
                    seeds.setdefault(nfc(target), Seed(nfc(target), where))
    for text, span in texts:
        for start, name in _names(text, mid_sentence, lexicon):
            if name not in skip and name not in seeds:
                seeds[name] = Seed(name, span.at(start))
    return list(seeds.values())


def _names(text: str, mid_sentence: set[str], lexicon: Lexicon) -> Iterator[tuple[int, str]]:
    tokens = list(_tokens(text))
    index = 0
    while index < len(tokens):
        start, word = tokens[index]
        if not _capitalised(word) or (
            _opens(text, start) and word not in mid_sentence and lexicon.knows(word)
        ):
            index += 1
            continue
        last = index
        while last + 1 < len(tokens):
            current = tokens[last][1]
            if re.sub(r"['\u2019]s$", "", current) in mid_sentence - {current}:
                break  # "China's Xinhua News Agency": a possessive of a name ends it
            gap = text[tokens[last][0] + len(tokens[last][1]) : tokens[last + 1][0]]
            following = tokens[last + 1][1]
            if gap in _JOINERS and _capitalised(following):
                last += 1
            elif (
                gap == " "
                and following in _CONNECTORS
                and last + 2 < len(tokens)
                and _capitalised(tokens[last + 2][1])
                and text[tokens[last + 1][0] + len(following) : tokens[last + 2][0]] == " "
            ):
                last += 2
            else:
                break
        end = tokens[last][0] + len(tokens[last][1])
        name = text[start:end]
        name = re.sub(r"['\u2019]s?$", "", name)  # "China's" -> "China"
        index = last + 1
        if name in _NOT_NAMES or (name.isupper() and len(name) <= 2):
            continue
        yield start, nfc(name)


def _tokens(text: str) -> Iterator[tuple[int, str]]:
    for match in _TOKEN.finditer(text):
        yield match.start(), match.group()


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _opens(text: str, start: int) -> bool:
    return bool(_SENTENCE_END.search(text[:start]))
