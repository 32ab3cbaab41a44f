"""Write article text as pandoc Markdown that stays text.

Article text comes from outside. Every character pandoc's Markdown reader could take
as markup is backslash-escaped (`all_symbols_escapable`), so `<script>`, `*x*`,
`$x$`, `[@key]`, `\\LaTeX`, `::: div` and `---` all come out as the literal characters
the article contains. The reader is also run with raw HTML/TeX and smart punctuation
switched off (see `MARKDOWN_FORMAT`), as a second wall and so that nothing the user
wrote is silently changed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import yaml

from diaspora_book.languages.book_language import BookLanguage
from diaspora_book.model import COLLAPSIBLE_SPACE, Cite, Mark

# The pandoc reader for everything this tool writes. `smart` would turn "..." into an
# ellipsis and quotes into curly quotes: the article's characters must arrive unchanged.
MARKDOWN_FORMAT = (
    "markdown-smart-raw_html-raw_tex-raw_attribute-tex_math_dollars"
    "-tex_math_single_backslash-pandoc_title_block-yaml_metadata_block"
)

# Markup characters anywhere in a line.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>$@~^|{}#&!])")
# Block markers at the start of a line: a list marker like `1997.`, `a)` or `#.`.
# pandoc's `fancy_lists` enumerators: digits, one letter, roman numerals, or `#`.
_ENUMERATOR = re.compile(r"^(\d{1,9}|[A-Za-z]|[ivxlcdm]+|[IVXLCDM]+|#)([.)])(?=\s|$)")
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def escape_inline(text: str) -> str:
    """Escape every character that is markup inside a line of pandoc Markdown."""
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def escape_block(text: str) -> str:
    """Escape `text` that begins a block (paragraph, list item, definition).

    `text` must not begin with collapsible white space (callers strip block text; a
    no-break space or U+3000 is text, which pandoc keeps). Besides inline
    markup, a line may not begin with a block marker: `- `, `+ `,
    `> `, `:::`, `---`, `%`, `(@)` or an enumerator such as `1997.` or `a)`.
    """
    escaped = escape_inline(text)
    if text and text[0] in _ASCII_PUNCTUATION and not escaped.startswith("\\"):
        escaped = "\\" + escaped
    else:
        escaped = _ENUMERATOR.sub(r"\1\\\2", escaped)
    return escaped


def tagged(text: str, book: BookLanguage, *, block: bool = False) -> str:
    """Escape `text` and wrap each run in another language in a span with its language.

    `[ئۇيغۇر]{lang="ug" dir="rtl"}` becomes `<span lang="ug" dir="rtl">` in HTML and
    EPUB (`dir` where the run's direction is not the book's). A script with no
    language in the book's `languages` is still escaped but left untagged.
    """
    return _tag(text.strip(COLLAPSIBLE_SPACE) if block else text, book, block_start=block)


def _tag(text: str, book: BookLanguage, *, block_start: bool) -> str:
    parts: list[str] = []
    for index, (piece, language, direction) in enumerate(book.runs(text)):
        if language:
            attributes = f'lang="{language}"' + (f' dir="{direction}"' if direction else "")
            parts.append(f"[{escape_inline(piece)}]{{{attributes}}}")
        elif block_start and index == 0:
            parts.append(escape_block(piece))
        else:
            parts.append(escape_inline(piece))
    return "".join(parts)


# Identifiers and language tags this module writes into attributes: nothing to escape.
_ATTRIBUTE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")
# A citation key pandoc reads after a bare `@`: alphanumerics with internal punctuation.
_BARE_KEY = re.compile(r"^\w(?:[\w:.#$%&+?<>~/-]*\w)?$")
MARK_CLASSES = {"glossary": "glossref", "index": "indexed"}


def citation(keys: Sequence[str], locators: Sequence[str] = ()) -> str:
    """Return a pandoc citation `[@a; @b, 12]`; a key pandoc could misread is `@{key}`.

    `locators` (per key, "" for none) are escaped text: citeproc takes one that starts
    with a digit for a page or page range and prints any other as written.
    """
    cited = []
    for index, key in enumerate(keys):
        if not key or any(c in key for c in "{}\n"):
            raise ValueError(f"citation key {key!r} cannot be written in Markdown")
        item = f"@{key}" if _BARE_KEY.match(key) else f"@{{{key}}}"
        locator = " ".join(locators[index].split()) if index < len(locators) else ""
        if locator:
            item += f", {escape_inline(locator)}"
        cited.append(item)
    return "[" + "; ".join(cited) + "]"


def narrative_citation(key: str) -> str:
    """Return an in-text citation `@key` ("Author (Year)")."""
    return citation([key])[1:-1]


def annotated(
    text: str,
    book: BookLanguage,
    marks: Sequence[tuple[Mark, str]] = (),
    cites: Sequence[Cite] = (),
    *,
    block: bool = False,
) -> str:
    """Escape and language-tag `text` like `tagged`, marking terms and inserting citations.

    `marks` are (mark, anchor id) pairs over `text`, which must not overlap. A glossary
    term becomes a link to its entry, `[yärlik](#glossary-yarlik){#ch--yarlik-1 .glossref}`;
    an index term a span, `[Almaty]{#ch--almaty-1 .indexed}`; both carry the anchor the
    back matter points at. A citation is inserted as `[@key]` where `settle_citation`
    puts it. The article's own characters all stay text.
    """
    if block and text != text.strip(COLLAPSIBLE_SPACE):
        raise ValueError("block text must be stripped before it is annotated")
    # pandoc drops white space at the edges of link text: keep it outside the mark.
    ordered = sorted(((_trimmed(text, mark), anchor) for mark, anchor in marks), key=_start)
    previous_end = 0
    for mark, anchor in ordered:
        if not 0 <= mark.start < mark.end <= len(text) or mark.start < previous_end:
            raise ValueError(f"mark {mark} overlaps another or lies outside the text")
        for value in (anchor, mark.entry, mark.lang):
            if value and not _ATTRIBUTE.match(value):
                raise ValueError(f"{value!r} cannot be written as an attribute")
        previous_end = mark.end
    cited: dict[int, dict[str, str]] = {}  # position -> key -> locator
    for cite in cites:
        position = settle_citation(text, cite.position, [mark for mark, _ in ordered])
        keys = cited.setdefault(position, {})
        for index, key in enumerate(cite.keys):
            locator = cite.locators[index] if index < len(cite.locators) else ""
            keys.setdefault(key, locator)

    parts: list[str] = []
    pending = sorted(cited)  # citation positions not yet written

    def at_start(position: int) -> bool:
        return block and position == 0

    def plain(start: int, end: int) -> None:
        """Write text[start:end] and the citations at positions start..end."""
        position = start
        while pending and pending[0] <= end:
            cut = pending.pop(0)
            if cut > position:
                parts.append(_tag(text[position:cut], book, block_start=at_start(position)))
                position = cut
            space = "" if not cut or text[cut - 1].isspace() else " "
            here = cited[cut]
            parts.append(space + citation(list(here), list(here.values())) + ("" if cut else " "))
        if end > position:
            parts.append(_tag(text[position:end], book, block_start=at_start(position)))

    position = 0
    for mark, anchor in ordered:
        plain(position, mark.start)
        inner = _tag(text[mark.start : mark.end], book, block_start=False)
        attributes = f"#{anchor} .{MARK_CLASSES[mark.kind]}"
        if mark.lang:
            attributes += f" lang={mark.lang}"
        if mark.kind == "glossary":
            parts.append(f"[{inner}](#{mark.entry}){{{attributes}}}")
        else:
            parts.append(f"[{inner}]{{{attributes}}}")
        position = mark.end
    plain(position, len(text))
    return "".join(parts)


def _trimmed(text: str, mark: Mark) -> Mark:
    content = text[mark.start : mark.end]
    if not content.strip():
        raise ValueError(f"mark {mark} covers no text")
    start = mark.start + len(content) - len(content.lstrip())
    return replace(mark, start=start, end=start + len(content.strip()))


def _start(pair: tuple[Mark, str]) -> int:
    return pair[0].start


def settle_citation(text: str, position: int, marks: Sequence[Mark]) -> int:
    """Return where a citation meant for `position` goes: never inside a mark or a word.

    It moves forward to the next space, the end, or punctuation other than `(` and
    `[`: `[@key]` directly followed by `(`, `[`, a mark or a language span would be
    read by pandoc as a link, so those never follow a citation.
    """
    position = max(0, min(position, len(text)))
    while position < len(text):
        inside = next((m for m in marks if m.start < position < m.end), None)
        if inside:
            position = inside.end
            continue
        char = text[position]
        joins = char in "([" or any(m.start == position for m in marks)
        if not joins and (char.isspace() or char in _ASCII_PUNCTUATION):
            break
        position += 1
    return position


def front_matter(metadata: dict) -> str:
    """Return a YAML front-matter block: plain values, for people and tools, not pandoc.

    libyaml's emitter writes it when it writes what PyYAML's would: it escapes
    characters beyond the Basic Multilingual Plane (an emoji) and a few controls
    that PyYAML writes as they are, so metadata holding one of those is written by
    PyYAML. A rebuild writes every chapter's front matter: 200 chapters took 0.28 s
    with PyYAML's emitter, 0.05 s with libyaml's.
    """
    fast = getattr(yaml, "CSafeDumper", None)
    body = yaml.dump(
        metadata,
        Dumper=fast if fast is not None and _emitted_alike(metadata) else yaml.SafeDumper,
        allow_unicode=True,
        sort_keys=False,
        width=1_000_000,
        default_flow_style=False,
    )
    return f"---\n{body}---\n"


# Characters both YAML emitters write as they are (with allow_unicode).
_EMITTED_ALIKE = re.compile(r"[\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd]*")


def _emitted_alike(value: object) -> bool:
    """Whether every string in `value` (keys too) has only characters both emitters
    write as they are."""
    if isinstance(value, str):
        return _EMITTED_ALIKE.fullmatch(value) is not None
    if isinstance(value, dict):
        return all(_emitted_alike(k) and _emitted_alike(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_emitted_alike(item) for item in value)
    return True
