"""Infoboxes -> the fact box: the facts a reader wants, labelled in the book's language.

A wiki's infobox holds its facts among layout: image names and sizes, map and
pushpin settings, coordinates in eight pieces, reference and footnote slots, and
`blank1_name`/`blank1_info` pairs that are a label and its value. What a reader
gets is chosen by `infoboxes.yml`:

- a **curated** infobox (settlement, country, ethnic group, person, officeholder,
  company, football club and biography, scientist/philosopher, software, under
  their names on every wiki: `{{НП}}`, `{{Елді мекен}}`, `{{Yerleşim bilgi kutusu}}`,
  `{{Infobox Software}}`, …) shows the fields it names, in its order;
- **any other** infobox shows every parameter but those whose names or values are
  layout, a known field under its label, any other under its name made readable.

Both join what belongs together: a label parameter and its value (`subdivision_type1`
and `subdivision_name1`), a population and its year, a birth date and its place, a
time zone and its UTC offset, the pieces of a coordinate (`52°31′N 13°23′E`). At most
`MAX_ROWS` rows are shown. The box's image is kept apart (`Infobox.image`): the
chapter shows it when `media/` has the file.

A template is an infobox when `infoboxes.yml` names it, when its name says so in a
wiki's words (`Infobox …`, `… bilgi kutusu`, `جعبه اطلاعات …`, `… 信息框`, `… 정보`),
or when, still unread, it is the first template of the lead with many named
parameters (the place every wiki puts its infobox).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Any

import mwparserfromhell
import yaml
from mwparserfromhell.nodes import Template
from mwparserfromhell.wikicode import Wikicode

from diaspora_book.model import Fact, Figure
from diaspora_book.read.mediawiki.context import ReadContext
from diaspora_book.read.mediawiki.infobox_values import (
    coord_text,
    flatten,
    pieces_text,
    plain_words,
    raw_text,
)
from diaspora_book.read.mediawiki.inline import FILE_NAMESPACES, paragraph, read_inline
from diaspora_book.read.mediawiki.runs import RunText
from diaspora_book.read.mediawiki.source import child_offset

MAX_ROWS = 20
# A template with this many named parameters, first in the lead, is taken for an infobox.
_LEAD_PARAMETERS = 8
_NAMED_INFOBOX = re.compile(
    r"^(infobox|info box|taxobox|infokasten|карточка|bilgiquti|جعبه اطلاعات|基礎情報)"
    r"|(bilgi kutusu|信息框|資訊框|信息模板|정보)$"
)
# Lead templates with many named parameters that are not fact boxes.
_NOT_INFOBOX = re.compile(
    r"image|photo|montage|gallery|quote|weather|climate|chart|graph|timeline|navbox|sidebar"
    r"|succession|климат|фотомонтаж"
)
_FILE_VALUE = re.compile(
    r"^[^\n|]*\.(jpe?g|png|svg|gif|tiff?|webp|ogg|oga|ogv|webm|pdf|djvu)$", re.IGNORECASE
)
_SIZE_VALUE = re.compile(r"^(\d+\s*(x\s*\d+\s*)?px|auto|yes|no|y|n|ja|nein|да|нет|есть|бар|evet)$")
_BARE_NUMBER = re.compile(r"^[\d\s.,\u00a0\u202f\u066b\u066c–—-]+$")  # any script's digits


def normal(name: str) -> str:
    """A parameter or template name as compared: case-folded, `_` and `-` as spaces."""
    return " ".join(name.replace("_", " ").replace("-", " ").split()).casefold()


@dataclass(frozen=True)
class Field:
    """A fact: its labels and the parameters that give it (see infoboxes.yml)."""

    name: str
    labels: dict[str, str]
    params: tuple[str, ...]
    year: tuple[str, ...] = ()
    joined: tuple[str, ...] = ()  # `with:` another part of the fact (a birth's place)
    offset: tuple[str, ...] = ()
    unit: str = ""
    unless: tuple[str, ...] = ()  # values that say nothing (largest city: "capital")


@dataclass(frozen=True)
class PairForm:
    """One way a wiki writes a label and its value as two parameters."""

    group: str
    label: re.Pattern[str]
    values: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Catalogue:
    fields: dict[str, Field]
    owner: dict[str, str]  # parameter -> the field that reads it (as value, year, place...)
    pairs: tuple[PairForm, ...]
    pair_labels: dict[str, dict[str, str]]  # group -> labels when its own label is empty
    coordinates: dict[str, str]  # parameter -> piece (lat_d, lat_m, ..., lon_ew)
    boxes: dict[str, tuple[Any, ...]]  # template name -> the fields and groups it shows
    layout_words: frozenset[str]
    layout_phrases: tuple[str, ...]
    image: tuple[str, ...]
    caption: tuple[str, ...]

    def label(self, name: str, language: str) -> str:
        labels = self.pair_labels.get(name) or (
            self.fields[name].labels if name in self.fields else {}
        )
        primary = language.split("-")[0].lower()
        return labels.get(language) or labels.get(primary) or labels.get("en", "")

    def is_layout(self, name: str) -> bool:
        words = set(name.split())
        return bool(words & self.layout_words) or any(p in name for p in self.layout_phrases)


def _pattern(name: str) -> re.Pattern[str]:
    text = re.escape(normal(name)).replace(r"\{n\}", r"(\d*)").replace(r"\{N\}", r"(\d+)")
    return re.compile(f"^{text}$")


@functools.cache
def catalogue() -> Catalogue:
    """Load `infoboxes.yml`, shipped with the package."""
    path = resources.files("diaspora_book") / "read" / "mediawiki" / "infoboxes.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fields: dict[str, Field] = {}
    owner: dict[str, str] = {}
    for name, spec in data["fields"].items():
        field = Field(
            name,
            spec["label"],
            tuple(normal(p) for p in spec["params"]),
            tuple(normal(p) for p in spec.get("year", ())),
            tuple(normal(p) for p in spec.get("with", ())),
            tuple(normal(p) for p in spec.get("offset", ())),
            spec.get("unit", ""),
            tuple(v.casefold() for v in spec.get("unless", ())),
        )
        fields[name] = field
        for param in (*field.params, *field.year, *field.joined, *field.offset):
            owner.setdefault(param, name)
    pairs = tuple(
        PairForm(group, _pattern(form[0]), tuple(_pattern(v) for v in form[1:]))
        for group, spec in data["pairs"].items()
        for form in spec["forms"]
    )
    pair_labels = {group: spec["label"] for group, spec in data["pairs"].items()}
    boxes: dict[str, tuple[Any, ...]] = {}
    for spec in data["infoboxes"].values():
        for template in spec["templates"]:
            boxes[normal(template)] = tuple(spec["show"])
    layout = [normal(str(word)) for word in data["layout"]]
    return Catalogue(
        fields,
        owner,
        pairs,
        {
            group: data["pair_labels"].get(label) or fields[label].labels if label else {}
            for group, label in pair_labels.items()
        },
        {normal(p): piece for piece, names in data["coordinates"].items() for p in names},
        boxes,
        frozenset(word for word in layout if " " not in word),
        tuple(word for word in layout if " " in word),
        tuple(normal(p) for p in data["image"]["params"]),
        tuple(normal(p) for p in data["image"]["caption"]),
    )


def is_infobox(name: str, template: Template, at: int, context: ReadContext) -> bool:
    """Tell whether `template` (named `name`, as `templates.template_name` gives it) is one."""
    name = normal(name)
    if name in catalogue().boxes or _NAMED_INFOBOX.search(name):
        return True
    named = sum(1 for p in template.params if p.showkey and str(p.value).strip())
    return (
        context.infobox is None
        and not _NOT_INFOBOX.search(name)
        and at < context.lead_end
        and named >= _LEAD_PARAMETERS
        and "\n" in str(template)
    )


@dataclass
class _Param:
    name: str  # normal()
    shown: str  # as a label: the name as written, `_` as spaces, a capital first
    value: Wikicode
    position: int  # order in the template


class _Reader:
    """Reads one infobox's parameters into rows."""

    def __init__(self, template: Template, at: int, context: ReadContext):
        self.template, self.at, self.context = template, at, context
        self.book = catalogue()
        self.params: dict[str, _Param] = {}
        for position, param in enumerate(template.params):
            if not param.showkey:
                continue
            name = normal(str(param.name))
            if name in self.params and not raw_text(param.value):
                continue  # a second, empty `population_estimate_year` keeps the first
            shown = " ".join(str(param.name).replace("_", " ").split())
            self.params[name] = _Param(name, shown[:1].upper() + shown[1:], param.value, position)
        self.used: set[str] = set()

    def filled(self, name: str) -> _Param | None:
        param = self.params.get(name)
        if param is None or not raw_text(param.value):
            return None
        words = plain_words(param.value)
        if _FILE_VALUE.match(words) or _SIZE_VALUE.match(words.casefold()):
            return None
        return param

    def read(self, param: _Param, out: RunText) -> None:
        written = str(param.value)
        offset = child_offset(str(self.template), self.at, written)
        offset += len(written) - len(written.lstrip())
        read_inline(flatten(param.value, self.context.language), offset, self.context, out)

    def row(self, key: str, parts: list[tuple[_Param, str, str]]) -> Fact | None:
        """A fact whose value is `parts` read in turn, each between its `before` and `after`.

        A part that reads as nothing (a template the converter cannot expand) is left
        out with its surroundings: no "()" and no dangling ", ".
        """
        out = RunText()
        offset = child_offset(str(self.template), self.at, str(parts[0][0].value))
        for param, before, after in parts:
            mark = out.position
            if before[:1] in ",)" and out.text.endswith(" "):
                out.truncate(mark - 1)  # "c. 965 (c. 354 AH), Basra", not "AH) , Basra"
                mark = out.position
            out.add(before)
            start = out.position
            self.read(param, out)
            if not _says_something(out.text[start:]):
                out.truncate(mark)
            else:
                out.add(after)
        value, runs = out.result()
        if not value.strip(" ,;:()"):
            return None
        return Fact(key, value, out.span(self.context.locator, offset), runs)

    def field(self, name: str) -> tuple[int, Fact] | None:
        field = self.book.fields[name]
        if name == "coordinates":
            return self.coordinates()
        main = self._first(field.params)
        offset = self._first(field.offset)
        year = self._year(field, main.name) if main is not None else None
        place = self._first(field.joined)
        for param in (*field.params, *field.year, *field.joined, *field.offset):
            self.used.add(param)
        label = self.book.label(name, self.context.language)
        if main is None:  # a time zone given only as its offset: "UTC+1"
            if offset is None:
                return None
            alone = self.row(label, [(offset, "", "")])
            return (offset.position, _utc(alone)) if alone is not None else None
        parts = [(main, "", "")]
        if year is not None:
            parts.append((year, " (", ")"))
        if place is not None:
            parts.append((place, ", ", ""))
        if offset is not None:
            parts.append((offset, " (", ")"))
        fact = self.row(label, parts)
        if fact is None:
            return None
        if fact.value.casefold() in field.unless:
            return None
        if field.unit and _BARE_NUMBER.match(fact.value):
            fact = Fact(fact.key, fact.value + field.unit, fact.span, fact.runs)
        if offset is not None:
            fact = _utc_in_brackets(fact)
        return main.position, fact

    def _first(self, names: tuple[str, ...]) -> _Param | None:
        """The first of `names` given a value that no other row has read."""
        found = (self.filled(name) for name in names if name not in self.used)
        return next((p for p in found if p is not None), None)

    def _year(self, field: Field, main: str) -> _Param | None:
        years = [
            p for p in map(self.filled, field.year) if p is not None and p.name not in self.used
        ]
        own = [p for p in years if p.name.startswith(main)]
        return (own or years)[0] if years else None

    def coordinates(self) -> tuple[int, Fact] | None:
        label = self.book.label("coordinates", self.context.language)
        pieces = {n: p for n, p in self.params.items() if n in self.book.coordinates}
        self.used.update(pieces)
        text = pieces_text({self.book.coordinates[n]: str(p.value) for n, p in pieces.items()})
        position = min((p.position for p in pieces.values()), default=0)
        for name in self.book.fields["coordinates"].params:
            param = self.params.get(name)
            self.used.add(name)
            if text or param is None:
                continue
            coord = next(
                (t for t in param.value.filter_templates() if normal(str(t.name)) in _COORD), None
            )
            text = coord_text(coord) if coord is not None else ""
            position = param.position
        if not text:
            return None
        return position, Fact(label, text, self.context.span(self.at))

    def pairs(self, group: str | None = None) -> list[tuple[int, Fact]]:
        """The rows of label/value pairs (of one group, or all), in the template's order."""
        rows: list[tuple[int, Fact]] = []
        for form in self.book.pairs:
            if group is not None and form.group != group:
                continue
            for name in list(self.params):
                found = form.values[0].match(name)
                if found is None or name in self.used:
                    continue
                number = found.group(1) if found.groups() else ""
                label_name = _fill(form.label, number)
                names = [_fill(v, number) for v in form.values]
                if label_name in self.used or any(n in self.used for n in names):
                    continue
                self.used.update([label_name, *names])
                values = [p for p in map(self.filled, names) if p is not None]
                if not values:
                    continue
                key = self._pair_label(label_name, form.group)
                if not key:
                    continue
                parts = [(values[0], "", "")]
                for value in values[1:]:  # a term's end; a leader's "(party)"
                    parts.append((value, " " if raw_text(value.value)[:1] == "(" else " – ", ""))
                fact = self.row(key, parts)
                if fact is not None:
                    rows.append((self.params[names[0]].position, fact))
        return sorted(rows, key=lambda row: row[0])

    def _pair_label(self, name: str, group: str) -> str:
        param = self.filled(name)
        if param is not None:
            out = RunText()
            self.read(param, out)
            text, _ = out.result()
            if text.strip(" :"):
                return text.strip(" :")
        return (
            self.book.label(group, self.context.language) if group in self.book.pair_labels else ""
        )

    def curated(self, show: tuple[Any, ...]) -> list[Fact]:
        facts: list[Fact] = []
        for item in show:
            name, limit = next(iter(item.items())) if isinstance(item, dict) else (item, None)
            if name in self.book.fields:
                found = self.field(name)
                facts += [found[1]] if found else []
            else:
                facts += [fact for _, fact in self.pairs(name)[:limit]]
        return facts

    def generic(self) -> list[Fact]:
        rows = self.pairs()
        rows += [row for row in [self.coordinates()] if row]
        for name, param in list(self.params.items()):
            if name in self.used:
                continue
            field = self.book.owner.get(name)
            if field is not None:
                found = self.field(field)
                rows += [found] if found else []
                continue
            self.used.add(name)
            if name.isdigit() or self.book.is_layout(name) or self.filled(name) is None:
                continue
            fact = self.row(re.sub(r"(?<=[^\d\s])1$", "", param.shown), [(param, "", "")])
            if fact is not None:
                rows.append((param.position, fact))
        return [fact for _, fact in sorted(rows, key=lambda row: row[0])]

    def image(self) -> Figure | None:
        for name in self.book.image:
            param = self.params.get(name)
            if param is None:
                continue
            file = _file_of(param.value)
            if not file:
                continue
            caption_param = next(
                (p for p in map(self.filled, self.book.caption) if p is not None), None
            )
            offset = child_offset(str(self.template), self.at, str(param.value))
            caption = (
                paragraph(flatten(caption_param.value, self.context.language), offset, self.context)
                if caption_param is not None
                else paragraph(mwparserfromhell.parse(""), offset, self.context)
            )
            return Figure(file, caption, self.context.span(offset))
        return None


_COORD = {"coord", "coordinates", "координаты", "koordinate", "coor dms", "coor d"}


def _fill(pattern: re.Pattern[str], number: str) -> str:
    return re.sub(r"\(\\d[*+]\)", number, pattern.pattern[1:-1]).replace("\\", "")


def _says_something(text: str) -> bool:
    """Whether `text` has a character a reader sees (not only spaces, joiners, marks)."""
    return any(not c.isspace() and unicodedata.category(c) not in ("Cf", "Mn") for c in text)


def _utc_in_brackets(fact: Fact) -> Fact:
    """`CET (+1)` -> `CET (UTC+1)` (the offset is the value's last part)."""
    found = re.search(r"\((?=[+\u2212-]?\d[\d:.]*\)$)", fact.value)
    if found is None or any(run.end > found.start() for run in fact.runs):
        return fact
    at = found.end()
    return Fact(fact.key, fact.value[:at] + "UTC" + fact.value[at:], fact.span, fact.runs)


def _utc(fact: Fact) -> Fact:
    value = fact.value if fact.value.upper().startswith(("UTC", "GMT")) else f"UTC{fact.value}"
    return Fact(fact.key, value, fact.span, ())


def _file_of(value: Wikicode) -> str:
    """The file an image parameter names: a bare name or a `[[File:…]]` link."""
    for link in value.filter_wikilinks():
        space, _, rest = str(link.title).partition(":")
        if space.strip().lower() in FILE_NAMESPACES and rest.strip():
            return " ".join(rest.replace("_", " ").split())
    words = plain_words(value)
    if _FILE_VALUE.match(words):
        space, sep, rest = words.partition(":")
        name = rest if sep and space.strip().lower() in FILE_NAMESPACES else words
        return " ".join(name.replace("_", " ").split())
    return ""


def read_infobox(template: Template, at: int, context: ReadContext) -> None:
    """Record the article's fact box (the first infobox; a later one is dropped)."""
    if context.infobox is not None:
        return
    context.infobox = ("", [], context.span(at))  # taken: a template inside is not the box
    reader = _Reader(template, at, context)
    name = normal(str(template.name)).removeprefix("template:").removeprefix("vorlage:")
    show = reader.book.boxes.get(name)
    before = len(context.figures)
    facts = reader.curated(show) if show is not None else reader.generic()
    # No caption: what the template's name says ("settlement", "officeholder") is the
    # wiki's furniture, in the wiki's words; the facts under the title say what it is.
    context.infobox = ("", facts[:MAX_ROWS], context.span(at))
    context.infobox_image = reader.image()
    del context.figures[before:]  # an infobox's image is not a body figure
