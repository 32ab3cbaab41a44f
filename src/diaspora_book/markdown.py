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

import yaml

from diaspora_book.language import RTL_SCRIPTS, script_runs

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

    `text` must not begin with white space (callers strip block text). Besides inline
    markup, a line may not begin with a block marker: `- `, `+ `,
    `> `, `:::`, `---`, `%`, `(@)` or an enumerator such as `1997.` or `a)`.
    """
    escaped = escape_inline(text)
    if text and text[0] in _ASCII_PUNCTUATION and not escaped.startswith("\\"):
        escaped = "\\" + escaped
    else:
        escaped = _ENUMERATOR.sub(r"\1\\\2", escaped)
    return escaped


def tagged(text: str, languages: dict[str, str], *, block: bool = False) -> str:
    """Escape `text` and wrap each run of a non-Latin script in a span with its language.

    `[ئۇيغۇر]{lang=ug dir=rtl}` becomes `<span lang="ug" dir="rtl">` in HTML and EPUB.
    A script with no language in `languages` is still escaped but left untagged.
    """
    parts: list[str] = []
    for index, run in enumerate(script_runs(text.strip() if block else text)):
        at_start = block and index == 0
        escaped = escape_block(run.text) if at_start else escape_inline(run.text)
        language = languages.get(run.script) if run.script else None
        if language:
            direction = ' dir="rtl"' if run.script in RTL_SCRIPTS else ""
            parts.append(f'[{escape_inline(run.text)}]{{lang="{language}"{direction}}}')
        else:
            parts.append(escaped)
    return "".join(parts)


def front_matter(metadata: dict) -> str:
    """Return a YAML front-matter block: plain values, for people and tools, not pandoc."""
    body = yaml.safe_dump(
        metadata, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False
    )
    return f"---\n{body}---\n"
