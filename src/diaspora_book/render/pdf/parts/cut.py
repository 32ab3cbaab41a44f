"""Cut the print edition's HTML into parts that can be laid out one by one.

A book of many chapters is laid out faster in pieces on several cores (see
`conduct`). The pieces are cut where the print design already breaks to a new
recto: the front matter (title page, copyright, contents), runs of whole chapters,
and the back matter (Glossary, References, Index). Laid out on its own, a run of
chapters gives the same pages as inside the book, because a chapter's layout
depends on the side it opens on (always a recto) and never on the page number it
opens on; the page numbers themselves are added afterwards (`part`).

What crosses a cut is page numbers: the contents and the Glossary and Index name
pages in other parts. In the whole book the stylesheet asks WeasyPrint for them
with `target-counter(attr(href url), page)`; in a part, that call is rewritten to
read the number from an attribute this module fills in from the other parts'
layouts (`with_page_numbers`). A stylesheet that needs anything else from the whole
document (the total page count, `:first` or `:nth()` pages, other target lookups)
cannot be laid out in parts, and `unsplittable_reason` says why.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
from dataclasses import dataclass

from lxml import html as lxml_html

PAGE_ATTRIBUTE = "data-diaspora-page"  # the page an internal link's target starts on
TARGET_PAGE = re.compile(
    r"target-counter\(\s*attr\(\s*href(?:\s+url)?\s*\)\s*,\s*page\s*\)", re.IGNORECASE
)
# Anything else that needs the whole document to be laid out at once.
_WHOLE_DOCUMENT = {
    "target-counter(": "a target-counter() other than the page of a link's target",
    "target-counters(": "target-counters()",
    "target-text(": "target-text()",
    "counter(pages": "the total page count, counter(pages)",
    "running(": "running elements",
}
# A part's first page is not the book's: rules for the first or the nth page differ.
_PAGE_POSITION = re.compile(r"@page[^{]*:(first|nth\()", re.IGNORECASE)
INTERNAL_LINK = re.compile(r'<a(\s(?:[^>]*?\s)?)href="#([^"]+)"')  # pandoc may wrap
# A book of more than this many chapters per group (per core) is cut into stable
# runs (`stable_runs`) rather than one balanced run per core.
STABLE_FROM = 8
# A long book is cut into runs of about this many chapters, at places chosen by the
# chapters' ids alone, so an edit inside a chapter changes one run and the others
# keep their layout (the incremental print edition caches each run). An edit lays
# out its whole run again: at 200 articles, runs of about eight chapters (26 pages)
# took 2.6 s of a 5 s rebuild; with this figure runs are two to eight chapters
# (three on average) and the edited one takes 1.0 s, and the full build is no
# slower (two builds each way, alternating: 39.1 and 42.4 s with eight, 38.7 and
# 41.2 s with four).
CHAPTERS_PER_RUN = 4
# A chapter whose HTML is at least this long (about 20 printed pages) is a run of its own
# in a book cut that way, so editing a long article lays out only that article again:
# the 13 English articles (293 pages) were two runs, and an edit laid out half the book.
LONG_CHAPTER = 80_000


@dataclass(frozen=True)
class BookParts:
    """The book's HTML cut into standalone documents, in reading order."""

    front: str  # title page, copyright, contents ("" when the book has none)
    chapters: tuple[str, ...]  # runs of whole chapters
    back: str  # Glossary, References, Index ("" when there is none)

    def all(self) -> list[str]:
        return [p for p in (self.front, *self.chapters, self.back) if p]


def unsplittable_reason(css_texts: list[str]) -> str | None:
    """Return why stylesheets need the whole document at once, or None if parts will do."""
    for text in css_texts:
        remaining = TARGET_PAGE.sub("", _without_comments(text))
        position = _PAGE_POSITION.search(remaining)
        if position:
            return f"the stylesheets use an @page :{position.group(1).rstrip('(')} rule"
        for needle, reason in _WHOLE_DOCUMENT.items():
            if needle in remaining:
                return f"the stylesheets use {reason}"
    return None


def split_css(text: str) -> str:
    """Return a stylesheet for a part: a link target's page comes from an attribute."""
    return TARGET_PAGE.sub(f"attr({PAGE_ATTRIBUTE})", text)


def split_book(html: str, chapter_ids: list[str], groups: int) -> BookParts | None:
    """Cut `html` into front matter, `groups` runs of chapters and back matter.

    The chapters are the body's top-level sections with the ids `chapter_ids`, in
    order. A book of up to `STABLE_FROM` chapters a group is cut into `groups`
    runs balanced by their length in characters; a longer one, or one with a chapter
    of `LONG_CHAPTER` or more, into more runs, cut where `stable_runs` says. Returns
    None when the HTML is not shaped as expected (then the book is laid out whole).
    """
    found = chapter_blocks(html, chapter_ids)
    if found is None:
        return None
    lines, head_end, body_close, blocks, first = found
    last = first + len(chapter_ids)
    head = "".join(lines[:head_end])
    tail = "".join(lines[body_close:])

    def text(start: int, stop: int) -> str:
        return "".join(lines[start:stop])

    front = text(head_end, blocks[first][1]) if first else ""
    back = text(blocks[last][1], body_close) if last < len(blocks) else ""
    chapter_texts = [text(blocks[i][1], blocks[i][2]) for i in range(first, last)]
    lengths = [len(text) for text in chapter_texts]
    long_chapters = len(chapter_ids) > groups and max(lengths) >= LONG_CHAPTER
    if len(chapter_ids) > STABLE_FROM * groups or long_chapters:
        cuts = stable_runs(chapter_ids, lengths)
        runs = [chapter_texts[start:stop] for start, stop in cuts]
    else:
        runs = _balanced_runs(chapter_texts, groups)

    def document(body: str) -> str:
        return head + body + tail

    return BookParts(
        document(front) if front.strip() else "",
        tuple(document("".join(run)) for run in runs),
        document(back) if back.strip() else "",
    )


def chapter_blocks(
    html: str, chapter_ids: list[str] | tuple[str, ...]
) -> tuple[list[str], int, int, list, int] | None:
    """Return the HTML's lines, its first body line, its `</body>` line, its top-level
    blocks (`top_level_spans`) and the index of the first chapter's; None unless the
    chapters `chapter_ids` are top-level blocks of the body, in that order."""
    lines = html.splitlines(keepends=True)
    spans = top_level_spans(html, len(lines))
    if spans is None or not chapter_ids:
        return None
    head_end, body_close, blocks = spans
    ids = [block_id for block_id, _, _ in blocks]
    if chapter_ids[0] not in ids:
        return None
    first = ids.index(chapter_ids[0])
    if ids[first : first + len(chapter_ids)] != list(chapter_ids):
        return None
    return lines, head_end, body_close, blocks, first


def back_matter_as_headings(html: str, chapter_ids: list[str] | tuple[str, ...]) -> str | None:
    """Return the book with every block of its back matter cut down to its start tag and
    heading; None if no block of it names pages (`pageref`: the Glossary, the Index),
    or the HTML is not shaped as expected.

    For the first of the two layouts of a book laid out whole: it is made only to
    learn the pages of the chapters' anchors, from which the Glossary and Index are
    written with each page number once, and laid out again. Their entries in it
    were laid out for nothing (the Index's columns are balanced by laying their
    text out again and again: 1.2 of the 1.5 s of a 13-page book's layout).
    Each block keeps its id and heading, so the contents lists it as before.
    """
    if 'class="pageref"' not in html:  # no page named: the parse below is not needed
        return None
    found = chapter_blocks(html, chapter_ids)
    if found is None:
        return None
    lines, _, body_close, blocks, first = found
    back = blocks[first + len(chapter_ids) :]
    texts = ["".join(lines[start:end]) for _, start, end in back]
    if not any('class="pageref"' in text for text in texts):
        return None
    stubs = []
    for text in texts:
        match = _BLOCK_HEADING.match(text)
        if match is None:
            return None
        stubs.append(f"{match.group(1)}\n{match.group(3)}\n</{match.group(2)}>\n")
    start = back[0][1]
    return "".join(lines[:start]) + "".join(stubs) + "".join(lines[body_close:])


# A top-level block: its start tag, then (after nothing but space) its heading.
_BLOCK_HEADING = re.compile(r"(<(section|div)\b[^>]*>)\s*(<h1\b.*?</h1>)", re.DOTALL)


def with_page_numbers(part: str, pages: dict[str, int]) -> tuple[str, list[str]]:
    """Give every internal link the page its target starts on; return the unknown targets."""
    unknown: list[str] = []

    def number(match: re.Match[str]) -> str:
        target = html_lib.unescape(match.group(2))
        page = pages.get(target)
        if page is None:
            unknown.append(target)
            return match.group(0)
        return f'<a{match.group(1)}{PAGE_ATTRIBUTE}="{page}" href="#{match.group(2)}"'

    return INTERNAL_LINK.sub(number, part), unknown


def with_end_marker(part: str) -> str:
    """Append an empty block that opens a recto, so the part ends as it would in the book.

    A recto is a right-hand page, or a left-hand one in a right-to-left book.

    In the whole book the next part opens on a recto, which puts a blank verso after
    a part that ends on a recto. Laid out alone, a part gets that blank page the same
    way from the marker; the page holding the marker itself is then dropped.
    """
    marker = '<div style="break-before: recto" aria-hidden="true"></div>\n'
    cut = part.rindex("</body>")
    return part[:cut] + marker + part[cut:]


def top_level_spans(html: str, line_count: int) -> tuple[int, int, list] | None:
    """Return (first body line, `</body>` line, [(id, first line, end line)]), 0-based."""
    try:
        root = lxml_html.document_fromstring(html)
    except (ValueError, SyntaxError):
        return None
    body = root.find("body")
    if body is None or body.sourceline is None:
        return None
    children = [c for c in body if isinstance(c.tag, str)]
    lines = html.splitlines()
    found = [_tag_start(lines, c.sourceline, c.tag) for c in children]
    starts = [s for s in found if s is not None]
    if len(starts) != len(found) or starts != sorted(set(starts)):
        return None
    try:
        body_close = next(i for i in range(line_count - 1, -1, -1) if "</body>" in lines[i])
    except StopIteration:
        return None
    if lines[body_close].strip() != "</body>" or lines[body.sourceline - 1].strip() != "<body>":
        return None
    bounds = [s - 1 for s in starts] + [body_close]
    blocks = [(children[i].get("id", ""), bounds[i], bounds[i + 1]) for i in range(len(children))]
    if blocks and bounds[0] != body.sourceline:
        return None  # text between <body> and the first block
    return body.sourceline, body_close, blocks


def _tag_start(lines: list[str], line: int | None, tag: str) -> int | None:
    """Return the line (1-based) where the start tag ending on `line` begins.

    libxml2 gives an element the line its start tag ends on; pandoc wraps a start
    tag with many attributes over two lines, and the cut must not split it.
    """
    if line is None:
        return None
    start = line
    while start > 1 and f"<{tag}" not in lines[start - 1]:
        start -= 1
    return start


def _balanced_runs(texts: list[str], groups: int) -> list[list[str]]:
    """Cut `texts` into at most `groups` consecutive runs of about equal total length."""
    groups = max(1, min(groups, len(texts)))
    total = sum(len(t) for t in texts)
    runs: list[list[str]] = [[]]
    done = 0
    for text in texts:
        boundary = total * len(runs) / groups
        if runs[-1] and len(runs) < groups and done + len(text) / 2 > boundary:
            runs.append([])
        runs[-1].append(text)
        done += len(text)
    return runs


def stable_runs(chapter_ids: list[str], lengths: list[int] | None = None) -> list[tuple[int, int]]:
    """Cut chapters into runs of about `CHAPTERS_PER_RUN`; return (start, stop) indexes.

    A run of at least half that many ends after a chapter whose id hashes to a
    multiple of half of it (and a run of twice that many ends anyway), so where the
    cuts fall depends on the ids alone: editing a chapter never moves a cut, and
    adding or removing one moves only the cuts near it. Given the chapters'
    `lengths`, a chapter of `LONG_CHAPTER` or more is a run of its own (an edit moves
    a cut only if it takes the chapter across that length).
    """
    half = max(1, CHAPTERS_PER_RUN // 2)
    long = {i for i, n in enumerate(lengths or []) if n >= LONG_CHAPTER}
    runs: list[tuple[int, int]] = []
    start = 0
    for index, chapter_id in enumerate(chapter_ids):
        if index in long and index > start:  # the run before a long chapter ends here
            runs.append((start, index))
            start = index
        value = int.from_bytes(hashlib.sha256(chapter_id.encode()).digest()[:4], "big")
        length = index + 1 - start
        if (
            index in long
            or (length >= half and value % half == 0)
            or length >= 2 * CHAPTERS_PER_RUN
        ):
            runs.append((start, index + 1))
            start = index + 1
    if start < len(chapter_ids):
        runs.append((start, len(chapter_ids)))
    return runs


def _without_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
