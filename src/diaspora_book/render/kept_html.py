"""The print edition's HTML kept chapter by chapter, so a rebuild converts only what changed.

pandoc converts the whole manuscript on every build: at 200 articles that is 4 s of
a one-article rebuild, for one changed chapter. A chapter converts to the same HTML
alone as inside the book when nothing in it depends on the others:

- no citeproc: its disambiguation ("n.d.-b"), its "ibid." forms and the References
  read every citation of the book (a large book with citations keeps only pandoc's
  reading of its chapters, `kept_ast`; citeproc and the writing run on the whole);
- each chapter opens with its own `# Title {#id}` after a blank line, where the block
  ids (`filters/block_ids.lua`) and pandoc's sections start again, and the text
  between two chapters is only the blank lines the package's template writes (a
  project's own template may wrap the chapters in a block: converted whole);
- the MediaWiki filter changes only what it is run for (`html.lua_filter_args`), so
  a chapter without a table or a note converts alike whether the book ran it or not.

The manuscript is cut into pieces: the front matter, then each chapter (the last
with the back matter after it). A build converts the book whole, as before, cuts
pandoc's HTML where the chapters' sections begin, and keeps each piece's HTML in
`.cache/diaspora-book/html/` under a key of its Markdown and the conversion's
arguments, beside the document's frame (its head and `</body>`). A later build
converts alone only the pieces whose key is not kept, and joins the rest; when
most pieces changed it converts the book whole again. The tests check that the
joined HTML is the whole conversion's, byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path

from diaspora_book.assemble.manuscript import TEMPLATE, Manuscript
from diaspora_book.plumbing.cache import digest, tool_fingerprint
from diaspora_book.plumbing.kept import KeptFiles
from diaspora_book.render.html import (
    TEMPLATE_HTML,
    after_reading_args,
    body_args,
    convert,
    lua_filter_args,
    print_html,
    to_html,
)
from diaspora_book.render.kept_ast import KeptAst, markdown_pieces, mostly_kept
from diaspora_book.render.pdf.layout import PrintJob
from diaspora_book.render.pdf.parts.cut import chapter_blocks


class KeptHtml:
    """The HTML pieces of earlier builds in one folder, and the keys this build used."""

    def __init__(self, directory: Path, reuse: bool = True, project_template: bool = False):
        self.texts = KeptFiles(directory, ".html", reuse)
        self.project_template = project_template  # the project writes its own manuscript
        # A book with citations: pandoc's reading of its pieces (`kept_ast`).
        self.readings = KeptAst(directory / "ast", reuse)

    def to_html(self, manuscript: Manuscript) -> str:
        """Return `html.to_html(manuscript)`, converting only the pieces not kept."""
        if self.project_template:
            return to_html(manuscript)
        if manuscript.format == "pdf" and manuscript.pandoc_args:
            return self._read_in_pieces(manuscript)
        pieces = manuscript_pieces(manuscript)
        if pieces is None:
            return to_html(manuscript)
        shared = digest(tool_fingerprint(), *body_args(manuscript, ""))
        keys = [digest(shared, piece) for piece in pieces]
        frame, found = self.texts.read_pieces(shared, keys)
        missing = [i for i, text in enumerate(found) if text is None]
        if frame is None or not mostly_kept(len(missing), len(pieces)):
            return self._whole(manuscript, shared, keys)
        for i in missing:
            found[i] = self.texts.keep_text(
                keys[i], convert(pieces[i], "html5", body_args(manuscript, pieces[i]))
            )
        self.texts.use([shared, *keys])
        head, tail = json.loads(frame)
        return print_html(head + "".join(text or "" for text in found) + tail)

    def _read_in_pieces(self, manuscript: Manuscript) -> str:
        """Convert a book with citations in two pandoc runs, its reading kept (`kept_ast`).

        The MediaWiki filter makes the print edition's notes (`.footnote` spans) when
        pandoc writes HTML; reading into JSON, it is told so with `print-notes`.
        """

        def reading(markdown: str) -> list[str]:
            return [*lua_filter_args(markdown), "--metadata=print-notes:true"]

        ids = manuscript.chapter_ids
        document = self.readings.document(manuscript.markdown, ids, reading)
        if document is None:
            return to_html(manuscript)
        writing = [
            f"--template={TEMPLATE_HTML}",
            "--section-divs",
            "--mathml",
            *after_reading_args(manuscript),
        ]
        return print_html(convert(document, "html5", writing, source="json"))

    def keep_only_used(self) -> None:
        """Remove the pieces of earlier builds that no conversion of this build used."""
        self.texts.keep_only_used()

    def _whole(self, manuscript: Manuscript, shared: str, keys: list[str]) -> str:
        """Convert the book whole; keep its frame and pieces when its HTML cuts as expected."""
        raw = to_html(manuscript, for_print=False)
        cut = html_pieces(raw, manuscript.chapter_ids)
        if cut is not None and len(cut[1]) == len(keys):
            (head, tail), texts = cut
            self.texts.keep_text(shared, json.dumps([head, tail], ensure_ascii=False))
            for key, text in zip(keys, texts, strict=True):
                self.texts.keep_text(key, text)
        return print_html(raw)


def kept_html(job: PrintJob) -> KeptHtml | None:
    """Return the kept HTML pieces of `job`'s book, or None when the build keeps none."""
    if job.html_cache is None:
        return None
    project = job.project
    own = any(
        (folder / TEMPLATE).is_file() for folder in (project.templates_dir, project.styles_dir)
    )
    return KeptHtml(job.html_cache, job.reuse_parts, own)


def manuscript_pieces(manuscript: Manuscript) -> list[str] | None:
    """Cut the print manuscript into front matter and chapters (see `markdown_pieces`);
    None when its pieces would not convert alike alone (a handout, citeproc)."""
    if manuscript.format != "pdf" or manuscript.pandoc_args:
        return None
    return markdown_pieces(manuscript.markdown, manuscript.chapter_ids)


def html_pieces(
    html: str, chapter_ids: tuple[str, ...]
) -> tuple[tuple[str, str], list[str]] | None:
    """Cut pandoc's HTML of a whole book as `manuscript_pieces` cuts its Markdown.

    Return ((head, tail), pieces): the text before the body's first block and from
    `</body>` on, then the front matter and each chapter's text, the last chapter's
    with the back matter. None when the chapters are not the body's top-level
    sections in book order.
    """
    found = chapter_blocks(html, chapter_ids)
    if found is None:
        return None
    lines, head_end, body_close, blocks, first = found
    bounds = [head_end, *(blocks[first + i][1] for i in range(len(chapter_ids))), body_close]
    texts = ["".join(lines[start:stop]) for start, stop in zip(bounds, bounds[1:], strict=False)]
    return ("".join(lines[:head_end]), "".join(lines[body_close:])), texts
