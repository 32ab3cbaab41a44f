"""Worker processes start safely when the build process runs threads (a terminal's live status).

`fork` is only used while the build process has a single thread; otherwise the
workers come from a forkserver. The book must be the same either way.
"""

from __future__ import annotations

import multiprocessing
import threading

import pytest

from diaspora_book.build import BuildRequest, build
from diaspora_book.plumbing.processes import start_context
from diaspora_book.project.config import load_project
from tests.conftest import copy_sample_project
from tests.readers import pdf_pages


@pytest.fixture
def another_thread():
    """A thread running alongside the build, as the live status does on a terminal."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join()


def test_fork_only_while_the_build_process_has_one_thread(another_thread):
    assert threading.active_count() > 1
    expected = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    assert start_context().get_start_method() == expected


@pytest.mark.slow
def test_a_book_built_with_a_thread_running_is_the_same_book(tmp_path, another_thread, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = copy_sample_project(tmp_path / "book")
    threaded = build(load_project(root), BuildRequest(out_dir=tmp_path / "threaded", jobs=2))
    assert start_context().get_start_method() != "fork"
    whole = build(load_project(root), BuildRequest(out_dir=tmp_path / "whole", jobs=1))
    for made, reference in zip(threaded.outputs, whole.outputs, strict=True):
        if made.suffix == ".pdf":
            assert pdf_pages(made) == pdf_pages(reference)
        else:
            assert made.read_bytes() == reference.read_bytes()  # the EPUB, made beside the PDF


def _printed(program: str) -> list[str]:
    """Run `program` in a fresh Python; return the words it printed."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_weasyprint_is_imported_beside_pandoc_and_the_thread_is_gone_after():
    """The build imports WeasyPrint in a thread while pandoc runs; by the time it
    forks its layout workers that thread has ended, so they are still forked."""
    program = (
        "import sys, threading, time\n"
        "from diaspora_book.render.pdf.layout import WeasyPrintImport\n"
        "importing = WeasyPrintImport()\n"
        "during = threading.active_count()\n"
        "importing.wait()\n"
        "print(during, threading.active_count(), 'weasyprint' in sys.modules)\n"
    )
    assert _printed(program) == ["2", "1", "True"]


def test_a_rebuild_imports_weasyprint_only_when_it_must():
    """A rebuild whose press lays out the one changed run never imports WeasyPrint in
    the build's process: leaving does not import it; forking a worker does."""
    program = (
        "import sys, threading\n"
        "from diaspora_book.render.pdf.layout import WeasyPrintImport\n"
        "importing = WeasyPrintImport(now=False)\n"
        "during = threading.active_count()\n"
        "importing.settle()\n"
        "left = 'weasyprint' in sys.modules\n"
        "importing.wait()\n"
        "print(during, left, 'weasyprint' in sys.modules)\n"
    )
    assert _printed(program) == ["1", "False", "True"]
