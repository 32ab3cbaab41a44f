"""Templates whose words a reader needs, in any wiki's names: flags, interlanguage links.

- A flag that prints a country's name (`{{flag|Germany}}`, `{{Флагификация|Германия}}`,
  per-country `{{USA}}`, `{{GER}}`) gives the name; a code (`DEU`, `GER`, `FR`) or an
  English name becomes CLDR's name for the country in the book's language (Babel),
  `|name=` wins. A flag that draws only the flag (`{{flagicon}}`, `{{bayraksimge}}`,
  `{{Флаг России}}`, `{{Польша флагы}}`) gives nothing.
- An interlanguage link (`{{ill}}`, `{{нп5}}`, `{{仮リンク}}`, `{{link-de}}`) gives the
  local title, or the text it says to show.
- A maintenance tag (`{{citation needed}}`, `{{Нет АИ}}`, `{{kaynak belirtilmeli}}`,
  `{{Belege fehlen}}`, `{{要出典}}`) or a column-list marker (`{{div col}}`) gives nothing.

The names come from `data/citation_templates.json` and `data/text_templates.json`.
"""

from __future__ import annotations

import functools
import re

from babel import Locale, UnknownLocaleError
from mwparserfromhell.nodes import Template

from diaspora_book.read.mediawiki.cite_values import plain
from diaspora_book.read.mediawiki.local_templates import (
    flag_kind,
    load_data,
    normal_name,
    quote_params,
    text_templates,
)
from diaspora_book.read.mediawiki.runs import RunText

_CODE = re.compile(r"^[A-Z]{2,3}$")
_NOT_TRANSLATED = re.compile(r"^(нп\d?|не переведено( \d)?)$")


def read_word_template(template: Template, language: str, out: RunText) -> bool:
    """Append what a flag or interlanguage-link template shows; True if it was one
    (or a maintenance tag or column-list marker, which show nothing)."""
    raw = " ".join(str(template.name).split())
    name = normal_name(raw)
    if name in text_templates("maintenance") or name in text_templates("column_lists"):
        return True
    if name in text_templates("interlanguage_links"):
        out.add(_interlanguage(template, name))
        return True
    if name in text_templates("quotes"):  # a quotation inside a paragraph: its words
        out.add(quote_parts(template)[0])
        return True
    if not [p for p in template.params if not p.showkey] and re.fullmatch(r"[A-Z]{3}", raw):
        country = country_name(raw, language)  # {{USA}}, {{GER}}: a flag and the name
        if country:
            out.add(country)
            return True
        return False
    if not template.params and name in _local_names(language):
        out.add(raw)  # {{Франция}}, {{Россия}}: a country's flag and name
        return True
    kind = flag_kind(name)
    if kind == "place":
        out.add(raw.split(" ", 1)[1])
        return True
    if kind == "name":
        shown = _param(template, "name") or country_name(_first(template), language)
        out.add(shown or _first(template))
    return bool(kind)


def quote_parts(template: Template) -> tuple[str, str]:
    """A quotation template's text and who said it (either may be "")."""
    roles = quote_params()
    found = {role: "" for role in roles}
    for role, names in roles.items():
        for wanted in names:
            value = next(
                (p.value for p in template.params if normal_name(str(p.name)) == wanted), None
            )
            if value is not None and str(value).strip():
                found[role] = plain(value)
                break
    return found.get("text", ""), found.get("author", "")


def country_name(text: str, language: str) -> str:
    """A country's name in `language` for a code (`DEU`, `GER`, `DE`) or an English
    name (`Germany`); the text as given when CLDR does not know it ("" for a code)."""
    code = _territory(text.strip())
    if not code:
        return "" if _CODE.match(text.strip()) else text.strip()
    names = _territories(language) or _territories("en")
    return names.get(code, text.strip())


def _territory(text: str) -> str:
    if _CODE.match(text):
        if len(text) == 2:
            return text if text in _territories("en") else ""
        return _ioc().get(text) or _iso3().get(text, "")
    return _english().get(text.casefold(), "")


@functools.cache
def _territories(language: str) -> dict[str, str]:
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return {}
    return {code: name for code, name in locale.territories.items() if code.isalpha()}


@functools.cache
def _local_names(language: str) -> frozenset[str]:
    """The countries' names in the book's language (CLDR), as template names compare."""
    return frozenset(normal_name(name) for name in _territories(language).values())


@functools.cache
def _iso3() -> dict[str, str]:
    import icu

    return {
        str(icu.Locale("", code).getISO3Country()): code
        for code in icu.Locale.getISOCountries()
        if icu.Locale("", code).getISO3Country()
    }


@functools.cache
def _ioc() -> dict[str, str]:
    return dict(load_data("text_templates.json")["ioc_codes"]["codes"])


@functools.cache
def _english() -> dict[str, str]:
    names = {name.casefold(): code for code, name in _territories("en").items()}
    for code, variants in Locale("en").territories.items():  # "Czechia" and "Czech Republic"
        names.setdefault(variants.casefold(), code)
    return names


def _first(template: Template) -> str:
    return next((plain(p.value) for p in template.params if not p.showkey), "")


def _param(template: Template, *names: str) -> str:
    for param in template.params:
        if param.showkey and normal_name(str(param.name)) in names:
            return plain(param.value)
    return ""


def _interlanguage(template: Template, name: str) -> str:
    positional = [plain(p.value) for p in template.params if not p.showkey]
    shown = _param(template, "lt", "label", "текст", "display")
    if shown:
        return shown
    if _NOT_TRANSLATED.match(name) and len(positional) > 1 and positional[1]:
        return positional[1]  # {{нп5|Title|shown text|de|Original}}
    return positional[0] if positional else ""
