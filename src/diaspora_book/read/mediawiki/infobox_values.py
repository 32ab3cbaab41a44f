"""An infobox value's own templates, read as the text they show (infobox.py reads the rest).

Infobox values are written with templates the running text rarely uses: lists
(`{{hlist}}`, `{{ublist}}`, `{{plainlist}}`), dates (`{{birth date and age|1941|6|24}}`,
`{{Datum|25|08|2017}}`), numbers (`{{formatnum:…}}`, `{{число|…}}`), `{{URL}}`,
trend arrows and photo montages. They are replaced by their text before the value
is read like any other wikitext, so a value keeps its words and loses its furniture;
a date is written the way the book's language writes dates (CLDR, through Babel).
Coordinates, given as `{{coord}}` or in pieces (degrees, minutes, seconds,
hemisphere), become one `43°42′N 79°24′W`.
"""

from __future__ import annotations

import datetime
import html
import re
import unicodedata

import mwparserfromhell
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from mwparserfromhell.nodes import Comment, Template, Text
from mwparserfromhell.wikicode import Wikicode

_LISTS = {
    "hlist",
    "flatlist",
    "flat list",
    "plainlist",
    "plain list",
    "ublist",
    "ubl",
    "unbulleted list",
    "bulleted list",
    "collapsible list",
    "br separated entries",
    "cslist",
    "linktext",
}
_DATES = {
    "birth date",
    "birth date and age",
    "death date",
    "death date and age",
    "birth-date",
    "death-date",
    "birth-date and age",
    "death-date and age",
    "start date",
    "start date and age",
    "end date",
    "film date",
    "dts",
    "datum",
    "birth year and age",
    "death year and age",
}
_TEXT = {"smaller", "small", "larger", "big", "resize", "longitem", "nastaliq", "nq", "nobr"}
_COUNTRY = {"flag", "flagcountry", "flagu", "flag country", "bayrak", "флаг", "флагификация"}
_DROP = {
    "increase",
    "decrease",
    "steady",
    "ref",
    "note",
    "smallsup",
    "fr icon",
    "update after",
    "colorbox",
    "!((",
    "))!",
    "photomontage",
    "photo montage",
    "фотомонтаж",
    "fotomontaj",
    "فتوکلاژ",
    "multiple image",
    "flagicon",
    "flagicon image",
    "bayraksimge",
    "флагификация/значок",
}
_SPACES = {"spaces", "nbsp", "space", "br", "ש", "break"}  # {{ש}}: hewiki's line break


def flatten(code: Wikicode, language: str) -> Wikicode:
    """Return a copy of `code` with the infobox value templates replaced by their text.

    A value written as a link's target and text split by `{{!}}` (ru `{{НП}}`:
    `Кампания (Италия){{!}}Кампания`) keeps the text after the last `{{!}}`.
    """
    copy = mwparserfromhell.parse(str(code).strip())
    pipes = [n for n in copy.nodes if isinstance(n, Template) and str(n.name).strip() == "!"]
    if pipes:
        last = copy.nodes.index(pipes[-1])
        copy = mwparserfromhell.parse("".join(str(n) for n in copy.nodes[last + 1 :]).strip())
    _flatten_in(copy, language)
    for link in copy.filter_wikilinks():
        if link.text is None and "&" in str(link.title):  # [[Elizabeth&nbsp;II]]
            link.title = html.unescape(str(link.title))
    return copy


def _flatten_in(code: Wikicode, language: str) -> None:
    for node in list(code.nodes):
        if not isinstance(node, Template):
            continue
        for param in node.params:
            _flatten_in(param.value, language)
        text = _template_text(node, language)
        if text is not None:
            code.replace(node, text)


def _name(template: Template) -> str:
    return " ".join(str(template.name).replace("_", " ").split()).lower()


def _positional(template: Template) -> list[str]:
    return [str(p.value).strip() for p in template.params if not p.showkey]


def _template_text(template: Template, language: str) -> str | None:
    """Return the wikitext a template shows in an infobox value; None: not one of these."""
    name = _name(template)
    values = _positional(template)
    if name.startswith("formatnum:"):
        return str(template.name).split(":", 1)[1].strip()
    if name in _LISTS:
        items = [line for value in values for line in _list_items(value)]
        return ("" if name == "linktext" else ", ").join(item for item in items if item)
    if name in _DATES:
        return _date(values, language, german=name == "datum")
    if name in ("число", "nts", "ntsh", "num", "formatnum"):
        return values[0] if values else ""
    if name == "url":
        shown = values[1] if len(values) > 1 and values[1] else (values[0] if values else "")
        return re.sub(r"^https?://", "", shown).rstrip("/")
    if name in _TEXT:
        return values[-1] if values else ""
    if name in _COUNTRY:
        return values[0] if values else ""
    if name in _SPACES:
        return " "
    if name == "\\":
        return "/"
    if name in _DROP:
        return ""
    return None


def date_or_number(template: Template, language: str) -> str | None:
    """Return what a date or number template shows in running text or a table cell
    (`{{dts|1869|3|5}}`, `{{birth date|1941|6|24}}`, `{{formatnum:1234}}`), written in
    the book's language; None for any other template."""
    name = _name(template)
    if name in _DATES or name.startswith("formatnum:") or name in ("nts", "ntsh", "число"):
        shown = _template_text(template, language)
        # A number computed by the wiki ({{formatnum:{{#expr:...}}}}) cannot be here.
        return None if shown is None or "{{" in shown or "}}" in shown else shown
    return None


def _list_items(value: str) -> list[str]:
    """A list template's item: itself, or the `* item` lines of a `{{plainlist}}`."""
    lines = [line.strip() for line in value.split("\n")]
    if any(line.startswith("*") for line in lines):
        return [line.lstrip("*").strip() for line in lines if line.startswith("*")]
    return [value.strip()]


def _date(values: list[str], language: str, german: bool = False) -> str:
    """A date template's date, in the book's language's long form (CLDR)."""
    numbers = [v for v in values if re.fullmatch(r"-?\d{1,4}", v)]
    if not numbers:
        shown = [v for v in values if v]
        return shown[-1] if shown else ""
    if len(values) > 1 and not re.fullmatch(r"-?\d{1,4}", values[1]) and values[1]:
        return values[1]  # {{birth-date|0965|c. 965}}: the date as the article shows it
    if german:
        numbers = numbers[:3][::-1]
    year, month, day = (int(n) for n in [*numbers[:3], "0", "0"][:3])
    locale = _locale(language)
    try:
        if month and day:
            return format_date(datetime.date(year, month, day), "long", locale=locale)
        if month:
            return format_skeleton("yMMMM", datetime.date(year, month, 1), locale=locale)
    except ValueError:
        pass
    return str(year)


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


# --- Coordinates ------------------------------------------------------------------

_HEMISPHERES = {"n": "N", "s": "S", "e": "E", "w": "W", "o": "E"}


def coord_text(template: Template) -> str:
    """Return a `{{coord}}` template's position as `43°42′N 79°24′W` ("" if unreadable)."""
    values = [_digits(v) for v in _positional(template)]
    marks = [i for i, v in enumerate(values) if v.lower() in ("n", "s")]
    if marks:
        at = marks[0]
        rest = values[at + 1 :]
        ends = [i for i, v in enumerate(rest) if v.lower() in ("e", "w", "o")]
        if not ends:
            return ""
        latitude = _dms(values[:at], values[at])
        longitude = _dms(rest[: ends[0]], rest[ends[0]])
        return f"{latitude} {longitude}" if latitude and longitude else ""
    if len(values) >= 2:
        latitude = _decimal(values[0], "N", "S")
        longitude = _decimal(values[1], "E", "W")
        return f"{latitude} {longitude}" if latitude and longitude else ""
    return ""


def pieces_text(parts: dict[str, str]) -> str:
    """Return a position given in pieces (`lat_d`, `lat_m`, `lat_s`, `lat_ns`, `lon_…`)."""
    parts = {key: _digits(value) for key, value in parts.items()}
    latitude = _from_pieces(parts, "lat", "N", "S")
    longitude = _from_pieces(parts, "lon", "E", "W")
    return f"{latitude} {longitude}" if latitude and longitude else ""


def _from_pieces(parts: dict[str, str], axis: str, positive: str, negative: str) -> str:
    degrees = parts.get(f"{axis}_d", "")
    if not _number(degrees):
        return ""
    hemisphere = parts.get(f"{axis}_ns" if axis == "lat" else f"{axis}_ew", "")
    if not hemisphere:
        hemisphere = negative if degrees.startswith("-") else positive
        degrees = degrees.lstrip("-")
    return _dms([degrees, parts.get(f"{axis}_m", ""), parts.get(f"{axis}_s", "")], hemisphere)


def _dms(numbers: list[str], hemisphere: str) -> str:
    shown = _HEMISPHERES.get(hemisphere.strip().lower())
    numbers = [n.strip() for n in numbers]
    if shown is None or not numbers or not _number(numbers[0]):
        return ""
    text = f"{numbers[0]}°"
    for value, sign in zip(numbers[1:3], "′″", strict=False):
        if not _number(value):
            break
        text += f"{value}{sign}"
    return text + shown


def _decimal(value: str, positive: str, negative: str) -> str:
    if not _number(value):
        return ""
    hemisphere = negative if value.startswith("-") else positive
    return f"{value.lstrip('-+')}°{hemisphere}"


def _number(value: str) -> bool:
    return bool(re.fullmatch(r"[-+]?\d+(?:[.,]\d+)?", value.strip()))


def _digits(value: str) -> str:
    """The value with any script's decimal digits as ASCII (`۲۵` is 25) and no markup."""
    value = mwparserfromhell.parse(value).strip_code().strip()
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in value)


def raw_text(code: Wikicode) -> str:
    """The value without comments and surrounding space: whether it says anything."""
    return "".join(str(n) for n in code.nodes if not isinstance(n, Comment)).strip()


def plain_words(code: Wikicode) -> str:
    """The value's text without markup (to tell a file name or a size from a fact)."""
    return " ".join(
        str(n) if isinstance(n, Text) else mwparserfromhell.parse(str(n)).strip_code()
        for n in code.nodes
        if not isinstance(n, Comment)
    ).strip()
