"""The press: a small book laid out in a process that imported WeasyPrint early.

`build` forks the press only in a process that has not imported WeasyPrint and runs
no other thread, which a test process is not; so each build here is a command run in
a fresh Python, as a user runs it. A build whose Python imported WeasyPrint first
lays the book out in its own process: the books must be the same, byte for byte.
A press that dies or fails leaves the book to the build's own process.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import copy_sample_project, make_project

RUN = "import sys\nfrom diaspora_book.cli import main\nsys.exit(main(sys.argv[1:]))\n"
NO_PRESS = "import weasyprint\n"  # WeasyPrint imported: the build lays out itself
DIES = (
    "import os\nfrom diaspora_book.render.pdf import press\npress._serve = lambda *a: os._exit(3)\n"
)
FAILS = (  # in the press only: the build's own layout still works
    "from diaspora_book.render.pdf import press\n"
    "serve = press._serve\n"
    "def failing(connection, parent):\n"
    "    from diaspora_book.render.pdf import whole\n"
    "    def first(self, html):\n"
    "        raise RuntimeError('no layout today')\n"
    "    whole.WholeLayout.first = first\n"
    "    serve(connection, parent)\n"
    "press._serve = failing\n"
)
ARTICLES = {
    "alpha.txt": "= Alpha =\n\nThe first article, with a [[Beta]] to read next.\n",
    "beta.txt": "= Beta =\n\nThe second article.\n\n== Notes ==\n\nA last line.\n",
}


def _build(
    root: Path,
    out: Path,
    prelude: str = "",
    *extra: str,
    command: bool = False,
    cache: bool = False,
) -> str:
    """Build `root` into `out` in a fresh Python that runs `prelude` first, or as the
    command (`python -m diaspora_book`), with the project's cache or without; return
    stderr."""
    python = (
        [sys.executable, "-m", "diaspora_book"]
        if command
        else [sys.executable, "-c", prelude + RUN]
    )
    cached = [] if cache else ["--no-cache"]
    done = subprocess.run(
        [*python, "build", "--project", str(root), "--out", str(out), *cached, "-v", *extra],
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stderr


def _outputs(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


@pytest.mark.parametrize(
    "extra",
    [(), pytest.param(("--format", "epub"), marks=pytest.mark.slow)],
    ids=["pdf and epub", "epub only"],
)
def test_the_press_lays_out_the_same_book_as_the_build_itself(tmp_path, extra):
    root = copy_sample_project(tmp_path / "book")  # a glossary and an index: laid out twice
    pressed = _build(root, tmp_path / "pressed", "", *extra)
    assert "laid out by the press, forked as the build started" in pressed
    itself = _build(root, tmp_path / "itself", NO_PRESS, *extra)
    assert "laid out by the press" not in itself and "press failed" not in itself
    assert _outputs(tmp_path / "pressed") == _outputs(tmp_path / "itself")
    assert len(_outputs(tmp_path / "pressed")) == (2 if extra == () else 1)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("prelude", "reason"),
    [(DIES, "the press stopped"), (FAILS, "RuntimeError: no layout today")],
    ids=["dies", "fails"],
)
def test_when_the_press_fails_the_build_lays_the_book_out_itself(tmp_path, prelude, reason):
    root = make_project(tmp_path / "book", ARTICLES, "title: Pressed\n")
    said = _build(root, tmp_path / "failed", prelude)
    assert f"print edition: laid out here, because the press failed ({reason})" in said
    _build(root, tmp_path / "itself", NO_PRESS)
    assert _outputs(tmp_path / "failed") == _outputs(tmp_path / "itself")


def test_the_command_forks_the_press_before_it_imports_the_package(tmp_path):
    """`python -m diaspora_book build` (and `diaspora-book build`): the press is forked
    first, and the book is the one the build lays out itself."""
    root = make_project(tmp_path / "book", ARTICLES, "title: Pressed\n")
    said = _build(root, tmp_path / "command", command=True)
    assert "laid out by the press, forked as the command started" in said
    _build(root, tmp_path / "itself", NO_PRESS)
    assert _outputs(tmp_path / "command") == _outputs(tmp_path / "itself")


@pytest.mark.slow  # three builds of a 20-article book
def test_a_book_in_parts_takes_the_press_as_its_first_worker(tmp_path, monkeypatch):
    """Built, then rebuilt after an edit (the build then imports WeasyPrint only if it
    must): each time the same book as one laid out by workers the build forked."""
    from bench.corpus import write_project

    from diaspora_book.render.pdf.parts import cut

    root = tmp_path / "book"
    write_project(root, 20)  # more than eight chapters a core: runs of a few chapters
    assert cut.STABLE_FROM * 2 < 20
    first = _build(root, tmp_path / "pressed", "", "--jobs", "2", cache=True)
    assert "the press laid out the first run" in first
    article = sorted((root / "articles").glob("*.txt"))[7]
    article.write_text(article.read_text(encoding="utf-8") + "\nIndeed so.\n", "utf-8")
    again = _build(root, tmp_path / "pressed", "", "--jobs", "2", cache=True)
    assert "the press laid out the first run" in again
    assert re.search(r"print edition: \d+ of \d+ parts kept", again)
    forked = _build(root, tmp_path / "forked", NO_PRESS, "--jobs", "2")
    assert "the press" not in forked
    assert _outputs(tmp_path / "pressed") == _outputs(tmp_path / "forked")
