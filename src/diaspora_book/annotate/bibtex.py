"""One `Source` as a biblatex entry, escaped so every character stays the text it was.

pandoc reads a `.bib` field as LaTeX: `%` would start a comment, `&` and `#` are
errors, `~` a no-break space, `\\` a command, and a stray brace would end the field.
Each of these is written as the LaTeX that prints it. Titles get a second pair of
braces: citeproc then prints them with the capitals the article gave them, instead
of re-casing them by the style's rules for English titles.
"""

from __future__ import annotations

from collections.abc import Sequence

from diaspora_book.model import Name, Source
from diaspora_book.plumbing.urls import doi_path, web_href

_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_PROTECTED = frozenset({"title", "booktitle", "journal"})  # printed with the article's capitals
_SHORT_WORDS = 4  # a free-text reference is cited by its first words
_FUNCTION_WORDS = frozenset(
    "a an the of in on at to for from with by and or der die das dem den des ein eine "
    "nach von vom mit und im zu zum zur le la les de du des et".split()
)
_VERBATIM = frozenset({"url", "doi"})  # biblatex reads these verbatim: only braces matter


def escape(text: str) -> str:
    """Return `text` as LaTeX that prints exactly `text` (inside a braced field)."""
    return "".join(_ESCAPES.get(char, char) for char in " ".join(text.split()))


def _verbatim(text: str) -> str:
    """A URL or DOI: biblatex takes it as is, so only what would break the field goes."""
    return "".join(char for char in text.strip() if char not in "{}\\ \t\n")


def names(people: Sequence[Name]) -> str:
    """`Last, First and {Body of People}`, each part escaped and protected where needed."""
    written = []
    for person in people:
        last = escape(person.last)
        if person.literal or " and " in f" {person.last} " or "," in person.last:
            written.append("{" + last + "}")
        elif person.first:
            written.append(f"{_braced_if_needed(last)}, {_braced_if_needed(escape(person.first))}")
        else:
            written.append(_braced_if_needed(last))
    return " and ".join(written)


def _braced_if_needed(part: str) -> str:
    """A name part with a word "and" or a comma in it is braced, so it stays one part."""
    if " and " in f" {part} " or "," in part:
        return "{" + part + "}"
    return part


def bibtex_entry(key: str, source: Source) -> str:
    """Return `source` as a biblatex entry with the key `key`."""
    lines = [f"@{source.entry_type}{{{key},"]
    if source.authors:
        lines.append(f"  author = {{{names(source.authors)}}},")
    if source.editors:
        lines.append(f"  editor = {{{names(source.editors)}}},")
    for name, value in source.fields:
        if name == "url":  # citeproc links it: a valid URL, or text when none can be
            href = web_href(value)
            name, text = ("url", _verbatim(href)) if href else ("howpublished", escape(value))
        elif name == "doi":
            text = _verbatim(doi_path(value))
        elif name in _VERBATIM:
            text = _verbatim(value)
        elif name in _PROTECTED:
            text = "{" + escape(value) + "}"
        else:
            text = escape(value)
        if text:
            lines.append(f"  {name} = {{{text}}},")
    if source.note and not source.get("title"):
        # A free-text <ref>: its text is what the References print, so it is the
        # title (citeproc styles print a `note` seldom); in the text, its first words.
        words = source.note.split()
        first = words[:_SHORT_WORDS]
        while len(first) > 1 and first[-1].lower().strip(",.;:") in _FUNCTION_WORDS:
            first.pop()  # "Eigene Zählung nach dem" -> "Eigene Zählung"
        short = " ".join(first).rstrip(",.;:")
        lines.append(f"  title = {{{{{escape(source.note)}}}}},")
        if short != source.note:
            lines.append(f"  shorttitle = {{{{{escape(short)}}}}},")
    elif source.note:
        lines.append(f"  note = {{{escape(source.note)}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"
