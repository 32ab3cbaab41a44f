"""Outputs are replaced only by complete files; an OS fault is one line naming the file.

The full-disk cases mount a small tmpfs, which needs root; elsewhere they are skipped
with the reason.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from pathlib import Path

import pytest

from diaspora_book.build import build
from diaspora_book.cli import main
from diaspora_book.plumbing.errors import BookError
from diaspora_book.plumbing.kept import KeptFiles
from diaspora_book.plumbing.outputs import OutputRecord, replacing, write_text
from diaspora_book.project.config import load_project

from .checkers import checker_processes
from .conftest import copy_sample_project
from .mounts import mounted_tmpfs
from .readers import epub_text, pdf_text


def test_replacing_renames_a_complete_file_over_the_target(tmp_path):
    target = tmp_path / "out" / "book.pdf"
    with replacing(target) as scratch:
        assert scratch.parent == target.parent and scratch.name.startswith(".book.pdf.")
        scratch.write_bytes(b"new")
        assert not target.exists()
    assert target.read_bytes() == b"new"
    assert os.listdir(target.parent) == ["book.pdf"]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask  # as any new file


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing_behind(tmp_path):
    target = tmp_path / "book.epub"
    target.write_bytes(b"the last good book")
    with pytest.raises(RuntimeError), replacing(target) as scratch:
        scratch.write_bytes(b"half a bo")
        raise RuntimeError("the renderer stopped")
    assert target.read_bytes() == b"the last good book"
    assert os.listdir(tmp_path) == ["book.epub"]


def test_what_the_user_keeps_is_flushed_to_disk_and_a_cache_file_is_not(tmp_path, monkeypatch):
    flushed: list[str] = []
    fsync = os.fsync

    def noting(fd: int) -> None:
        flushed.append(os.readlink(f"/proc/self/fd/{fd}"))
        fsync(fd)

    monkeypatch.setattr(os, "fsync", noting)
    write_text(tmp_path / "dist" / "book.txt", "the book")
    assert [Path(path).name.startswith(".book.txt.") for path in flushed] == [True, False]
    assert flushed[1] == str(tmp_path / "dist")  # the rename too
    flushed.clear()
    kept = KeptFiles(tmp_path / "cache", ".html")
    kept.keep("chapter", b"<p>kept</p>")
    assert flushed == [] and kept.read("chapter") == b"<p>kept</p>"
    (tmp_path / "cache" / "chapter.html").write_bytes(b"torn")  # a power cut's leftover
    assert kept.read("chapter") is None  # made again


def test_an_os_fault_names_the_target(tmp_path):
    (tmp_path / "dist").write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(BookError) as raised:
        write_text(tmp_path / "dist" / "book.pdf", "x")
    assert str(raised.value) == (
        f"error: cannot write {tmp_path}/dist/book.pdf: {tmp_path}/dist is a file, not a folder"
    )


def test_an_output_record_names_only_plain_files_of_its_folder(tmp_path):
    record = OutputRecord(tmp_path, ".record.json")
    assert record.names() == set()
    record.save({"01-a.pdf", "02-b.pdf"})
    assert record.names() == {"01-a.pdf", "02-b.pdf"}
    (tmp_path / ".record.json").write_text(
        '{"files": ["../../etc/passwd", ".hidden", "01-a.pdf", 7]}', encoding="utf-8"
    )
    assert record.names() == {"01-a.pdf"}


# --- A full disk, for real -------------------------------------------------------------


def small_disk(folder: Path, size: str):
    """Mount a tmpfs of `size` at `folder` (root only); unmount it afterwards."""
    return mounted_tmpfs(folder, f"size={size}")


def fill(folder: Path) -> None:
    """Use up every free byte of the file system `folder` is on."""
    with open(folder / "filler", "wb") as stream, contextlib.suppress(OSError):
        while True:
            stream.write(b"\0" * 65536)
            stream.flush()


def children_of_this_process() -> list[str]:
    """Return the command lines of this process's living child processes (the
    checkers the tests keep running aside)."""
    mine = str(os.getpid())
    found = []
    checkers = {str(pid) for pid in checker_processes()}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or entry.name in checkers:
            continue
        with contextlib.suppress(OSError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if fields[1] == mine and fields[0] != "Z":
                found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
    return found


def no_children_left() -> list[str]:
    deadline = time.monotonic() + 10
    while (left := children_of_this_process()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


@pytest.mark.slow
def test_a_full_disk_keeps_the_last_good_book(tmp_path, capsys):
    # Issue #15, defect 2: a full disk replaced a valid EPUB with a broken one.
    root = copy_sample_project(tmp_path / "book")
    out = small_disk(tmp_path / "out", "1m")
    with out as folder:
        args = ["build", "--project", str(root), "--out", str(folder), "--jobs", "2"]
        assert main(args) == 0
        books = sorted(p.name for p in folder.iterdir())
        before = {name: (folder / name).read_bytes() for name in books}
        fill(folder)
        article = root / "articles" / "uyghurs-in-kazakhstan.txt"
        with article.open("a", encoding="utf-8") as stream:
            stream.write("\nA new paragraph, so the book must be written again.\n" * 40)
        capsys.readouterr()
        for formats in (["--format", "epub"], []):
            assert main([*args, *formats]) == 1
            err = capsys.readouterr().err.strip().splitlines()
            assert len(err) == 1 and err[0].startswith(f"error: cannot write {folder}/"), err
            assert err[0].endswith(": No space left on device")
            assert sorted(p.name for p in folder.iterdir()) == sorted([*books, "filler"])
            for name in books:
                assert (folder / name).read_bytes() == before[name], name
        assert no_children_left() == []


@pytest.mark.slow
def test_a_tiny_output_disk_is_one_line_and_leaves_no_process(tmp_path, capsys):
    # Issue #15, defect 2: a 120 KB tmpfs made the PDF library abort (exit 134) and
    # left a layout worker running.
    root = copy_sample_project(tmp_path / "book")
    with small_disk(tmp_path / "out", "120k") as folder:
        code = main(["build", "--project", str(root), "--out", str(folder), "--jobs", "2"])
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 1
        assert len(err) == 1 and err[0].startswith(f"error: cannot write {folder}/"), err
        assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []
        assert no_children_left() == []


def test_a_long_unbreakable_word_wraps_in_both_outputs(project_factory):
    # Issue #15, defect 3: 'https://example.org/' and 20,000 'x' ran off the page.
    # 5,000 are enough to need a dozen lines; the layout time grows with the square.
    word = "https://example.org/" + "q" * 5000
    root = project_factory({"long.txt": f"= Long =\n\nBefore {word} after.\n"})
    pdf, epub = build(load_project(root)).outputs
    assert pdf_text(pdf).count("q") == 5000
    assert "".join(epub_text(epub).split()).count("q") == 5000
