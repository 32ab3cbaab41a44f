"""Errors that say where: a bad project file or a machine fault is one line naming the file.

Each used to end in `error: internal error: ...` (issue 15, defect 9); a real bug
still says it is one, and exits 70 so that CI can tell it from bad content (11).
"""

import pathlib

import pytest

from diaspora_book import cli
from diaspora_book.cli import main

from .mounts import mounted_tmpfs

ARTICLE = {"a.txt": "= Alpha =\n\nText.\n"}
PACKAGE_TEMPLATE = pathlib.Path(cli.__file__).parent / "templates" / "manuscript.md.j2"


def run(capsys, *args):
    code = main([str(a) for a in args])
    return code, capsys.readouterr().err.splitlines()


def test_a_stylesheet_that_is_not_utf8(project_factory, capsys):
    root = project_factory(ARTICLE, "title: T\n")
    (root / "styles").mkdir()
    (root / "styles" / "book.css").write_bytes(b"p { color: red }\nh1 { content: '\xe9' }\n")
    code, lines = run(capsys, "build", "--project", root)
    assert code == 1
    assert lines == [
        "styles/book.css:2:16: error: bytes that are not UTF-8 (e9) (save the file as UTF-8)"
    ]


def test_check_reports_a_stylesheet_that_is_not_utf8(project_factory, capsys):
    root = project_factory(ARTICLE, "title: T\n")
    (root / "styles").mkdir()
    (root / "styles" / "print.css").write_bytes(b"p { color: red }\n\xff\n")
    code, lines = run(capsys, "check", "--project", root)
    assert code == 1
    assert (
        "styles/print.css:2: error: bytes that are not UTF-8 (ff) (save the file as UTF-8)" in lines
    )


def test_a_template_that_is_not_utf8(project_factory, capsys):
    root = project_factory(ARTICLE, "title: T\n")
    (root / "templates").mkdir()
    template = PACKAGE_TEMPLATE.read_bytes()
    (root / "templates" / "manuscript.md.j2").write_bytes(b"\xff" + template)
    code, lines = run(capsys, "build", "--project", root)
    assert code == 1
    assert lines == [
        "templates/manuscript.md.j2:1: error: bytes that are not UTF-8 (ff) "
        "(save the file as UTF-8)"
    ]


@pytest.mark.parametrize(
    ("include", "message"),
    [
        (
            "missing.j2",
            "templates/manuscript.md.j2:1: error: template error: cannot include 'missing.j2': "
            "there is no such template (templates are looked for in templates/, styles/ and "
            "the package)",
        ),
        (
            "manuscript.md.j2",
            "templates/manuscript.md.j2:1: error: template error: a template includes itself "
            "(directly or through another)",
        ),
    ],
)
def test_a_template_include_of_a_missing_file_or_of_itself(
    project_factory, capsys, include, message
):
    root = project_factory(ARTICLE, "title: T\n")
    (root / "templates").mkdir()
    text = f'{{% include "{include}" %}}\n' + PACKAGE_TEMPLATE.read_text(encoding="utf-8")
    (root / "templates" / "manuscript.md.j2").write_text(text, encoding="utf-8")
    code, lines = run(capsys, "build", "--project", root)
    assert code == 1
    assert lines == [message]


def test_an_unreadable_project_file(project_factory, capsys, monkeypatch):
    # Root reads any file whatever its mode, so the fault is simulated at the read.
    root = project_factory(ARTICLE, "title: T\n")
    glossary = root / "glossary.yml"
    glossary.write_text("- term: yurt\n", encoding="utf-8")
    real = pathlib.Path.read_bytes

    def read_bytes(path):
        if path == glossary:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)
    code, lines = run(capsys, "check", "--project", root)
    assert code == 1
    assert lines == ["glossary.yml:1: error: cannot read glossary.yml: Permission denied"]


def test_dist_being_a_file(project_factory, capsys):
    root = project_factory(ARTICLE, "title: T\n")
    (root / "dist").write_text("not a folder", encoding="utf-8")
    code, lines = run(capsys, "build", "--project", root, "--format", "epub", "--jobs", "1")
    assert code == 1
    assert lines == [f"error: cannot write {root}/dist/t.epub: {root}/dist is a file, not a folder"]
    assert (root / "dist").read_text(encoding="utf-8") == "not a folder"


def test_out_being_a_file(project_factory, capsys, tmp_path):
    root = project_factory(ARTICLE, "title: T\n")
    out = tmp_path / "out.txt"
    out.write_text("mine", encoding="utf-8")
    code, lines = run(capsys, "handouts", "--project", root, "--out", out, "--jobs", "1")
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith("error: cannot write ")
    assert lines[0].endswith(f"{out} is a file, not a folder")
    assert out.read_text(encoding="utf-8") == "mine"


@pytest.fixture
def read_only_folder(tmp_path):
    """A read-only tmpfs (root only; elsewhere skipped), unmounted afterwards."""
    with mounted_tmpfs(tmp_path / "read-only", "size=1m,ro") as folder:
        yield folder


def test_a_read_only_out(project_factory, capsys, read_only_folder):
    root = project_factory(ARTICLE, "title: T\n")
    args = ("--project", root, "--out", read_only_folder, "--format", "epub", "--jobs", "1")
    code, lines = run(capsys, "build", *args)
    assert code == 1
    assert lines == [f"error: cannot write {read_only_folder}/t.epub: Read-only file system"]


def test_an_internal_error_says_it_is_a_bug_and_exits_70(project_factory, capsys, monkeypatch):
    def broken(project):
        raise KeyError("slug")

    monkeypatch.setattr(cli, "run_checks", broken)
    monkeypatch.delenv("DIASPORA_BOOK_DEBUG", raising=False)
    code, lines = run(capsys, "check", "--project", project_factory(ARTICLE))
    assert code == 70
    assert lines == [
        "error: internal error (a bug in diaspora-book, not in your book): KeyError: 'slug' "
        "(please report it; DIASPORA_BOOK_DEBUG=1 shows the traceback)"
    ]
