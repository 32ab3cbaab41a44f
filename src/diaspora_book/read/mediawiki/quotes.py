"""Quote markup (`''`, `'''`) left open, in templates and in text.

MediaWiki expands templates before it turns quotes into italics and bold, so
`{{PDFlink|[http://… ''The Berlin Wall]|91 KB}}` is a template with an italic that
never closes. mwparserfromhell reads quotes and templates in one pass: the open
italic runs past the template's `}}`, the template is never found, and its raw
markup (`{{PDFlink|[`) would be printed. Found in the English Germany and Ibn
al-Haytham articles, and in any wiki's articles where an editor left a quote open.

Such a parameter, and a reference's text (read by MediaWiki on its own as well),
loses the quote run that has no partner (its words stay, without that italic or
bold), and the text is parsed again; the mended text is kept only when it leaves
less markup unread. Only an article whose parse left a raw `{{` or `<ref` in its
text is looked at, so every other article reads as before;
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


def raw_markup(code: Wikicode) -> int:
    """Return how many pieces of plain text a parse left holding a template's `{{` or a
    reference's `<ref`: markup it could not read, which would be printed."""
    return sum(
        1
        for text in code.filter_text(recursive=True)
        if "{{" in str(text) or "<ref" in str(text).lower()
    )


def close_open_quotes(text: str) -> str:
    """Return `text` with the unpartnered quote runs of template parameters and of
    references dropped (MediaWiki reads each as wikitext of its own, closing what it
    leaves open)."""
    tree = mwparserfromhell.parse(text, skip_style_tags=True)
    changed = False
    # Innermost first, so an outer parameter is judged with its templates mended.
    for template in reversed(tree.filter_templates(recursive=True)):
        for param in template.params:
            mended = _mended(str(param.value))
            if mended is not None:
                param.value = mended
                changed = True
    for ref in reversed(tree.filter_tags(recursive=True, matches=_is_ref)):
        mended = _mended(str(ref.contents)) if ref.contents is not None else None
        if mended is not None:
            ref.contents = mended
            changed = True
    return str(tree) if changed else text


def _is_ref(node) -> bool:
    return str(node.tag).strip().lower() == "ref"


def _mended(value: str) -> str | None:
    """Return `value` without its unpartnered quote runs, or None if it has none."""
    if "''" not in value or any(tag in value for tag in _LITERAL):
        return None
    mended = _without_open_runs(value)
    return mended if mended != value else None


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
