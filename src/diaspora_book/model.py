"""Plain data passed between pipeline stages.

Every stage takes frozen dataclasses and returns new ones; nothing is filled in later.
Each block of an article keeps the `SourceSpan` it came from so that any later
stage can point an editor at `path:line`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

# The white space a block's text never begins or ends with (the readers strip it,
# the converter checks it): what HTML and MediaWiki collapse. A no-break space, an
# ideographic space (U+3000) and the other display spaces are the text's own, kept
# as MediaWiki keeps them (`|&nbsp;%` is a cell that begins with a no-break space).
COLLAPSIBLE_SPACE = " \t\n\r\f\v"


@dataclass(frozen=True)
class SourceSpan:
    """Where something came from: a file (as shown to the user), a line and a column."""

    path: str  # as displayed, relative to the project when possible
    line: int  # 1-based
    column: int = 1  # 1-based, in characters
    # For a block read from markup (MediaWiki), where its plain text comes from:
    # (offset in the text, line, column) wherever the text stops following the source
    # one to one (markup left out, a new line). Empty: the text is the source's.
    places: tuple[tuple[int, int, int], ...] = field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        if self.column > 1:
            return f"{self.path}:{self.line}:{self.column}"
        return f"{self.path}:{self.line}"

    def at(self, offset: int) -> SourceSpan:
        """Return the span of the character `offset` places into the text starting here."""
        if not self.places:
            return SourceSpan(self.path, self.line, self.column + offset)
        index = max(0, bisect.bisect_right(self.places, (offset, 1 << 62, 0)) - 1)
        start, line, column = self.places[index]
        return SourceSpan(self.path, line, column + max(0, offset - start))


@dataclass(frozen=True)
class Fact:
    """One `- Key: value` line of an infobox."""

    key: str  # may be "" when the line had no `Key:` part (reported, kept)
    value: str
    span: SourceSpan
    runs: tuple[Run, ...] = ()  # the value's styling (MediaWiki infobox values)


@dataclass(frozen=True)
class Infobox:
    facts: tuple[Fact, ...]
    span: SourceSpan
    name: str = ""  # what follows "Infobox" on its line, e.g. "ethnic group"; printed as caption
    image: Figure | None = None  # MediaWiki: the infobox's image, shown when media/ has it


@dataclass(frozen=True)
class Run:
    """A styled range of a block's plain text (offsets into `text`), from richer input.

    The block's `text` stays the plain text every stage annotates and lints; runs say
    how parts of it print. They nest (a link inside bold) but never cross.
    `kind` is one of: "emphasis", "strong", "superscript", "subscript", "link"
    (`value`: an http(s)/mailto URL), "wikilink" (`value`: the page title and `#section`
    linked; a cross-reference if it is a chapter of the book),
    "lang" (`value`: BCP 47 tag, checked; right to left follows from the tag),
    "math" (`value`: the TeX source; the text is U+FFFC), "break" (a line break
    at `start`, empty range), "nowrap", "code" (monospace, as written), "cite"
    (`value`: the index of the article's citation; empty range), "note" (`value`: an
    explanatory note's text, printed as a footnote; empty range).
    """

    start: int
    end: int
    kind: str
    value: str = ""


@dataclass(frozen=True)
class Heading:
    level: int  # 2 for `==Section==`, 3 for `===Sub===`, ...
    text: str
    span: SourceSpan


@dataclass(frozen=True)
class Paragraph:
    text: str
    span: SourceSpan
    runs: tuple[Run, ...] = ()  # styling from richer input (MediaWiki); none for .txt
    # "" running text; "quote", "hatnote" ("Main article: ..."), "math" (display),
    # "code" (preformatted: `text` keeps its lines and spaces, printed in a monospace font)
    kind: str = ""


@dataclass(frozen=True)
class ListItem:
    text: str
    span: SourceSpan
    runs: tuple[Run, ...] = ()
    marker: str = "-"  # MediaWiki's prefix: "*", "#", "*#" (nested), ";" term, ":" definition


@dataclass(frozen=True)
class BulletList:
    items: tuple[ListItem, ...]
    span: SourceSpan
    see_also: bool = False  # the list under a "See also" heading


@dataclass(frozen=True)
class TableCell:
    text: str
    span: SourceSpan
    runs: tuple[Run, ...] = ()
    header: bool = False
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[TableCell, ...], ...]
    span: SourceSpan
    caption: Paragraph | None = None


@dataclass(frozen=True)
class Figure:
    """An image (`[[File:x.jpg|caption]]`, `<gallery>`); `file` is the name under media/."""

    file: str
    caption: Paragraph
    span: SourceSpan


Block = Heading | Paragraph | BulletList | Table | Figure


@dataclass(frozen=True)
class Revision:
    """Where a MediaWiki article came from: the exported page's revision."""

    title: str
    revision_id: str
    timestamp: str  # ISO 8601, as the export gives it
    contributors: tuple[str, ...]  # user names (or IP addresses) as the export lists them
    url: str  # revision-pinned: https://<site>/w/index.php?oldid=ID
    anonymous: int = 0  # anonymous contributors, as the wiki's API counts them (fetch)


@dataclass(frozen=True)
class Article:
    """One parsed article: the title, its infobox and the body blocks in order."""

    path: Path  # absolute path of the source file
    display_path: str  # the path shown in messages (relative to the project)
    slug: str  # from the file name; stable chapter identifier
    title: str
    title_span: SourceSpan
    infobox: Infobox | None
    blocks: tuple[Block, ...]
    revision: Revision | None = None  # from a Special:Export file; None for .txt/.wiki
    # MediaWiki: every <ref> and citation template, in text order; a "cite" Run's value
    # is its position here. Their keys are given book-wide (mediawiki/bibliography.py).
    citations: tuple[WikiCitation, ...] = ()


def running_text(article: Article) -> Iterator[tuple[str, SourceSpan]]:
    """Yield the article's running text with its place: paragraphs and list items.

    This is the text that carries glossary marks, index entries and citations;
    headings, the infobox and "See also" lists do not.
    """
    for block in article.blocks:
        if isinstance(block, Paragraph) and block.kind not in ("math", "code"):
            yield block.text, block.span
        elif isinstance(block, BulletList) and not block.see_also:
            for item in block.items:
                yield item.text, item.span
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    yield cell.text, cell.span


def running_runs(article: Article) -> Iterator[tuple[str, tuple[Run, ...], SourceSpan]]:
    """Yield the running text (as `running_text`) with its styled runs (MediaWiki input)."""
    for block in article.blocks:
        if isinstance(block, Paragraph) and block.kind not in ("math", "code"):
            yield block.text, block.runs, block.span
        elif isinstance(block, BulletList) and not block.see_also:
            for item in block.items:
                yield item.text, item.runs, item.span
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    yield cell.text, cell.runs, cell.span


@dataclass(frozen=True)
class Mark:
    """A glossary term or index entry found in a block of text (offsets into that text)."""

    start: int
    end: int
    kind: Literal["glossary", "index"]
    entry: str  # the entry's anchor id: "glossary-yarlik", "index-almaty"
    lang: str = ""  # BCP 47 tag of the term as written (glossary entries), e.g. "ug-Latn"


@dataclass(frozen=True)
class Cite:
    """Citation keys to insert into a block of text after offset `position`."""

    position: int
    keys: tuple[str, ...]
    # Per key, where in the work (a page "12", "12–15", or a place "ch. 2"); "" none.
    locators: tuple[str, ...] = ()


@dataclass(frozen=True)
class Occurrence:
    """Where a marked term sits in a chapter, so back matter can point at it."""

    entry: str  # the entry's anchor id (see Mark.entry)
    anchor: str  # id of the marked text in the chapter
    chapter: str  # chapter slug
    section: str  # anchor of the section it is in (the chapter's own for its opening)
    section_title: str


@dataclass(frozen=True)
class Chapter:
    """A converted article: its pandoc-Markdown body and the file it is stored in."""

    number: int  # 1-based position in the book
    slug: str
    title: str
    source: str  # display path of the article
    filename: str  # e.g. "01-uyghurs-in-kazakhstan.md"
    metadata: dict = field(hash=False)  # YAML front matter (plain data)
    body: str = ""  # pandoc Markdown, starting with the chapter heading
    occurrences: tuple[Occurrence, ...] = ()  # marked glossary and index terms, in order
    cites: tuple[str, ...] = ()  # citation keys the chapter cites, first cited first
    cite_rules: tuple[int, ...] = ()  # citations.yml rules (by position) its text matched


@dataclass(frozen=True)
class Pagination:
    """Where the print edition's pages fall: all the EPUB needs to know of the PDF.

    The EPUB carries the print edition's page numbers (its page list); the print
    layout hands it this, so the EPUB never needs the PDF stack.
    """

    page_count: int
    anchor_pages: dict[str, int] = field(hash=False)  # HTML id -> 1-based page it starts on


# An article's references: the works it cites (`Source`) and the places that cite
# them (`WikiCitation`). A `Source` compares by what it says, not by where it was
# written, so the same book cited in two `<ref>`s (or two articles) is one entry;
# the page a citation points at belongs to the citation, not to the source.

_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})([a-z])?\b")


@dataclass(frozen=True)
class Name:
    """A person (last and first names, as BibTeX splits them) or a body (`literal`)."""

    last: str
    first: str = ""
    literal: bool = False  # an organisation: printed as written, never split

    @property
    def sort_word(self) -> str:
        """The word a citation key starts with: the family name, or the body's first word."""
        return self.last.split()[0] if self.literal and self.last.split() else self.last


def year_of(text: str) -> str:
    """Return the first plausible year in `text` ("2004" from "c. 2004"), or ""."""
    found = _YEAR.search(text)
    return found.group(1) if found else ""


@dataclass(frozen=True)
class Source:
    """One work an article cites: a BibTeX entry type and its fields as plain text."""

    entry_type: str  # BibTeX/biblatex: book, incollection, article, online, misc, ...; "" pending
    fields: tuple[tuple[str, str], ...]  # field -> plain text (not author/editor), in entry order
    span: SourceSpan = field(compare=False)  # the template or <ref> it was read from
    authors: tuple[Name, ...] = ()
    editors: tuple[Name, ...] = ()
    note: str = ""  # a free-text <ref>: the whole text (the entry's `note`)
    template: str = field(default="", compare=False)  # e.g. "cite book"; "" for free text
    # What a short citation ({{sfn|Smith|Jones|2004}}) names this work by: family
    # names and year. Set from `ref={{sfnref|...}}`, else derived from the authors.
    anchor: tuple[str, ...] = field(default=(), compare=False)

    def get(self, name: str) -> str:
        """Return field `name` ("" when the source has none)."""
        return next((value for key, value in self.fields if key == name), "")

    @property
    def year(self) -> str:
        return year_of(self.get("date") or self.get("year"))

    @property
    def short_names(self) -> tuple[str, ...]:
        """What {{sfn}} calls this work: up to four family names (or editors'), and the year."""
        if self.anchor:
            return self.anchor
        names = self.authors or self.editors
        return (*(n.last for n in names[:4]), self.year)


@dataclass(frozen=True)
class WikiCitation:
    """One place in an article that cites one or more sources (a <ref>, an {{sfn}}).

    `kind` says what the text gets there: "cite" a citation (pandoc's `[@key, 12]`);
    "entry" nothing: a full citation template written outside `<ref>`, as in a
    "Bibliography" list, is a work the article lists, which the References print.
    """

    number: int  # position among the article's citations (0-based), for the converter
    kind: Literal["cite", "entry"]
    sources: tuple[Source, ...]
    span: SourceSpan
    # Per source: where in it (p=, pp=, page=, pages=, {{rp}}; or loc=), and whether
    # that is a page or page range (True) or another kind of place (False).
    locators: tuple[tuple[str, bool], ...] = ()
    name: str = ""  # <ref name="...">: a reuse is resolved to the definition's sources

    @property
    def locator(self) -> str:
        """The first source's locator ("" when none)."""
        return self.locators[0][0] if self.locators else ""
