"""The command line: exit codes 0/1/2 and one-line messages, never a traceback."""

import argparse
import json
import subprocess
import sys

import pytest

from diaspora_book.cli import _parser, main

from .conftest import REPO

GOOD = "= Alpha =\n\nText.\n"


def run(capsys, *args):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _commands(parser, prefix=()):
    """Yield every command path the parser knows, with its one-line help."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                yield (*prefix, name), helps.get(name)
                yield from _commands(sub, (*prefix, name))


def test_every_command_has_help(capsys):
    commands = list(_commands(_parser()))
    names = {path for path, _ in commands}
    assert {("build",), ("handouts",), ("watch",), ("glossary", "suggest")} <= names
    for path, summary in commands:
        assert summary, f"'{' '.join(path)}' has no help line"
        with pytest.raises(SystemExit) as raised:
            main([*path, "--help"])
        assert raised.value.code == 0
        assert "--project" in capsys.readouterr().out, path


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["build", "--format", "docx"])
    assert raised.value.code == 2
    with pytest.raises(SystemExit) as raised:
        main([])
    assert raised.value.code == 2


def test_bad_bytes_exit_1_with_place(project_factory, capsys):
    root = project_factory({"a.txt": GOOD, "b.txt": b"= B =\n\nok \xfe\n"})
    code, out, err = run(capsys, "build", "--project", root)
    assert code == 1
    assert err.splitlines() == [
        "articles/b.txt:3:4: error: bytes that are not UTF-8 (fe) (save the article as UTF-8)",
        "error: build failed with 1 error",
    ]


def test_all_broken_articles_are_reported(project_factory, capsys):
    root = project_factory({"a.txt": "no title\n", "b.txt": "", "c.txt": GOOD})
    code, _, err = run(capsys, "check", "--project", root)
    assert code == 1
    assert err.splitlines()[:2] == [
        "articles/a.txt:1: error: the article must start with a title line '= Title =', found 'no title'",
        "articles/b.txt:1: error: the article is empty",
    ]


def test_missing_project_exits_1(tmp_path, capsys):
    code, _, err = run(capsys, "check", "--project", tmp_path / "nope")
    assert code == 1
    assert err.startswith("error: project directory ") and err.strip().endswith("does not exist")


def test_convert_then_check(project_factory, capsys):
    root = project_factory({"a.txt": GOOD})
    assert run(capsys, "convert", "--check", "--project", root)[0] == 1
    code, out, err = run(capsys, "convert", "--project", root)
    assert (code, out, err) == (0, "", "wrote chapters/01-a.md\n")
    assert run(capsys, "convert", "--check", "--project", root)[0] == 0
    assert run(capsys, "check", "--project", root)[0] == 0
    (root / "articles" / "a.txt").write_text("= Alpha =\n\nChanged.\n", encoding="utf-8")
    code, _, err = run(capsys, "convert", "--check", "--project", root)
    assert code == 1
    assert err == (
        "chapters/01-a.md:1: error: out of date with articles/a.txt (run 'diaspora-book convert')\n"
    )


def test_check_reports_damaged_text(project_factory, capsys):
    root = project_factory({"a.txt": "= A =\n\nhowever, , only 213.\n"})
    run(capsys, "convert", "--project", root)
    code, _, err = run(capsys, "check", "--project", root)
    assert code == 1
    assert (
        err
        == "articles/a.txt:3:8: warning: ', ,' looks like a removed template [removed-template]\n"
    )


def test_accepted_warnings_are_quiet_and_stale_entries_are_not(project_factory, capsys):
    root = project_factory(
        {"a.txt": "= A =\n\nhowever, , only 213.\n"},
        "accept:\n  - articles/a.txt: removed-template\n  - articles/a.txt: wiki-markup\n",
    )
    run(capsys, "convert", "--project", root)
    code, _, err = run(capsys, "check", "--project", root)
    assert code == 1
    assert err == (
        "book.yml:3:5: warning: accept entry 'articles/a.txt: wiki-markup' matches no warning "
        "(remove it from book.yml)\n"
    )


def test_check_json_report(project_factory, capsys):
    root = project_factory({"a.txt": "= A =\n\nx \ue000 y\n"})
    run(capsys, "convert", "--project", root)
    code, out, _ = run(capsys, "check", "--format", "json", "--project", root)
    assert code == 1
    assert json.loads(out) == {
        "errors": 0,
        "warnings": 1,
        "notes": 0,
        "diagnostics": [
            {
                "severity": "warning",
                "path": "articles/a.txt",
                "line": 3,
                "column": 3,
                "message": "no installed font has a glyph for U+E000 '\\ue000'; it would print as a box",
                "hint": "install a font that covers it; scripts/setup.sh lists the font packages",
                "code": "",
            }
        ],
    }


def test_sample_book_checks_clean(capsys):
    code, out, err = run(capsys, "check", "--project", REPO)
    assert (code, err) == (0, "")


def test_module_entry_point_runs_without_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "diaspora_book", "build", "--project", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().endswith(
        "(a book project needs articles/*.txt; pass --project DIR to choose another)"
    )


def test_quiet_and_verbose(project_factory, capsys, monkeypatch):
    monkeypatch.setenv("CI", "true")  # plain lines, as in a CI log
    root = project_factory({"a.txt": GOOD})
    code, out, err = run(capsys, "build", "--quiet", "--format", "epub", "--project", root)
    assert (code, out, err) == (0, "", "")
    code, out, err = run(capsys, "build", "-v", "--no-cache", "--format", "epub", "--project", root)
    lines = err.splitlines()
    assert code == 0 and out == ""
    # Each stage says it starts, then how long it took; an EPUB-only build still lays
    # out the print edition, for the EPUB's page list.
    # Verbose also says why a book of one chapter is laid out in one process.
    why = "print edition: laid out in one process (one chapter)"
    stages = ["convert", "paginate the print edition", "render EPUB"]
    shown = [line for line in lines if line != why]
    assert lines.index(why) == 3  # inside the pagination stage
    assert shown[0::2][:3] == [f"{stage} ..." for stage in stages]
    for stage, timing in zip(stages, shown[1::2][:3], strict=True):
        assert timing.startswith(f"{stage}: ") and timing.endswith(" s")
    assert shown[6:] == ["wrote dist/book.epub", shown[7]]
    assert shown[7].startswith("built 1 chapter in ")
    with pytest.raises(SystemExit) as raised:
        main(["build", "--quiet", "--verbose"])
    assert raised.value.code == 2
