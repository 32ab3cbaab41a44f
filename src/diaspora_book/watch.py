"""`watch`: rebuild whenever an input of the book changes, for authors at their desk.

Only the project's inputs are watched (articles, book.yml, glossary, bibliography,
styles, templates); the build's own outputs (chapters/, dist/, .cache/) are not,
so a rebuild never triggers another. Bad input does not stop watching (a broken
article, a book.yml that cannot be read, a link that leads out of the project):
the problem is shown and the next save is built again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from watchfiles import Change, watch

from diaspora_book.build import BuildFailed, BuildReport, BuildRequest, build
from diaspora_book.plumbing.cache import BuildCache
from diaspora_book.plumbing.errors import BookError, Diagnostic
from diaspora_book.plumbing.progress import Progress
from diaspora_book.project.config import load_project

OUTPUT_DIRS = ("chapters", "dist", ".cache", ".venv", ".git")


def is_input(root: Path, _change: Change, path: str) -> bool:
    """Return whether a changed file is one the book is built from.

    The path is taken as the watcher names it, links not followed: a link in the
    project that leads out of it is still the project's input (the build then
    reports it), and must not stop the watcher.
    """
    try:
        relative = Path(path).absolute().relative_to(root.absolute())
    except ValueError:
        try:
            relative = Path(path).absolute().relative_to(root.resolve())
        except ValueError:
            return False
    first = relative.parts[0] if relative.parts else ""
    return (
        first not in OUTPUT_DIRS
        and not relative.name.startswith((".", "~"))
        and not (relative.name.endswith(("~", ".swp", ".tmp")))
    )


def watch_and_build(
    root: Path,
    rebuild: Callable[[], None],
    stop: threading.Event | None = None,
) -> None:
    """Call `rebuild` once, then after every batch of input changes, until `stop` is set.

    The first build starts once the watcher is armed (its first, empty, batch), so an
    edit saved while it runs, or right after it says "waiting for changes" (while
    WeasyPrint is imported for the rebuilds to come), is seen and built.
    """
    built = False
    for changes in watch(
        root,
        watch_filter=lambda c, p: is_input(root, c, p),
        stop_event=stop,
        yield_on_timeout=True,
        rust_timeout=200,
    ):
        if changes or not built:
            built = True
            rebuild()


def rebuild_reporting(
    root: Path,
    progress: Progress,
    formats: tuple[str, ...],
    out: Path | None,
    show: Callable[[list[Diagnostic]], None],
) -> Callable[[], None]:
    """Return a rebuild function that reports problems instead of raising them."""

    def rebuild() -> None:
        try:
            _build_and_report()
        finally:
            _keep_weasyprint()

    def _build_and_report() -> None:
        try:
            project = load_project(root)
            request = BuildRequest(formats, out)
            report: BuildReport = build(project, request, progress, BuildCache(project.root))
        except BuildFailed as failed:
            show(list(failed.diagnostics))
            progress.note(f"error: {failed.message}; waiting for changes")
            return
        except BookError as error:
            show([Diagnostic("error", error.span, error.message, error.hint)])
            progress.note("waiting for changes")
            return
        show(list(report.diagnostics))
        progress.note(f"built in {report.seconds:.1f} s; waiting for changes")

    return rebuild


def _keep_weasyprint() -> None:
    """Import WeasyPrint here, while the author writes, for the rebuilds to come.

    A build imports it in the press (`render.pdf.press`), a process that ends with
    the build: the press saves a command that time, but a watcher builds again and
    again, and with WeasyPrint here each rebuild lays its book out at once.
    """
    from diaspora_book.render.pdf.layout import import_quietly

    import_quietly()
