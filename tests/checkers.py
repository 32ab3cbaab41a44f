"""Run the EPUB checkers the publishing world uses: EPUBCheck and Ace by DAISY.

Both are slow to start (a JVM; a headless Chromium), so the tests run each once per
built book and per session, from session-scoped fixtures; EPUBCheck's JVM is started
once per test process and kept (tests/epubcheck_jvm.py).
"""

from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ACE = REPO / ".tools" / "node_modules" / ".bin" / "ace-cli"
CHROMIUM = Path("/usr/lib/chromium/chromium")
CHROMIUM_WRAPPER = REPO / "scripts" / "chromium-headless"


class _EpubCheck:
    """EPUBCheck kept running for this test process (tests/epubcheck_jvm.py): the JVM
    starts once, not once per EPUB."""

    def __init__(self, *options: str) -> None:
        self.options = options
        self.process: subprocess.Popen[str] | None = None

    def check(self, epub: Path, report: Path) -> None:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [sys.executable, str(Path(__file__).with_name("epubcheck_jvm.py")), *self.options],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            atexit.register(self.process.kill)
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{epub}\t{report}\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], 300)
        answer = self.process.stdout.readline() if ready else ""
        if not answer:
            self.process.kill()
            raise AssertionError(f"EPUBCheck gave no answer on {epub} (timed out or died)")

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()


# A small EPUB is checked in a tenth of a second once the JVM is warm, and the quick
# compiler alone warms it with half the CPU time of both compilers. The one large
# EPUB (the parser tests' book, 1.8 MB) is checked in 16 s with the optimising
# compiler, 27 s without: it has a JVM of its own, for that check only.
_EPUBCHECK = _EpubCheck("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
LARGE = 1_000_000


def checker_processes() -> set[int]:
    """The process ids of the checkers this test process keeps running (not the
    pipeline's: a test that looks for processes a build left behind leaves them out)."""
    process = _EPUBCHECK.process
    return {process.pid} if process is not None and process.poll() is None else set()


def run_epubcheck(epub: Path, out_dir: Path) -> dict:
    """Run EPUBCheck on `epub`; return its JSON report."""
    out = out_dir / "epubcheck.json"
    out.unlink(missing_ok=True)
    if epub.stat().st_size > LARGE:
        checker = _EpubCheck("-XX:+UseParallelGC")
        try:
            checker.check(epub.resolve(), out.resolve())
        finally:
            checker.close()
    else:
        _EPUBCHECK.check(epub.resolve(), out.resolve())
    return json.loads(out.read_text(encoding="utf-8"))


def epubcheck_messages(report: dict) -> list[tuple[str, str, str]]:
    return [(m["ID"], m["severity"], m["message"]) for m in report["messages"]]


def run_ace(epub: Path, out_dir: Path) -> dict:
    """Run Ace by DAISY on `epub`; return its report.json.

    Skipped where Node, Ace or Chromium is missing, except in CI (CI=true), where
    scripts/setup.sh has installed them and a missing one is a failure.
    """
    missing = [str(p) for p in (ACE, CHROMIUM) if not p.exists()]
    if shutil.which("node") is None:
        missing.append("node")
    if missing:
        reason = f"Ace by DAISY cannot run: {', '.join(missing)} missing; run scripts/setup.sh"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    report_dir = out_dir / "ace"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM_WRAPPER)}
    done = subprocess.run(
        [str(ACE), "-f", "-o", str(report_dir), str(epub)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    report = report_dir / "report.json"
    assert report.is_file(), done.stdout + done.stderr
    return json.loads(report.read_text(encoding="utf-8"))


def ace_violations(report: dict) -> list[tuple[str, str, str, str]]:
    """Return (document, rule, impact, description) for every failed Ace assertion."""
    found = []
    for document in report["assertions"]:
        for assertion in document["assertions"]:
            if assertion["earl:result"]["earl:outcome"] == "fail":
                found.append(
                    (
                        document["earl:testSubject"]["url"],
                        assertion["earl:test"]["dct:title"],
                        assertion["earl:test"]["earl:impact"],
                        assertion["earl:result"].get("dct:description", ""),
                    )
                )
    return found
