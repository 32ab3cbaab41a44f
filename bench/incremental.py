"""Measure the incremental print edition: rebuilds after an edit, a grown chapter, `watch`.

For one book size the runner builds the generated project with the CLI, the way an
author does (`diaspora-book build`, cache on, each build a fresh process):

1. `--jobs 1 --no-cache --format pdf`: the one-process layout, for the PDF size;
2. a full build with the cache on, from an empty cache (the reference time);
3. one sentence of one article changed: the rebuild;
4. the same chapter grown by about a page: the rebuild (the parts after it start
   later, so they are laid out again);
5. `watch`: the time from saving an edit to the PDF being replaced.

Every build has SOURCE_DATE_EPOCH set, like the runner's others.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench import measure, run

_KEPT = re.compile(r"print edition: (\d+) of (\d+) parts kept")


@dataclass(frozen=True)
class IncrementalResult:
    articles: int
    full: float  # seconds: a full build, cache on, nothing cached
    edit: float  # seconds: the rebuild after one sentence of one article changed
    edit_kept: str  # "30 of 32" parts taken from the cache
    grow: float  # seconds: the rebuild after that chapter grew by about a page
    grow_kept: str
    grow_pages: int  # pages the book gained
    watch: float | None  # seconds from the edit saved to the PDF replaced (None: not measured)
    pdf_bytes: int  # the PDF laid out in parts
    one_process_pdf_bytes: int  # the same book laid out in one process (--jobs 1)
    faces_once: bool  # pdffonts lists every face once


def measure_incremental(work: Path, n: int, seed: int, log=print) -> IncrementalResult:
    """Run the scenario of the module docstring on a fresh `n`-article project."""
    project, _ = run.prepare(work, n, seed)
    shutil.rmtree(project / ".cache", ignore_errors=True)
    cli = [sys.executable, "-m", "diaspora_book", "--project", str(project)]
    env = run.child_env()
    out = work / str(n) / "incremental"
    single = work / str(n) / "one-process"
    measure.run(
        [*cli, "build", "--no-cache", "--format", "pdf", "--jobs", "1", "--out", str(single)], env
    )
    full = measure.run([*cli, "build", "-v", "--out", str(out)], env)
    pdf = next(out.glob("*.pdf"))
    pages = measure.pdf_pages(pdf)
    log(f"  incremental, {n} articles: full build {full.seconds:.1f} s")
    article = sorted((project / "articles").glob("*.txt"))[n // 2]
    _edit(article, "Indeed")
    edit = measure.run([*cli, "build", "-v", "--out", str(out)], env)
    log(f"  incremental, {n} articles: one sentence edited {edit.seconds:.1f} s")
    _grow(article)
    grow = measure.run([*cli, "build", "-v", "--out", str(out)], env)
    log(f"  incremental, {n} articles: one chapter grown {grow.seconds:.1f} s")
    grown = measure.pdf_pages(pdf) - pages
    latency = _watch_latency(cli, env, out, article)
    log(
        f"  incremental, {n} articles: watch {latency:.1f} s"
        if latency
        else "  watch: not measured"
    )
    return IncrementalResult(
        n,
        full.seconds,
        edit.seconds,
        _kept(edit.stderr),
        grow.seconds,
        _kept(grow.stderr),
        grown,
        latency,
        pdf.stat().st_size,
        next(single.glob("*.pdf")).stat().st_size,
        _faces_once(pdf),
    )


def _kept(log: str) -> str:
    match = _KEPT.search(log)
    return f"{match.group(1)} of {match.group(2)}" if match else "0"


def _edit(article: Path, word: str) -> None:
    """Put `word` before the first sentence of the article's first paragraph."""
    text = article.read_text(encoding="utf-8")
    lead = re.search(r"^[A-Z][a-z]+ ", text, flags=re.MULTILINE)
    if lead is None:
        raise measure.MeasureError(f"no sentence to edit in {article}")
    article.write_text(text[: lead.start()] + word + " " + text[lead.start() :], encoding="utf-8")


def _grow(article: Path) -> None:
    """Append about a page of the article's own text (its longest paragraph, repeated)."""
    text = article.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if not p.startswith(("=", "{", "*", "|", "}"))]
    longest = max(paragraphs, key=len)
    copies = max(1, 3500 // max(1, len(longest)))
    article.write_text(text.rstrip("\n") + "\n\n" + "\n\n".join([longest] * copies) + "\n", "utf-8")


def _watch_latency(cli: list[str], env: dict[str, str], out: Path, article: Path) -> float | None:
    """Start `watch`, let it settle, save an edit; return seconds until the PDF is replaced."""
    pdf = next(out.glob("*.pdf"))
    log = out.parent / "watch.log"
    with open(log, "wb") as stream:
        proc = subprocess.Popen(
            [*cli, "watch", "--out", str(out)], stdout=stream, stderr=stream, env=env
        )
    try:
        if not _wait(
            lambda: log.read_text(errors="replace").count("waiting for changes") >= 1, 300
        ):
            return None
        before = pdf.stat().st_mtime_ns
        time.sleep(1)
        started = time.perf_counter()
        _edit(article, "Truly")
        if not _wait(lambda: pdf.stat().st_mtime_ns != before, 600):
            return None
        return time.perf_counter() - started
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def _wait(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def _faces_once(pdf: Path) -> bool:
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    names = [line.split()[0] for line in listing.stdout.splitlines()[2:]]
    return len(names) == len(set(names))
