"""Worker processes that never outlive the build that started them.

The print edition's parts, the EPUB drafted beside it and the handouts are made in
child processes. If the parent dies without cleaning up (killed, or aborted inside a
C library), a child blocked on a pipe may never see the end of it: its siblings
inherited the same pipe when they were forked, so it stays open. Each child
therefore asks the kernel to kill it when its parent goes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal

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
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
