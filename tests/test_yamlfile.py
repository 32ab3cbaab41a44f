"""Every project YAML file is read by one reader: tags, odd keys and duplicates are errors."""

import pytest

from diaspora_book.cli import main
from diaspora_book.plumbing.errors import BookError
from diaspora_book.plumbing.yamlfile import compose, plain

ARTICLE = {"a.txt": "= A =\n\nText.\n"}


def run(capsys, *args):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "book.yml",
            "title: !foo x\n",
            "book.yml:1:8: error: YAML tag '!foo' is not allowed "
            "(remove the tag; values are plain text, numbers, lists and mappings)",
        ),
        (
            "book.yml",
            "title: T\nsubtitle: !!python/object/apply:os.system [ls]\n",
            "book.yml:2:11: error: YAML tag '!!python/object/apply:os.system' is not allowed "
            "(remove the tag; values are plain text, numbers, lists and mappings)",
        ),
        (
            "glossary.yml",
            "- term: yurt\n  gloss: !foo tent\n",
            "glossary.yml:2:10: error: YAML tag '!foo' is not allowed "
            "(remove the tag; values are plain text, numbers, lists and mappings)",
        ),
        (
            "index.yml",
            "- term: Almaty\n- !!python/name:os.system\n",
            "index.yml:2:3: error: YAML tag '!!python/name:os.system' is not allowed "
            "(remove the tag; values are plain text, numbers, lists and mappings)",
        ),
        (
            "citations.yml",
            "rules:\n  - phrase: x\n    cite: !!binary eA==\n",
            "citations.yml:3:11: error: YAML tag '!!binary' is not allowed "
            "(remove the tag; values are plain text, numbers, lists and mappings)",
        ),
        (
            "book.yml",
            "title: A\nsubtitle: B\ntitle: C\n",
            "book.yml:3: error: duplicate key 'title' (first on line 1) (keep one of them)",
        ),
        (
            "glossary.yml",
            "- term: yurt\n  gloss: tent\n  gloss: house\n",
            "glossary.yml:3:3: error: duplicate key 'gloss' (first on line 2) (keep one of them)",
        ),
        (
            "book.yml",
            "title: T\n? [a, b]\n: x\n",
            "book.yml:2:3: error: a key must be text, not a list",
        ),
        (
            "book.yml",
            "title: T\n? {a: b}\n: x\n",
            "book.yml:2:3: error: a key must be text, not a mapping",
        ),
    ],
)
def test_check_names_the_line_and_exits_1(project_factory, capsys, name, text, message):
    root = project_factory(ARTICLE, "title: T\n" if name != "book.yml" else text)
    if name != "book.yml":
        (root / name).write_text(text, encoding="utf-8")
    code, _out, err = run(capsys, "check", "--project", root)
    assert code == 1
    assert message in err.splitlines()
    assert "internal error" not in err and "<unicode string>" not in err
    assert "Traceback" not in err


def test_syntax_errors_name_the_file_not_unicode_string():
    with pytest.raises(BookError) as raised:
        compose("a: [1\n", "index.yml")
    assert str(raised.value) == (
        "index.yml:2: error: cannot read index.yml: expected ',' or ']', but got '<stream end>'"
    )


def test_plain_values_yaml_1_2_and_dates_stay_text():
    node = compose(
        "a: no\nb: true\nc: 0x1F\nd: 1_000\ne: .inf\nf: 2024-13-45\ng: ~\nh: 007\ni: !!str 12\n",
        "x",
    )
    assert plain(node) == {
        "a": "no",
        "b": True,
        "c": 31,
        "d": 1000,
        "e": float("inf"),
        "f": "2024-13-45",
        "g": None,
        "h": 7,
        "i": "12",
    }


def test_aliases_share_one_value_instead_of_multiplying():
    # Nine levels of nine aliases: 387 million strings if expanded; one list each here.
    lines = ["a0: &a0 [x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    value = plain(compose("\n".join(lines) + "\n", "bomb.yml"))
    assert value["a9"][0] is value["a8"]
    assert value["a1"] == [["x"]] * 9


def test_book_yml_values_still_read(project_factory):
    from diaspora_book.project.config import load_project

    root = project_factory(ARTICLE, "title: Yes\nsubtitle: no\nauthors: [On, Off]\n")
    config = load_project(root).config
    assert (config.title, config.subtitle, config.authors) == ("Yes", "no", ("On", "Off"))


def test_absurd_nesting_is_an_error_not_a_crash():
    with pytest.raises(BookError) as raised:
        compose("[" * 5000 + "]" * 5000, "index.yml")
    assert str(raised.value) == (
        "index.yml:1: error: cannot read index.yml: lists or mappings nested too deeply"
    )
