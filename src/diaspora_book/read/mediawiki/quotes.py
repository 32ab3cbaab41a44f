"""Quote markup (`''`, `'''`) left open, in templates and in text.

MediaWiki expands templates before it turns quotes into italics and bold, so
`{{PDFlink|[http://… ''The Berlin Wall]|91 KB}}` is a template with an italic that
never closes. mwparserfromhell reads quotes and templates in one pass: the open
italic runs past the template's `}}`, the template is never found, and its raw
markup (`{{PDFlink|[`) would be printed. Found in the English Germany and Ibn
al-Haytham articles, and in any wiki's articles where an editor left a quote open.

Such a parameter loses the quote run that has no partner (its words stay, without
that italic or bold), and the text is parsed again. Only an article whose parse
left raw `{{` in its text is looked at, so every other article reads as before;
no newline is removed, so every line number stays, and columns later on that line
move by the two or three characters dropped.

In text, a run of two apostrophes or more that a parse left as text is markup all
the same (`printed_apostrophes`): a bold never closed, or the partner of an italic
the parser paired across a paragraph. The reader drops it and keeps the words.
"""

from __future__ import annotations

import re

import mwparserfromhell
from mwparserfromhell.wikicode import Wikicode

QUOTE_RUN = re.compile(r"'{2,}")
# Parameters holding text whose quotes are literal, not markup: left alone.
_LITERAL = ("<nowiki", "<pre", "<math", "<syntaxhighlight", "<source", "<code")


def has_raw_templates(code: Wikicode) -> bool:
    """Return whether a parse left a template's opening `{{` as plain text."""
    return any("{{" in str(text) for text in code.filter_text(recursive=True))


def close_open_quotes(text: str) -> str:
    """Return `text` with the unpartnered quote runs of template parameters dropped."""
    tree = mwparserfromhell.parse(text, skip_style_tags=True)
    changed = False
    # Innermost first, so an outer parameter is judged with its templates mended.
    for template in reversed(tree.filter_templates(recursive=True)):
        for param in template.params:
            value = str(param.value)
            if "''" not in value or any(tag in value for tag in _LITERAL):
                continue
            mended = _without_open_runs(value)
            if mended != value:
                param.value = mended
                changed = True
    return str(tree) if changed else text


def _without_open_runs(value: str) -> str:
    """Drop the last italic (`''`) and bold (`'''`) run that has no partner."""
    italic = bold = 0
    for run in QUOTE_RUN.finditer(value):
        size = len(run.group())
        italic += size in (2, 5)
        bold += size in (3, 4, 5)
    for odd, size in ((italic % 2, 2), (bold % 2, 3)):
        if odd:
            runs = [run for run in QUOTE_RUN.finditer(value) if len(run.group()) == size]
            if runs:
                value = value[: runs[-1].start()] + value[runs[-1].end() :]
    return value


def printed_apostrophes(run: str) -> str:
    """Return what MediaWiki prints of a run of apostrophes left as text.

    Two apostrophes or more are always markup, never printed: an italic or bold left
    open, or the partner of one the parser paired across a paragraph. Four print as
    one apostrophe and a bold; more than five print all but five.
    """
    size = len(run)
    return "'" if size == 4 else "'" * (size - 5) if size > 5 else ""


def without_quote_markup(text: str) -> str:
    """Return `text` (what a parse left as plain text) without its quote markup."""
    if "''" not in text:
        return text
    return QUOTE_RUN.sub(lambda run: printed_apostrophes(run.group()), text)
