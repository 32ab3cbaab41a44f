"""The content checks' rules: what each looks for, and the code that names it in
warnings and in book.yml `accept:` (so the config can check a code it is given)."""

from __future__ import annotations

import re

# A template's `| key = value` left in the text; convert prints one in a fact box as a row.
TEMPLATE_PARAMETER = re.compile(r"\|\s*([\w-]+)\s*=")
# (code, pattern, message): the code names the rule in output and in book.yml `accept:`.
RULES: list[tuple[str, re.Pattern[str], str]] = [
    ("removed-template", re.compile(r",\s*,"), "'{match}' looks like a removed template"),
    (
        "template-parameter",
        TEMPLATE_PARAMETER,
        "'{match}' looks like a leftover template parameter",
    ),
    (
        "empty-parentheses",
        re.compile(r"\(\s*[,;]?\s*\)"),
        "empty parentheses '{match}' look like a removed template",
    ),
    (
        "wiki-markup",
        re.compile(r"\{\{|\}\}|\[\[|\]\]"),
        "'{match}' looks like unconverted wiki markup",
    ),
]
CODES = frozenset(code for code, _, _ in RULES)
