"""Render the print manuscript: pandoc -> HTML, WeasyPrint -> tagged PDF, then finish it.

The PDF is tagged (a structure tree of headings, paragraphs, lists and tables, with
the language of every foreign run), carries its metadata in the Info dictionary and
in XMP, and has bookmarks that follow the headings. It makes no PDF/UA conformance
claim: nothing here can run veraPDF to back one up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from diaspora_book import __version__
from diaspora_book.assemble import Manuscript
from diaspora_book.config import Project
from diaspora_book.errors import Diagnostics, ToolError
from diaspora_book.labels import book_labels, handout_css
from diaspora_book.outputs import replacing
from diaspora_book.render import pandoc
from diaspora_book.render.block_ids import lua_filter_args
from diaspora_book.render.page_setup import page_css
from diaspora_book.render.pdf_finish import PdfInfo, finish_pdf, pdf_timestamp
from diaspora_book.render.pdf_parallel import split_reason, write_pdf_in_parts
from diaspora_book.render.pdf_structure import cached_page_references, element_languages
from diaspora_book.stylesheets import package_styles_dir, stylesheets


@dataclass(frozen=True)
class RenderedPdf:
    """A rendered PDF and where its HTML ids landed (the EPUB's page list uses them)."""

    path: Path
    page_count: int
    anchor_pages: dict[str, int]  # every HTML id in the document -> 1-based page it starts on
    parts: int = 1  # documents it was laid out as (see pdf_parallel); 1: the whole book at once


def to_html(manuscript: Manuscript) -> str:
    """Return standalone HTML for the print manuscript."""
    template = Path(str(resources.files("diaspora_book") / "templates" / "book.html"))
    args = [
        f"--template={template}",
        "--section-divs",
        *lua_filter_args(),
        *pandoc.metadata_args(manuscript.metadata),
        *manuscript.pandoc_args,
    ]
    return pandoc.convert(manuscript.markdown, "html5", args)


def write_pdf(
    project: Project,
    manuscript: Manuscript,
    target: Path,
    diagnostics: Diagnostics,
    relayout: Callable[[dict[str, int]], Manuscript] | None = None,
    *,
    press: bool = False,
    jobs: int = 1,
) -> RenderedPdf:
    """Render `manuscript` to the PDF file `target`; report where each HTML id landed.

    `press` adds 3 mm bleed and crop marks for a print shop. A handout manuscript
    (format "handout") gets its own stylesheet layer and margins for unbound pages.
    With `relayout`, the first layout's page of every anchor is passed to it and the
    manuscript it returns is laid out again: the Glossary and Index use this to give
    each page number once. With `jobs` > 1, a book of several chapters is laid out
    in parts, that many at once (`pdf_parallel`), with the same result. `target` is
    replaced only by a complete, finished PDF (`outputs.replacing`).
    """
    with replacing(target) as scratch:
        rendered = _write_pdf(
            project, manuscript, scratch, diagnostics, relayout, press=press, jobs=jobs
        )
    return replace(rendered, path=target)


def _write_pdf(
    project: Project,
    manuscript: Manuscript,
    target: Path,
    diagnostics: Diagnostics,
    relayout: Callable[[dict[str, int]], Manuscript] | None,
    *,
    press: bool,
    jobs: int,
) -> RenderedPdf:
    weasyprint = weasyprint_module()
    html = to_html(manuscript)
    info = pdf_info(manuscript)
    if split_reason(project, manuscript.format, manuscript, jobs) is None:
        parts = write_pdf_in_parts(
            project, manuscript, html, target, info, relayout, to_html, jobs, press
        )
        if parts is not None:
            finish_pdf(target, info, press=press)
            _report(diagnostics, parts.tagged_languages, parts.refused, parts.warnings)
            return RenderedPdf(target, parts.page_count, parts.anchor_pages, parts.parts)
    from diaspora_book.render.fetcher import ProjectFetcher  # WeasyPrint: only to render

    fetcher = ProjectFetcher([project.root, package_styles_dir()])
    with captured_weasyprint_warnings() as warnings:
        css = print_stylesheets(project, manuscript.format, fetcher, press=press)

        def lay_out(html: str):
            return weasyprint.HTML(
                string=html, base_url=str(project.root) + "/", url_fetcher=fetcher
            ).render(stylesheets=css)

        document = lay_out(html)
        second = relayout(anchor_pages(document)) if relayout is not None else manuscript
        if second.markdown != manuscript.markdown:  # else nothing to deduplicate: one layout
            document = lay_out(to_html(second))
        describe_document(document.metadata, info)
        with element_languages() as tagged_languages, cached_page_references():
            document.write_pdf(target, pdf_tags=True, pdf_identifier=info.identifier.encode())
    finish_pdf(target, info, press=press)
    _report(diagnostics, tagged_languages, fetcher.refused, warnings)
    return RenderedPdf(target, len(document.pages), anchor_pages(document))


def _report(
    diagnostics: Diagnostics, tagged_languages: bool, refused: list[str], warnings: list[str]
) -> None:
    """Turn what the render noticed into build warnings."""
    if not tagged_languages:
        diagnostics.warn(
            None,
            f"WeasyPrint {weasyprint_module().__version__} is not known to diaspora-book: "
            "foreign-language runs carry no /Lang in the PDF's structure tree",
        )
    for url in refused:
        diagnostics.warn(None, f"refused to fetch {url} while rendering the PDF")
    for message in warnings:
        diagnostics.warn(None, f"WeasyPrint: {message}")


def print_stylesheets(
    project: Project,
    fmt: str,
    fetcher,
    *,
    press: bool = False,
    rewrite: Callable[[str], str] | None = None,
) -> list:
    """Return WeasyPrint's stylesheets for `fmt`: the page geometry, then the layers.

    `rewrite`, if given, is applied to the text of every stylesheet first.
    """
    weasyprint = weasyprint_module()
    texts = [page_css(project.config, bound=fmt != "handout", press=press)]
    if fmt == "handout":
        texts.append(handout_css(book_labels(project.config)))
    bases: list[str | None] = [None] * len(texts)
    for path in stylesheets(project, fmt):
        texts.append(path.read_text(encoding="utf-8"))
        bases.append(path.as_uri())
    return [
        weasyprint.CSS(
            string=rewrite(text) if rewrite else text, base_url=base, url_fetcher=fetcher
        )
        for text, base in zip(texts, bases, strict=True)
    ]


def anchor_pages(document) -> dict[str, int]:
    """Return the 1-based page each HTML id starts on (a split element: its first page)."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return pages


def pdf_info(manuscript: Manuscript) -> PdfInfo:
    """Return what the PDF should say about itself, from the manuscript's metadata."""
    meta = manuscript.metadata

    def text(key: str) -> str:
        value = meta.get(key, "")
        return value if isinstance(value, str) else ", ".join(value)

    authors = meta.get("author", [])
    return PdfInfo(
        title=text("title"),
        authors=tuple([authors] if isinstance(authors, str) else authors),
        language=text("lang") or "en",
        subject=text("subtitle"),
        rights=text("rights"),
        publisher=text("publisher"),
        identifier=text("identifier"),
        created=pdf_timestamp(),
        generator=f"diaspora-book {__version__}",
        direction=text("dir") or "ltr",
    )


def describe_document(metadata, info: PdfInfo) -> None:
    """Set WeasyPrint's document metadata (the PDF Info dictionary) from `info`."""
    metadata.title = info.title
    metadata.authors = list(info.authors)
    metadata.description = info.subject or None
    metadata.lang = info.language
    metadata.generator = info.generator
    metadata.created = metadata.modified = info.created


def weasyprint_module():
    """Import WeasyPrint; a missing library (Pango) is a ToolError with the install hint."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango missing
        raise ToolError(
            f"WeasyPrint cannot start: {exc}",
            hint="run 'make setup' to install Pango and WeasyPrint",
        ) from None
    return weasyprint


class captured_weasyprint_warnings:
    """Collect WeasyPrint's logged warnings instead of printing them to stderr."""

    def __enter__(self) -> list[str]:
        self.messages: list[str] = []
        self.logger = logging.getLogger("weasyprint")
        self.handler = _ListHandler(self.messages)
        self.previous = self.logger.propagate
        self.logger.addHandler(self.handler)
        self.logger.propagate = False
        return self.messages

    def __exit__(self, *exc) -> None:
        self.logger.removeHandler(self.handler)
        self.logger.propagate = self.previous


class _ListHandler(logging.Handler):
    def __init__(self, messages: list[str]):
        super().__init__(logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
