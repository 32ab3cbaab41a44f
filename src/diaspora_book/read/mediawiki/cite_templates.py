"""Citation templates -> `Source`s: which template is which kind of work, which
parameter is which BibTeX field.

English Wikipedia's Citation Style 1 (`cite book`, `cite journal`, `cite web`,
`cite news`, `citation` and their kin) and the German `Literatur` and
`Internetquelle`. The page a reference points at (`p=`, `pages=` in a book,
`Seiten=`) is the citation's locator, not a field of the work, so citing page 5
and page 7 of one book gives one entry; in a journal article `pages=` is the
article's own extent and stays a field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mwparserfromhell.nodes import Template
from mwparserfromhell.wikicode import Wikicode

from diaspora_book.model import Name, Source, SourceSpan, year_of
from diaspora_book.read.mediawiki.cite_dates import iso_date, join_parts
from diaspora_book.read.mediawiki.cite_values import (
    people,
    person,
    plain,
    template_name,
    vancouver,
)
from diaspora_book.read.mediawiki.local_templates import (
    LocalCitation,
    citation_alias,
    english_name,
    every_alias,
    local_citation,
    wiki_aliases,
)

# Template -> BibTeX entry type ("" : decided by the fields it has).
ENTRY_TYPES = {
    "cite book": "book",
    "cite journal": "article",
    "cite magazine": "article",
    "cite news": "article",
    "cite newspaper": "article",
    "cite web": "online",
    "cite website": "online",
    "cite press release": "online",
    "cite encyclopedia": "incollection",
    "cite encyclopaedia": "incollection",
    "cite conference": "inproceedings",
    "cite thesis": "thesis",
    "cite report": "report",
    "cite techreport": "report",
    "cite arxiv": "online",
    "cite av media": "misc",
    "cite episode": "misc",
    "cite interview": "misc",
    "cite speech": "misc",
    "cite map": "misc",
    "cite document": "misc",
    "cite tweet": "online",
    "citation": "",
    "vcite book": "book",
    "vcite journal": "article",
    "vcite web": "online",
    "literatur": "",
    "internetquelle": "online",
    "webarchiv": "online",
}
SHORT_TEMPLATES = {"sfn", "sfnp", "sfnm", "harvnb", "harv", "harvp", "harvtxt", "harvcolnb"}

# English parameters (Citation Style 1), first found wins, -> field.
FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("title", ("title", "script-title", "trans-title")),
    ("chapter", ("chapter", "contribution", "section", "entry", "article")),
    (
        "container",
        (
            "journal",
            "work",
            "website",
            "newspaper",
            "magazine",
            "periodical",
            "encyclopedia",
            "encyclopaedia",
            "dictionary",
            "conference",
            "mailinglist",
        ),
    ),
    ("volume", ("volume",)),
    ("number", ("issue", "number")),
    ("edition", ("edition",)),
    ("series", ("series",)),
    ("publisher", ("publisher", "institution", "agency")),
    ("address", ("location", "place", "publication-place")),
    ("date", ("date", "year", "publication-date")),
    ("isbn", ("isbn", "isbn13")),
    ("issn", ("issn",)),
    ("doi", ("doi",)),
    ("url", ("url", "chapter-url", "archive-url")),
    ("urldate", ("access-date", "accessdate")),
    ("language", ("language", "lang")),
    ("type", ("degree",)),
)
GERMAN_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("title", ("titel",)),
    ("chapter", ("kapitel",)),
    ("container", ("sammelwerk", "werk")),
    ("volume", ("band",)),
    ("number", ("nummer",)),
    ("edition", ("auflage",)),
    ("series", ("reihe",)),
    ("publisher", ("verlag",)),
    ("address", ("ort",)),
    ("date", ("datum", "jahr")),
    ("isbn", ("isbn",)),
    ("issn", ("issn",)),
    ("doi", ("doi",)),
    ("url", ("url", "online", "archiv-url")),
    ("urldate", ("abruf", "zugriff", "abrufdatum")),
    ("language", ("sprache",)),
)
PAGE_PARAMS = ("p", "pp", "page", "pages", "seite", "seiten", "spalten")
PLACE_PARAMS = ("loc", "at", "location-in-source")
_HTTP = re.compile(r"https?://\S+", re.IGNORECASE)
_SCRIPT_PREFIX = re.compile(r"^[a-z]{2,3}(-[A-Za-z]+)?:\s*")
_NUMBERED = re.compile(r"^([a-z-]*?)-?(\d+)-?([a-z-]*)$")


def is_full_citation(name: str) -> bool:
    """Whether `name` (normalised) is a template that describes a whole work, in any
    wiki's words ({{cite book}}, {{Kitap kaynağı}}, {{Книга}}, {{یادکرد وب}})."""
    name = citation_alias(name)
    return name in ENTRY_TYPES or name.startswith("cite ") or local_citation(name) is not None


def is_short_citation(name: str) -> bool:
    """Whether `name` cites a work listed elsewhere by author and year ({{sfn}}, {{harvnb}})."""
    return name in SHORT_TEMPLATES


@dataclass(frozen=True)
class Mapped:
    """A citation template read: the work, where in it, and what could not be mapped."""

    source: Source
    locator: str = ""
    page: bool = True
    problems: tuple[str, ...] = ()  # each a sentence for a warning at the template's line


def read_full(template: Template, span: SourceSpan, language: str = "en") -> Mapped:
    """Read a full citation template ({{cite book}}, {{Literatur}}, {{Книга}}...) into a
    `Source`; `language` is the book's (its wiki's parameter names and months first)."""
    name = citation_alias(template_name(template))
    german = name in ("literatur", "internetquelle", "webarchiv")
    local = None if german else local_citation(name)
    params = _named(template, None if german else _tables(name, local, language))
    fields = _fields(params, GERMAN_FIELDS if german else FIELDS, language)
    if "date" not in params and "month" in params and "year" in params:
        year, month, day = (plain(params.get(k, "")) for k in ("year", "month", "day"))
        if date := join_parts(year, month, day, language):
            fields["date"] = date
    authors = _authors(params, german)
    editors = _editors(params, german) if name != "internetquelle" else []
    if name == "internetquelle" and "hrsg" in params:  # the site's publisher, not editors
        fields.setdefault("publisher", plain(params["hrsg"]))
    problems: list[str] = []
    entry_type = ENTRY_TYPES.get(name, local.kind if local is not None else None)
    if entry_type is None:
        problems.append(
            f"{{{{{name}}}}} is not a citation template diaspora-book knows; "
            "its fields are kept in a generic entry"
        )
        entry_type = "misc"
    entry_type = _positional_kind(template, entry_type, fields) or _guess_type(fields)
    return _mapped(template, (entry_type, fields, authors, editors), params, span, problems)


def read_generic(template: Template, span: SourceSpan, language: str = "en") -> Mapped | None:
    """A template nobody described, inside a `<ref>`: an entry from its values.

    Its parameters are read by every wiki's names (`başlık`, `заглавие`, `titre`...);
    failing those, the first unnamed value that is not an address is the title, an
    address is the URL and a value that reads as a date is the date. None when it
    has no title and no address (a language mark, a dead-link tag).
    """
    params = _named(template, (every_alias(),))
    fields = _fields(params, FIELDS, language)
    values = [plain(p.value) for p in template.params if str(p.value).strip()]
    if not fields.get("url") and (found := next((v for v in values if _HTTP.match(v)), "")):
        fields["url"] = _HTTP.match(found).group(0)  # type: ignore[union-attr]
    if not fields.get("date") and (
        date := next((d for v in values if (d := iso_date(v, language))), "")
    ):
        fields["date"] = date
    if not (fields.get("title") or fields.get("chapter")):
        known = {alias for _, aliases in FIELDS for alias in aliases}
        words = [plain(p.value) for p in template.params if not p.showkey]
        words += [plain(value) for key, value in params.items() if key not in known]
        title = next((v for v in words if _title_like(v, language)), "")
        if title:
            fields["title"] = title
    if not (fields.get("title") or fields.get("chapter") or fields.get("url")):
        return None
    authors, editors = _authors(params, False), _editors(params, False)
    entry_type = _guess_type(fields)
    name = template_name(template)
    problem = (
        f"{{{{{name}}}}} is not a citation template diaspora-book knows; "
        "its values are kept in a generic entry"
    )
    return _mapped(template, (entry_type, fields, authors, editors), params, span, [problem])


def _title_like(value: str, language: str) -> bool:
    """A value that can name a work: words, not an address, a date or a number."""
    return (
        any(c.isalpha() for c in value) and not _HTTP.match(value) and not iso_date(value, language)
    )


def _mapped(
    template: Template, work: tuple, params: dict, span: SourceSpan, problems: list[str]
) -> Mapped:
    entry_type, fields, authors, editors = work
    name = template_name(template)
    locator, page = _locator(params, keep_pages=entry_type == "article")
    if entry_type == "article" and (pages := plain(params.get("pages", ""))):
        fields["pages"] = pages
    if not (fields.get("title") or fields.get("chapter")):
        problems.append(f"{{{{{name}}}}} has no title")
    entry_type, fields = _shape(entry_type, fields)
    anchor = _anchor(params.get("ref"))
    source = Source(
        entry_type,
        tuple(fields.items()),
        span,
        authors=tuple(authors),
        editors=tuple(editors),
        template=name,
        anchor=anchor,
    )
    return Mapped(source, locator, page, tuple(problems))


def _tables(name: str, local: LocalCitation | None, language: str) -> tuple[dict, ...]:
    """The tables that name a template's parameters in English, the template's own first."""
    own = (local.params,) if local is not None else ()
    if local is None or local.english:  # a CS1 wiki: its aliases hold in every template
        return (*own, wiki_aliases(language))
    return own


# The first unnamed parameter of {{Публикация|книга|...}} / {{Публікація}}: the kind of work.
_KINDS = {"книга": "book", "статья": "article", "стаття": "article", "книга/статья": "incollection",
          "книга/стаття": "incollection", "статья/книга": "incollection"}  # fmt: skip


def _positional_kind(template: Template, entry_type: str, fields: dict[str, str]) -> str:
    """The kind a first unnamed parameter says; 和書 (ja) says the work is Japanese."""
    first = next((plain(p.value) for p in template.params if not p.showkey), "")
    if first == "和書":
        fields.setdefault("language", "ja")
    return _KINDS.get(first.lower(), entry_type)


def read_short(template: Template) -> tuple[tuple[str, ...], str, bool]:
    """Read {{sfn|Smith|Jones|2004|p=5}}: (names and year, locator, whether it is pages)."""
    positional = [plain(p.value) for p in template.params if not p.showkey]
    names = tuple(value for value in positional if value)
    locator, page = _locator(_named(template), keep_pages=False)
    return names[:5], locator, page


def _named(template: Template, tables: tuple[dict, ...] | None = None) -> dict[str, Wikicode]:
    """The named parameters with a value, by their English CS1 names.

    `tables` rename a wiki's own names (`başlık` -> `title`); a name a table maps to
    None has no bibliographic field and is left out. Without tables: German names.
    """
    found: dict[str, Wikicode] = {}
    for param in template.params:
        if not param.showkey or not str(param.value).strip():
            continue
        key: str | None = str(param.name).strip()
        for table in tables or ():
            english = english_name(key, table)  # type: ignore[arg-type]
            if english != key:
                key = english
                break
        if key is None:
            continue
        found.setdefault(key.lower().replace("_", "-"), param.value)
    return found


def _fields(params: dict[str, Wikicode], table, language: str = "en") -> dict[str, str]:
    fields: dict[str, str] = {}
    for field_name, aliases in table:
        for alias in aliases:
            if alias in params:
                value = _value(field_name, params[alias], language)
                if value:
                    fields[field_name] = value
                    break
    return fields


def _value(field_name: str, code: Wikicode, language: str = "en") -> str:
    if field_name == "url":
        links = code.filter_external_links()
        text = str(links[0].url) if links else plain(code)
        found = _HTTP.match(text.strip())
        return found.group(0) if found else ""  # only http(s) becomes a link
    text = plain(code)
    if field_name == "title":
        text = _SCRIPT_PREFIX.sub("", text) if re.match(r"^[a-z]{2,3}:", text) else text
    if field_name in ("date", "urldate"):
        return iso_date(text, language) or (year_of(text) if field_name == "date" else text)
    if field_name in ("isbn", "issn"):
        return re.sub(r"[^0-9Xx-]", "", text).upper()
    if field_name == "doi":
        return text.removeprefix("https://doi.org/").removeprefix("doi:").strip()
    return text


def _authors(params: dict[str, Wikicode], german: bool) -> list[Name]:
    if german:
        text = plain(params.get("autor", ""))
        return [n for part in re.split(r"\s*[;,]\s*|\s+und\s+", text) if (n := person(part))]
    if "author" in params and not any(k.startswith(("first", "given")) for k in params):
        several = people(plain(params["author"]))  # "Иванов И. И., Петров П. П."
        if len(several) > 1:
            params = {k: v for k, v in params.items() if k != "author"}
            return several + _authors(params, german)
    names = _numbered(
        params, ("last", "surname", "author-last", "author"), ("first", "given", "author-first")
    )
    if names:
        return names
    if "vauthors" in params:
        return vancouver(plain(params["vauthors"]))
    if "authors" in params:
        return people(plain(params["authors"]))
    return []


def _editors(params: dict[str, Wikicode], german: bool) -> list[Name]:
    if german:
        text = plain(params.get("hrsg", ""))
        return [n for part in re.split(r"\s*[;,]\s*|\s+und\s+", text) if (n := person(part))]
    names = _numbered(
        params, ("editor-last", "editor-surname", "editor"), ("editor-first", "editor-given")
    )
    if not names and "editors" in params:
        return people(plain(params["editors"]))
    return names


def _numbered(
    params: dict[str, Wikicode], lasts: tuple[str, ...], firsts: tuple[str, ...]
) -> list[Name]:
    """Names from `last=`/`first=`, `last1=`.. `lastN=`, `editor2-last=`, `author3=`."""
    by_number: dict[int, dict[str, str]] = {}
    for key, value in params.items():
        number, base = 1, key
        numbered = _NUMBERED.match(key)
        if numbered:
            number, base = (
                int(numbered.group(2)),
                numbered.group(1)
                + (
                    "-" + numbered.group(3)
                    if numbered.group(1) and numbered.group(3)
                    else numbered.group(3)
                ),
            )
        role = "last" if base in lasts else "first" if base in firsts else ""
        if role:
            by_number.setdefault(number, {})[role] = plain(value)
    names: list[Name] = []
    for number in sorted(by_number):
        parts = by_number[number]
        last, first = parts.get("last", ""), parts.get("first", "")
        if last and first:
            names.append(Name(last, first))
        elif last and (name := person(last)):
            names.append(name)
    return names


def _locator(params: dict[str, Wikicode], keep_pages: bool) -> tuple[str, bool]:
    for key in PAGE_PARAMS:
        if key in params and not (keep_pages and key == "pages"):
            return plain(params[key]), True
    for key in PLACE_PARAMS:
        if key in params:
            return plain(params[key]), False
    return "", True


def _guess_type(fields: dict[str, str]) -> str:
    """{{citation}} and {{Literatur}} name no kind of work: decide by what is there."""
    if fields.get("container") and fields.get("chapter"):
        return "incollection"
    if fields.get("container") and (fields.get("volume") or fields.get("number")):
        return "article"
    if fields.get("container") and not fields.get("publisher"):
        return "article" if not fields.get("url") else "online"
    if fields.get("publisher") or fields.get("isbn"):
        return "book"
    return "online" if fields.get("url") else "misc"


def _shape(entry_type: str, fields: dict[str, str]) -> tuple[str, dict[str, str]]:
    """Name the container and chapter as BibTeX does for this type of entry."""
    container = fields.pop("container", "")
    chapter = fields.pop("chapter", "")
    if chapter and entry_type in ("book", "incollection", "misc"):
        entry_type = "incollection"
        container = container or fields.get("title", "")
        fields["title"] = chapter
        chapter = ""
    if container:
        fields["booktitle" if entry_type in ("incollection", "inproceedings") else "journal"] = (
            container
        )
    if chapter:  # a section of a web page or an article: keep it in the title
        fields["title"] = f"{fields['title']}: {chapter}" if fields.get("title") else chapter
    if entry_type == "thesis" and "publisher" in fields:  # the university
        fields["institution"] = fields.pop("publisher")
    order = (
        "title",
        "booktitle",
        "journal",
        "volume",
        "number",
        "pages",
        "edition",
        "series",
        "publisher",
        "institution",
        "type",
        "address",
        "date",
        "isbn",
        "issn",
        "doi",
        "url",
        "urldate",
        "language",
    )
    return entry_type, {key: fields[key] for key in order if fields.get(key)}


def _anchor(code: Wikicode | None) -> tuple[str, ...]:
    """`ref={{sfnref|Smith|2004}}` or `ref={{harvid|...}}`: what {{sfn}} calls the work."""
    if code is None:
        return ()
    for template in code.filter_templates(recursive=False):
        if template_name(template) in ("sfnref", "harvid"):
            return tuple(plain(p.value) for p in template.params if not p.showkey)
    return ()
