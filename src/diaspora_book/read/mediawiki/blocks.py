"""Wikitext lines -> blocks: headings, paragraphs, lists, tables, figures, hatnotes.

MediaWiki's block structure is line-based: a heading, a list item (`*`, `#`, `;`,
`:` and their nestings) or a table starts a line; consecutive other lines make a
paragraph; a blank line ends it. mwparserfromhell gives the nodes; this module
groups them into lines (a template, tag or table spanning lines stays whole).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import mwparserfromhell
from mwparserfromhell.nodes import Comment, Heading, Node, Tag, Template, Text
from mwparserfromhell.wikicode import Wikicode

from diaspora_book.languages.labels import is_see_also
from diaspora_book.model import (
    Block,
    BulletList,
    ListItem,
    Paragraph,
)
from diaspora_book.model import (
    Heading as HeadingBlock,
)
from diaspora_book.read.mediawiki.context import MAX_DEPTH, ReadContext
from diaspora_book.read.mediawiki.inline import (
    code_text,
    contents_offset,
    positioned,
    read_inline,
    read_nodes,
    take_figures,
)
from diaspora_book.read.mediawiki.local_templates import (
    column_content,
    hatnote_labels,
    normal_name,
    text_templates,
)
from diaspora_book.read.mediawiki.runs import RunText
from diaspora_book.read.mediawiki.source import child_offset
from diaspora_book.read.mediawiki.tables import read_table
from diaspora_book.read.mediawiki.templates import template_name
from diaspora_book.read.mediawiki.word_templates import quote_parts

_LIST_MARKERS = {"*", "#", ":", ";"}
# Tags whose content, alone on its line, is a code block (layout kept).
_CODE_BLOCK_TAGS = {"pre", "source", "syntaxhighlight"}
# HTML lists: `<ol>` numbered ("#"), `<ul>` bulleted ("*"), as their wikitext markers.
_HTML_LISTS = {"ol": "#", "ul": "*"}
# Tags whose content is more blocks: read through them.
_BLOCK_TAGS = {"div", "p", "center", "ol", "ul", "li", "dl", "dd", "dt", "section", "poem"}


@dataclass
class _Line:
    nodes: list[tuple[Node, int]] = field(default_factory=list)

    def blank(self) -> bool:
        return all(
            isinstance(n, Comment) or (isinstance(n, Text) and not n.value.strip())
            for n, _ in self.nodes
        )

    def significant(self) -> list[tuple[Node, int]]:
        return [
            (n, at)
            for n, at in self.nodes
            if not isinstance(n, Comment) and not (isinstance(n, Text) and not n.value.strip())
        ]


def _lines(code: Wikicode, offset: int) -> list[_Line]:
    """Group the top-level nodes into source lines (Text split at newlines)."""
    lines = [_Line()]
    stack = list(reversed(list(positioned(code, offset))))
    while stack:
        node, at = stack.pop()
        if isinstance(node, Text):
            pieces = node.value.split("\n")
            for index, piece in enumerate(pieces):
                if index:
                    lines.append(_Line())
                if piece:
                    lines[-1].nodes.append((Text(piece), at))
                at += len(piece) + 1
        elif (
            isinstance(node, Tag)
            and node.wiki_markup in ("''", "'''")
            and node.contents is not None
            and "\n" in str(node.contents)
        ):
            # A bold/italic the parser ran across lines (MediaWiki ends it at the line's end):
            # read its contents as if the quotes were not there.
            inner = contents_offset(node, at)
            stack.extend(reversed(list(positioned(node.contents, inner))))
        else:
            lines[-1].nodes.append((node, at))
    return lines


class BlockReader:
    """Reads a run of wikitext into blocks, in order."""

    def __init__(self, context: ReadContext):
        self.context = context
        self.blocks: list[Block] = []
        self._paragraph: list[tuple[Node, int]] = []
        self._items: list[ListItem] = []
        self._under_see_also = False
        self._pre: list[str] = []  # lines starting with a space: preformatted text
        self._pre_at = 0

    def read(self, code: Wikicode, offset: int, kind: str = "") -> list[Block]:
        """Read `code` (at `offset`); paragraphs get `kind` ("quote" inside a blockquote)."""
        if self.context.depth > MAX_DEPTH:
            return self.blocks
        self.context.depth += 1
        try:
            for line in _lines(code, offset):
                if _preformatted(line):
                    self._end_paragraph(kind)
                    self._end_list()
                    self._pre_line(line)
                    continue
                self._end_pre()
                self._line(line, kind)
            self._end_pre()
            self._end_paragraph(kind)
            self._end_list()
        finally:
            self.context.depth -= 1
        return self.blocks

    def _line(self, line: _Line, kind: str) -> None:
        nodes = line.significant()
        if not nodes:  # a blank line (or only comments) ends a paragraph or list
            self._end_paragraph(kind)
            self._end_list()
            return
        first, at = nodes[0]
        if isinstance(first, Heading) and len(nodes) == 1:
            self._end_paragraph(kind)
            self._end_list()
            self._heading(first, at)
        elif isinstance(first, Tag) and first.wiki_markup in _LIST_MARKERS:
            self._end_paragraph(kind)
            self._list_item(line.nodes, kind)
        elif isinstance(first, Tag) and first.wiki_markup == "{|":
            self._end_paragraph(kind)
            self._end_list()
            self._add(read_table(first, at, self.context))
            for figure in take_figures(self.context):
                self._add(figure)
            self._lines_after(line, first, kind)
        elif isinstance(first, Tag) and _code_block(first) and len(nodes) == 1:
            self._end_paragraph(kind)
            self._end_list()
            self._code(code_text(str(first.tag).lower(), first.contents or Wikicode([])), at)
        elif isinstance(first, Tag) and str(first.tag).lower() in _HTML_LISTS and len(nodes) == 1:
            self._end_paragraph(kind)
            self._end_list()
            self._html_list(first, at, "")
            self._end_list()
        elif isinstance(first, Tag) and str(first.tag).lower() == "blockquote" and len(nodes) == 1:
            self._end_paragraph(kind)
            self._end_list()
            self._nested(first, at, "quote")
        elif isinstance(first, Tag) and str(first.tag).lower() in _BLOCK_TAGS and len(nodes) == 1:
            self._end_paragraph(kind)
            self._end_list()
            self._nested(first, at, kind)
        elif len(nodes) == 1 and isinstance(first, Template) and self._block_template(first, at):
            pass
        else:
            self._end_list()
            self._paragraph.extend(line.nodes)
            self._paragraph.append((Text("\n"), at))

    def _html_list(self, tag: Tag, at: int, prefix: str) -> None:
        """Read `<ul>`/`<ol>` as list items, nested lists as deeper items after their item."""
        if tag.contents is None:
            return
        marker = prefix + _HTML_LISTS[str(tag.tag).lower()]
        for node, where in positioned(tag.contents, contents_offset(tag, at)):
            name = str(node.tag).lower() if isinstance(node, Tag) else ""
            if name == "li":
                self._html_item(node, where, marker)
            elif name in _HTML_LISTS:  # a list right inside a list: one level deeper
                self._html_list(node, where, marker)
            elif isinstance(node, Text) and node.value.strip():
                self._html_item(Tag("li", node.value), where, marker)

    def _html_item(self, item: Tag, at: int, marker: str) -> None:
        inner = list(positioned(item.contents, contents_offset(item, at))) if item.contents else []
        nested = [
            (n, a) for n, a in inner if isinstance(n, Tag) and str(n.tag).lower() in _HTML_LISTS
        ]
        own = [(n, a) for n, a in inner if (n, a) not in nested]
        out = RunText()
        read_nodes(own, self.context, out)
        text, runs = _item_text(out)
        if text:
            self._items.append(ListItem(text, out.span(self.context.locator, at), runs, marker))
        for figure in take_figures(self.context):
            self._end_list()
            self._add(figure)
        for node, where in nested:
            assert isinstance(node, Tag)
            self._html_list(node, where, marker)

    def _pre_line(self, line: _Line) -> None:
        if not self._pre:
            self._pre_at = line.nodes[0][1] + 1
        nodes = Wikicode([node for node, _ in line.nodes])
        shown = nodes.strip_code(normalize=True, collapse=False)
        self._pre.append(shown[1:] if shown.startswith(" ") else shown)

    def _end_pre(self) -> None:
        if self._pre:
            lines, self._pre = self._pre, []
            self._code("\n".join(lines), self._pre_at)

    def _code(self, text: str, at: int) -> None:
        """Add a code block: `text` as written, its first and last blank lines aside."""
        lines = [line.rstrip() for line in text.expandtabs(4).split("\n")]
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        if lines:
            self._add(Paragraph("\n".join(lines), self.context.span(at), (), "code"))

    def _lines_after(self, line: _Line, table: Node, kind: str) -> None:
        rest = [(n, at) for n, at in line.nodes if n is not table]
        if any(not isinstance(n, Text) or n.value.strip() for n, _ in rest):
            self._paragraph.extend(rest)

    def _nested(self, tag: Tag, at: int, kind: str) -> None:
        if tag.contents is None:
            return
        inner = BlockReader(self.context)
        for block in inner.read(tag.contents, contents_offset(tag, at), kind):
            self._add(block)

    def _block_template(self, template: Template, at: int) -> bool:
        name = template_name(template)
        if normal_name(name) in text_templates("quotes"):
            self._quote(template, at)
            return True
        if normal_name(name) in text_templates("column_lists"):
            self._end_paragraph("")
            params = {normal_name(str(p.name)): p.value for p in template.params}
            for key in column_content():  # {{columns-list|colwidth=..|* a\n* b}}: its list
                written = str(params.get(key, ""))
                if not written.strip() or not _holds_lines(written):
                    continue  # {{Refbegin|30em}}: a width, not the list
                self._end_list()
                inner = BlockReader(self.context)
                offset = child_offset(str(template), at, written)
                offset += len(written) - len(written.lstrip())  # "| תוכן = * a": a list
                for block in inner.read(mwparserfromhell.parse(written.strip()), offset):
                    self._add(block)
                break
            return True
        if normal_name(name) not in hatnote_labels():
            return False
        self._end_paragraph("")
        self._end_list()
        out = RunText()
        read_inline(Wikicode([template]), at, self.context, out)
        text, runs = out.result()
        if text:
            self._add(Paragraph(text, out.span(self.context.locator, at), runs, "hatnote"))
        return True

    def _quote(self, template: Template, at: int) -> None:
        """{{quote|text|author}}, {{Цитата}}, {{alıntı}}...: an indented quotation."""
        self._end_paragraph("")
        self._end_list()
        text, author = quote_parts(template)
        span = self.context.span(at)
        if text:
            self._add(Paragraph(text, span, (), "quote"))
        if author:
            self._add(Paragraph(f"\u2014 {author}", span, (), "quote"))

    def _heading(self, node: Heading, at: int) -> None:
        out = RunText()
        read_inline(node.title, at + node.level, self.context, out)
        text, _ = out.result()
        take_figures(self.context)
        if not text:
            return
        level = min(max(node.level, 2), 6)
        self._under_see_also = is_see_also(text)
        self._add(HeadingBlock(level, text, out.span(self.context.locator, at)))

    def _list_item(self, nodes: list[tuple[Node, int]], kind: str) -> None:
        marker = ""
        index = 0
        while index < len(nodes):
            node, _ = nodes[index]
            if isinstance(node, Tag) and node.wiki_markup in _LIST_MARKERS:
                marker += node.wiki_markup
                index += 1
            else:
                break
        rest = nodes[index:]
        at = rest[0][1] if rest else nodes[0][1]
        out = RunText()
        read_nodes(rest, self.context, out)
        text, runs = _item_text(out)
        figures = take_figures(self.context)
        if set(marker) == {":"} and not self._items and text:
            # A lone `:` indent is how articles set off a formula or a quotation.
            only_math = len(runs) == 1 and runs[0].kind == "math" and runs[0].end == len(text)
            self._add(
                Paragraph(
                    text, out.span(self.context.locator, at), runs, "math" if only_math else "quote"
                )
            )
        elif text:
            self._items.append(ListItem(text, out.span(self.context.locator, at), runs, marker))
        for figure in figures:
            self._end_list()
            self._add(figure)

    def _end_paragraph(self, kind: str) -> None:
        if not self._paragraph:
            return
        nodes, self._paragraph = self._paragraph, []
        out = RunText()
        read_nodes(nodes, self.context, out)
        text, runs = out.result()
        figures = take_figures(self.context)
        if text:
            only_math = len(runs) == 1 and runs[0].kind == "math" and runs[0].end == len(text)
            self.blocks.append(
                Paragraph(
                    text,
                    out.span(self.context.locator, nodes[0][1]),
                    runs,
                    "math" if only_math else kind,
                )
            )
        self.blocks.extend(figures)

    def _end_list(self) -> None:
        if self._items:
            items, self._items = tuple(self._items), []
            self.blocks.append(BulletList(items, items[0].span, see_also=self._under_see_also))

    def _add(self, block: Block) -> None:
        self._end_list()
        if isinstance(block, Paragraph) and not block.text:
            return
        self.blocks.append(block)


def _holds_lines(written: str) -> bool:
    """Whether a column-list template's value is its list (lines, or a `*`/`#` item),
    not a width or a count written in the same unnamed slot."""
    text = written.strip()
    return "\n" in text or text.startswith(("*", "#", ":", ";"))


def _item_text(out: RunText):
    """A list item's text and runs; "" for an item its templates left without a word.

    An item such as `* 1993: {{kardeş şehir|Cakarta|Endonezya}}, {{...}}` (a template
    the reader does not know) gets those templates' words instead; one left with only
    punctuation or a number (`* {{cite book|...}}.`: an entry of the References) goes.
    """
    if out.emptied():
        out.use_fallbacks()
        if out.emptied():
            return "", ()
    return out.result()


def _preformatted(line: _Line) -> bool:
    """A line that starts with a space and has text: MediaWiki's preformatted text."""
    nodes = line.significant()
    if not nodes or not line.nodes:
        return False
    head = line.nodes[0][0]
    first = nodes[0][0]
    return (
        isinstance(head, Text)
        and head.value.startswith(" ")
        and not isinstance(first, (Template, Heading))
        and not (isinstance(first, Tag) and (first.wiki_markup or _code_block(first)))
        and not (isinstance(first, Tag) and str(first.tag).lower() in _BLOCK_TAGS)
    )


def _code_block(tag: Tag) -> bool:
    name = str(tag.tag).lower()
    return name in _CODE_BLOCK_TAGS and not (name == "syntaxhighlight" and tag.has("inline"))


def as_quote(block: Block) -> Block:
    """Return a paragraph set off as a quotation (other blocks unchanged)."""
    return replace(block, kind="quote") if isinstance(block, Paragraph) else block
