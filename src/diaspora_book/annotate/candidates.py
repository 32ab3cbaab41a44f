"""Find glossary candidates in the articles' own definitions.

Encyclopedia articles define the foreign terms they use in a few set ways, and
those are what this looks for, precisely rather than greedily (an editor reviews
every candidate):

- a quoted gloss: `the yärlik ("locals")`, `kegänlär, literally "newcomers"`,
  `wätändin, or "people from the homeland"`;
- a naming phrase: `the term has become köchäp kegän;`, `referred to as X,`;
- another name for a people: `Dungan people (Hui people in Kazakhstan ...)`, which
  also makes `Dungans (Hui)` a form of the same term;
- a lower-case word that is not a word of the book's language (`oralmans`,
  `meshrep` in an English book, `мешреп` in a Russian one), unless it belongs to a
  foreign name (`Qazaqstandağy ūiğyrlar`). What the language's words are is the
  book's lexicon's to say (`lexicon.py`); a language without one gets a
  conservative rule, so its ordinary words never flood the list.

Terms must start with a lower-case letter, except peoples: capitalised phrases are
names, which belong in the index, not the glossary. A word is never taken across a
change of script: `ү五个字母` is two words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from diaspora_book.annotate.lexicon import Lexicon, lexicon_for
from diaspora_book.annotate.phrases import nfc
from diaspora_book.languages.book_language import script_pieces
from diaspora_book.model import Article, SourceSpan, running_runs, running_text

_WORD = r"[^\W\d_](?:[^\W\d_]|['\u2019-](?=[^\W\d_]))*"
# Quoted glosses: "...", “...”, «...», „...“, 「...」.
_QUOTE = (
    '["\u201c\u00ab\u201e\u300c](?P<gloss>[^"\u201d\u00bb\u201c\u300d]{1,80})'
    '["\u201d\u00bb\u201c\u300d]'
)
# A run starts where a word starts: a match from inside a word could only repeat one
# found from that word's start, and trying every letter made this the slowest regex.
_WORDS = rf"(?<![^\W\d_])(?P<words>(?:{_WORD} ){{0,2}}{_WORD})"
_QUOTED_GLOSS = re.compile(
    rf"{_WORDS} \((?:literally |lit\. |meaning |i\.e\. )?{_QUOTE}\)"
    rf"|{_WORDS.replace('words', 'words2')},? (?:literally|or|meaning|i\.e\.),? "
    + _QUOTE.replace("gloss", "gloss2")
)
_NAMING = re.compile(
    r"\b(?:(?:known|referred to|termed|designated) as|called|"
    r"call (?:them|it|him|her|themselves)|"
    r"(?:term|name|word) (?:has become|had become|became|is|was)) "
    rf"(?P<words>{_WORD}(?: {_WORD}){{0,2}})(?=\s*[,;.:()\"\u201c]|$)"
)
# What every match of the patterns above must contain: a text without it is not scanned
# (most sentences have no quote and no "people (": the scan was most of a rebuild's checks).
_OPENING_QUOTE = re.compile('["\u201c\u00ab\u201e\u300c]')
_PEOPLE = re.compile(
    rf"\b(?P<term>{_WORD}) people \((?P<alt>{_WORD})(?: people)?(?=\)| in | and |, )"
)
_PLURAL_ALT = re.compile(rf"\b(?P<term>{_WORD})s \((?P<alt>{_WORD})\)")
_LOWER_WORD = re.compile(rf"(?<![\w\u0300-\u036f]){_WORD}")


@dataclass(frozen=True)
class Candidate:
    term: str
    span: SourceSpan  # where it is first defined
    context: str  # the defining text, for the editor
    chapter: str  # slug of the article that defines it
    gloss: str = ""
    aliases: tuple[str, ...] = ()
    defined: bool = True  # False: only "not an English word"


@dataclass
class _Found:
    candidate: Candidate
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ArticleCandidates:
    """What one article offers the glossary, before the book's articles are merged.

    An article's candidates depend on its text and the book's lexicon alone, so a
    rebuild after one article was edited looks again only at that one (the build
    keeps the others' in its cache, `to_json`); `merge_candidates` gives the same
    list as looking at the whole book at once.
    """

    slug: str
    title_span: SourceSpan
    found: tuple[Candidate, ...]  # defined or foreign in its running text, in order
    marked: tuple[Candidate, ...]  # set off by its markup (`_marked_terms`), in order
    plural_alts: tuple[tuple[str, str], ...]  # (term, plural) seen as `Dungans (Hui)`

    def to_json(self) -> dict:
        return {
            "slug": self.slug,
            "title": _span_json(self.title_span),
            "found": [_candidate_json(c) for c in self.found],
            "marked": [_candidate_json(c) for c in self.marked],
            "plural_alts": [list(pair) for pair in self.plural_alts],
        }

    @classmethod
    def from_json(cls, data: dict) -> ArticleCandidates:
        return cls(
            data["slug"],
            SourceSpan(*data["title"]),
            tuple(_candidate_from_json(c) for c in data["found"]),
            tuple(_candidate_from_json(c) for c in data["marked"]),
            tuple((term, plural) for term, plural in data["plural_alts"]),
        )


def find_candidates(articles: list[Article], language: str = "en") -> list[Candidate]:
    """Return the glossary candidates the articles define, in order of first appearance.

    `language` is the book's (BCP 47): its lexicon tells its own words from terms.
    """
    return merge_candidates(article_candidates(articles, language))


def article_candidates(articles: list[Article], language: str) -> list[ArticleCandidates]:
    """Return each article's candidates (the lexicon asked once for all their words)."""
    lexicon = lexicon_for(language)
    texts = [[(text, span) for text, span in running_text(a)] for a in articles]
    lexicon.learn(
        word for article in texts for text, _ in article for word in _LOWER_WORD.findall(text)
    )
    return [_one_article(a, t, lexicon) for a, t in zip(articles, texts, strict=True)]


def _one_article(
    article: Article, texts: list[tuple[str, SourceSpan]], lexicon: Lexicon
) -> ArticleCandidates:
    found: list[Candidate] = []
    plural_alts: list[tuple[str, str]] = []
    for text, span in texts:
        taken: list[tuple[int, int]] = []
        for start, end, candidate in sorted(
            _defined(text, span, article.slug, lexicon), key=_first
        ):
            taken.append((start, end))
            found.append(candidate)
        for match in _PLURAL_ALT.finditer(text):
            plural_alts.append((match["term"], match["term"] + "s"))
        for start, word in _foreign_words(text, taken, lexicon):
            found.append(Candidate(word, _at(span, start), word, article.slug, defined=False))
    marked = tuple(_marked_terms(article, lexicon))
    return ArticleCandidates(
        article.slug, article.title_span, tuple(found), marked, tuple(plural_alts)
    )


def merge_candidates(articles: list[ArticleCandidates]) -> list[Candidate]:
    """Merge the articles' candidates in book order: the first definition of a term
    wins over a bare mention, a gloss is added where the first had none."""
    found: dict[str, _Found] = {}
    for article in articles:
        for candidate in article.found:
            _add(found, candidate)
    for article in articles:
        for candidate in article.marked:
            _add(found, candidate)
    for article in articles:
        for term, plural in article.plural_alts:
            if term in found and plural not in found[term].aliases:
                found[term].aliases.append(plural)
    return [
        Candidate(
            f.candidate.term,
            f.candidate.span,
            f.candidate.context,
            f.candidate.chapter,
            f.candidate.gloss,
            tuple(f.aliases),
            f.candidate.defined,
        )
        for f in found.values()
    ]


def _span_json(span: SourceSpan) -> list:
    return [span.path, span.line, span.column]


def _candidate_json(c: Candidate) -> dict:
    return {
        "term": c.term,
        "span": _span_json(c.span),
        "context": c.context,
        "chapter": c.chapter,
        "gloss": c.gloss,
        "aliases": list(c.aliases),
        "defined": c.defined,
    }


def _candidate_from_json(data: dict) -> Candidate:
    return Candidate(
        data["term"],
        SourceSpan(*data["span"]),
        data["context"],
        data["chapter"],
        data["gloss"],
        tuple(data["aliases"]),
        data["defined"],
    )


def _marked_terms(article: Article, lexicon: Lexicon) -> Iterator[Candidate]:
    """Yield the terms the markup sets off: `''yärlik''` (a foreign word in italics)
    and `{{lang|dng|Хуэйзў}}` spans, short and not names."""
    for text, runs, span in running_runs(article):
        for run in runs:
            if run.kind not in ("emphasis", "lang"):
                continue
            term = nfc(" ".join(text[run.start : run.end].split()))
            words = term.split(" ")
            if (
                not term
                or len(words) > 3
                or len(term) > 40
                or term[:1].isupper()
                or not term[:1].isalpha()
                or (run.kind == "emphasis" and all(lexicon.knows(w) for w in words))
            ):
                continue
            yield Candidate(term, _at(span, run.start), text, article.slug)


def _add(found: dict[str, _Found], candidate: Candidate) -> None:
    known = found.get(candidate.term)
    if known is None:
        found[candidate.term] = _Found(candidate, list(candidate.aliases))
        return
    if candidate.defined and not known.candidate.defined:
        known.candidate = candidate  # a definition beats a bare mention
    elif candidate.gloss and not known.candidate.gloss:
        c = known.candidate
        known.candidate = Candidate(c.term, c.span, c.context, c.chapter, candidate.gloss)
    known.aliases += [a for a in candidate.aliases if a not in known.aliases]


def _defined(
    text: str, span: SourceSpan, chapter: str, lexicon: Lexicon
) -> Iterator[tuple[int, int, Candidate]]:
    """Yield (start, end, candidate) for each definition in `text`."""
    quoted = _QUOTED_GLOSS.finditer(text) if _OPENING_QUOTE.search(text) else ()
    for match in quoted:
        group = "words" if match["words"] else "words2"
        gloss = match["gloss"] or match["gloss2"]
        term_start, term = _term(match[group], match.start(group), lexicon)
        if term:
            context = text[term_start : match.end()]
            yield (
                term_start,
                match.end(),
                Candidate(term, _at(span, term_start), context, chapter, gloss),
            )
    for match in _NAMING.finditer(text):
        term_start, term = _term(match["words"], match.start("words"), lexicon)
        if term:
            yield (
                term_start,
                match.end(),
                Candidate(term, _at(span, term_start), match.group(), chapter),
            )
    for match in _PEOPLE.finditer(text) if " people (" in text else ():
        term, alt = match["term"], match["alt"]
        if term[:1].isupper() and alt[:1].isupper() and term != alt:
            yield (
                match.start(),
                match.end(),
                Candidate(
                    term,
                    _at(span, match.start()),
                    match.group(),
                    chapter,
                    alt,
                    aliases=(f"{term} people",),
                ),
            )


def _first(found: tuple[int, int, Candidate]) -> int:
    return found[0]


def _term(words: str, start: int, lexicon: Lexicon) -> tuple[int, str]:
    """Trim the language's own words from both ends of `words`; return (start, term) or
    (start, ""). Where a word changes script, only the last word's last script counts:
    `ү五个字母 ("five letters")` defines `五个字母`."""
    parts = words.split(" ")
    if any(len(script_pieces(part)) > 1 for part in parts):
        offset, piece = script_pieces(parts[-1])[-1]
        start += len(words) - len(parts[-1]) + offset
        parts = [piece]
    while parts and lexicon.knows(parts[0]):
        start += len(parts[0]) + 1
        parts.pop(0)
    while parts and lexicon.knows(parts[-1]):
        parts.pop()
    term = nfc(" ".join(parts))
    if not term or not term[:1].islower():
        return start, ""
    return start, term


def _foreign_words(
    text: str, taken: list[tuple[int, int]], lexicon: Lexicon
) -> Iterator[tuple[int, str]]:
    """Yield lower-case words that are not the language's own and not part of a
    definition or a name."""
    previous = ""
    for match in _LOWER_WORD.finditer(text):
        for offset, word in script_pieces(match.group()):
            start = match.start() + offset
            in_name = previous[:1].isupper() and not lexicon.knows(previous)
            previous = word
            if (
                len(word) < 3
                or not word[:1].islower()
                or in_name
                or any(first <= start < end for first, end in taken)
                or lexicon.knows(word)
            ):
                continue
            yield start, nfc(word)


def _at(span: SourceSpan, offset: int) -> SourceSpan:
    return span.at(offset)
