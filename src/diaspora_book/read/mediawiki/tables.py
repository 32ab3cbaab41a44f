"""`{| ... |}` tables -> `Table`: rows of cells with header flags and spans.

mwparserfromhell reads a table as tags: `tr` rows (`|-`), `td`/`th` cells (`|`, `||`,
`!`, `!!`), cell attributes (`colspan=2 |`). A `|+` caption comes as a cell whose
text begins with "+". Block content inside a cell (paragraphs, lists) is read as
its text; a table nested in a cell keeps its words.
"""

from __future__ import annotations

from mwparserfromhell.nodes import Tag, Text

from diaspora_book.model import Paragraph, Table, TableCell
from diaspora_book.read.mediawiki.context import ReadContext
from diaspora_book.read.mediawiki.inline import contents_offset, positioned, read_nodes
from diaspora_book.read.mediawiki.runs import RunText

_MAX_SPAN = 50


def read_table(node: Tag, at: int, context: ReadContext) -> Table:
    """Return the table of a `{|` tag."""
    rows: list[tuple[TableCell, ...]] = []
    current: list[TableCell] = []
    caption: Paragraph | None = None
    if node.contents is None:
        return Table((), context.span(at))
    for child, offset in positioned(node.contents, contents_offset(node, at)):
        if not isinstance(child, Tag):
            continue
        name = str(child.tag).lower()
        if name == "tr":
            if current:
                rows.append(tuple(current))
            current = []
            for cell, cell_at in positioned(child.contents, contents_offset(child, offset)):
                if isinstance(cell, Tag) and str(cell.tag).lower() in ("td", "th"):
                    current.append(_cell(cell, cell_at, context))
        elif name in ("td", "th"):
            if _is_caption(child) and not rows and not current and caption is None:
                cell = _cell(child, offset, context)
                caption = Paragraph(cell.text.removeprefix("+").strip(), cell.span, (), "caption")
                caption = _shift(caption, cell)
            else:
                current.append(_cell(child, offset, context))
    if current:
        rows.append(tuple(current))
    return Table(tuple(rows), context.span(at), caption)


def _is_caption(cell: Tag) -> bool:
    if cell.wiki_markup != "|" or cell.contents is None or not cell.contents.nodes:
        return False
    first = cell.contents.nodes[0]
    return isinstance(first, Text) and first.value.startswith("+")


def _shift(caption: Paragraph, cell: TableCell) -> Paragraph:
    """Move the cell's runs onto the caption text (which lost its leading "+")."""
    cut = len(cell.text) - len(cell.text.removeprefix("+").lstrip())
    runs = tuple(
        type(run)(run.start - cut, run.end - cut, run.kind, run.value)
        for run in cell.runs
        if run.start >= cut
    )
    return Paragraph(caption.text, caption.span, runs, "caption")


def _cell(node: Tag, at: int, context: ReadContext) -> TableCell:
    out = RunText()
    if node.contents is not None:
        read_nodes(list(positioned(node.contents, contents_offset(node, at))), context, out)
    if out.emptied():  # `| {{Lbs|Hunstanton}}`: a template the reader does not know left
        out.use_fallbacks()  # the cell without a word; its parameters' words fill it
    text, runs = out.result()
    return TableCell(
        text,
        out.span(context.locator, at),
        runs,
        header=str(node.tag).lower() == "th",
        colspan=_span_attribute(node, "colspan"),
        rowspan=_span_attribute(node, "rowspan"),
    )


def _span_attribute(node: Tag, name: str) -> int:
    if not node.has(name):
        return 1
    value = str(node.get(name).value).strip()
    return min(int(value), _MAX_SPAN) if value.isdigit() and int(value) > 0 else 1
