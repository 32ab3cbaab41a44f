"""Plain text, names and dates from the values of citation template parameters.

A parameter's value is wikitext: `[[Urumqi|Ürümqi]]`, `{{lang|ug|...}}`, `''italic''`,
`&nbsp;`, `<!-- comments -->`. A bibliography field is plain text, so links become
their text, the few templates that carry text (`lang`, `nowrap`, dashes) give it,
and every other template is dropped. Names become (last, first) pairs the way
BibTeX reads them; dates become ISO 8601 when their form is known, so citeproc can
print them in the book's language.
"""

from __future__ import annotations

import re

import mwparserfromhell
from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

from diaspora_book.model import Name
from diaspora_book.read.mediawiki.cite_dates import iso_date
from diaspora_book.read.mediawiki.dropped import DROP, removals
from diaspora_book.read.mediawiki.quotes import without_quote_markup

__all__ = ["iso_date", "people", "person", "plain", "template_name", "vancouver"]

# Templates whose text stays in a field, and which positional parameter holds it
# (-1: the last one); every other template inside a value is dropped.
TEXT_TEMPLATES = {
    "lang": -1,
    "transl": -1,
    "nowrap": 1,
    "nobr": 1,
    "small": 1,
    "smallcaps": 1,
    "noitalic": 1,
    "nobold": 1,
    "script": -1,
    "langx": -1,
    "sic": -1,
    "not a typo": 1,
}
SYMBOL_TEMPLATES = {
    "'": "'",
    "!": "|",
    "=": "=",
    "ndash": "\u2013",
    "en dash": "\u2013",
    "mdash": "\u2014",
    "em dash": "\u2014",
    "snd": " \u2013 ",
    "spaced ndash": " \u2013 ",
    "nbsp": "\u00a0",
    "thinsp": "\u2009",
    "middot": "\u00b7",
    "·": "\u00b7",
    "•": " \u2022 ",
}
# A name with one of these words is a company's, never "Last, First".
_CORPORATE = re.compile(r"\b(ltd|inc|llc|gmbh|corp|plc|co|ag|e\.?\s?v)\b\.?", re.IGNORECASE)
_INITIALS = re.compile(r"^(\w\.-?)+$")  # "И.", "J.-P.", "A.B."
_MAX_DEPTH = 30  # deeper nesting of links in templates in links is dropped, not followed
_SPACE = re.compile(r"[ \t\r\n\f\v]+")  # not no-break spaces: they are meant


def template_name(template: Template) -> str:
    """Return the template's name as MediaWiki compares it: `Cite_book` is `cite book`.

    MediaWiki ignores the case of the first letter only; redirects such as `Cite Book`
    exist for the rest, so the whole name is compared in lower case.
    """
    name = str(mwparserfromhell.parse(str(template.name)).strip_code(keep_template_params=True))
    return _SPACE.sub(" ", name.replace("_", " ")).strip().lower()


def plain(value: Wikicode | str, depth: int = 0) -> str:
    """Return the text a reader sees in a wikitext value, whitespace collapsed."""
    code = mwparserfromhell.parse(value) if isinstance(value, str) else value
    text = _SPACE.sub(" ", _text(code, depth))
    gone = removals(text)  # what a dropped template left: "2005, , Google Print"
    return "".join(c for i, c in enumerate(text) if i not in gone).strip()


def _text(code: Wikicode, depth: int) -> str:
    if depth > _MAX_DEPTH:
        return ""
    parts: list[str] = []
    for node in code.nodes:
        if isinstance(node, Text):
            parts.append(without_quote_markup(str(node)))
        elif isinstance(node, Wikilink):
            parts.append(_link_text(node, depth))
        elif isinstance(node, ExternalLink):
            parts.append(_text(node.title, depth + 1) if node.title else str(node.url))
        elif isinstance(node, Template):
            parts.append(_template_text(node, depth))
        elif isinstance(node, Tag):
            parts.append(_tag_text(node, depth))
        elif isinstance(node, HTMLEntity):
            parts.append(node.normalize())  # an invalid one is Text (`literal_references`)
        elif isinstance(node, Heading):
            parts.append(_text(node.title, depth + 1))
        elif isinstance(node, (Comment, Argument)):
            continue
    return "".join(parts)


def _link_text(link: Wikilink, depth: int) -> str:
    if link.text is not None:
        return _text(link.text, depth + 1)
    target = str(link.title).strip().lstrip(":")
    namespace, colon, rest = target.partition(":")
    if colon and namespace.lower() in ("category", "kategorie", "file", "datei", "image"):
        return ""
    return target.split("#", 1)[0] or target


def _tag_text(tag: Tag, depth: int) -> str:
    name = str(tag.tag).strip().lower()
    if name in ("ref", "references", "script", "style", "math", "gallery"):
        return ""
    if name == "br":
        return " "
    return _text(tag.contents, depth + 1) if tag.contents is not None else ""


def _template_text(template: Template, depth: int) -> str:
    name = template_name(template)
    if name in SYMBOL_TEMPLATES:
        return SYMBOL_TEMPLATES[name]
    position = TEXT_TEMPLATES.get(name)
    if position is None and name.startswith(("lang-", "langx")):
        position = -1
    if name in ("isbn", "issn"):  # {{ISBN|0-19-...}}: its number, named
        numbers = [str(p.value).strip() for p in template.params if not p.showkey]
        return f"{name.upper()} {', '.join(n for n in numbers if n)}" if any(numbers) else DROP
    if position is None:
        return DROP  # printed nothing (tidied by `plain`)
    values = [p.value for p in template.params if not p.showkey]
    if not values:
        return ""
    if position == -1:
        chosen = values[-1]
    elif len(values) >= position:
        chosen = values[position - 1]
    else:
        return ""
    return _text(chosen, depth + 1)


# A role written after a name in a citation's value ("Max Mangold (ed.)", "Müller
# (Hrsg.)", "Иванов (ред.)"): the template's own parameter says the role already.
_ROLE = re.compile(
    r"\s*[(\[](?:eds?|editors?|hrsg|hg|red|ред|сост|пер|trans|tr|comp|ill|dir)\.?[)\]]\s*$",
    re.IGNORECASE,
)


def person(text: str) -> Name | None:
    """Read one name written free-form: "Smith, John", "John Smith" or a body's name."""
    text = _ROLE.sub("", text.strip().strip(",;").strip()).strip()
    if not text:
        return None
    if "&" in text or _CORPORATE.search(text):
        return Name(text, literal=True)
    if "," in text:
        last, first = (part.strip() for part in text.split(",", 1))
        return Name(last, first)
    words = text.split()
    if len(words) > 1 and all(_INITIALS.match(w) for w in words[1:]):
        return Name(words[0], " ".join(words[1:]))  # "Иванов И. И.": family name first
    looks_like_a_body = len(words) > 3 or any(w[:1].islower() for w in words[1:])
    if len(words) == 1 or looks_like_a_body:
        return Name(text, literal=len(words) > 1)
    return Name(words[-1], " ".join(words[:-1]))


def people(text: str) -> list[Name]:
    """Read a list of names: "A. Smith; B. Jones", "Smith, A.; Jones, B.", "A and B"."""
    if ";" in text:
        parts = text.split(";")
    elif " and " in text or " und " in text:
        parts = re.split(r"\s+(?:and|und)\s+", text)
    elif text.count(",") > 1 or (
        "," in text and all(len(p.split()) > 1 for p in text.split(","))
    ):  # "A. Smith, B. Jones", "Иванов И. И., Петров П. П.", not "Smith, John"
        parts = text.split(",")
    else:
        parts = [text]
    return [name for part in parts if (name := person(part))]


def vancouver(text: str) -> list[Name]:
    """Read `vauthors`: "Smith JA, Jones B" (family name, then initials)."""
    names: list[Name] = []
    for part in text.split(","):
        words = part.split()
        if len(words) > 1 and words[-1].isupper() and len(words[-1]) <= 3:
            names.append(Name(" ".join(words[:-1]), " ".join(f"{c}." for c in words[-1])))
        elif words:
            names.append(Name(" ".join(words), literal=len(words) > 1))
    return names


def literal_references(code: Wikicode) -> None:
    """Turn every character reference MediaWiki would not decode into text, in place.

    MediaWiki's Sanitizer decodes `&#N;` only to a character XML may hold (tab, line
    feed, U+0020-U+007E, U+00A0-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF) and prints
    any other (`&#xD800;`, a lone surrogate; `&#0;`; `&#x80;`; `&#xFFFE;`) as
    written. The text keeps its length, so every offset still points at its source.
    """
    for node in code.filter_html_entities(recursive=True):
        if node.named:
            continue
        try:
            codepoint = int(node.value, 16 if node.hexadecimal else 10)
        except ValueError:
            codepoint = -1
        if not _decodable(codepoint):
            code.replace(node, Text(str(node)), recursive=True)


def _decodable(codepoint: int) -> bool:
    return (
        codepoint in (0x09, 0x0A)
        or 0x20 <= codepoint <= 0x7E
        or 0xA0 <= codepoint <= 0xD7FF
        or 0xE000 <= codepoint <= 0xFFFD
        or 0x10000 <= codepoint <= 0x10FFFF
    )
