"""Ctrl-C: one line, exit 130, no traceback, no process left, the last complete book kept.

A real command runs in a process group of its own, as a shell runs it; the test
waits until its workers are at work and sends SIGINT to the whole group, as a
terminal's Ctrl-C does (issue 15, defect 12).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from diaspora_book.build import BuildRequest, build, build_handouts
from diaspora_book.project.config import load_project

from .conftest import copy_sample_project


def _group(leader: int) -> list[tuple[int, str]]:
    """Return (pid, state) of the processes in the session `leader` started, zombies too."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) == leader:  # the session id
            found.append((int(entry.name), fields[0]))
    return found


def _workers(leader: int) -> list[int]:
    """Return the pids of the Python processes forked by the command `leader` started."""
    pids = []
    for pid, state in _group(leader):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if pid != leader and state != "Z" and b"diaspora_book" in command:
            pids.append(pid)
    return pids


def _interrupt(root: Path, *args: str, workers: int) -> tuple[int, str, list[tuple[int, str]]]:
    """Run the command; once `workers` processes work beside it, press Ctrl-C.

    Return its exit code, its stderr and what is left of its session a moment after.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "diaspora_book", "--project", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, "CI": "true"},
        preexec_fn=_as_a_shell_starts_it,
    )
    deadline = time.monotonic() + 120
    while len(_workers(process.pid)) < workers and process.poll() is None:
        assert time.monotonic() < deadline, "the workers never started"
        time.sleep(0.05)
    time.sleep(0.5)  # at work: laying out, drafting, running pandoc
    assert process.poll() is None, "the command ended before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    time.sleep(0.2)
    return process.returncode, err.decode(), _group(process.pid)


def _as_a_shell_starts_it() -> None:
    """Give the command Ctrl-C's default action and an unblocked SIGINT, as an
    interactive shell does: a test process may have changed either, and a child
    inherits an ignored or blocked signal (the command then never sees its Ctrl-C)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def six_chapters(tmp_path_factory):
    """The sample book with each article twice more (six chapters, more than workers),
    built once with its handouts, then one article changed."""
    root = copy_sample_project(tmp_path_factory.mktemp("interrupts") / "book")
    originals = sorted((root / "articles").glob("*.txt"))
    for copy in ("again", "once-more"):
        for article in originals:
            shutil.copy(article, root / "articles" / f"{copy}-{article.name}")
    build(load_project(root), BuildRequest(jobs=1))
    build_handouts(load_project(root), [], jobs=1)
    article = sorted((root / "articles").glob("*.txt"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    return root


@pytest.fixture
def built_sample(six_chapters, tmp_path):
    """A copy of that book for one test: the next build has work to do (--no-cache)."""
    return Path(shutil.copytree(six_chapters, tmp_path / "book", symlinks=True))


@pytest.mark.slow
def test_ctrl_c_during_a_parallel_build(built_sample):
    before = _files(built_sample / "dist")
    code, err, left = _interrupt(built_sample, "build", "--jobs", "2", "--no-cache", workers=2)
    assert code == 130, err
    assert err == "interrupted; dist/ keeps the last complete book\n"
    assert left == []
    assert _files(built_sample / "dist") == before  # no scratch file, nothing half-written


@pytest.mark.slow
def test_ctrl_c_during_handouts(built_sample):
    before = _files(built_sample / "dist" / "handouts")
    code, err, left = _interrupt(built_sample, "handouts", "--jobs", "2", "--no-cache", workers=2)
    assert code == 130, err
    assert err == "interrupted; dist/handouts/ keeps the last complete book\n"
    assert left == []
    assert _files(built_sample / "dist" / "handouts") == before


@pytest.mark.slow
def test_ctrl_c_while_the_press_lays_out_a_small_book(built_sample):
    """A small book is laid out by the press (`render.pdf.press`), its EPUB beside."""
    before = _files(built_sample / "dist")
    code, err, left = _interrupt(built_sample, "build", "--no-cache", workers=2)
    assert code == 130, err
    assert err == "interrupted; dist/ keeps the last complete book\n"
    assert left == []
    assert _files(built_sample / "dist") == before


def test_pandoc_stopped_by_ctrl_c_is_an_interruption_not_an_error(monkeypatch):
    """Ctrl-C reaches the whole command: pandoc may die of it before the build's own
    process sees it, and pypandoc then says pandoc failed. That is still Ctrl-C."""
    import pypandoc

    from diaspora_book.plumbing.errors import ToolError
    from diaspora_book.render import html

    def stopped(*args, **kwargs):
        raise RuntimeError('Pandoc died with exitcode "-2" during conversion: ')

    monkeypatch.setattr(pypandoc, "convert_text", stopped)
    with pytest.raises(KeyboardInterrupt):
        html.convert("text", "html5", [])

    def failed(*args, **kwargs):
        raise RuntimeError('Pandoc died with exitcode "64" during conversion: bad option')

    monkeypatch.setattr(pypandoc, "convert_text", failed)
    with pytest.raises(ToolError, match="pandoc failed"):
        html.convert("text", "html5", [])
