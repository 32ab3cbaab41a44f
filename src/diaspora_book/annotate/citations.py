"""Citations: `references.bib` (validated with bibtexparser 2) and `citations.yml` rules.

The editor decides what cites what. `citations.yml`:

    sources:                          # article -> key of its entry (default: the slug)
      uyghurs-in-kazakhstan: wikipedia-uyghurs-in-kazakhstan
    rules:                            # text -> citation, inserted right after the match
      - phrase: according to the 2009 census
        cite: census-kz-2009
      - pattern: '\\d+% of respondents'  # an RE2 regular expression (no backtracking)
        cite: [survey-2007, survey-2012]
        article: chinese-people-in-kazakhstan   # only in this article (optional)

pandoc's citeproc renders the citations and the References from `references.bib` in
the book's CSL style. Problems point at their line: `references.bib:12: error:
duplicate key 'x'`, `citations.yml:7: error: unknown citation key 'y'`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import re2

from diaspora_book.model import Article, Cite, SourceSpan
from diaspora_book.plumbing.errors import BookError, Diagnostics
from diaspora_book.plumbing.strict_text import read_text
from diaspora_book.plumbing.yamlfile import (
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    compose,
    plain,
)

BIB_FILE = "references.bib"
# RE2's memory budget for one compiled pattern: plenty for any phrase an editor writes.
PATTERN_MEMORY = 8 << 20
# Text on which a pattern that can match empty text shows it: words, spaces, punctuation,
# digits, another script, a line end.
_PROBE = "Aa b, c. 1 \u0628\u0627 \u4e2d\n-"
RULES_FILE = "citations.yml"

# Required fields per entry type (BibTeX, plus biblatex's online/report/thesis/dataset);
# a tuple is "one of these".
REQUIRED: dict[str, tuple[str | tuple[str, ...], ...]] = {
    "article": ("author", "title", ("journal", "journaltitle"), ("year", "date")),
    "book": (("author", "editor"), "title", "publisher", ("year", "date")),
    "booklet": ("title",),
    "inbook": (("author", "editor"), "title", ("chapter", "pages"), "publisher", ("year", "date")),
    "incollection": ("author", "title", "booktitle", "publisher", ("year", "date")),
    "inproceedings": ("author", "title", "booktitle", ("year", "date")),
    "conference": ("author", "title", "booktitle", ("year", "date")),
    "manual": ("title",),
    "mastersthesis": ("author", "title", "school", ("year", "date")),
    "phdthesis": ("author", "title", "school", ("year", "date")),
    "misc": (),
    "proceedings": ("title", ("year", "date")),
    "techreport": ("author", "title", "institution", ("year", "date")),
    "unpublished": ("author", "title", "note"),
    "online": ("title", ("url", "doi")),
    "report": (("author", "editor"), "title", "institution", ("year", "date")),
    "thesis": ("author", "title", ("institution", "school"), ("year", "date")),
    "dataset": (("author", "editor"), "title", ("year", "date")),
}


UNCITABLE = "a key has no braces or line breaks"


def citable(key: str) -> bool:
    """Return whether `key` can be written in a pandoc citation (`@key` or `@{key}`)."""
    return bool(key) and not any(c in key for c in "{}\n\r")


@dataclass(frozen=True)
class BibEntry:
    key: str
    entry_type: str
    span: SourceSpan
    doi: str = ""  # as written; MediaWiki sources with the same DOI or ISBN use this entry
    isbn: str = ""


@dataclass(frozen=True)
class Bibliography:
    path: Path | None = None  # None: the project has no references.bib
    entries: dict[str, BibEntry] = field(default_factory=dict, hash=False)


def load_bibliography(root: Path, diagnostics: Diagnostics) -> Bibliography:
    """Read and validate `references.bib`; report each problem at its line."""
    path = root / BIB_FILE
    if not path.is_file():
        return Bibliography()
    try:
        text = read_text(path, BIB_FILE)
    except BookError as exc:
        diagnostics.error(exc.span, exc.message, exc.hint)
        return Bibliography()
    import bibtexparser
    from bibtexparser import model

    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)  # its problems are reported below, at their line
    try:
        library = bibtexparser.parse_string(text)
    except Exception as exc:  # the parser's own bug on odd input: still one clear line
        diagnostics.error(SourceSpan(BIB_FILE, 1), f"cannot parse the bibliography: {exc}")
        return Bibliography(path)
    finally:
        logger.setLevel(level)
    found = Diagnostics()  # reported in file order, after both passes
    entries: dict[str, BibEntry] = {}
    for block in library.failed_blocks:
        span = SourceSpan(BIB_FILE, (block.start_line or 0) + 1)
        if isinstance(block, model.DuplicateBlockKeyBlock):
            first = (block.previous_block.start_line or 0) + 1
            found.error(span, f"duplicate key '{block.key}' (first on line {first})")
        elif isinstance(block, model.DuplicateFieldKeyBlock):
            found.error(span, f"entry has a field twice: {block.error}")
        else:
            reason = getattr(block.error, "abort_reason", None) or str(block.error)
            found.error(span, f"cannot parse this entry: {' '.join(reason.split())}")
    _check_string_loops(library.strings, found)
    for entry in library.entries:
        span = SourceSpan(BIB_FILE, (entry.start_line or 0) + 1)
        kind = entry.entry_type.lower()
        values = {name.lower(): str(value.value) for name, value in entry.fields_dict.items()}
        doi, isbn = values.get("doi", "").strip("{} "), values.get("isbn", "").strip("{} ")
        entries[entry.key] = BibEntry(entry.key, kind, span, doi, isbn)
        if kind not in REQUIRED:
            found.warn(
                span,
                f"@{kind}{{{entry.key}}} is not a BibTeX entry type; "
                "citeproc will treat it as a generic document",
            )
            continue
        present = {name.lower() for name, value in entry.fields_dict.items() if value.value}
        missing = [
            "/".join(need) if isinstance(need, tuple) else need
            for need in REQUIRED[kind]
            if not (set(need) if isinstance(need, tuple) else {need}) & present
        ]
        if missing:
            found.error(span, f"@{kind}{{{entry.key}}} lacks required fields: {', '.join(missing)}")
        if not citable(entry.key) or "\\" in entry.key:
            found.error(span, f"citation key '{entry.key}' cannot be cited")
    for diagnostic in sorted(found, key=lambda d: d.span.line if d.span else 0):
        diagnostics.items.append(diagnostic)
    return Bibliography(path, entries)


def _check_string_loops(strings: list, found: Diagnostics) -> None:
    """Warn about `@string` abbreviations defined through themselves (`a = b`, `b = a`).

    Neither bibtexparser nor citeproc stops on such a loop; they print the
    abbreviation's name instead of a value, which no one meant.
    """
    names = {str(s.key).lower(): s for s in strings}
    uses = {
        name: [n for n in _string_names(str(s.value)) if n in names] for name, s in names.items()
    }
    reported: set[frozenset[str]] = set()
    for name, string in names.items():
        trail = _path_back(name, uses)
        if trail is None or frozenset(trail) in reported:
            continue
        reported.add(frozenset(trail))
        chain = " -> ".join([*trail, name])
        found.warn(
            SourceSpan(BIB_FILE, (string.start_line or 0) + 1),
            f"@string '{string.key}' is defined through itself ({chain})",
            "give it a value of its own",
        )


def _path_back(start: str, uses: dict[str, list[str]]) -> list[str] | None:
    """Return a chain of @string names from `start` that leads back to it, if any."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        name, path = stack.pop()
        for used in uses.get(name, []):
            if used == start:
                return path
            if used not in seen:
                seen.add(used)
                stack.append((used, [*path, used]))
    return None


def _string_names(value: str) -> list[str]:
    """Return the abbreviations a BibTeX value uses: its parts between `#` that are
    neither quoted, braced nor numbers."""
    names: list[str] = []
    part: list[str] = []
    depth, quoted = 0, False
    for char in value + "#":
        if char == "#" and depth == 0 and not quoted:
            word = "".join(part).strip()
            if word and word[0] not in '{"' and not word.isdigit():
                names.append(word.lower())
            part = []
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        part.append(char)
    return names


@dataclass(frozen=True)
class CitationRule:
    pattern: Any  # a compiled RE2 pattern (google-re2), see _compile
    keys: tuple[str, ...]
    span: SourceSpan
    article: str = ""  # slug; "" for every article


@dataclass(frozen=True)
class CitationRules:
    sources: dict[str, tuple[str, SourceSpan]] = field(default_factory=dict, hash=False)
    rules: tuple[CitationRule, ...] = ()


def load_rules(root: Path, diagnostics: Diagnostics) -> CitationRules:
    """Read `citations.yml` (no rules when the project has none)."""
    path = root / RULES_FILE
    if not path.is_file():
        return CitationRules()
    try:
        node = compose(read_text(path, RULES_FILE), RULES_FILE)
    except BookError as exc:
        diagnostics.error(exc.span, exc.message, exc.hint)
        return CitationRules()
    if node is None:
        return CitationRules()
    if not isinstance(node, MappingNode):
        diagnostics.error(_span(node), "citations.yml must have 'sources:' and/or 'rules:'")
        return CitationRules()
    sources: dict[str, tuple[str, SourceSpan]] = {}
    rules: list[CitationRule] = []
    for key_node, value_node in node.value:
        if key_node.value == "sources" and isinstance(value_node, MappingNode):
            for slug, key in value_node.value:
                if isinstance(key, ScalarNode) and key.value and not citable(str(key.value)):
                    diagnostics.error(
                        _span(key), f"citation key {key.value!r} cannot be cited", UNCITABLE
                    )
                elif isinstance(key, ScalarNode) and key.value:
                    sources[str(slug.value)] = (str(key.value), _span(slug))
                else:
                    diagnostics.error(_span(slug), "a source must name one citation key")
        elif key_node.value == "rules" and isinstance(value_node, SequenceNode):
            for item in value_node.value:
                rule = _rule(item, diagnostics)
                if rule:
                    rules.append(rule)
        else:
            diagnostics.error(
                _span(key_node),
                f"unexpected '{key_node.value}'",
                "citations.yml has 'sources:' (a mapping) and 'rules:' (a list)",
            )
    return CitationRules(sources, tuple(rules))


def _rule(node: Node, diagnostics: Diagnostics) -> CitationRule | None:
    span = _span(node)
    value = plain(node) if isinstance(node, MappingNode) else None
    if not isinstance(value, dict):
        diagnostics.error(span, "a rule is a mapping: 'phrase:' or 'pattern:', and 'cite:'")
        return None
    unknown = set(value) - {"phrase", "pattern", "cite", "article"}
    if unknown:
        diagnostics.error(span, f"unknown key '{sorted(unknown)[0]}' in rule")
        return None
    keys = value.get("cite")
    keys = [keys] if isinstance(keys, str) else keys
    if not keys or not all(isinstance(k, str) and k for k in keys):
        diagnostics.error(span, "a rule needs 'cite:' with a citation key or a list of keys")
        return None
    bad = next((k for k in keys if not citable(k)), None)
    if bad is not None:
        diagnostics.error(span, f"citation key {bad!r} cannot be cited", UNCITABLE)
        return None
    phrase, pattern = value.get("phrase"), value.get("pattern")
    if (phrase is None) == (pattern is None) or not isinstance(phrase or pattern, str):
        diagnostics.error(span, "a rule needs either 'phrase:' or 'pattern:' (text)")
        return None
    compiled = _compile(re2.escape(phrase) if phrase else str(pattern), span, diagnostics)
    if compiled is None:
        return None
    if _matches_nothing_somewhere(compiled):
        diagnostics.warn(
            span,
            "the pattern matches empty text, so it would cite everywhere; the rule is ignored",
            "make it match at least one character",
        )
        return None
    return CitationRule(compiled, tuple(keys), span, str(value.get("article") or ""))


def _compile(pattern: str, span: SourceSpan, diagnostics: Diagnostics) -> Any | None:
    """Compile `pattern` with RE2, which matches in linear time; report what it refuses.

    RE2 never backtracks, so no pattern can make a build hang (Python's `(a+)+$`
    against forty a's and a "!" would run for hours). The price: no backreferences
    and no lookaround, and a pattern bigger than `PATTERN_MEMORY` is refused.
    """
    options = re2.Options()
    options.log_errors = False  # the error is reported here, at the rule's line
    options.max_mem = PATTERN_MEMORY
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        diagnostics.error(
            span,
            f"bad pattern: {text}",
            "patterns are RE2 expressions: no backreferences, no lookahead or lookbehind",
        )
        return None


def _matches_nothing_somewhere(compiled: Any) -> bool:
    """Return whether `compiled` can match empty text (`''`, `\\b`, `x*`)."""
    return any(m.end() == m.start() for m in compiled.finditer(_PROBE))


def cites_in(text: str, slug: str, rules: CitationRules, used: set[int]) -> list[Cite]:
    """Return the citations the rules put into `text` of article `slug`; note rules used."""
    cites: list[Cite] = []
    for number, rule in enumerate(rules.rules):
        if rule.article and rule.article != slug:
            continue
        for match in rule.pattern.finditer(text):
            if match.end() == match.start():
                continue  # an empty match cites nothing (such rules are refused on load)
            cites.append(Cite(match.end(), rule.keys))
            used.add(number)
    return cites


def source_key(article: Article, rules: CitationRules, bibliography: Bibliography) -> str:
    """Return the key the chapter cites as its source ("" when there is none)."""
    return source_key_of(article.slug, rules, bibliography)


def source_key_of(slug: str, rules: CitationRules, bibliography: Bibliography) -> str:
    """Return the key the chapter `slug` cites as its source ("" when there is none)."""
    if slug in rules.sources:
        return rules.sources[slug][0]
    return slug if slug in bibliography.entries else ""


def check_keys(rules: CitationRules, bibliography: Bibliography, diagnostics: Diagnostics) -> None:
    """Report each citation key in `citations.yml` that `references.bib` does not have."""
    hint = "add it to references.bib" if bibliography.path else "there is no references.bib"
    for slug, (key, span) in rules.sources.items():
        if key not in bibliography.entries:
            diagnostics.error(
                span, f"unknown citation key '{key}' for the source of '{slug}'", hint
            )
    for rule in rules.rules:
        for key in rule.keys:
            if key not in bibliography.entries:
                diagnostics.error(rule.span, f"unknown citation key '{key}'", hint)


def _span(node: Node) -> SourceSpan:
    return SourceSpan(RULES_FILE, node.start_mark.line + 1)
