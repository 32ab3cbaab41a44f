"""`watch` rebuilds on a change to an input, survives a broken article, ignores its outputs."""

import contextlib
import threading
import time

from watchfiles import Change

from diaspora_book.plumbing.progress import Progress
from diaspora_book.watch import is_input, rebuild_reporting, watch_and_build


def wait_for(condition, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@contextlib.contextmanager
def watching(root):
    """Watch `root` in a thread; yield the problems each build showed, the builds, the thread."""
    shown: list[list] = []
    builds: list[float] = []
    rebuild = rebuild_reporting(root, Progress("quiet"), ("epub",), None, shown.append)

    def counted():
        rebuild()
        builds.append(time.monotonic())

    stop = threading.Event()
    thread = threading.Thread(target=watch_and_build, args=(root, counted, stop), daemon=True)
    thread.start()
    try:
        yield shown, builds, thread
    finally:
        stop.set()
        thread.join(timeout=10)


def test_inputs_and_outputs(tmp_path):
    for path, expected in [
        ("articles/a.txt", True),
        ("book.yml", True),
        ("styles/book.css", True),
        ("chapters/01-a.md", False),
        ("dist/book.pdf", False),
        (".cache/x", False),
        ("articles/.a.txt.swp", False),
    ]:
        assert is_input(tmp_path, Change.modified, str(tmp_path / path)) is expected, path


def test_rebuilds_after_a_change_and_after_a_broken_save(project_factory, capsys):
    root = project_factory({"a.txt": "= A =\n\nFirst.\n"})
    with watching(root) as (shown, builds, thread):
        assert wait_for(lambda: len(builds) == 1)
        time.sleep(0.3)  # let the watcher start listening
        (root / "articles" / "a.txt").write_bytes(b"= A =\n\nbad \xff\n")
        assert wait_for(lambda: len(builds) == 2)
        assert [str(d) for d in shown[-1]] == [
            "articles/a.txt:3:5: error: bytes that are not UTF-8 (ff) (save the article as UTF-8)"
        ]
        (root / "articles" / "a.txt").write_text("= A =\n\nSecond.\n", encoding="utf-8")
        assert wait_for(lambda: len(builds) == 3)
        assert shown[-1] == []
        assert "Second." in (root / "chapters" / "01-a.md").read_text(encoding="utf-8")
        time.sleep(1.0)
        assert len(builds) == 3  # writing chapters/ and dist/ did not trigger another build


def test_bad_book_yml_and_a_link_out_are_reported_and_watching_goes_on(project_factory, tmp_path):
    # Issue 15, defect 13: both ended the watcher.
    root = project_factory({"a.txt": "= A =\n\nFirst.\n"}, "title: T\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("= Secret =\n\nroot:x:0:0\n", encoding="utf-8")
    with watching(root) as (shown, builds, thread):
        assert wait_for(lambda: len(builds) == 1)
        time.sleep(0.3)
        (root / "book.yml").write_text("title: !foo x\n", encoding="utf-8")
        assert wait_for(lambda: len(builds) == 2)
        assert [str(d) for d in shown[-1]] == [
            "book.yml:1:8: error: YAML tag '!foo' is not allowed "
            "(remove the tag; values are plain text, numbers, lists and mappings)"
        ]
        (root / "book.yml").write_text("title: T\n", encoding="utf-8")
        assert wait_for(lambda: len(builds) == 3)
        (root / "articles" / "zz.txt").symlink_to(secret)
        assert wait_for(lambda: len(builds) == 4)
        assert [str(d) for d in shown[-1]] == [
            f"articles/zz.txt:1: error: articles/zz.txt leads outside the project (to {secret}) "
            "(copy the file into the project; only the project's own files are read)"
        ]
        assert thread.is_alive()
        (root / "articles" / "zz.txt").unlink()
        assert wait_for(lambda: len(builds) == 5)
        assert shown[-1] == []


def test_an_edit_saved_as_the_first_build_ends_is_built(project_factory):
    """The watcher listens before the first build starts: an edit saved while it runs
    or as it ends (when WeasyPrint is still being imported for the rebuilds to come)
    is built, not missed."""
    root = project_factory({"a.txt": "= A =\n\nFirst.\n"})
    article = root / "articles" / "a.txt"
    builds: list[str] = []

    def rebuild():
        builds.append(article.read_text(encoding="utf-8"))
        if len(builds) == 1:
            article.write_text("= A =\n\nSecond.\n", encoding="utf-8")

    stop = threading.Event()
    thread = threading.Thread(target=watch_and_build, args=(root, rebuild, stop), daemon=True)
    thread.start()
    try:
        assert wait_for(lambda: len(builds) == 2, seconds=10)
        assert "Second." in builds[1]
    finally:
        stop.set()
        thread.join(timeout=10)
