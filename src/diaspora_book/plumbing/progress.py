"""Progress for the long stages: a live display on a terminal, plain lines elsewhere.

CI logs want one plain line per stage (and nothing fancy); a person at a terminal
wants to see that rendering is under way. `--quiet` keeps only problems; `--verbose`
adds timings. Diagnostics are not progress: the CLI prints them separately.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import Literal, TextIO

Level = Literal["quiet", "normal", "verbose"]


class Progress:
    """Reports stages as plain lines (`stage: detail`), or nothing when quiet."""

    def __init__(self, level: Level = "normal", stream: TextIO | None = None):
        self.level = level
        self.stream = stream if stream is not None else sys.stderr

    def note(self, message: str) -> None:
        """Report a fact worth a line in normal mode (e.g. 'wrote dist/book.pdf')."""
        if self.level != "quiet":
            print(message, file=self.stream, flush=True)

    def detail(self, message: str) -> None:
        """Report something only --verbose wants to see."""
        if self.level == "verbose":
            print(message, file=self.stream, flush=True)

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Run one stage; in verbose mode say when it starts and how long it took."""
        started = time.perf_counter()
        self.detail(f"{name} ...")
        yield
        self.detail(f"{name}: {time.perf_counter() - started:.2f} s")

    @contextlib.contextmanager
    def counting(self, name: str, total: int) -> Iterator[Callable[[str], None]]:
        """Count `total` steps of a stage; yield `done(what)`, called after each step.

        Plain mode writes one line per step (`fetch: 2/5 Pear`), which a CI log keeps.
        """
        count = 0

        def done(what: str) -> None:
            nonlocal count
            count += 1
            self.note(f"{name}: {count}/{total} {what}")

        yield done


class LiveProgress(Progress):
    """A spinner per stage on a terminal (rich), with the same notes as plain mode."""

    def __init__(self, level: Level = "normal", stream: TextIO | None = None):
        super().__init__(level, stream)
        from rich.console import Console

        self.console = Console(file=self.stream, highlight=False)

    def note(self, message: str) -> None:
        if self.level != "quiet":
            self.console.print(message, markup=False)

    def detail(self, message: str) -> None:
        if self.level == "verbose":
            self.console.print(message, markup=False, style="dim")

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        with self.console.status(f"{name} ..."):
            yield
        self.detail(f"{name}: {time.perf_counter() - started:.2f} s")

    @contextlib.contextmanager
    def counting(self, name: str, total: int) -> Iterator[Callable[[str], None]]:
        """A progress bar of `total` steps; `done(what)` advances it and names the step."""
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
        from rich.progress import Progress as Bar

        columns = (
            TextColumn(f"{name}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
        )
        with Bar(*columns, console=self.console, transient=False) as bar:
            task = bar.add_task("", total=total)
            yield lambda what: bar.update(task, advance=1, description=what)


SILENT = Progress("quiet")


def for_terminal(level: Level, stream: TextIO | None = None) -> Progress:
    """Return live progress on an interactive terminal outside CI, else plain lines."""
    stream = stream if stream is not None else sys.stderr
    interactive = stream.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"
    if interactive and level != "quiet":
        return LiveProgress(level, stream)
    return Progress(level, stream)
