"""Lay a small book out in a process that imported WeasyPrint while the build converted.

A small book is laid out whole, in one process (`pdf.write`), and before it can be,
WeasyPrint must be imported: half a second of Python, a quarter of a two-article
build, in which the build's other core had nothing to do. The press does that import
early and on the other core: the command forks it as it starts, before it imports
the package (`press_ahead`; `build` as a library forks it as the build starts); the
press imports WeasyPrint while the build imports, reads, converts and runs pandoc,
then lays the book out and writes the PDF as the build asks it to (`Press.whole`).
The build's own process never imports WeasyPrint, and what it read (the articles,
the lexicons) is not in the process that lays out, where a small book's build
reaches its peak memory.

The build runs the same steps either way (`write._lay_out_whole`): the press only
does WeasyPrint's part of them, so the PDF is the same byte for byte (the tests
compare). It is started only where forking is safe (no other thread runs) and
WeasyPrint is not imported yet (a long-lived caller such as `watch` has it), and it
is stopped unused when the book was up to date. If it fails, the book is laid out
in the build's own process, where a failure is raised with its own message and type.

A book laid out in parts takes the press as its first worker (`Press.worker`): a
rebuild that lays out one run again lays it out there at once, while the build's
own process, which imports WeasyPrint only to fork more workers or lay out the
front and back matter, does not wait for that import (200 articles: 0.3 s).
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import sys
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diaspora_book.plumbing.processes import (
    BuildParent,
    build_parent,
    die_with_parent,
    fork_is_safe,
    stop,
)

if TYPE_CHECKING:  # the press imports them itself: the command forks it before them
    from diaspora_book.model import Pagination
    from diaspora_book.render.pdf.layout import PrintSetup, RenderNotes


class PressFailed(Exception):
    """The press stopped or failed: lay the book out in this process instead."""


class Press:
    """A forked process that imports WeasyPrint now and lays one book out later."""

    def __init__(self, ahead: bool = False) -> None:
        self.ahead = ahead  # forked as the command started (`press_ahead`), not the build
        context = multiprocessing.get_context("fork")
        self.connection, theirs = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(theirs, build_parent()), name="press", daemon=True
        )
        self.process.start()
        theirs.close()
        self.finished = False  # it has written the book and is ending by itself
        self.prepared = False  # it has the layout's setup (`prepare`)

    def prepare(self, setup: PrintSetup) -> None:
        """Give the press the layout's setup now: it reads the stylesheets and fonts
        while the build converts the HTML it will lay out."""
        with contextlib.suppress(PressFailed):  # `whole` finds it stopped, and says so
            self._send(("lay out", setup))
            self.prepared = True

    @contextlib.contextmanager
    def whole(self, setup: PrintSetup) -> Iterator[PressLayout]:
        """Lay out one whole book in the press: its `WholeLayout`'s steps, there."""
        try:
            if not self.prepared:
                self._send(("lay out", setup))
                self.prepared = True
            yield PressLayout(self)
        finally:
            self.stop(wait=self.finished)

    def worker(self, setup: PrintSetup) -> tuple[Any, Connection] | None:
        """Make the press the first layout worker of a book in parts
        (`parts.worker.serve`): it has WeasyPrint imported, and imports what a worker
        needs until its first run comes, so that run is laid out without a fork or an
        import. Return its process and connection (`stop` still stops it); None when
        the press has stopped."""
        try:
            self._send(("serve parts", setup))
        except PressFailed:
            return None
        return self.process, self.connection

    def call(self, step: str, argument: Any) -> Any:
        """Run one step of the layout in the press; return its result."""
        self._send((step, argument))
        try:
            kind, result = self.connection.recv()
        except (EOFError, OSError):
            raise PressFailed("the press stopped") from None
        if kind != "done":
            raise PressFailed(result)
        self.finished = step == "finish"
        return result

    def stop(self, wait: bool = False) -> None:
        """Stop the press and reap it; `wait`: it is ending by itself, let it."""
        if not self.connection.closed:
            self.connection.close()
        if wait:
            self.process.join(timeout=10)
        stop([self.process])

    def _send(self, message: tuple) -> None:
        try:
            self.connection.send(message)
        except (OSError, ValueError):
            raise PressFailed("the press stopped") from None


class PressLayout:
    """`WholeLayout`'s steps, each run in the press."""

    def __init__(self, press: Press):
        self.press = press

    def first(self, html: str) -> dict[str, int]:
        return self.press.call("first", html)

    def again(self, html: str) -> dict[str, int]:
        return self.press.call("again", html)

    def finish(
        self, target: Path | None, chapters: tuple[str, ...] = ()
    ) -> tuple[Pagination, RenderNotes, int | None]:
        return self.press.call("finish", (target, chapters))


# The press the command forked before importing the package (`press_ahead`), for
# the build it runs to take up.
_ahead: Press | None = None


def _usable() -> bool:
    return "weasyprint" not in sys.modules and fork_is_safe()


def press_ahead(arguments: list[str]) -> None:
    """Fork the press as the command starts, if it is to build (`__main__`).

    Then it imports WeasyPrint while the command imports the package too (0.3 s),
    not only while the build converts. A press no build takes up is stopped at exit.
    """
    global _ahead
    if "build" in arguments and _ahead is None and _usable():
        _ahead = Press(ahead=True)
        atexit.register(_ahead.stop)


@contextlib.contextmanager
def early_press() -> Iterator[Press | None]:
    """Start the press if it can help (see the module docstring); stop it on the way out."""
    global _ahead
    press, _ahead = _ahead, None
    if press is None and _usable():
        press = Press()
    try:
        yield press
    finally:
        if press is not None:
            press.stop()


def _serve(connection: Connection, parent: BuildParent) -> None:
    """The press: import WeasyPrint, then run the layout steps the build sends."""
    die_with_parent(parent)
    from diaspora_book.render.pdf.layout import import_quietly, session
    from diaspora_book.render.pdf.whole import WholeLayout

    import_quietly()
    try:
        request = connection.recv()
        if request[0] == "serve parts":  # `Press.worker`
            from diaspora_book.render.pdf.parts.worker import serve

            serve(request[1], connection, parent)
            return
        if request[0] != "lay out":
            return
        with session(request[1]) as layout:
            whole = WholeLayout(layout)
            while True:
                step, argument = connection.recv()
                result: Any = None
                if step == "first":
                    result = whole.first(argument)
                elif step == "again":
                    result = whole.again(argument)
                else:
                    result = whole.finish(*argument)
                connection.send(("done", result))
                if step == "finish":
                    return
    except (EOFError, OSError):  # the build stopped the press
        return
    except BaseException as exc:  # the build lays the book out itself and raises it there
        with contextlib.suppress(OSError):
            connection.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        connection.close()
