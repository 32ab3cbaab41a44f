"""What a command prints: a long list of one kind of warning as one line to act on.

A real article gives dozens of glossary candidates, missing images and templates the
tool does not interpret; one line per occurrence buries the warning that matters.
Printed (not `--verbose`), each kind becomes one line per article (glossary
candidates, missing images) or per book (unknown templates), naming what to do.
The diagnostics themselves stay whole: `--verbose` and `check --format json` give
every one, and book.yml `accept:` is applied to them before they are grouped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from diaspora_book.plumbing.errors import Diagnostic, Diagnostics

GLOSSARY_CANDIDATE = "glossary-candidate"
MISSING_MEDIA = "missing-media"
UNKNOWN_TEMPLATE = "unknown-template"
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
        "warning",
        found[0].span,
        f"{len(terms)} glossary candidates (terms not in glossary.yml): {_names(terms)}",
        "run 'diaspora-book glossary suggest' to add them for review; --verbose lists each",
        GLOSSARY_CANDIDATE,
    )


def _media(found: list[Diagnostic]) -> Diagnostic:
    files = list(dict.fromkeys(_quoted(d.message) for d in found))
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


_GROUPS = {
    GLOSSARY_CANDIDATE: _Group(GLOSSARY_CANDIDATE, False, _glossary),
    MISSING_MEDIA: _Group(MISSING_MEDIA, False, _media),
    UNKNOWN_TEMPLATE: _Group(UNKNOWN_TEMPLATE, True, _templates),
}


def summarised(diagnostics: Diagnostics, keep: frozenset[str] = frozenset()) -> Diagnostics:
    """Return the diagnostics with each group of one kind as one line, where the first was.

    A kind in `keep` stays a full list (`check` lists every unknown template); a group of
    one is printed as it is.
    """
    groups: dict[tuple[str, str], list[Diagnostic]] = {}
    order: list[Diagnostic | tuple[str, str]] = []
    for diagnostic in diagnostics:
        group = _GROUPS.get(diagnostic.code)
        if group is None or group.code in keep or diagnostic.severity != "warning":
            order.append(diagnostic)
            continue
        path = "" if group.per_book or diagnostic.span is None else diagnostic.span.path
        key = (group.code, path)
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
        result.items.append(found[0] if len(found) == 1 else _GROUPS[item[0]].line(found))
    return result
