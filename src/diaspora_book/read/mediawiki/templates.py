"""Templates, interpreted by the converter (never expanded by a wiki).

A useful core is understood: the `{{lang}}` family (language spans with the tag
the article states), `convert`, `main`/`see also`/`Hauptartikel` (hatnotes), `as of`,
`nowrap`, `circa`, `IPA`, infoboxes (the fact box: infobox.py). Page furniture is dropped
silently; citation templates belong to the references reader. Any other template
is dropped and counted, so `check` can list it once with its first `path:line`; an
editor maps it in book.yml `templates:` (`drop`, `text`, or a format like
`"{1} ({2})"`).
"""

from __future__ import annotations

import functools
import re

from mwparserfromhell.nodes import Template
from mwparserfromhell.wikicode import Wikicode

from diaspora_book.languages.book_language import is_language_tag
from diaspora_book.languages.labels import Labels, load_labels
from diaspora_book.read.mediawiki.cite_templates import is_short_citation
from diaspora_book.read.mediawiki.cite_values import plain
from diaspora_book.read.mediawiki.context import ReadContext
from diaspora_book.read.mediawiki.infobox import is_infobox, read_infobox
from diaspora_book.read.mediawiki.infobox_values import date_or_number
from diaspora_book.read.mediawiki.inline import cite, note, read_inline
from diaspora_book.read.mediawiki.local_templates import (
    hatnote_kinds,
    hatnote_labels,
    normal_name,
    ref_template,
)
from diaspora_book.read.mediawiki.references import (
    NOTE_TEMPLATES,
    is_reference_furniture,
    is_reference_list,
    read_citation_template,
    read_ref_template,
)
from diaspora_book.read.mediawiki.runs import RunText
from diaspora_book.read.mediawiki.source import child_offset
from diaspora_book.read.mediawiki.units import convert_text
from diaspora_book.read.mediawiki.word_templates import read_word_template

# Dropped without a word: they shape a wiki page, not the article's text.
_FURNITURE = re.compile(
    r"^(short description|use (dmy|mdy|ymd) dates|use \w+ english|engvar\w*|good article"
    r"|featured article|pp(-.*)?|authority control|portal( bar)?|commons( category)?(-inline)?"
    r"|defaultsort|displaytitle|toc( ?limit| ?right| ?left)?|clear|-|anchor|coord|stub|.*-stub"
    r"|.*navbox.*|.* sidebar|navigation.*|citation needed|cn|fact|clarify|when|dead link"
    r"|failed verification|by whom|which|who|according to whom|more citations needed"
    r"|refimprove|unreferenced|multiple issues|cleanup.*|update|expand.*|orphan|wikt|wiktionary"
    r"|spoken wikipedia|italic title|lowercase title|good|^ref.*|notelist|efn|sfn.*|harv.*"
    r"|cite .*|citation|literatur|internetquelle|webarchiv|normdaten|personendaten|dnb-portal"
    r"|reflist|references|einzelnachweise|lesenswert|exzellent|commonscat|sister project links"
    r"|subst:.*|r|rp)$"
)
_RTL_LANGUAGES = {
    "ar",
    "arc",
    "ckb",
    "dv",
    "fa",
    "he",
    "ks",
    "ku-arab",
    "ps",
    "sd",
    "ug",
    "ur",
    "yi",
}
_RTL_SCRIPTS = {"arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg"}


def template_name(template: Template) -> str:
    """Return a template's name as MediaWiki matches it: case-folded, `_` as space."""
    name = " ".join(str(template.name).replace("_", " ").split()).lower()
    return name.removeprefix("template:").removeprefix("vorlage:").strip()


def is_rtl(tag: str) -> bool:
    """Tell whether a language tag's text runs right to left (script subtag first)."""
    parts = tag.lower().split("-")
    scripts = [p for p in parts[1:] if len(p) == 4 and p.isalpha()]
    if scripts:
        return scripts[0] in _RTL_SCRIPTS
    return parts[0] in _RTL_LANGUAGES


def lang_run(tag: str, start: int, out: RunText) -> None:
    """Mark the text since `start` as in language `tag` (an unreadable tag marks nothing)."""
    if is_language_tag(tag):
        out.add_run(start, "lang", tag)


def positional(template: Template, index: int):
    """Return the `index`th (1-based) positional parameter, or None."""
    key = str(index)
    return template.get(key) if template.has(key) else None


def param_text(template: Template, name: str | int) -> str:
    """Return a parameter's value as plain text ("" when absent)."""
    key = str(name)
    if not template.has(key):
        return ""
    return template.get(key).value.strip_code().strip()


def read_template(template: Template, at: int, context: ReadContext, out: RunText) -> None:
    """Append what `template` shows to `out`, or drop it (furniture, unknown)."""
    if template_name(template) in NOTE_TEMPLATES:  # {{efn|...}}: a footnote, not a source
        body = next((p.value for p in template.params if str(p.name).strip() == "1"), None)
        note(body, param_text(template, "name"), at, context, out)
        return
    if context.words.is_page_setting(str(template.name)):
        return  # {{DEFAULTSORT:…}} in the wiki's words: the page's sort key
    name = template_name(template)
    if ref_template(name) is not None:  # {{הערה|text}}: a <ref> written as a template
        cite(read_ref_template(template, context.span(at), context.refs), out)
        return
    citation = read_citation_template(template, context.span(at), context.refs)
    if citation is not None or is_reference_furniture(name):
        if is_reference_list(name) or (citation is not None and citation.kind == "entry"):
            context.reference_lines.append(context.span(at).line)  # the book's References
        cite(citation, out)
        if citation is not None and is_short_citation(name):
            out.bracketed_citation()
        return
    if name.startswith("#"):
        if name.startswith("#invoke"):
            context.diagnostics.warn(
                context.span(at), "{{#invoke:...}} runs a wiki's Lua module; dropped"
            )
        return
    mapped = context.templates.get(name)
    if mapped is not None:
        _mapped(template, at, mapped, context, out)
    elif _FURNITURE.match(name):
        return
    elif is_infobox(name, template, at, context):
        read_infobox(template, at, context)
    elif read_word_template(template, context.language, out):
        return
    elif (shown := date_or_number(template, context.language)) is not None:
        out.add(shown)  # {{dts|1869}} in a table cell, {{birth date|...}} in the text
    elif not _interpret(name, template, at, context, out):
        context.unknown_template(name, at)
        out.fallback = _words(template)


def _words(template: Template) -> str:
    """An unknown template's unnamed values, for a list item it would leave empty
    (`* 1993: {{kardeş şehir|Cakarta|Endonezya}}` -> "1993: Cakarta, Endonezya")."""
    values = [plain(p.value) for p in template.params if not p.showkey]
    words = [v for v in values if any(c.isalpha() for c in v) and len(v) <= 80]
    return ", ".join(words) if len(words) == len([v for v in values if v]) else ""


def _value(template: Template, key: str | int, at: int, context: ReadContext, out: RunText):
    """Append a parameter's value, read as wikitext."""
    key = str(key)
    if not template.has(key):
        return
    value: Wikicode = template.get(key).value
    read_inline(value, child_offset(str(template), at, str(value)), context, out)


def _interpret(name: str, template: Template, at: int, context: ReadContext, out: RunText) -> bool:
    params = [p for p in template.params if not p.showkey]
    if name == "lang" and len(params) >= 2:
        start = out.position
        _value(template, 2, at, context, out)
        lang_run(param_text(template, 1), start, out)
    elif name.startswith("lang-") and params:
        start = out.position
        _value(template, 1, at, context, out)
        lang_run(name.removeprefix("lang-"), start, out)
    elif name == "transl" and len(params) >= 2:
        start = out.position
        _value(template, 3 if len(params) >= 3 else 2, at, context, out)
        tag = param_text(template, 1)
        lang_run(tag if "-" in tag else f"{tag}-Latn", start, out)
    elif name == "zh":
        _zh(template, at, context, out)
    elif name == "nihongo":
        _nihongo(template, at, context, out)
    elif name in ("nowrap", "nobr", "ipa", "ipa-all", "lang-ipa", "small", "nobold", "noitalic"):
        start = out.position
        _value(template, 1, at, context, out)
        if name in ("nowrap", "nobr"):
            out.add_run(start, "nowrap")
    elif name in ("circa", "c."):
        out.add(_labels(context.language).text("circa") + " ")
        _value(template, 1, at, context, out)
    elif name == "as of":
        date = " ".join(param_text(template, i) for i in (1, 2, 3) if param_text(template, i))
        out.add(_labels(context.language).text("as_of", date=date))
    elif name in ("convert", "cvt"):
        out.add(convert_text([p.value.strip_code().strip() for p in params], context.language))
    elif normal_name(name) in hatnote_labels():
        labels = _labels(context.language)
        message = hatnote_kinds()[hatnote_labels()[normal_name(name)]]
        out.add(labels.text(message) + labels.text("label_separator"))
        for index, param in enumerate(params):
            if index:
                out.add(labels.text("separator"))
            start = out.position
            target = param.value.strip_code().strip()
            out.add(target)
            out.add_run(start, "wikilink", target)
    else:
        return False
    return True


@functools.cache
def _labels(language: str) -> Labels:
    """The message catalogue of the book's language (English where it has none)."""
    return load_labels(language, {})[0]


def _zh(template: Template, at: int, context: ReadContext, out: RunText) -> None:
    tags = {"t": "zh-Hant", "s": "zh-Hans", "c": "zh", "p": "zh-Latn-pinyin", "j": "yue-Latn"}
    first = True
    for key, tag in tags.items():
        if not param_text(template, key):
            continue
        if not first:
            out.add("; ")
        first = False
        start = out.position
        _value(template, key, at, context, out)
        lang_run(tag, start, out)


def _nihongo(template: Template, at: int, context: ReadContext, out: RunText) -> None:
    _value(template, 1, at, context, out)
    if param_text(template, 2) or param_text(template, 3):
        out.add(" (")
        start = out.position
        _value(template, 2, at, context, out)
        lang_run("ja", start, out)
        if param_text(template, 3):
            out.add(", ")
            start = out.position
            _value(template, 3, at, context, out)
            lang_run("ja-Latn", start, out)
        out.add(")")


def _mapped(template: Template, at: int, mapped: str, context: ReadContext, out: RunText) -> None:
    """Apply a book.yml `templates:` rule: drop, text (first positional) or a format."""
    if mapped == "drop":
        return
    if mapped == "text":
        _value(template, 1, at, context, out)
        return
    for piece in re.split(r"(\{[^{}]+\})", mapped):
        if piece.startswith("{") and piece.endswith("}"):
            _value(template, piece[1:-1].strip(), at, context, out)
        else:
            out.add(piece)
