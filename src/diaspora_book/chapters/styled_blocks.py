"""MediaWiki's richer blocks as pandoc Markdown: nested lists, tables, figures, quotes.

`convert` calls these for blocks that only MediaWiki input has; each gets a
`write(text, runs)` that returns the escaped, annotated inline Markdown of a piece of
text. Tables are written as nested fenced divs (`.mw-table` > `.mw-row` > `.mw-cell`)
that the `mediawiki.lua` filter turns into real tables (header cells, colspan,
rowspan) in both outputs; pandoc's own table syntaxes cannot hold cell spans and
block content.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from urllib.parse import quote

from diaspora_book.languages.book_language import BookLanguage, is_language_tag
from diaspora_book.model import BulletList, Figure, ListItem, Paragraph, Run, Table

Write = Callable[[str, Sequence[Run]], str]


def list_lines(block: BulletList, write: Write) -> list[str]:
    """Return a MediaWiki list (`*`, `#`, `;`, `:` and their nestings) as Markdown lines."""
    # A div around the list: two MediaWiki lists in a row stay two lists in pandoc.
    lines: list[str] = ["::: {.mw-list}"]
    depth = 0
    for item in block.items:
        marker = item.marker or "*"
        depth = min(len(marker), depth + 1)  # a level jump would read as a code block
        indent = "    " * (depth - 1)
        kind = marker[min(len(marker), depth) - 1]
        text = write(item.text, item.runs)
        if kind == "#":
            lines += _item(indent, "#. ", text)
        elif kind == ";":
            lines += _item(indent, "- ", f"**{text}**")
        elif kind == ":" and depth > 1:
            lines += ["", *_item(indent, "", text), ""]
        else:  # "*", "-", a top-level ":" inside a list
            lines += _item(indent, "- ", text)
    lines += [":::", ""]
    return lines


def definition_lines(block: BulletList, write: Write) -> list[str] | None:
    """Return a flat `;term` / `:definition` list as a pandoc definition list, or None."""
    if not all(item.marker in (";", ":") for item in block.items):
        return None
    if block.items[0].marker != ";":
        return None
    lines: list[str] = []
    for item in block.items:
        text = write(item.text, item.runs)
        if item.marker == ";":
            lines += ["", text.replace("\\\n", " ")]
        else:
            lines += _item("", ":   ", text)
    lines.append("")
    return lines[1:]


def _item(indent: str, bullet: str, text: str) -> list[str]:
    first, *rest = text.split("\n")
    pad = indent + " " * len(bullet)
    return [indent + bullet + first] + [pad + line for line in rest]


def table_lines(table: Table, write: Write) -> list[str]:
    """Return a table as fenced divs for the `mediawiki.lua` filter."""
    lines = ["::::: {.mw-table}"]
    if table.caption and table.caption.text:
        lines += [":::: {.mw-caption}", write(table.caption.text, table.caption.runs), "::::"]
    for row in table.rows:
        lines.append(":::: {.mw-row}")
        for cell in row:
            attributes = ".mw-cell" + (" .mw-th" if cell.header else "")
            if cell.colspan > 1:
                attributes += f' colspan="{cell.colspan}"'
            if cell.rowspan > 1:
                attributes += f' rowspan="{cell.rowspan}"'
            body = write(cell.text, cell.runs) if cell.text else ""
            lines += [f"::: {{{attributes}}}", body, ":::"]
        lines.append("::::")
    lines += [":::::", ""]
    return lines


def figure_lines(figure: Figure, found: str | None, write: Write) -> list[str]:
    """Return a figure (`found`: its file under media/) or, missing, its caption as text."""
    caption = write(figure.caption.text, figure.caption.runs) if figure.caption.text else ""
    if found is None:
        return [f"::: {{.figure-missing}}\n{caption}\n:::", ""] if caption else []
    alt = caption or write(figure.file, ())
    return [f"![{alt}](media/{quote(found)}){{.figure}}", ""]


def paragraph_lines(block: Paragraph, text: str) -> list[str]:
    """Return a quote, hatnote or display formula paragraph (`text` already written)."""
    if block.kind == "quote":
        return ["> " + line for line in text.split("\n")] + [""]
    if block.kind == "hatnote":
        return ["::: {.hatnote}", text, ":::", ""]
    if block.kind == "math":
        return ["::: {.math-display}", text, ":::", ""]
    return [text, ""]


def code_lines(text: str, book: BookLanguage | None = None) -> list[str]:
    """Return a code block: the text as written, in a fence longer than any it holds.

    pandoc prints a fenced block's content literally (no markup is read inside). Runs
    in another script get their language through `data-lang-runs` (UTF-8 byte
    ranges), which `filters/mediawiki.lua` turns into `lang` spans inside the block.
    """
    longest = max((len(run) for run in re.findall(r"`+|~+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    runs, at = [], 0
    for piece, language, direction in book.runs(text) if book else ():
        size = len(piece.encode("utf-8"))
        if language and is_language_tag(language):
            runs.append(f"{at}:{at + size}:{language}:{direction or ''}")
        at += size
    attribute = f' data-lang-runs="{";".join(runs)}"' if runs else ""
    return [f"{fence} {{.code{attribute}}}", text, fence, ""]


def list_style(items: Sequence[ListItem]) -> bool:
    """Tell whether a list came from MediaWiki markers (and needs `list_lines`)."""
    return any(item.marker != "-" for item in items)
