"""`Later`: work the build wants only later, done in a forked process meanwhile.

And the build's use of it: the glossary candidates' notes, found beside the
rendering, are the notes a build that waited for them reports, where it reports them.
"""

import os
import threading

import pytest

from diaspora_book.build import BuildRequest, build
from diaspora_book.plumbing.cache import BuildCache
from diaspora_book.plumbing.processes import Later
from diaspora_book.project.config import load_project


def _pid_and(value):
    return os.getpid(), value


def test_the_result_is_computed_in_another_process():
    pid, value = Later(_pid_and, "x").result()
    assert value == "x"
    assert pid != os.getpid()


def _dies_unless_in(pid):
    if os.getpid() != pid:
        os._exit(3)  # the forked process dies without a word
    return "here"


def test_a_process_that_dies_is_done_again_here():
    assert Later(_dies_unless_in, os.getpid()).result() == "here"


def _fails(message):
    raise ValueError(message)


def test_a_failure_is_raised_here_as_itself():
    later = Later(_fails, "no good")
    with pytest.raises(ValueError, match="no good"):
        later.result()


def test_with_another_thread_running_nothing_is_forked():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        later = Later(_pid_and, "x")
        assert later.process is None
        assert later.result() == (os.getpid(), "x")
    finally:
        stop.set()
        thread.join()


def test_cancel_stops_the_process():
    later = Later(_pid_and, "x")
    process = later.process
    later.cancel()
    assert not process.is_alive()
    assert later.result()[0] == os.getpid()  # asked anyway: computed here


ARTICLES = {
    "herders.txt": "= Herders =\n\n"
    'The earliest, the yärlik ("locals"), live near Almaty. They sing the meshrep.\n',
    "farmers.txt": "= Farmers =\n\nThe kolkhoz of the oralmans grew wheat.\n",
}
# A property WeasyPrint ignores: a warning the rendering reports, after the conversion's.
STYLE = "p { frobnicate: 1 }\n"


def _messages(report):
    return [str(d) for d in report.diagnostics]


def test_a_builds_candidate_notes_are_where_a_build_that_waited_puts_them(
    project_factory, tmp_path, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = project_factory(ARTICLES)
    (root / "glossary.yml").write_text("- term: kolkhoz\n  gloss: farm\n", encoding="utf-8")
    (root / "styles").mkdir(exist_ok=True)
    (root / "styles" / "print.css").write_text(STYLE, encoding="utf-8")
    project = load_project(root)
    request = BuildRequest(formats=("pdf",), out_dir=tmp_path / "out")

    import diaspora_book.book as book_module

    pids = tmp_path / "pids"  # which process looked for candidates, build by build
    article_candidates = book_module.article_candidates

    def recording(articles, language):
        with pids.open("a") as record:
            record.write(f"{os.getpid()}\n")
        return article_candidates(articles, language)

    monkeypatch.setattr(book_module, "article_candidates", recording)
    beside = _messages(build(project, request, cache=BuildCache(root)))
    replayed = _messages(build(project, request, cache=BuildCache(root)))  # from the cache

    monkeypatch.setattr(book_module, "Later", _Now)  # as a build that waits for them
    waited = _messages(build(project, request))

    notes = [m for m in waited if "[glossary-candidate]" in m]
    assert any("'yärlik' is defined here" in m for m in notes)
    assert any("'meshrep' looks like a term" in m for m in notes)
    assert any("WeasyPrint: " in m for m in waited)
    # The notes end the conversion's report: after its warnings, before the rendering's.
    assert waited.index(notes[-1]) < min(i for i, m in enumerate(waited) if "WeasyPrint" in m)
    assert beside == replayed == waited
    # The first build looked in a forked process; the second replayed; the last, here.
    found_in = [int(line) for line in pids.read_text().split()]
    assert len(found_in) == 2
    assert found_in[0] != os.getpid()
    assert found_in[1] == os.getpid()


class _Now:
    """`Later` as a build that waits: computed on the spot."""

    def __init__(self, function, *args, held=False):
        self.value = function(*args)

    def go(self):
        pass

    def result(self):
        return self.value

    def cancel(self):
        pass


def _writes(path):
    path.write_text("ran", encoding="utf-8")
    return os.getpid()


def test_a_held_process_begins_when_told(tmp_path):
    import time

    ran = tmp_path / "ran"
    later = Later(_writes, ran, held=True)
    assert later.process is not None
    time.sleep(0.3)  # a process that did not wait would have written by now
    assert not ran.exists()
    later.go()
    assert later.result() != os.getpid()
    assert ran.exists()


def test_a_held_process_never_told_is_told_by_result(tmp_path):
    assert Later(_writes, tmp_path / "ran", held=True).result() != os.getpid()
