"""Measure one child process (wall seconds, CPU seconds, peak RSS) and describe the machine.

Each build runs in a fresh process, waited for with `os.wait4`, which returns that
child's own resource usage: its CPU time including the processes it waited for
(pandoc, run by pypandoc), and its peak resident set size, the largest of the
process and any of its children. Nothing accumulates between runs, unlike
`getrusage(RUSAGE_CHILDREN)` in the parent.
"""

from __future__ import annotations

import os
import platform
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class MeasureError(Exception):
    """A measured command failed; the message carries the end of its stderr."""


@dataclass(frozen=True)
class Measured:
    seconds: float  # wall clock
    cpu: float  # user + system, the process and its waited-for children
    peak_rss_kib: int  # ru_maxrss (KiB on Linux)
    stdout: str
    stderr: str = ""


def run(cmd: list[str], env: dict[str, str] | None = None) -> Measured:
    """Run `cmd` to completion and measure it; raise MeasureError if it fails."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", errors="replace")
        stderr = err.read().decode("utf-8", errors="replace")
    if proc.returncode != 0:
        tail = "\n".join(stderr.strip().splitlines()[-5:])
        raise MeasureError(f"{' '.join(cmd[:4])} ... exited {proc.returncode}:\n{tail}")
    return Measured(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, stdout, stderr)


def pdf_pages(path: Path) -> int:
    """Return the number of pages of a PDF."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def machine() -> dict[str, str]:
    """Describe the machine and tool versions for the results file."""
    import pypandoc
    import weasyprint

    return {
        "CPU": _cpu_model(),
        "cores (nproc)": str(len(os.sched_getaffinity(0))),
        "RAM": f"{_mem_total_kib() / 1024 / 1024:.1f} GiB",
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "pandoc": pypandoc.get_pandoc_version(),
        "WeasyPrint": weasyprint.__version__,
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total_kib() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
