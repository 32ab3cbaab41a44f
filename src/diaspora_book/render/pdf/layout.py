"""Lay print HTML out with WeasyPrint and write it as a tagged PDF.

What the whole-book layout (`write`) and the layout of a part (`parts.part`) share:
the stylesheets in their layers, a fetcher that serves only the project's files,
WeasyPrint's warnings captured as build warnings, where each HTML id landed, and
the tagged write with the hooks it needs. Only WeasyPrint's public API is used
here; its private functions are reached through `hooks` alone.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diaspora_book.assemble.manuscript import Manuscript
from diaspora_book.languages.labels import book_labels, handout_css
from diaspora_book.model import Pagination
from diaspora_book.plumbing.errors import Diagnostics, ToolError
from diaspora_book.project.config import Project
from diaspora_book.project.fonts import font_css, running_head_css
from diaspora_book.project.stylesheets import package_styles_dir, stylesheets
from diaspora_book.render.pdf.finish import Finishing, PdfInfo
from diaspora_book.render.pdf.hooks import (
    HookFailed,
    cached_page_references,
    tagged_structure,
    whole_leaders,
)
from diaspora_book.render.pdf.page_setup import page_css
from diaspora_book.render.print_shop.interior import ShopPrint

CMYK_PROFILE = "print-cmyk.icc"  # in the package's styles: see README, "For a print-on-demand shop"


@dataclass(frozen=True)
class PrintJob:
    """A print manuscript to lay out (the book or a handout), and how."""

    project: Project
    manuscript: Manuscript
    # Given the first layout's page of every anchor, the manuscript to lay out again
    # (the Glossary and Index give each page number once); None: one layout.
    relayout: Callable[[dict[str, int]], Manuscript] | None = None
    press: bool = False  # 3 mm bleed and crop marks for a print shop
    shop: ShopPrint | None = None  # a print-on-demand shop's interior instead (KDP, ...)
    jobs: int = 1  # parts of the book laid out at once (1: the whole book in this process)
    writers: int = 1  # processes that may write a book laid out whole (2: halves, `halves`)
    # Where the layouts of the book's parts are kept for the next build (None: nowhere),
    # and whether those kept by earlier builds may be used (False: --no-cache).
    parts_cache: Path | None = None
    reuse_parts: bool = True
    # Where the HTML of the book's chapters is kept for the next build (`kept_html`).
    html_cache: Path | None = None
    # Told the pagination as soon as it is final, before the PDF is written (a book in
    # parts: before they are joined), so that the EPUB's completion can begin.
    paginated: Callable[[Pagination], None] | None = None


@dataclass(frozen=True)
class PrintSetup:
    """What every layout of one print manuscript shares (sent as is to worker processes)."""

    project: Project
    fmt: str  # "pdf" (the book) or "handout": picks the stylesheet layers
    info: PdfInfo  # what the PDF says about itself
    press: bool = False  # 3 mm bleed and crop marks for a print shop
    shop: ShopPrint | None = None  # a print-on-demand shop's interior (bleed, margins, colour)

    def finishing(self, marked: bool = False) -> Finishing:
        """How its PDF is finished (`marked`: its furniture is marked already)."""
        return Finishing(self.info, self.press, self.shop, marked)


@dataclass(frozen=True)
class RenderNotes:
    """What a layout noticed that the build reports as warnings."""

    warnings: tuple[str, ...] = ()  # WeasyPrint's own
    refused: tuple[str, ...] = ()  # URLs the fetcher refused
    tagged: bool = True  # False: the structure tree could not be mended (hooks.tagged_structure)

    def __add__(self, other: RenderNotes) -> RenderNotes:
        return RenderNotes(
            self.warnings + other.warnings,
            self.refused + other.refused,
            self.tagged and other.tagged,
        )

    def report(self, diagnostics: Diagnostics) -> None:
        """Turn what the layout noticed into build warnings."""
        if not self.tagged:
            diagnostics.warn(
                None,
                f"WeasyPrint {weasyprint_module().__version__} is not known to diaspora-book: "
                "the PDF's structure tree is as WeasyPrint writes it (foreign-language runs "
                "carry no /Lang, and a screen reader reads the contents' leaders)",
            )
        for url in self.refused:
            diagnostics.warn(None, f"refused to fetch {url} while rendering the PDF")
        for message in self.warnings:
            diagnostics.warn(None, f"WeasyPrint: {message}")


# Stylesheets parsed in this process, by their texts and base URLs, with the
# warnings WeasyPrint logged as it parsed them (`Session.stylesheets`).
_PARSED: dict[tuple[tuple[str, str | None], ...], tuple[list, dict, tuple[str, ...]]] = {}


@dataclass
class Session:
    """One layout's fetcher and the warnings WeasyPrint logged meanwhile."""

    setup: PrintSetup
    fetcher: Any
    warnings: list[str] = field(default_factory=list)
    # The stylesheets' @color-profile rules (a print shop's CMYK output intent), which
    # WeasyPrint collects while parsing them and needs again to lay the document out.
    color_profiles: dict = field(default_factory=dict)

    def stylesheets(self, rewrite: Callable[[str], str] | None = None) -> list:
        """Return WeasyPrint's stylesheets (`stylesheet_texts`), parsed.

        `rewrite`, if given, is applied to the text of every stylesheet first. A
        process parses the same texts once (`_PARSED`): a layout worker lays out
        many parts of one book, and parsing them took 0.04 s a part (200 articles:
        69 parts). WeasyPrint only reads a parsed stylesheet when it lays out, and
        the stylesheets fetch nothing then (no `@font-face` is read without a font
        configuration), so the parsing session's fetcher is not missed. What it
        warned of as it parsed them (a property it ignores) is warned of again in
        every session that uses them, as when each parsed them.
        """
        layers = stylesheet_texts(self.setup)
        texts = tuple((rewrite(text) if rewrite else text, base) for text, base in layers)
        parsed = _PARSED.get(texts)
        if parsed is None:
            if len(_PARSED) >= 4:  # `watch` runs for hours: keep the latest few
                _PARSED.clear()
            weasyprint = weasyprint_module()
            profiles: dict = {}
            before = len(self.warnings)
            css = [
                weasyprint.CSS(
                    string=text, base_url=base, url_fetcher=self.fetcher, color_profiles=profiles
                )
                for text, base in texts
            ]
            parsed = _PARSED[texts] = (css, profiles, tuple(self.warnings[before:]))
        else:
            self.warnings.extend(parsed[2])
        self.color_profiles.update(parsed[1])
        return list(parsed[0])

    def render(self, html: str, css: list):
        """Lay `html` out into pages; return WeasyPrint's Document."""
        shop = self.setup.shop
        options = {"output_intent": "srgb"} if shop and shop.shop.srgb_intent else {}
        document = weasyprint_module().HTML(
            string=html, base_url=str(self.setup.project.root) + "/", url_fetcher=self.fetcher
        )
        with whole_leaders():
            return document.render(stylesheets=css, color_profiles=self.color_profiles, **options)

    def write(self, document, path) -> bool:
        """Write `document` as a tagged PDF; return whether the structure tree was mended.

        If the structure hook meets a WeasyPrint it does not know, the PDF is written
        as WeasyPrint tags it, and False tells the caller to warn.
        """
        info = self.setup.info
        describe_document(document.metadata, info)
        options: dict[str, Any] = {
            "pdf_tags": True,
            "pdf_identifier": info.book.identifier.encode(),
        }
        if self.setup.shop is not None and self.setup.shop.shop.pdfx:
            options["pdf_variant"] = "pdf/x-1a"  # IngramSpark's "default PDF/X-1a:2001 setting"
        if self.setup.shop is not None and self.setup.shop.shop.srgb_intent:
            options["output_intent"] = "srgb"  # Lulu: "our printers use sRGB"
        try:
            with tagged_structure() as tagged, cached_page_references():
                document.write_pdf(path, **options)
        except HookFailed:
            document.write_pdf(path, **options)
            return False
        return tagged

    def notes(self, tagged: bool = True, ignored: Callable[[str], bool] | None = None):
        """Return what this session noticed; `ignored` drops warnings that do not apply."""
        kept = [w for w in self.warnings if ignored is None or not ignored(w)]
        return RenderNotes(tuple(kept), tuple(self.fetcher.refused), tagged)


def stylesheet_texts(setup: PrintSetup) -> list[tuple[str, str | None]]:
    """Return each stylesheet's text and base URL, in their layers.

    The page geometry, the faces (and a handout's footer, in the book's language),
    then the packaged and the project's stylesheets.
    """
    config = setup.project.config
    if setup.shop is not None:
        profile = (package_styles_dir() / CMYK_PROFILE).as_uri()
        texts = [setup.shop.page_css(config), setup.shop.colour_css(profile), font_css()]
    else:
        texts = [page_css(config, bound=setup.fmt != "handout", press=setup.press), font_css()]
    texts.append(running_head_css(config.language))
    if setup.fmt == "handout":
        texts.append(handout_css(book_labels(config)))
    layers: list[tuple[str, str | None]] = [(text, None) for text in texts]
    for path in stylesheets(setup.project, setup.fmt):
        layers.append((path.read_text(encoding="utf-8"), path.as_uri()))
    return layers


class session:
    """Open a layout `Session` for `setup`, capturing WeasyPrint's warnings while open."""

    def __init__(self, setup: PrintSetup):
        weasyprint_module()  # fail with the install hint before anything else
        from diaspora_book.render.pdf.fetcher import ProjectFetcher  # imports WeasyPrint

        self.session = Session(setup, ProjectFetcher([setup.project.root, package_styles_dir()]))
        self.logger = logging.getLogger("weasyprint")
        self.handler = _ListHandler(self.session.warnings)

    def __enter__(self) -> Session:
        self.previous = self.logger.propagate
        self.logger.addHandler(self.handler)
        self.logger.propagate = False
        return self.session

    def __exit__(self, *exc) -> None:
        self.logger.removeHandler(self.handler)
        self.logger.propagate = self.previous


class _ListHandler(logging.Handler):
    def __init__(self, messages: list[str]):
        super().__init__(logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def anchor_pages(document, first_page: int = 1) -> dict[str, int]:
    """Return the page each HTML id starts on (a split element: its first page).

    Pages are numbered from `first_page` (a part of a book starts further on).
    """
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=first_page):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return pages


def about_anchor_in(outside: frozenset[str]) -> Callable[[str], bool]:
    """Return a test for WeasyPrint's warnings about links to `outside`, ids in another
    part of the book: once the parts are joined, those links resolve."""

    def about_outside_anchor(message: str) -> bool:
        match = re.match(r"No anchor #(.+) for internal URI reference", message)
        return match is not None and match.group(1) in outside

    return about_outside_anchor


def describe_document(metadata, info: PdfInfo) -> None:
    """Set WeasyPrint's document metadata (the PDF Info dictionary) from `info`."""
    metadata.title = info.book.title
    metadata.authors = list(info.book.authors)
    metadata.description = info.book.subtitle or None
    metadata.lang = info.book.language
    metadata.generator = info.generator
    metadata.created = metadata.modified = info.created


class WeasyPrintImport:
    """WeasyPrint being imported in a thread while the build goes on (pandoc converts).

    The import takes 0.5-0.7 s of Python, and the build would otherwise wait for
    pandoc and then for it. `wait` joins the thread: before the build forks (a child
    of a process that is importing could inherit a held import lock; see
    `plumbing.processes.start_context`) and before it leaves the print edition. Using
    WeasyPrint meanwhile is safe: Python's import lock makes that wait. A failed
    import is left for `weasyprint_module` to report, with its hint.
    """

    def __init__(self, now: bool = True) -> None:
        """`now=False`: import only when `wait` is called (see `write._print`)."""
        self.thread: threading.Thread | None = None
        if now and "weasyprint" not in sys.modules:
            self.thread = threading.Thread(
                target=import_quietly, name="import weasyprint", daemon=True
            )
            self.thread.start()

    def wait(self) -> None:
        """Return once WeasyPrint is imported (or failed to be, for `weasyprint_module`
        to report)."""
        self.settle()
        if "weasyprint" not in sys.modules:
            import_quietly()

    def settle(self) -> None:
        """Join the thread if it was started (leaving: the build forks again later)."""
        if self.thread is not None:
            self.thread.join()
            self.thread = None


def import_quietly() -> None:
    """Import WeasyPrint ahead of its use (a thread, the press, `watch`); a failed
    import is left for `weasyprint_module` to report, with its hint."""
    with contextlib.suppress(Exception):
        _import_weasyprint()


def weasyprint_module():
    """Import WeasyPrint; a missing library (Pango) is a ToolError with the install hint."""
    try:
        weasyprint = _import_weasyprint()
    except (ImportError, OSError) as exc:  # OSError: Pango missing
        raise ToolError(
            f"WeasyPrint cannot start: {exc}",
            hint="run 'make setup' to install Pango and WeasyPrint",
        ) from None
    return weasyprint


def _import_weasyprint():
    """Import WeasyPrint, its libraries found by their Linux names first.

    WeasyPrint asks cffi for each C library by several names, the Windows and macOS
    ones first (`libgobject-2.0-0`, `gobject-2.0-0`, ..., `libgobject-2.0.so.0`).
    cffi hands each name the dynamic linker cannot load to `ctypes.util.find_library`,
    which on Linux runs `ldconfig -p`, then `gcc`, then `ld` for it: 22 lookups and
    0.2 s of subprocesses in every import, on a small book's critical path (the
    press imports WeasyPrint while the build converts). Every library on the list
    has its Linux soname on it too, which the linker loads as it is; so the import
    first runs with `find_library` finding nothing, and only should that fail
    (a library installed where only the compiler finds it) again with the lookups.
    A caller while a thread imports (`WeasyPrintImport`) waits for it: it never gets
    a module half imported, nor restores the lookup the thread replaced.
    """
    with _IMPORTING:  # the thread importing, then the caller: one patch at a time
        if "weasyprint" not in sys.modules:
            import ctypes.util

            find_library = ctypes.util.find_library
            ctypes.util.find_library = _found_nowhere
            try:
                import weasyprint  # noqa: F401
            except OSError:
                pass  # imported again below, with the lookups
            finally:
                ctypes.util.find_library = find_library
    import weasyprint

    return weasyprint


_IMPORTING = threading.Lock()


def _found_nowhere(name: str) -> None:
    return None
