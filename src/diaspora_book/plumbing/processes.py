"""Worker processes that never outlive the build that started them.

The print edition's parts, the EPUB drafted beside it and the handouts are made in
child processes, started as `start_context` says. If the parent dies without
cleaning up (killed, or aborted inside a C library), a child blocked on a pipe may
never see the end of it: its siblings inherited the same pipe when they were
forked, so it stays open. Each child therefore asks the kernel to kill it when its
parent goes.

Ctrl-C sends SIGINT to every process of the terminal's process group, workers
included. Each would print a `KeyboardInterrupt` traceback of its own, so a worker
leaves Ctrl-C to the build: the build stops its workers (`stop`), and the command
line, last, ends whatever they had started in turn (`stop_descendants`: a pandoc
run by a killed worker) and prints one line.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_PR_SET_CHILD_SUBREAPER = 36


# What a worker reads from the environment and must see as the build process sees
# it now: a forkserver keeps the environment of the moment it was first started, so
# a process that set SOURCE_DATE_EPOCH after that (a test, a long-lived caller) would
# otherwise get workers that date their files differently.
_CARRIED = ("SOURCE_DATE_EPOCH",)


@dataclass(frozen=True)
class BuildParent:
    """The build process as a worker needs it: its pid, and the environment it carries."""

    pid: int
    environment: tuple[tuple[str, str | None], ...]


def build_parent() -> BuildParent:
    """Return this process as the parent of the workers it is about to start."""
    return BuildParent(os.getpid(), tuple((name, os.environ.get(name)) for name in _CARRIED))


def die_with_parent(parent: BuildParent) -> None:
    """Have the kernel kill this process when `parent` exits; take on its environment.

    Linux only; elsewhere a no-op, and the pipes' end-of-file must do.
    """
    for name, value in parent.environment:
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    # A Python handler, not SIG_IGN: programs this worker runs (pandoc) get the
    # default action back when they start, so Ctrl-C still stops them.
    signal.signal(signal.SIGINT, _leave_to_the_parent)
    if not _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL):  # not Linux
        return
    # The build process may have died before the request took effect. (A worker a
    # forkserver started is the server's child: the request then covers the server,
    # which ends with the build process.)
    try:
        os.kill(parent.pid, 0)
    except ProcessLookupError:
        os._exit(1)
    except PermissionError:  # alive, though not ours to signal
        pass


def _prctl(option: int, value: int) -> bool:
    """Call Linux's prctl(2); return False where there is none."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(option, value)
    except (OSError, AttributeError):  # not Linux
        return False
    return True


def _leave_to_the_parent(_signal: int, _frame: object) -> None:
    """Ignore Ctrl-C in a worker: the build that started it stops it."""


def stop(processes: Iterable[Any]) -> None:
    """Kill `processes` (multiprocessing processes) at once and reap them."""
    processes = list(processes)
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.kill()
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError, AttributeError):
            process.join(timeout=5)


@contextlib.contextmanager
def adopting_orphans() -> Iterator[None]:
    """While the block runs, have orphaned descendants handed to this process, not init.

    A worker killed while a program it ran (pandoc) was ending leaves that program
    to its grandparent; `stop_descendants` then reaps it, so an interrupted command
    leaves no process behind, not even a zombie. Only for the command's own run:
    a process that calls `main()` (the tests) is not left adopting everyone's
    orphans. Linux only; elsewhere a no-op.
    """
    _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    try:
        yield
    finally:
        _prctl(_PR_SET_CHILD_SUBREAPER, 0)


def stop_descendants() -> None:
    """Kill every process this one started, and theirs, and reap its own children.

    The last sweep of an interrupted command: whatever a killed worker had started
    is orphaned, not ended. Linux only (it reads /proc); elsewhere a no-op.
    """
    for pid in reversed(_descendants(os.getpid())):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    for process in multiprocessing.active_children():  # reaps finished ones as well
        process.join(timeout=5)
    deadline = time.monotonic() + 5
    with contextlib.suppress(ChildProcessError):
        while time.monotonic() < deadline:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                time.sleep(0.02)


def _descendants(root: int) -> list[int]:
    """Return the pids of `root`'s descendants, parents before children."""
    children: dict[int, list[int]] = {}
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return []
    for entry in entries:
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    found: list[int] = []
    pending = [root]
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found


# What a forkserver imports once, so the workers it forks start with WeasyPrint loaded.
_PRELOAD = [
    "weasyprint",
    "diaspora_book.render.pdf.parts.worker",
    "diaspora_book.render.epub.beside",
]


def fork_is_safe() -> bool:
    """Whether this process can fork: the platform has `fork` and no other thread runs
    (a lock a thread holds at the fork stays held for ever in the child)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def start_context() -> Any:  # a fork, forkserver or spawn context
    """Return how to start worker processes here: safely, and fast where that is safe.

    `fork` copies the build process as it is, WeasyPrint already imported: the
    quickest start. It is unsafe once another thread runs (a lock a thread holds at
    the fork stays held for ever in the child; a terminal's live status runs a
    thread), so then a `forkserver` forks the workers from a clean process that
    imported WeasyPrint once. Where neither exists (Windows), `spawn`.
    """
    if fork_is_safe():
        return multiprocessing.get_context("fork")
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


class Later:
    """`function(*args)` computed in a forked process while this one goes on.

    For work whose result the build wants only later: the glossary candidates are
    0.2-1.3 s of Python that held up pandoc and the layout while the second core
    idled. Forked only where that is safe (no other thread runs: see `start_context`);
    elsewhere, and when the process fails or dies, `result` runs the function here,
    so the result, or the exception, is the same either way. A `held` process is
    forked now, while forking is safe, and begins when told (`go`): when the build's
    own work no longer needs both cores.
    """

    def __init__(self, function: Callable[..., Any], *args: Any, held: bool = False) -> None:
        self.function, self.args = function, args
        self.process: Any = None
        self.held = True  # until told: the process waits for its first message
        if fork_is_safe():
            context = multiprocessing.get_context("fork")
            self.connection, theirs = context.Pipe()
            self.process = context.Process(
                target=_compute, args=(theirs, build_parent(), function, args), daemon=True
            )
            self.process.start()
            theirs.close()
        if not held:
            self.go()

    def go(self) -> None:
        """Let a `held` process begin (once; later calls do nothing)."""
        if self.held and self.process is not None:
            self.held = False
            with contextlib.suppress(OSError):  # it died: `result` computes it here
                self.connection.send("go")

    def result(self) -> Any:
        """Return the function's result: the forked process's, or computed here now."""
        self.go()
        if self.process is not None:
            try:
                kind, value = self.connection.recv()
            except (EOFError, OSError):
                kind, value = "failed", None
            finally:
                self.cancel()
            if kind == "done":
                return value
        return self.function(*self.args)

    def cancel(self) -> None:
        """Stop the forked process, if one still runs (the build failed or ended)."""
        if self.process is not None:
            self.connection.close()
            stop([self.process])
            self.process = None


def _compute(
    connection: Any, parent: BuildParent, function: Callable[..., Any], args: tuple
) -> None:
    """The forked side of `Later`: told to go, send the result, or that there is none."""
    die_with_parent(parent)
    try:
        connection.recv()
        connection.send(("done", function(*args)))
    except BaseException:  # `result` computes it again, where it raises as itself
        with contextlib.suppress(BaseException):
            connection.send(("failed", None))
    finally:
        connection.close()
