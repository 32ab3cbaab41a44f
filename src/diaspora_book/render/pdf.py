"""Render the print manuscript: pandoc -> HTML, WeasyPrint -> PDF."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from diaspora_book.assemble import Manuscript
from diaspora_book.config import Project
from diaspora_book.errors import Diagnostics, ToolError
from diaspora_book.render import pandoc
from diaspora_book.render.block_ids import lua_filter_args
from diaspora_book.stylesheets import package_styles_dir, stylesheets


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


@dataclass(frozen=True)
class RenderedPdf:
    path: Path
    page_count: int
    anchor_pages: dict[str, int]  # every HTML id in the document -> 1-based page it starts on


def write_pdf(
    project: Project,
    manuscript: Manuscript,
    target: Path,
    diagnostics: Diagnostics,
    relayout: Callable[[dict[str, int]], Manuscript] | None = None,
) -> RenderedPdf:
    """Render `manuscript` to the PDF file `target`; report where each HTML id landed.

    With `relayout`, the first layout's page of every anchor (id -> page index) is
    passed to it, and the manuscript it returns is laid out again: the Glossary and
    Index use this to give each page number once.
    """
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango missing
        raise ToolError(
            f"WeasyPrint cannot start: {exc}",
            hint="run 'make setup' to install Pango and WeasyPrint",
        ) from None
    from diaspora_book.render.fetcher import ProjectFetcher  # WeasyPrint: only to render

    html = to_html(manuscript)
    fetcher = ProjectFetcher([project.root, package_styles_dir()])
    with _captured_weasyprint_warnings() as warnings:
        css = [
            weasyprint.CSS(filename=str(path), url_fetcher=fetcher)
            for path in stylesheets(project, "pdf")
        ]
        document = weasyprint.HTML(
            string=html, base_url=str(project.root) + "/", url_fetcher=fetcher
        ).render(stylesheets=css)
        if relayout is not None:
            html = to_html(relayout(anchor_pages(document)))
            document = weasyprint.HTML(
                string=html, base_url=str(project.root) + "/", url_fetcher=fetcher
            ).render(stylesheets=css)
        target.parent.mkdir(parents=True, exist_ok=True)
        document.write_pdf(target, pdf_identifier=str(manuscript.metadata["identifier"]).encode())
    for url in fetcher.refused:
        diagnostics.warn(None, f"refused to fetch {url} while rendering the PDF")
    for message in warnings:
        diagnostics.warn(None, f"WeasyPrint: {message}")
    first_pages = {anchor: index + 1 for anchor, index in anchor_pages(document).items()}
    return RenderedPdf(target, len(document.pages), first_pages)


def anchor_pages(document) -> dict[str, int]:
    """Return the index of the first page each anchor (element id) is laid out on."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:  # a box split over pages is an anchor on each
            pages.setdefault(anchor, number)
    return pages


class _captured_weasyprint_warnings:
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
