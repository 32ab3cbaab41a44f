"""Images: `[[File:...]]`/`[[Dosya:...]]` links and `<gallery>` lines -> `Figure`s.

The reader records the file name and the caption; whether the file is in the
project's `media/` folder is decided when the chapter is converted (a missing file
keeps its caption as text and is reported with the name an editor must add). The
options (`thumb`, `küçükresim`, `mini`, `300px`, `hochkant=1.2`) are the page's
wiki's magic words (`wiki_words.py`): as in MediaWiki, the caption is the last part
that is not one.
"""

from __future__ import annotations

import mwparserfromhell
from mwparserfromhell.nodes import Tag, Text, Wikilink
from mwparserfromhell.wikicode import Wikicode

from diaspora_book.model import Figure
from diaspora_book.read.mediawiki.context import ReadContext
from diaspora_book.read.mediawiki.inline import paragraph
from diaspora_book.read.mediawiki.wiki_words import FILE, MEDIA, WikiWords


def _segments(node: Wikilink) -> list[str]:
    """Split a file link's text at its own pipes (not those of links inside it)."""
    return _parts(node.text) if node.text is not None else []


def _parts(code: Wikicode) -> list[str]:
    """Split wikitext at its own pipes (not those of links or templates inside it)."""
    parts = [""]
    for child in code.nodes:
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


def caption_part(parts: list[str], words: WikiWords) -> str:
    """Return the caption among a file link's parts: the last that is not an option."""
    captions = [part for part in parts if words.image_option(part) is None]
    return captions[-1] if captions else ""


def read_file_link(node: Wikilink, at: int, context: ReadContext) -> Figure | None:
    """Return the figure of a `[[File:name|options|caption]]` link."""
    name = file_name(str(node.title))
    if not name:
        return None
    caption_code = mwparserfromhell.parse(caption_part(_segments(node), context.words))
    caption = paragraph(caption_code, at, context, kind="caption")
    return Figure(name, caption, context.span(at))


def gallery_file(line_name: str, words: WikiWords) -> str | None:
    """Return the file a gallery line names (its namespace is optional), or None.

    `File:X.jpg`, `Dosya:X.jpg` and `X.jpg` name X.jpg; a line in another
    namespace (`Category:X`) is not an image, as MediaWiki skips it.
    """
    head, sep, rest = line_name.partition(":")
    if sep:
        space = words.namespace(head)
        if space in (FILE, MEDIA):
            return " ".join(rest.replace("_", " ").split()) or None
        if space is not None:
            return None
    return " ".join(line_name.replace("_", " ").split()) or None


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
        shown = gallery_file(name, context.words)
        if shown is None:
            continue
        text = paragraph(
            mwparserfromhell.parse(
                caption_part(_parts(mwparserfromhell.parse(caption)), context.words)
            ),
            here,
            context,
            "caption",
        )
        figures.append(Figure(shown, text, context.span(here)))
    return figures
