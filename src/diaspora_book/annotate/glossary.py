"""The glossary: `glossary.yml`, curated by an editor, and the terms it marks.

An entry (a YAML mapping; only `term` is required):

    - term: yärlik              # as the articles write it
      script: يەرلىك             # the term in its own script (optional)
      transliteration: yerlik   # a standard romanisation, if `term` is not one (optional)
      gloss: locals             # a short translation
      definition: Uyghurs whose families settled in Semirechie before 1917.
      language: ug-Latn         # BCP 47 tag of the term as written
      aliases: [yärliklar]      # other forms that mark the same entry, diacritics exact
      chapter: uyghurs-in-kazakhstan   # the chapter that defines it (optional)
      status: candidate         # set by `glossary suggest`: awaiting review; or: rejected

Entries without a status are in the book: every occurrence of their term and aliases
in the chapters links to them. Candidates and rejected entries only tell the
candidate finder that someone has seen the term.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from diaspora_book.annotate.curated import Record, load_records
from diaspora_book.annotate.phrases import nfc
from diaspora_book.languages.book_language import is_language_tag
from diaspora_book.model import SourceSpan
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.plumbing.slug import slugify, unique

GLOSSARY_FILE = "glossary.yml"
KEYS = (
    "term",
    "script",
    "transliteration",
    "gloss",
    "definition",
    "language",
    "aliases",
    "chapter",
    "status",
)


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    id: str  # anchor of the entry in the Glossary, e.g. "glossary-yarlik"
    span: SourceSpan  # the entry's line in glossary.yml
    script: str = ""
    transliteration: str = ""
    gloss: str = ""
    definition: str = ""
    language: str = ""
    aliases: tuple[str, ...] = ()
    chapter: str = ""
    status: str = ""  # "", "candidate" or "rejected"

    @property
    def forms(self) -> tuple[str, ...]:
        """The term and its aliases: every form that marks this entry."""
        return (self.term, *self.aliases)


@dataclass(frozen=True)
class Glossary:
    entries: tuple[GlossaryEntry, ...] = ()  # in file order, every status

    @property
    def accepted(self) -> tuple[GlossaryEntry, ...]:
        """The entries in the book (no status)."""
        return tuple(e for e in self.entries if not e.status)

    def knows(self, form: str) -> bool:
        """Return whether any entry (any status) has `form` as its term or an alias."""
        wanted = _fold_initial(nfc(form))
        return any(_fold_initial(f) == wanted for e in self.entries for f in e.forms)


def load_glossary(root: Path, diagnostics: Diagnostics) -> Glossary:
    """Read `glossary.yml` (an empty glossary when the project has none)."""
    records = load_records(root / GLOSSARY_FILE, GLOSSARY_FILE, KEYS, diagnostics)
    entries: list[GlossaryEntry] = []
    ids: set[str] = set()
    seen: dict[str, SourceSpan] = {}
    for record in records:
        entry = _entry(record, ids, diagnostics)
        if entry is None:
            continue
        for form in entry.forms:
            if form in seen:
                diagnostics.error(
                    entry.span,
                    f"'{form}' is already a glossary term or alias (line {seen[form].line})",
                )
            seen.setdefault(form, entry.span)
        entries.append(entry)
    return Glossary(tuple(entries))


def _entry(record: Record, ids: set[str], diagnostics: Diagnostics) -> GlossaryEntry | None:
    term = nfc(record.text("term", diagnostics))
    if not term:
        diagnostics.error(record.span, "glossary entry without a 'term'")
        return None
    language = record.text("language", diagnostics)
    if language and not is_language_tag(language):
        diagnostics.error(
            record.where("language"),
            f"'{language}' is not a language tag",
            "use a BCP 47 tag such as 'ug-Latn', 'kk' or 'zh'",
        )
        language = ""
    return GlossaryEntry(
        term=term,
        id=unique(f"glossary-{slugify(term, 'term')}", ids),
        span=record.span,
        script=record.text("script", diagnostics),
        transliteration=record.text("transliteration", diagnostics),
        gloss=record.text("gloss", diagnostics),
        definition=record.text("definition", diagnostics),
        language=language,
        aliases=tuple(nfc(a) for a in record.texts("aliases", diagnostics) if nfc(a) != term),
        chapter=record.text("chapter", diagnostics),
        status=record.status(diagnostics),
    )


def marked_forms(form: str) -> tuple[str, ...]:
    """Return the spellings that mark `form` in running text.

    A lower-case term also matches with a capital at the start of a sentence
    (`Meshrep` for `meshrep`); the rest of the word, diacritics included, must match.
    """
    if form[:1].islower():
        return (form, form[:1].upper() + form[1:])
    return (form,)


def _fold_initial(form: str) -> str:
    return form[:1].lower() + form[1:]
