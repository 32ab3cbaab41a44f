"""Make the EPUB in a second process while the print edition is laid out.

The EPUB carries the print edition's page numbers, so it can be finished only after
the PDF's layout. Everything else (pandoc, the cover, section semantics, subset
fonts, stylesheets) does not need the pages, and with a core to spare it runs beside
the PDF: `EpubBeside` forks a process that drafts the EPUB (`epub.draft_epub`), then
waits for the print edition's pages, completes and saves it. A book in parts hands
its pages over before they are joined (`PrintJob.paginated`), so the EPUB is
completed while the build joins the PDF (200 articles: 0.2 s).

If that process fails, `complete` returns None and the caller makes the EPUB again
in its own process, where the failure is raised with its own message and type.

For a book laid out whole the process is forked `held`: it drafts only once told
(`go`, when the print HTML is made). Until then the build converts and the press
imports WeasyPrint, two cores' worth of work that the draft only slowed; the layout
that follows takes one core, and the draft the other (10 articles: 0.2 s less).
A book in parts keeps both cores busy laying out, so its EPUB drafts at once.
"""

from __future__ import annotations

import contextlib
from multiprocessing.connection import Connection
from pathlib import Path

from diaspora_book.assemble.manuscript import Manuscript
from diaspora_book.model import Pagination
from diaspora_book.plumbing.errors import Diagnostic, Diagnostics, diagnostic_from_json
from diaspora_book.plumbing.outputs import remove_scratch
from diaspora_book.plumbing.processes import (
    BuildParent,
    build_parent,
    die_with_parent,
    start_context,
    stop,
)
from diaspora_book.project.config import Project
from diaspora_book.render.epub.fonts import SubsetCache
from diaspora_book.render.epub.write import complete_epub, draft_epub
from diaspora_book.render.kept_ast import KeptAst


class EpubBeside:
    """An EPUB being drafted in a forked process, waiting for the print edition's pages."""

    def __init__(
        self,
        project: Project,
        manuscript: Manuscript,
        target: Path,
        subsets: SubsetCache | None = None,
        kept: KeptAst | None = None,
        held: bool = False,
    ):
        context = start_context()
        self.connection, theirs = context.Pipe()
        self.process = context.Process(
            target=_draft_and_complete,
            args=(project, manuscript, target, theirs, build_parent(), subsets, kept),
            daemon=True,
        )
        self.process.start()
        theirs.close()
        self.target = target
        self.held = True  # until told: the process waits for its first message
        self.handed: Pagination | None = None  # the pages it was given
        if not held:
            self.go()

    def go(self) -> None:
        """Let a `held` process draft the EPUB now (once; later calls do nothing)."""
        if self.held and not self.connection.closed:
            self.held = False
            with contextlib.suppress(OSError):  # it failed: `complete` says so
                self.connection.send("go")

    def hand_over(self, print_edition: Pagination) -> None:
        """Hand over the pages, so the EPUB is completed while the build goes on (a book
        in parts is joined meanwhile); once only."""
        if self.handed is not None or self.connection.closed:
            return
        self.go()
        self.handed = print_edition
        with contextlib.suppress(OSError):  # it failed: `complete` says so
            self.connection.send(print_edition)

    def complete(self, print_edition: Pagination) -> list[Diagnostic] | None:
        """Hand over the pages (if not yet); wait for the EPUB; return its diagnostics
        (None: it failed, or was completed with other pages than these)."""
        self.hand_over(print_edition)
        try:
            kind, payload = self.connection.recv()
        except (EOFError, OSError):
            kind, payload = "failed", None
        finally:
            self._stop()
        if kind != "done" or self.handed != print_edition:
            return None
        return [diagnostic_from_json(d) for d in payload]

    def cancel(self) -> None:
        """Stop without writing (the EPUB turned out to be up to date)."""
        if self.connection.closed:
            return
        with contextlib.suppress(OSError):
            self.connection.send(None)
        self._stop()

    def __enter__(self) -> EpubBeside:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        """Stop the process unused unless `complete` was called (up to date, or stopped).

        When the build failed or was interrupted, the process is killed at once
        rather than waited for, and its half-written EPUB removed.
        """
        if exc_type is None:
            self.cancel()
            return
        self.connection.close()
        stop([self.process])
        remove_scratch(self.target)

    def _stop(self) -> None:
        self.connection.close()
        self.process.join(timeout=30)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def _draft_and_complete(
    project: Project,
    manuscript: Manuscript,
    target: Path,
    connection: Connection,
    parent: BuildParent,
    subsets: SubsetCache | None = None,
    kept: KeptAst | None = None,
) -> None:
    """The forked process: told to go, draft, wait for the pages, complete and save."""
    die_with_parent(parent)
    try:
        if connection.recv() is None:  # cancelled before it began
            return
        diagnostics = Diagnostics()
        draft = draft_epub(project, manuscript, diagnostics, subsets, kept)
        print_edition = connection.recv()
        if print_edition is None:
            return
        complete_epub(draft, project, manuscript, print_edition, target)
        connection.send(("done", [d.to_json() for d in diagnostics]))
    except BaseException as exc:  # the parent makes the EPUB again and raises it there
        with contextlib.suppress(OSError):  # the parent may have gone already
            connection.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        connection.close()
