"""Manuscript Markdown -> HTML with pandoc: the print edition's page, the EPUB's documents.

pandoc comes from the pypandoc-binary wheel and always runs with `--sandbox`, which
limits its readers and writers to the files named on the command line: nothing an
article says can make pandoc read `/etc/passwd` or fetch a URL.

Both outputs run the block-id Lua filter (`filters/block_ids.lua`) on the same
manuscript, so an id names the same paragraph in both: WeasyPrint reports the page
each id starts on, and the EPUB puts the print edition's page-break markers next to
those ids. The filter is named on pandoc's command line, which `--sandbox` allows.
"""

from __future__ import annotations

import logging
import re
import signal
from importlib import resources
from pathlib import Path

from diaspora_book.assemble.manuscript import Manuscript
from diaspora_book.chapters.markdown import MARKDOWN_FORMAT
from diaspora_book.plumbing.errors import ToolError
from diaspora_book.render.math_svg import formulas_as_svg

# The wheel's pandoc suggests a 64 MB heap to its runtime (-H64m), so even a small
# book's pandoc holds 175 MiB. With 16 MB: 123 MiB for a 10-article book, the same
# for 200 articles, and no slower at either size (measured, pandoc 3.9).
RUNTIME_OPTIONS = ["+RTS", "-H16m", "-RTS"]
# pandoc looks up its own translations of words such as "Abstract" for the book's
# language and says so when it has none (Kazakh, Uyghur). The book's words come from
# diaspora-book's catalogues instead (labels.py), so these notes are only noise.
_TRANSLATION_NOTES = re.compile(
    r"Could not load translations for|translations/.*not found|has no translation defined"
)


class _WithoutTranslationNotes(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not _TRANSLATION_NOTES.search(record.getMessage())


logging.getLogger("pypandoc").addFilter(_WithoutTranslationNotes())


TEMPLATE_HTML = Path(str(resources.files("diaspora_book") / "templates" / "book.html"))


def to_html(manuscript: Manuscript, for_print: bool = True) -> str:
    """Return standalone HTML for the print manuscript (a book or a handout).

    It is `print_html`'s, unless `for_print` is False: pandoc's HTML as it wrote it.
    """
    args = [f"--template={TEMPLATE_HTML}", *body_args(manuscript, manuscript.markdown)]
    html = convert(manuscript.markdown, "html5", args)
    return print_html(html) if for_print else html


def print_html(html: str) -> str:
    """Return pandoc's HTML as the print edition lays it out: its math as SVG
    (`math_svg`), and each block's id on the block itself.

    pandoc has no attributes for a paragraph, a list item's text or a term, so the
    block-id filter gives each an empty span with its id as the first inline, or
    wraps a paragraph in a `block-id` div with its id (`filters/block_ids.lua`);
    the EPUB keeps its spans. WeasyPrint made each span an inline box and a
    structure element of its own: a 10-article book's 239 of them cost 0.2 of its
    0.8 s tagged write. On the block itself, the id lands on the same page (a
    block's first line opens it), and the structure tree has no empty Span.
    """
    html = _WRAPPED_PARAGRAPH.sub(r'<p id="\1">\2</p>', formulas_as_svg(html))
    return _LEADING_ID.sub(_id_on_block, html)


# A paragraph the block-id filter wrapped in a div with its id (the print HTML's way).
_WRAPPED_PARAGRAPH = re.compile(
    r'<div\s+id="([^"]+)"\s+class="block-id">\s*<p>(.*?)</p>\s*</div>', re.DOTALL
)
# A block whose first inline is an empty span with an id (pandoc may wrap the tag).
_LEADING_ID = re.compile(r'<(p|li|dt|dd|h[1-6])((?:\s[^<>]*)?)><span\s+id="([^"]+)"></span>')


def _id_on_block(match: re.Match[str]) -> str:
    tag, attributes, identifier = match.groups()
    if re.search(r"\sid=", attributes):
        return match.group(0)
    return f'<{tag} id="{identifier}"{attributes}>'


def body_args(manuscript: Manuscript, markdown: str) -> list[str]:
    """Return pandoc's arguments but the template for `markdown`: the print manuscript's
    Markdown, or a piece of it (`kept_html`), whose own content decides whether the
    MediaWiki filter runs."""
    return ["--section-divs", *lua_filter_args(markdown), *after_reading_args(manuscript)]


def after_reading_args(manuscript: Manuscript) -> list[str]:
    """Return the print HTML's arguments after the reading's filters (`lua_filter_args`):
    the title heading, the metadata, citeproc and the last filters."""
    title = Path(str(resources.files("diaspora_book") / "filters" / "title_heading.lua"))
    return [
        # Lines as long as their paragraphs: the HTML is laid out, not read, and a
        # paragraph written from a block-id wrapper or with a span then reads alike.
        "--wrap=none",
        f"--lua-filter={title}",  # the title page's title as a heading (after the ids)
        *metadata_args(manuscript.metadata),
        *manuscript.pandoc_args,
        *last_filter_args(),
    ]


# What filters/mediawiki.lua converts, as the chapters' Markdown writes it
# (chapters/styled_blocks.py, styled_runs.py), and any footnote. Text from an article
# is escaped (`\^\[`), so it never looks like one of these; a false alarm only runs
# the filter for nothing.
_MEDIAWIKI_MARKS = ("mw-table", "math-display", "math-tex", "data-lang-runs", "^[", "[^")


def lua_filter_args(markdown: str) -> list[str]:
    """Return the pandoc arguments that run the MediaWiki and block-id filters, and MathML.

    The MediaWiki filter (tables, math, notes, code in other scripts) runs first, so
    the block ids number the finished document; math is written as MathML in both
    outputs (the print edition turns it into SVG, see `render/pdf/math.py`). A
    manuscript with nothing for it to convert (a book of plain-text articles) skips
    it: the filter would change nothing, and its five passes over the document cost
    a fifth of pandoc's time (100 articles: 3.36 s -> 2.65 s, the same HTML).
    """
    folder = resources.files("diaspora_book") / "filters"
    mediawiki = any(mark in markdown for mark in _MEDIAWIKI_MARKS)
    return [
        *([f"--lua-filter={Path(str(folder / 'mediawiki.lua'))}"] if mediawiki else []),
        f"--lua-filter={Path(str(folder / 'block_ids.lua'))}",
        "--mathml",
    ]


def last_filter_args() -> list[str]:
    """Return the filters that run last, after citeproc: only http(s) and mailto links
    leave the book (`filters/outward_links.lua`), and CJK words citeproc, the contents
    or the appendix wrote get their language (`filters/cjk_runs.lua`)."""
    folder = resources.files("diaspora_book") / "filters"
    return [
        f"--lua-filter={Path(str(folder / name))}" for name in ("outward_links.lua", "cjk_runs.lua")
    ]


def _pypandoc():
    try:
        import pypandoc
    except ImportError:  # pragma: no cover - depends on the environment
        raise ToolError(
            "pypandoc is not installed", hint="run 'make setup' (pip install pypandoc-binary)"
        ) from None
    return pypandoc


def metadata_args(metadata: dict[str, str | list[str]]) -> list[str]:
    """Return `-M key=value` arguments; pandoc takes these as literal strings, not Markdown."""
    args: list[str] = []
    for key, value in metadata.items():
        for item in value if isinstance(value, list) else [value]:
            args.append(f"--metadata={key}:{item}")
    return args


# How pypandoc says pandoc was stopped by SIGINT (a Ctrl-C sent to the whole command).
_INTERRUPTED = f'exitcode "{-signal.SIGINT}"'


def convert(
    markdown: str,
    to: str,
    args: list[str],
    outputfile: Path | None = None,
    source: str = MARKDOWN_FORMAT,
) -> str:
    """Convert Markdown (or pandoc's own JSON, `source="json"`) with pandoc; return the
    output text (empty when written to a file)."""
    pypandoc = _pypandoc()
    try:
        result = pypandoc.convert_text(
            markdown,
            to,
            format=source,
            extra_args=[*RUNTIME_OPTIONS, "--sandbox", *args],
            outputfile=str(outputfile) if outputfile else None,
            sandbox=False,  # passed explicitly above, for every pypandoc version
            # The formats are ours and fixed: verifying them, pypandoc runs pandoc
            # twice more per conversion to list the formats it has.
            verify_format=False,
        )
    except RuntimeError as exc:
        if _INTERRUPTED in str(exc):  # Ctrl-C reached pandoc before this process saw it
            raise KeyboardInterrupt from None
        raise ToolError(f"pandoc failed: {str(exc).strip()}") from None
    except OSError as exc:  # only a missing pandoc is a matter of setup
        hint = "run 'make setup'" if isinstance(exc, FileNotFoundError) else ""
        raise ToolError(f"cannot run pandoc: {exc.strerror or exc}", hint=hint) from None
    return result or ""
