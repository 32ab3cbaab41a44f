"""Worker processes that never outlive the build that started them.

The print edition's parts, the EPUB drafted beside it and the handouts are made in
child processes, started as `start_context` says. If the parent dies without
cleaning up (killed, or aborted inside a C library), a child blocked on a pipe may
never see the end of it: its siblings inherited the same pipe when they were
forked, so it stays open. Each child therefore asks the kernel to kill it when its
parent goes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import threading
from typing import Any

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when `parent` (its parent's pid) exits.

    Linux only; elsewhere a no-op, and the pipes' end-of-file must do.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux
        return
    # The build process may have died before the request took effect. (A worker a
    # forkserver started is the server's child: the request then covers the server,
    # which ends with the build process.)
    try:
        os.kill(parent, 0)
    except ProcessLookupError:
        os._exit(1)
    except PermissionError:  # alive, though not ours to signal
        pass


# What a forkserver imports once, so the workers it forks start with WeasyPrint loaded.
_PRELOAD = [
    "weasyprint",
    "diaspora_book.render.pdf.parts.worker",
    "diaspora_book.render.epub.beside",
]


def start_context() -> Any:  # a fork, forkserver or spawn context
    """Return how to start worker processes here: safely, and fast where that is safe.

    `fork` copies the build process as it is, WeasyPrint already imported: the
    quickest start. It is unsafe once another thread runs (a lock a thread holds at
    the fork stays held for ever in the child; a terminal's live status runs a
    thread), so then a `forkserver` forks the workers from a clean process that
    imported WeasyPrint once. Where neither exists (Windows), `spawn`.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")
