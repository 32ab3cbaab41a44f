"""Sharding: N CI jobs with `--shard I/N` render exactly the unsharded set, each file once."""

from __future__ import annotations

from pathlib import Path

import pytest

from diaspora_book.cli import main
from diaspora_book.plumbing.shard import Shard, read_catalogue, share
from tests.conftest import make_project


def test_shares_are_disjoint_cover_everything_and_balance_pages_not_count():
    items = list("abcdefg")
    pages = [40.0, 5, 5, 5, 5, 5, 5]  # one long book, six short ones
    shares = [share(items, pages, Shard(i, 2)) for i in (1, 2)]
    assert sorted(shares[0] + shares[1]) == items
    assert not set(shares[0]) & set(shares[1])
    assert shares == [["a"], list("bcdefg")]  # 40 pages against 30, not 4 books against 3
    assert shares == [share(items, pages, Shard(i, 2)) for i in (1, 2)]  # the same every time


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0"])
def test_a_shard_outside_its_count_is_a_usage_error(text, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["handouts", "--shard", text])
    assert stopped.value.code == 2
    assert "--shard" in capsys.readouterr().err


def test_a_catalogue_names_the_line_of_a_missing_project(tmp_path):
    (tmp_path / "one").mkdir()
    catalogue = tmp_path / "catalogue.yml"
    catalogue.write_text("projects:\n  - one\n  - two\n", encoding="utf-8")
    with pytest.raises(Exception) as caught:
        read_catalogue(catalogue)
    assert str(caught.value).endswith("catalogue.yml:3: no project folder 'two'")
    catalogue.write_text("- one\n", encoding="utf-8")
    assert read_catalogue(catalogue) == [tmp_path / "one"]


def _article(title: str, paragraphs: int) -> str:
    body = "\n\n".join(f"{title} paragraph {n} with some words in it." for n in range(paragraphs))
    return f"= {title} =\n\n{body}\n"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def test_handout_shards_together_are_the_unsharded_run_byte_for_byte(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = make_project(
        tmp_path / "book",
        {
            f"{name}.txt": _article(name.title(), n)
            for name, n in [("alpha", 30), ("beta", 2), ("gamma", 3), ("delta", 2)]
        },
    )
    assert (
        main(["--project", str(root), "handouts", "--no-cache", "--out", str(tmp_path / "all")])
        == 0
    )
    for i in (1, 2, 3):
        out = tmp_path / "shards"
        assert (
            main(
                [
                    "--project",
                    str(root),
                    "handouts",
                    "--no-cache",
                    "--shard",
                    f"{i}/3",
                    "--out",
                    str(out),
                ]
            )
            == 0
        )
    every = _files(tmp_path / "all")
    assert len(every) == 4
    assert _files(tmp_path / "shards") == every


def test_book_shards_over_a_catalogue_are_the_unsharded_build(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for name, n in (("long", 40), ("short", 2), ("brief", 3)):
        make_project(tmp_path / "books" / name, {"a.txt": _article(name.title(), n)})
    catalogue = tmp_path / "books" / "catalogue.yml"
    catalogue.write_text("projects: [long, short, brief]\n", encoding="utf-8")
    common = ["build", "--no-cache", "--format", "pdf", "--catalogue", str(catalogue)]
    assert main([*common, "--out", str(tmp_path / "all")]) == 0
    for i in (1, 2):
        assert main([*common, "--shard", f"{i}/2", "--out", str(tmp_path / f"shard-{i}")]) == 0
    one, two = _files(tmp_path / "shard-1"), _files(tmp_path / "shard-2")
    assert sorted(one) == ["long/long.pdf"]  # the long book alone weighs as much as the rest
    assert not set(one) & set(two)
    assert {**one, **two} == _files(tmp_path / "all")
