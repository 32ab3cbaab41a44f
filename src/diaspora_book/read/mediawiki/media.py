"""Images: `[[File:...]]`/`[[Datei:...]]` links and `<gallery>` lines -> `Figure`s.

The reader records the file name and the caption; whether the file is in the
project's `media/` folder is decided when the chapter is converted (a missing file
keeps its caption as text and is reported with the name an editor must add).
"""

from __future__ import annotations

import re

import mwparserfromhell
from mwparserfromhell.nodes import Tag, Text, Wikilink

from diaspora_book.model import Figure
from diaspora_book.read.mediawiki.context import ReadContext
from diaspora_book.read.mediawiki.inline import FILE_NAMESPACES, paragraph

_OPTION = re.compile(
    r"^(thumb|thumbnail|frame|framed|frameless|border|left|right|center|centre|none|upright"
    r"|baseline|middle|sub|super|text-top|text-bottom|top|bottom|mini|miniatur|hochkant"
    r"|links|rechts|zentriert|ohne|rahmenlos|rahmen|gerahmt"
    r"|\d*x?\d+ ?px"
    r"|(upright|alt|link|page|class|lang|thumbtime|start|end|hochkant|verweis|alternativtext)=.*)$",
    re.IGNORECASE,
)


def _segments(node: Wikilink) -> list[str]:
    """Split a file link's text at its own pipes (not those of links inside it)."""
    parts = [""]
    if node.text is None:
        return []
    for child in node.text.nodes:
        if isinstance(child, Text):
            pieces = child.value.split("|")
            parts[-1] += pieces[0]
            parts += pieces[1:]
        else:
            parts[-1] += str(child)
    return parts


def file_name(title: str) -> str:
    """Return a file's name without its namespace, spaces for underscores."""
    _, _, name = title.partition(":")
    return " ".join(name.replace("_", " ").split())


def read_file_link(node: Wikilink, at: int, context: ReadContext) -> Figure | None:
    """Return the figure of a `[[File:name|options|caption]]` link."""
    name = file_name(str(node.title))
    if not name:
        return None
    captions = [p for p in _segments(node) if not _OPTION.match(p.strip())]
    caption_code = mwparserfromhell.parse(captions[-1] if captions else "")
    caption = paragraph(caption_code, at, context, kind="caption")
    return Figure(name, caption, context.span(at))


def read_gallery(node: Tag, inner: int, context: ReadContext) -> list[Figure]:
    """Return the figures of a `<gallery>`: one `File:name|caption` per line; of an
    `<imagemap>`, its image (its first line, written as a file link is) and caption,
    never its coordinate lines (`rect`, `poly`, `circle`, `desc`, `default`)."""
    figures: list[Figure] = []
    if node.contents is None:
        return figures
    if str(node.tag).strip().lower() == "imagemap":
        first = next((line for line in str(node.contents).split("\n") if line.strip()), "")
        link = mwparserfromhell.parse(f"[[{first.strip()}]]").filter_wikilinks()
        figure = read_file_link(link[0], inner, context) if link else None
        return [figure] if figure is not None else []
    offset = inner
    for line in str(node.contents).split("\n"):
        here, offset = offset, offset + len(line) + 1
        name, _, caption = line.strip().partition("|")
        space, sep, _ = name.partition(":")
        if not name.strip() or (sep and space.strip().lower() not in FILE_NAMESPACES):
            continue
        shown = file_name(name) if sep else " ".join(name.replace("_", " ").split())
        parts = [p for p in caption.split("|") if not _OPTION.match(p.strip())]
        text = paragraph(
            mwparserfromhell.parse(parts[-1] if parts else ""), here, context, "caption"
        )
        figures.append(Figure(shown, text, context.span(here)))
    return figures
