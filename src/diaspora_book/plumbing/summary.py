"""What a command prints: a long list of one kind of warning as one line to act on.

A real article gives dozens of glossary candidates, missing images and templates the
tool does not interpret; one line per occurrence buries the warning that matters.
Printed (not `--verbose`), each kind becomes one line per article (glossary
candidates, missing images, each damaged-text lint) or per book (unknown templates,
articles without a named source), naming what to do; any other warning repeated
word for word in one article is one line with its places.
The diagnostics themselves stay whole: `--verbose` and `check --format json` give
every one, and book.yml `accept:` is applied to them before they are grouped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from diaspora_book.plumbing.errors import Diagnostic, Diagnostics

GLOSSARY_CANDIDATE = "glossary-candidate"
MISSING_MEDIA = "missing-media"
UNKNOWN_TEMPLATE = "unknown-template"
UNKNOWN_SOURCE = "unknown-source"
# The damaged-text lints (project/lint_rules.py): each place stays listed with --verbose.
_LINTS = {
    "removed-template": "places look like a removed template",
    "template-parameter": "places look like a leftover template parameter",
    "empty-parentheses": "empty parentheses look like a removed template",
    "wiki-markup": "places look like unconverted wiki markup",
}
_SHOWN = 5  # names listed in a grouped line before "and N more"


@dataclass(frozen=True)
class _Group:
    code: str
    per_book: bool  # one line for the book, else one per article file
    line: Callable[[list[Diagnostic]], Diagnostic]


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:_SHOWN])
    more = len(names) - _SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


def _quoted(message: str) -> str:
    """The first '...' of a message (the term or file it names)."""
    _, _, rest = message.partition("'")
    return rest.partition("'")[0]


def _glossary(found: list[Diagnostic]) -> Diagnostic:
    terms = list(dict.fromkeys(_quoted(d.message) for d in found))
    return Diagnostic(
        "note",
        found[0].span,
        f"{len(terms)} glossary candidates (terms not in glossary.yml): {_names(terms)}",
        "run 'diaspora-book glossary suggest' to add them for review; --verbose lists each",
        GLOSSARY_CANDIDATE,
    )


def _media(found: list[Diagnostic]) -> Diagnostic:
    files = list(dict.fromkeys(f"'{_quoted(d.message)}'" for d in found))  # names hold commas
    return Diagnostic(
        "warning",
        found[0].span,
        f"{len(files)} images are not in media/: {_names(files)}; "
        "their captions are printed as text",
        "add them to media/ to show the figures; --verbose lists where each is",
        MISSING_MEDIA,
    )


def _templates(found: list[Diagnostic]) -> Diagnostic:
    names = [d.message.split("}}")[0].removeprefix("template ") + "}}" for d in found]
    return Diagnostic(
        "warning",
        found[0].span,
        f"{len(names)} templates are not interpreted and were dropped: {_names(names)}",
        "map them in book.yml 'templates:' (drop, text or a format); "
        "'diaspora-book check' lists each with its uses",
        UNKNOWN_TEMPLATE,
    )


def _sources(found: list[Diagnostic]) -> Diagnostic:
    files = [d.span.path.rsplit("/", 1)[-1] if d.span else "" for d in found]
    return Diagnostic(
        "warning",
        found[0].span,
        f"the sources of {len(files)} articles are unknown; their licence requires naming "
        f"each and its contributors: {_names(files)}",
        "add each under 'sources:' in book.yml: NAME.wiki: title, url, revision, date, "
        "contributors",
        UNKNOWN_SOURCE,
    )


def _lint(found: list[Diagnostic]) -> Diagnostic:
    places = [f"line {d.span.line}" for d in found if d.span is not None]
    code = found[0].code
    return Diagnostic(
        "warning",
        found[0].span,
        f"{len(found)} {_LINTS[code]}: {_names(places)}",
        "read them with --verbose; fix the article, or accept the rule for this file "
        "in book.yml 'accept:'",
        code,
    )


_GROUPS = {
    GLOSSARY_CANDIDATE: _Group(GLOSSARY_CANDIDATE, False, _glossary),
    MISSING_MEDIA: _Group(MISSING_MEDIA, False, _media),
    UNKNOWN_TEMPLATE: _Group(UNKNOWN_TEMPLATE, True, _templates),
    UNKNOWN_SOURCE: _Group(UNKNOWN_SOURCE, True, _sources),
    **{code: _Group(code, False, _lint) for code in _LINTS},
}


# What `check` (the precise tool) still lists one by one: each template, each damaged place.
CHECK_KEEPS = frozenset({UNKNOWN_TEMPLATE, *_LINTS})


def summarised(diagnostics: Diagnostics, keep: frozenset[str] = frozenset()) -> Diagnostics:
    """Return the diagnostics with each group of one kind as one line, where the first was.

    A kind in `keep` stays a full list (`check` lists every unknown template); a group of
    one is printed as it is.
    """
    groups: dict[tuple[str, str, str], list[Diagnostic]] = {}
    order: list[Diagnostic | tuple[str, str, str]] = []
    for diagnostic in diagnostics:
        group = _GROUPS.get(diagnostic.code)
        grouped = diagnostic.severity == "warning" or diagnostic.code == GLOSSARY_CANDIDATE
        if not grouped or diagnostic.code in keep:
            order.append(diagnostic)
            continue
        path = diagnostic.span.path if diagnostic.span else ""
        if group is None:  # the same message again in one article: one line with its places
            key = ("", path, str(replace(diagnostic, span=None)))
        else:
            key = (group.code, "" if group.per_book else path, "")
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(diagnostic)
    result = Diagnostics()
    for item in order:
        if isinstance(item, Diagnostic):
            result.items.append(item)
            continue
        found = groups[item]
        line = _GROUPS[item[0]].line if item[0] else _repeated
        result.items.append(found[0] if len(found) == 1 else line(found))
    return result


def _repeated(found: list[Diagnostic]) -> Diagnostic:
    first = found[0]
    places = [f"line {d.span.line}" for d in found if d.span is not None]
    hint = f"{first.hint}; --verbose lists each" if first.hint else "--verbose lists each"
    message = f"{first.message} ({len(found)} places: {_names(places)})"
    return replace(first, message=message, hint=hint)
