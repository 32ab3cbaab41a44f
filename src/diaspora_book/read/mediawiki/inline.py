"""Inline wikitext -> plain text with runs: styles, links, entities, tags, templates.

Every node of mwparserfromhell's tree is handled here or knowingly dropped: an
unknown HTML tag keeps its text, `<script>`/`<style>` and their content go (with a
warning), `<img>` goes (an image must be `[[File:...]]`), comments and `<ref>`s (the
references reader's part) are skipped. Nothing becomes markup downstream: the text
is plain, and runs carry only checked values.
"""

from __future__ import annotations

import re

import mwparserfromhell
from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

from diaspora_book.languages.book_language import is_language_tag
from diaspora_book.model import Figure, Paragraph, WikiCitation
from diaspora_book.plumbing.urls import web_href
from diaspora_book.read.mediawiki.context import MAX_DEPTH, ReadContext
from diaspora_book.read.mediawiki.quotes import QUOTE_RUN, printed_apostrophes
from diaspora_book.read.mediawiki.references import read_ref
from diaspora_book.read.mediawiki.runs import RunText
from diaspora_book.read.mediawiki.source import child_offset
from diaspora_book.read.mediawiki.wiki_words import CATEGORY, FILE, MEDIA, every_file_name

_STYLE = {
    "i": "emphasis",
    "em": "emphasis",
    "b": "strong",
    "strong": "strong",
    "sup": "superscript",
    "sub": "subscript",
}
_DROPPED_TAGS = {"script", "style", "img", "iframe", "object", "embed", "link", "meta", "input"}
_SILENT_TAGS = {"templatestyles", "indicator", "hr", "noinclude", "templatedata"}
# Extensions that draw a chart, a map or a widget from data, not text: a book has no
# picture of them, so they are dropped, each with a note (`<timeline>`'s script is
# `ImageSize = width:455`, never words to print).
_GRAPHIC_TAGS = {
    "timeline": "a timeline chart",
    "graph": "a chart",
    "chart": "a chart",
    "mapframe": "a map",
    "maplink": "a map",
    "inputbox": "a search box",
    "categorytree": "a category tree",
    "charinsert": "a character picker",
}
_VERBATIM_TAGS = {"nowiki", "hask", "haskell"}
# Text in a monospace font, as written (inline: a code span; alone on a line: a code block).
CODE_TAGS = {"pre", "code", "tt", "kbd", "samp", "source", "syntaxhighlight"}
# The File namespace's names in every wiki the data knows (folded: `file`, `datei`, `dosya`,
# `پرونده`...), for a value that surely names a file (an infobox's image).
FILE_NAMESPACES = every_file_name()
_URL_SCHEMES = ("http://", "https://", "ftp://", "mailto:")
# An HTML tag the parser left as text (an unclosed `<p>`, a lone `</div>`): layout only.
_STRAY_TAG = re.compile(
    r"</?(p|div|span|center|small|big|font|br|hr|li|ul|ol|dl|dd|dt|u|s|ins|del)\b[^<>]*/?>",
    re.IGNORECASE,
)
# A formula's place in the plain text (its TeX is the run's value).
MATH_PLACEHOLDER = "\ufffc"


def read_inline(code: Wikicode, offset: int, context: ReadContext, out: RunText) -> None:
    """Append the text and runs of `code` (which starts at `offset`) to `out`."""
    if context.depth > MAX_DEPTH:
        if not context.too_deep_reported:
            context.too_deep_reported = True
            context.diagnostics.warn(
                context.span(offset),
                f"markup nested more than {MAX_DEPTH} levels deep; the innermost part is dropped",
            )
        return
    context.depth += 1
    try:
        for node, at in positioned(code, offset):
            read_node(node, at, context, out)
    finally:
        context.depth -= 1


def read_nodes(nodes: list[tuple[Node, int]], context: ReadContext, out: RunText) -> None:
    """Append nodes (each with its offset) to `out`."""
    for node, at in nodes:
        read_node(node, at, context, out)


def positioned(code: Wikicode, offset: int):
    """Yield each node of `code` with its offset in the file's wikitext."""
    for node in code.nodes:
        yield node, offset
        offset += len(str(node))


def read_node(node: Node, at: int, context: ReadContext, out: RunText) -> None:
    """Append one node to `out`."""
    out.hint = at
    if isinstance(node, Text):
        _text(node.value, at, context, out)
    elif isinstance(node, HTMLEntity):
        out.add(_entity(node))
    elif isinstance(node, Comment):
        return
    elif isinstance(node, Tag):
        _tag(node, at, context, out)
    elif isinstance(node, Wikilink):
        _wikilink(node, at, context, out)
    elif isinstance(node, ExternalLink):
        _external(node, at, context, out)
    elif isinstance(node, Template):
        if context.on_template is not None:
            mark = out.mark()
            context.on_template(node, at, context, out)
            out.dropped(mark)  # printed nothing: the reader tidies what it leaves
    elif isinstance(node, Argument):
        return  # `{{{name}}}`: a template's parameter, meaningless outside a template
    elif isinstance(node, Heading):
        read_inline(node.title, child_offset(str(node), at, str(node.title)), context, out)
    else:  # a node type of a newer parser: keep what it says as text
        out.add(mwparserfromhell.parse(str(node)).strip_code())


def _text(value: str, at: int, context: ReadContext, out: RunText) -> None:
    """Append text as written, without behaviour switches (`__NOTOC__`, `__БЕЗ_ОГЛАВЛЕНИЯ__`)
    and without the quote markup a parse left as text (`quotes.printed_apostrophes`).
    """
    value = _STRAY_TAG.sub(lambda tag: " " * len(tag.group()), value)
    start = 0
    for cut in _cuts(value, context):
        out.hint = at + start
        out.add(value[start : cut.start()], exact=True)
        kept = printed_apostrophes(cut.group()) if cut.group().startswith("''") else ""
        if kept:
            out.hint = at + cut.start()
            out.add(kept, exact=True)
        start = cut.end()
    out.hint = at + start
    out.add(value[start:], exact=True)


def _cuts(value: str, context: ReadContext) -> list[re.Match[str]]:
    """The behaviour switches and quote runs in `value`, in order."""
    found = list(context.words.switch_pattern().finditer(value))
    if "''" in value:
        found += QUOTE_RUN.finditer(value)
        found.sort(key=lambda match: match.start())
    return found


def contents_offset(node: Tag, at: int) -> int:
    """Return the offset of a tag's contents."""
    if node.contents is None:
        return at
    text = str(node)
    opening = text.find(">") + 1 if not node.wiki_markup else len(node.wiki_markup)
    return child_offset(text, at, str(node.contents), max(0, opening))


def _entity(node: HTMLEntity) -> str:
    try:
        return node.normalize()
    except (ValueError, OverflowError):  # `&#99999999;`: not a character
        return str(node)


def _tag(node: Tag, at: int, context: ReadContext, out: RunText) -> None:
    name = str(node.tag).strip().lower()
    inner = contents_offset(node, at)
    if name in ("ref", "references") and tag_attribute(node, "group"):
        # An explanatory note (`<ref group="note">`), not a source: a footnote.
        if name == "ref" and not node.self_closing:
            note(node.contents, tag_attribute(node, "name"), at, context, out)
        elif name == "ref":
            note(None, tag_attribute(node, "name"), at, context, out)
        return
    if name in ("ref", "references"):
        # The references reader takes the whole tag (named refs, list-defined refs).
        if name == "references":
            context.reference_lines.append(context.span(at).line)
        cite(read_ref(node, context.span(at), context.refs), out)
        return
    if name in _SILENT_TAGS or node.wiki_markup in ("----",):
        return
    if name in _GRAPHIC_TAGS:
        context.diagnostics.note(
            context.span(at),
            f"<{name}> draws {_GRAPHIC_TAGS[name]}, which a book cannot show; dropped",
        )
        return
    if name in _DROPPED_TAGS:
        context.diagnostics.warn(
            context.span(at), f"<{name}> is not allowed in an article; dropped with its content"
        )
        return
    if name == "br":
        out.add_run(out.position, "break")
        return
    if name == "math":
        _math(node, context, out)
        return
    if name in _VERBATIM_TAGS:
        if node.contents is not None:
            out.add(verbatim(node.contents))
        return
    if name in CODE_TAGS:
        start = out.position
        if node.contents is not None:
            out.add(code_text(name, node.contents))
        out.add_run(start, "code")
        return
    if name in ("gallery", "imagemap"):
        if context.on_gallery is not None:
            context.figures.extend(context.on_gallery(node, inner, context))
        return
    if node.contents is None:
        return
    start = out.position
    read_inline(node.contents, inner, context, out)
    kind = _STYLE.get(name)
    if kind:
        out.add_run(start, kind)
    elif name in ("span", "bdi") and node.has("lang"):
        tag = str(node.get("lang").value).strip()
        if is_language_tag(tag):
            out.add_run(start, "lang", tag)


def cite(citation: WikiCitation | None, out: RunText) -> None:
    """Mark where a citation is cited; a bibliography "entry" prints nothing there."""
    if citation is not None and citation.kind == "cite":
        out.add_run(out.position, "cite", str(citation.number))


def note(body: Wikicode | None, name: str, at: int, context: ReadContext, out: RunText) -> None:
    """Append an explanatory note (a footnote: its text, never a bibliography entry).

    A note without a body reuses the one defined with `name` (anywhere in the article,
    `read.py` collects them first); a note with neither is reported.
    """
    text = ""
    if body is not None and str(body).strip():
        inner = RunText()
        read_inline(body, at, context, inner)
        text, _ = inner.result()
        take_figures(context)  # a figure cannot sit in a footnote
    elif name:
        text = context.notes.get(name, "")
    if not text:
        what = f'the note "{name}" is never defined' if name else "an empty note says nothing"
        context.diagnostics.warn(context.span(at), f"{what}; it is dropped")
        return
    if name and name not in context.notes:
        context.notes[name] = text
    out.hint = at
    out.add_run(out.position, "note", text)


def tag_attribute(tag: Tag, name: str) -> str:
    """Return the value of a tag's attribute `name` ("" when it has none)."""
    for attribute in tag.attributes:
        if str(attribute.name).strip().lower() == name:
            value = attribute.value
            return str(value).strip().strip("\"'") if value is not None else ""
    return ""


def code_text(name: str, code: Wikicode) -> str:
    """Return what a code tag shows: `<pre>`/`<syntaxhighlight>` their text as written,
    `<code>`/`<tt>` (whose markup MediaWiki reads) their text without the markup."""
    if name in ("pre", "source", "syntaxhighlight"):
        return verbatim(code)
    return code.strip_code(normalize=True, collapse=False)


def verbatim(code: Wikicode) -> str:
    """Return a nowiki/pre/code tag's content as the text it shows (entities decoded)."""
    parts = []
    for child in code.nodes:
        parts.append(_entity(child) if isinstance(child, HTMLEntity) else str(child))
    return "".join(parts)


def _math(node: Tag, context: ReadContext, out: RunText) -> None:
    tex = verbatim(node.contents).strip() if node.contents is not None else ""
    if not tex:
        return
    start = out.position
    out.add(MATH_PLACEHOLDER)  # the text others annotate holds no TeX words
    out.add_run(start, "math", " ".join(tex.split()))


def _wikilink(node: Wikilink, at: int, context: ReadContext, out: RunText) -> None:
    """A link; a file is a figure, a category and a link to another language print nothing.

    The namespaces are the page's wiki's (`[[Dosya:...]]`, `[[Kategori:...]]`, `[[رده:...]]`).
    A leading colon makes a file or category a plain link (`[[:Category:X|the list]]`):
    its words print, never the namespace or a file name.
    """
    title = " ".join(str(node.title).split())
    colon = title.startswith(":")
    head, sep, rest = title.lstrip(":").partition(":")
    space = context.words.namespace(head) if sep else None
    labelled = node.text is not None and bool(str(node.text).strip())
    if space == FILE and not colon:
        figure = context.on_file(node, at, context) if context.on_file else None
        if figure:
            context.figures.append(figure)
        return
    if space == CATEGORY and not colon:
        return  # sorts the page into a category: never printed
    if space is None and sep and not colon and context.words.is_interlanguage(head):
        return  # [[de:Berlin]]: the article in another language, a sidebar link
    if space in (FILE, CATEGORY, MEDIA) and not labelled:
        if space == CATEGORY and rest.strip():
            out.add(rest.strip())  # [[:Category:Rivers]] reads "Rivers"
        return  # a bare link to a file prints no file name
    start = out.position
    if labelled and node.text is not None:
        read_inline(node.text, child_offset(str(node), at, str(node.text), 2), context, out)
    elif node.text is not None:  # the pipe trick: [[Help:Contents|]] shows "Contents"
        prefixed = space is not None or (
            sep and (head.islower() or context.words.is_interlanguage(head))
        )
        out.add(re.sub(r"\s*\(.*\)$", "", rest.strip() if prefixed else title.lstrip(":")))
    else:
        out.add(title.lstrip(":"))
    target = title.lstrip(":")
    if target and not target.startswith("#") and space not in (FILE, CATEGORY, MEDIA):
        out.add_run(start, "wikilink", target)


def _external(node: ExternalLink, at: int, context: ReadContext, out: RunText) -> None:
    url = str(node.url).strip()
    start = out.position
    if node.title is not None and str(node.title).strip():
        read_inline(node.title, child_offset(str(node), at, str(node.title), 1), context, out)
    else:
        out.add(url.removeprefix("mailto:"))
    if web_href(url):  # an address that cannot be made a valid URL stays text
        out.add_run(start, "link", url)


def paragraph(code: Wikicode, offset: int, context: ReadContext, kind: str = "") -> Paragraph:
    """Read `code` as one paragraph."""
    out = RunText()
    read_inline(code, offset, context, out)
    text, runs = out.result()
    return Paragraph(text, out.span(context.locator, offset), runs, kind)


def take_figures(context: ReadContext) -> list[Figure]:
    """Return (and forget) the figures found inline since the last call."""
    found, context.figures = context.figures, []
    return found
