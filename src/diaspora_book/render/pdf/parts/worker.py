"""A layout worker process: lays out the runs of chapters it is given, one after another.

The build process (`conduct`) sends a worker tasks (a run's index, the file holding
its `PartSource`, where to write its PDF) and, for each run, its `PartStart` once
the parts before it have their pages. Both arrive on one pipe, in any order: a
task sent ahead waits in `_Inbox` until the run before it is done. The worker
tells the build process, for each run: its pages ("paginated"), where its ids
landed ("laid out"), and its whole layout once the PDF is written ("written").

Sources travel as files, not through the pipe, so the build process never blocks
sending a worker work while that worker waits to be told a start.
"""

from __future__ import annotations

import contextlib
import gc
import pickle
import tempfile
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from diaspora_book.plumbing.errors import BookError
from diaspora_book.plumbing.outputs import cannot_write
from diaspora_book.plumbing.processes import BuildParent, die_with_parent
from diaspora_book.render.pdf.hooks import HookFailed
from diaspora_book.render.pdf.layout import PrintSetup
from diaspora_book.render.pdf.parts.part import PartPages, PartStart, lay_out_part


@dataclass(frozen=True)
class Task:
    """Lay out run `index` of the book, read from `source`, into `path` (None: no PDF)."""

    index: int
    source: Path  # a pickled PartSource
    path: Path | None


class _Inbox:
    """The worker's end of the pipe: tasks queue up; a start is answered when asked for."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.tasks: list[Task] = []

    def next_task(self) -> Task | None:
        """Return the next task, or None when the build process says there is no more."""
        while not self.tasks:
            message = self.connection.recv()
            if message is None:
                return None
            if isinstance(message, Task):
                self.tasks.append(message)
        return self.tasks.pop(0)

    def start(self) -> PartStart:
        """Wait for the start of the run under way (tasks sent meanwhile are queued)."""
        while True:
            message = self.connection.recv()
            if isinstance(message, PartStart):
                return message
            if isinstance(message, Task):
                self.tasks.append(message)


def serve(setup: PrintSetup, connection: Connection, parent: BuildParent) -> None:
    """Lay out the tasks the build process sends until it says stop (a worker's main).

    A laid-out document is a web of reference cycles (boxes and their parents), freed
    only when Python's collector next looks at the oldest objects; a worker laying
    out part after part held three parts' worth before it did (50 articles: 237 MiB,
    above the bare tools' peak). So each part's garbage is collected as soon as the
    part is written, and what the worker was forked with (the build's objects, which
    live as long as it does) is frozen out of the collector's view, so collecting
    looks at the part's objects only (5-15 ms a part; the worker's peak 175 MiB).
    """
    die_with_parent(parent)
    gc.freeze()
    inbox = _Inbox(connection)
    try:
        while (task := inbox.next_task()) is not None:
            laid_out = _lay_out(setup, task, inbox)
            gc.collect()
            if not laid_out:
                break  # the build process falls back or stops: nothing more to do here
    except EOFError:  # the build process is gone
        pass
    finally:
        connection.close()


def _lay_out(setup: PrintSetup, task: Task, inbox: _Inbox) -> bool:
    """Lay out one run, telling the build process as it goes; return whether it worked."""
    connection, index = inbox.connection, task.index

    def start(pages: PartPages) -> PartStart:
        connection.send(("paginated", index, pages))
        return inbox.start()

    def laid_out(anchors: dict[str, int]) -> None:
        connection.send(("laid out", index, anchors))

    try:
        source = pickle.loads(task.source.read_bytes())
        layout = lay_out_part(setup, source, start, task.path, on_anchors=laid_out)
        connection.send(("written", index, layout))
        return True
    except HookFailed as exc:
        _tell(connection, ("hook failed", index, str(exc)))
    except BookError as exc:  # e.g. a missing library: the user's to fix, with its hint
        _tell(connection, ("book error", index, exc))
    except OSError as exc:  # e.g. a full disk where the part is written
        where = task.path or Path(tempfile.gettempdir())
        _tell(connection, ("book error", index, cannot_write(where, exc)))
    except Exception as exc:  # a bug: the build process raises it with this traceback
        failure = f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"
        _tell(connection, ("failed", index, failure))
    return False


def _tell(connection: Connection, message: tuple) -> None:
    with contextlib.suppress(OSError):  # the build process may have stopped listening
        connection.send(message)
