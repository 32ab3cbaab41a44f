"""The templates of other Wikipedias, from the data files shipped in `data/`.

`data/citation_templates.json` (its `sources` name where each table came from:
enwiki's Module:CS1 translator data, the wikis' own citation modules, pywikibot,
wtf_wikipedia's i18n tables, template documentation) maps the citation templates
of the wikis the diaspora reads (`Web kaynağı`, `Книга`, `Статья`, `Lien web`,
`یادکرد وب`, `צ-מאמר`...) and their local parameter names to the English Citation
Style 1 names `cite_templates.py` reads; it also lists the wikis' reference-list
templates (`{{kaynakça}}`, `{{примечания}}`, `{{پانویس}}`) and flag templates.
`data/text_templates.json` lists quotation, column-list and maintenance templates.
Both are read once, on first use.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

_DIGITS = re.compile(r"\d+")
_ZWNJ = "\u200c"
# Arabic letters Persian and Urdu write with other code points (kaf, yeh, heh).
_ARABIC_FOLD = str.maketrans({"ك": "ک", "ي": "ی", "ى": "ی", "ە": "ه"})


@dataclass(frozen=True)
class LocalCitation:
    """A wiki's citation template: its kind of work and its parameters' English names."""

    kind: str  # BibTeX type, "" = decided by the fields it has
    params: dict[str, str | None]  # local name ('#': a number) -> English CS1 name or None
    english: bool  # English CS1 names are read too (the wiki runs Module:Citation/CS1)
    positional: bool  # the first unnamed parameter says something (和書, книга/статья)


def normal_name(name: str) -> str:
    """A template or parameter name as the data files write it: NFC, lower case,
    `_` as a space, digits in ASCII, Arabic-script letters in their Persian forms."""
    text = unicodedata.normalize("NFC", name).replace("_", " ")
    text = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text)
    return " ".join(text.lower().translate(_ARABIC_FOLD).split())


@functools.cache
def load_data(name: str) -> dict:
    """One of the data files, parsed (once)."""
    text = resources.files("diaspora_book.read.mediawiki").joinpath("data", name).read_text("utf-8")
    return json.loads(text)


def _folded(names) -> dict[str, str]:
    """name (normalised, also without ZWNJ) -> the name as the data writes it."""
    found: dict[str, str] = {}
    for name in names:
        key = normal_name(name)
        found.setdefault(key, name)
        found.setdefault(key.replace(_ZWNJ, ""), name)
    return found


@functools.cache
def _citations() -> dict[str, LocalCitation]:
    data = load_data("citation_templates.json")
    table: dict[str, LocalCitation] = {}
    for name, entry in data["templates"].items():
        params = {normal_name(k): v for k, v in entry["params"].items()}
        english = entry.get("engine") == "cs1" or bool(entry.get("merge_with_english"))
        local = LocalCitation(entry["kind"], params, english, bool(entry.get("positional")))
        key = normal_name(name)
        table.setdefault(key, local)
        table.setdefault(key.replace(_ZWNJ, ""), local)
    return table


def local_citation(name: str) -> LocalCitation | None:
    """The citation template `name` (any wiki's), or None when the data has none."""
    key = normal_name(name)
    return _citations().get(key) or _citations().get(key.replace(_ZWNJ, ""))


@functools.cache
def _aliases() -> dict[str, str]:
    names = load_data("text_templates.json")["citation_aliases"]["names"]
    return {normal_name(k): v for k, v in names.items()}


def citation_alias(name: str) -> str:
    """The English template another name of a citation template stands for
    (`citeweb`, `web manbasi` -> `cite web`), or `name` itself."""
    return _aliases().get(normal_name(name), name)


@functools.cache
def wiki_aliases(language: str) -> dict[str, str | None]:
    """Local parameter names every citation template of a wiki accepts: the book's
    language's wiki first, then every other wiki's (a name none of them disagrees on)."""
    data = load_data("citation_templates.json")["wiki_aliases"]
    primary = language.split("-")[0].lower()
    merged: dict[str, str | None] = {}
    for wiki in sorted(data, key=lambda w: w != primary):
        for key, value in data[wiki]["params"].items():
            merged.setdefault(normal_name(key), value)
    return merged


@functools.cache
def every_alias() -> dict[str, str | None]:
    """Every local parameter name of every citation template -> its English name (the
    first table that names it wins): how a template nobody described is read."""
    merged: dict[str, str | None] = dict(wiki_aliases("en"))
    for local in _citations().values():
        for key, value in local.params.items():
            merged.setdefault(key, value)
    return merged


def english_name(key: str, table: dict[str, str | None]) -> str | None:
    """The English CS1 name of parameter `key` in `table`; `key` when the table does
    not know it; None for a parameter without a bibliographic field.

    `soyadı2` is found as `soyadı#` and becomes `last2`; `yazar` as `yazar#` (`author`).
    """
    normal = normal_name(key)
    for candidate in (normal, normal.replace(_ZWNJ, "")):
        if candidate in table:
            return table[candidate]
        digits = _DIGITS.search(candidate)
        number = digits.group(0) if digits else ""
        shape = _DIGITS.sub("#", candidate, count=1) if digits else candidate + "#"
        if shape in table:
            target = table[shape]
            return target.replace("#", number) if target is not None else None
    return key


@functools.cache
def reference_lists() -> frozenset[str]:
    """Templates that place an article's reference list ({{reflist}}, {{kaynakça}}...)."""
    names = load_data("citation_templates.json")["reference_lists"]
    return frozenset(_folded(names))


@functools.cache
def _flags() -> dict[str, str]:
    data = load_data("citation_templates.json")["flags"]
    return {key: data[name]["prints"] for key, name in _folded(data).items()}


def flag_kind(name: str) -> str:
    """ "name" for a flag template that prints the country's name, "icon" for one that
    draws only the flag, "" for a template that is not a flag."""
    key = normal_name(name)
    found = _flags().get(key) or _flags().get(key.replace(_ZWNJ, ""))
    if found:
        return found
    words = re.split(r"[\s/]+", key)
    if len(words) > 1 and words[0] in text_templates("flag_name_prefixes"):
        return "place"  # {{علم مصر}}: the flag and "مصر"
    return "icon" if set(words) & text_templates("flag_words") else ""


@functools.cache
def text_templates(kind: str) -> frozenset[str]:
    """The names (normalised) of one kind in text_templates.json: `quotes`,
    `column_lists`, `maintenance`, `flag_words`..."""
    return frozenset(_folded(load_data("text_templates.json")[kind]["names"]))


@functools.cache
def quote_params() -> dict[str, tuple[str, ...]]:
    """The parameters of quotation templates: `text` and `author`, each its names."""
    data = load_data("text_templates.json")["quotes"]
    return {role: tuple(normal_name(n) for n in names) for role, names in data["params"].items()}


@functools.cache
def hatnote_labels() -> dict[str, str]:
    """Hatnote templates ({{main}}, {{см. также}}, {{ana madde}}) -> the words the wiki
    prints before the linked titles ("Main article", "См. также", "Ana madde")."""
    labels = load_data("text_templates.json")["hatnotes"]["labels"]
    return {normal_name(name): label for name, label in labels.items()}


@functools.cache
def hatnote_kinds() -> dict[str, str]:
    """A hatnote's label -> the book's message that says it in the book's language
    ("main_article", "further_information", "see_also_heading")."""
    kinds = load_data("text_templates.json")["hatnotes"]["kinds"]
    return {label: message for message, labels in kinds.items() for label in labels}


@functools.cache
def column_content() -> tuple[str, ...]:
    """The parameters of a column-list template that hold its list (`1`, `content`, `תוכן`)."""
    return tuple(
        normal_name(n) for n in load_data("text_templates.json")["column_lists"]["content"]
    )


@functools.cache
def ref_template(name: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """For a template that is a `<ref>` ({{הערה|text}}): the parameters holding its
    text and its name; None for any other template."""
    data = load_data("text_templates.json")["ref_templates"]
    if normal_name(name) not in {normal_name(n) for n in data["names"]}:
        return None
    return tuple(map(normal_name, data["text"])), tuple(map(normal_name, data["name"]))
