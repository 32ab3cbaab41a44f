"""Text with styled runs (from MediaWiki input) -> pandoc Markdown that stays text.

The runs of a block nest; each becomes pandoc's own inline markup around text that
`markdown.annotated` escapes (with the glossary/index marks and citations that fall
inside it): `*emphasis*`, `**strong**`, `^sup^`, `~sub~`, `[text]{lang="ug" dir="rtl"}`,
`^[note]` for an explanatory note, `[text](#chapter)` for a link to another chapter of the book, `[text](https://...)`
for an external link (its URL printed after it in the PDF), and math as a span the
`math.lua` filter turns into pandoc math. Values written into markup are checked
(language tags, anchors) or percent-encoded (URLs); nothing an article says becomes
live markup.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from diaspora_book.chapters.markdown import annotated, citation, escape_inline
from diaspora_book.languages.book_language import BookLanguage, is_language_tag
from diaspora_book.model import Cite, Mark, Run
from diaspora_book.plumbing.slug import slugify
from diaspora_book.plumbing.urls import web_href
from diaspora_book.read.mediawiki.templates import is_rtl

# Runs inside which a glossary/index mark would nest a link in a link or mark TeX.
_OPAQUE = {"link", "wikilink", "math", "code"}
_ANCHOR = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Links:
    """Which page titles are chapters of this book: title -> chapter slug."""

    targets: Mapping[str, str]

    def anchor(self, target: str) -> str | None:
        """Return `#slug` or `#slug--section` for a link to a chapter of the book, else None."""
        page, _, section = target.partition("#")
        name = " ".join(page.replace("_", " ").split())
        slug = self.targets.get(name[:1].upper() + name[1:])
        if slug is None:
            return None
        if section.strip():
            return f"#{slug}--{slugify(section.replace('_', ' '), 'section')}"
        return f"#{slug}"


def usable_marks(marks: Sequence[Mark], runs: Sequence[Run]) -> list[Mark]:
    """Return the marks that fit the runs: inside one or apart, never across, in a link."""
    kept = []
    for mark in marks:
        ok = True
        for run in runs:
            if run.kind == "break":
                ok = ok and not mark.start < run.start < mark.end
                continue
            inside = run.start <= mark.start and mark.end <= run.end
            apart = mark.end <= run.start or run.end <= mark.start
            # A mark inside a run (or exactly on it) is written inside it; one that
            # crosses a run, holds a run, or lies in a link or formula is not written.
            if (run.kind in _OPAQUE and not apart) or not (inside or apart):
                ok = False
        if ok:
            kept.append(mark)
    return kept


class RichWriter:
    """Writes one block's text and runs as pandoc Markdown."""

    def __init__(self, book: BookLanguage, links: Links):
        self.book, self.links = book, links

    def write(
        self,
        text: str,
        runs: Sequence[Run],
        marks: Sequence[tuple[Mark, str]] = (),
        cites: Sequence[Cite] = (),
    ) -> str:
        """Return `text` with its runs, marks (from `usable_marks`) and citations."""
        self._text, self._marks = text, list(marks)  # (from usable_marks)
        self._cites = [replace(c, position=_outside(c.position, runs)) for c in cites]
        # Each citation is written in the outermost stretch of text at its place: one at
        # the end of a language span or emphasis goes after it, not inside.
        self._depth = [_depth(c.position, runs) for c in self._cites]
        self._written: set[int] = set()
        return self._span(0, len(text), list(runs), self.book.passage(text), top=True)

    def _span(
        self,
        start: int,
        end: int,
        runs: list[Run],
        book: BookLanguage,
        top: bool = False,
        depth: int = 0,
    ) -> str:
        parts: list[str] = []
        position = start
        index = 0
        while index < len(runs):
            run = runs[index]
            inner: list[Run] = []
            for other in runs[index + 1 :]:
                within = run.start <= other.start and other.end <= run.end
                if not within or (other.kind == "break" and other.start >= run.end):
                    break
                inner.append(other)
            parts.append(self._leaf(position, run.start, book, top and position == 0, depth))
            parts.append(self._wrap(run, inner, book, depth + 1))
            position = run.end
            index += 1 + len(inner)
        parts.append(self._leaf(position, end, book, top and position == 0, depth))
        return "".join(parts)

    def _leaf(self, start: int, end: int, book: BookLanguage, block: bool, depth: int) -> str:
        mine = [
            index
            for index, cite in enumerate(self._cites)
            if index not in self._written
            and self._depth[index] == depth
            and start <= cite.position <= end
        ]
        self._written.update(mine)
        # A citation where this stretch begins, after styled text ("**Chuy Region** [@k]"):
        # written here, with a space, so it is not read as part of what precedes it.
        leading = [i for i in mine if self._cites[i].position == start and start > 0]
        mine = [i for i in mine if i not in leading]
        prefix = ""
        if leading:
            keys = [k for i in leading for k in self._cites[i].keys]
            locators = [loc for i in leading for loc in _padded(self._cites[i])]
            space = "" if self._text[start - 1].isspace() else " "
            prefix = space + citation(keys, locators)
            if start < end and not self._text[start].isspace() and self._text[start].isalnum():
                prefix += " "
        if end <= start:
            return prefix
        piece = self._text[start:end]
        marks = [
            (replace(m, start=m.start - start, end=m.end - start), a)
            for m, a in self._marks
            if start <= m.start and m.end <= end
        ]
        cites = [replace(self._cites[i], position=self._cites[i].position - start) for i in mine]
        tail = ""
        if block:
            stripped = piece.rstrip()
            tail = " " * (len(piece) - len(stripped))
            piece = stripped
            if not piece:
                return prefix + tail
        body = annotated(piece, book, marks, cites, block=block)
        return prefix + body + tail

    def _wrap(self, run: Run, inner: list[Run], book: BookLanguage, depth: int) -> str:
        kind = run.kind
        if kind == "break":
            return "\\\n"
        if kind == "math":
            return f"[{escape_inline(run.value)}]{{.math-tex}}"
        if kind == "code":  # a code span: pandoc reads nothing inside it
            return code_span(self._text[run.start : run.end])
        if kind == "note":  # an explanatory note: a footnote, its text escaped (scripts tagged)
            note = " ".join(run.value.split())
            return f"^[{annotated(note, book, [], [])}]" if note else ""
        if kind == "lang" and is_language_tag(run.value):
            local = BookLanguage(run.value, {}, frozenset({"cyrillic"}))
            content = self._span(run.start, run.end, inner, local, depth=depth)
            direction = ' dir="rtl"' if is_rtl(run.value) else ""
            return f'[{content}]{{lang="{run.value}"{direction}}}'
        content = self._span(run.start, run.end, inner, book, depth=depth)
        if kind == "emphasis":
            return f"*{content}*"
        if kind == "strong":
            return f"**{content}**"
        if kind in ("superscript", "subscript"):
            if " " in content or "\n" in content:  # pandoc's ^x^ cannot hold a space
                return f"[{content}]{{.{kind}}}"
            fence = "^" if kind == "superscript" else "~"
            return fence + content + fence
        if kind == "nowrap":
            return f"[{content}]{{.nowrap}}"
        if kind in ("wikilink", "link") and not self._text[run.start : run.end].strip():
            return content  # `[[Page|&nbsp;]]`: a link nobody can see or name is no link
        if kind == "wikilink":
            anchor = self.links.anchor(run.value)
            return f"[{content}]({anchor}){{.xref}}" if anchor else content
        if kind == "link":
            url = safe_url(run.value)
            if not url:
                return content
            bare = " .bare" if self._text[run.start : run.end] in (run.value, run.value[7:]) else ""
            return f"[{content}]({url}){{.external{bare}}}"
        return content


def _depth(position: int, runs: Sequence[Run]) -> int:
    """Return how many runs hold `position` strictly inside them."""
    return sum(1 for run in runs if run.start < position < run.end)


def _padded(cite: Cite) -> list[str]:
    return [cite.locators[i] if i < len(cite.locators) else "" for i in range(len(cite.keys))]


def _outside(position: int, runs: Sequence[Run]) -> int:
    """Move a citation out of a link or formula (to its end)."""
    for run in runs:
        if run.kind in _OPAQUE and run.start < position < run.end:
            position = run.end
    return position


def code_span(text: str) -> str:
    """Return `text` as a pandoc code span, in backticks longer than any it holds."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def safe_url(url: str) -> str:
    """Return `url` as a valid URL for a Markdown link, or "" if it cannot be a link."""
    return web_href(url)
