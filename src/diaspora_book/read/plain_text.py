"""Parse a wiki-text article export into an `Article`.

The format: a `= Title =` line; optionally an `Infobox` line followed by `- Key: value`
lines; paragraphs (one per line); `==Heading==` / `== Heading ==` and deeper
`===Sub===` headings; `- item` lists (the one under "See also" is marked as such).
Every block keeps its `path:line`. Nothing is ever dropped: a line the parser cannot
place is kept as a paragraph and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from diaspora_book.languages.labels import is_see_also
from diaspora_book.model import (
    Article,
    Block,
    BulletList,
    Fact,
    Heading,
    Infobox,
    ListItem,
    Paragraph,
    SourceSpan,
)
from diaspora_book.plumbing.errors import BookError, Diagnostics
from diaspora_book.plumbing.slug import slugify
from diaspora_book.plumbing.strict_text import read_text

_HEADING = re.compile(r"^(=+)\s*(.*?)\s*(=+)$")
_INFOBOX = re.compile(r"^infobox\b\s*(.*)$", re.IGNORECASE)
_ITEM = re.compile(r"^[-*]\s+(.*)$")
_FACT = re.compile(r"^([^:\uff1a]*?)\s*[:\uff1a]\s*(.*)$")  # `Key: value`, `键：值`


@dataclass(frozen=True)
class _Line:
    number: int
    text: str  # stripped of trailing white space


def parse_file(path: Path, shown: str) -> tuple[Article, Diagnostics]:
    """Read and parse one article file; `shown` is the path used in messages."""
    return parse_text(read_text(path, shown), path, shown)


def parse_text(text: str, path: Path, shown: str) -> tuple[Article, Diagnostics]:
    """Parse decoded article text (LF line ends, no BOM)."""
    diagnostics = Diagnostics()
    lines = [_Line(n, raw.rstrip()) for n, raw in enumerate(text.split("\n"), start=1)]
    content = [line for line in lines if line.text.strip()]
    if not content:
        raise BookError("the article is empty", SourceSpan(shown, 1))

    first = content[0]
    title_match = _HEADING.match(first.text.strip())
    if not title_match or len(title_match.group(1)) != 1 or not title_match.group(2):
        raise BookError(
            f"the article must start with a title line '= Title =', found {_quote(first.text)}",
            SourceSpan(shown, first.number),
        )
    if len(title_match.group(3)) != 1:
        diagnostics.warn(SourceSpan(shown, first.number), "unbalanced '=' around the title")
    title = title_match.group(2)
    rest = [line for line in lines if line.number > first.number]

    builder = _BlockBuilder(shown, diagnostics)
    infobox = builder.read(rest)
    article = Article(
        path=path,
        display_path=shown,
        slug=slugify(path.stem, fallback="article"),
        title=title,
        title_span=SourceSpan(shown, first.number),
        infobox=infobox,
        blocks=tuple(builder.blocks),
    )
    return article, diagnostics


class _BlockBuilder:
    """Walks the lines after the title once, emitting blocks in order."""

    def __init__(self, shown: str, diagnostics: Diagnostics):
        self.shown = shown
        self.diagnostics = diagnostics
        self.blocks: list[Block] = []
        self.infobox: Infobox | None = None
        self._items: list[ListItem] = []
        self._under_see_also = False

    def span(self, line: _Line, column: int = 1) -> SourceSpan:
        return SourceSpan(self.shown, line.number, column)

    def read(self, lines: list[_Line]) -> Infobox | None:
        index = 0
        while index < len(lines):
            line = lines[index]
            stripped = line.text.strip()
            column = len(line.text) - len(line.text.lstrip()) + 1
            if not stripped:
                self._end_list()
            elif (infobox := _INFOBOX.match(stripped)) and self._infobox_allowed():
                index = self._read_infobox(lines, index, infobox.group(1))
                continue
            elif stripped.startswith("="):
                self._end_list()
                self._heading(line, stripped)
            elif item := _ITEM.match(stripped):
                self._items.append(ListItem(item.group(1), self.span(line, column + item.start(1))))
            else:
                self._end_list()
                self.blocks.append(Paragraph(stripped, self.span(line, column)))
            index += 1
        self._end_list()
        return self.infobox

    def _infobox_allowed(self) -> bool:
        # The infobox belongs before the body; a later "Infobox" line is just text.
        return self.infobox is None and not self.blocks and not self._items

    def _read_infobox(self, lines: list[_Line], start: int, name: str) -> int:
        header = lines[start]
        facts: list[Fact] = []
        index = start + 1
        while index < len(lines):
            line = lines[index]
            item = _ITEM.match(line.text.strip())
            if not item:
                break
            facts.append(self._fact(line, item.group(1)))
            index += 1
        if not facts:
            self.diagnostics.warn(
                self.span(header), "'Infobox' line with no '- Key: value' lines; kept as text"
            )
            self.blocks.append(Paragraph(header.text.strip(), self.span(header)))
            return start + 1
        self.infobox = Infobox(tuple(facts), self.span(header), name)
        return index

    def _fact(self, line: _Line, body: str) -> Fact:
        column = line.text.index(body) + 1
        match = _FACT.match(body)
        if not match or not match.group(1).strip():
            self.diagnostics.warn(
                self.span(line, column), "infobox line has no 'Key:'; kept as a value"
            )
            return Fact("", body, self.span(line, column))
        return Fact(match.group(1).strip(), match.group(2), self.span(line, column))

    def _heading(self, line: _Line, stripped: str) -> None:
        match = _HEADING.match(stripped)
        if not match or not match.group(2):
            self.diagnostics.warn(
                self.span(line), f"cannot read {_quote(stripped)} as a heading; kept as text"
            )
            self.blocks.append(Paragraph(stripped, self.span(line)))
            return
        left, text, right = match.groups()
        level = min(len(left), len(right))
        if len(left) != len(right):
            self.diagnostics.warn(
                self.span(line),
                f"unbalanced '=' in heading {_quote(stripped)}; read as level {level}",
            )
        if level == 1:
            self.diagnostics.warn(
                self.span(line), "a second '= Title =' line; read as a section heading"
            )
            level = 2
        self._under_see_also = is_see_also(text)
        self.blocks.append(Heading(level, text, self.span(line)))

    def _end_list(self) -> None:
        if self._items:
            self.blocks.append(
                BulletList(tuple(self._items), self._items[0].span, see_also=self._under_see_also)
            )
            self._items = []


def _quote(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
