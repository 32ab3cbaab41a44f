"""book.yml values that reach the outputs as they are: each bad one is an error at its line."""

import pytest

from diaspora_book.cli import main
from diaspora_book.languages.book_language import is_language_tag
from diaspora_book.project.config import load_project

ARTICLES = {"a.txt": "= A =\n\nText.\n", "b.txt": "= B =\n\nMore.\n"}
DATE_HINT = (
    "(write it as YYYY-MM-DD (e.g. 2024-05-01), YYYY-MM or YYYY; "
    "leave it out for the day of the build)"
)
TAG_HINT = "(use a BCP 47 tag such as 'en', 'ru', 'kk', 'ug' or 'zh-Hans')"


@pytest.mark.parametrize(
    ("yml", "message"),
    [
        (
            'title: T\nlanguage: "en\\"><script>alert(1)</script>"\n',
            f"book.yml:2: error: language 'en\"><script>alert(1)</script>' is not a language tag {TAG_HINT}",
        ),
        (
            "title: T\nlanguage: not a tag!!\n",
            f"book.yml:2: error: language 'not a tag!!' is not a language tag {TAG_HINT}",
        ),
        (
            'title: T\nlanguage: "en\\n"\n',
            f"book.yml:2: error: language 'en\\n' is not a language tag {TAG_HINT}",
        ),
        (
            "title: T\nlanguages:\n  han: zh\n  arabic: 'ug\" onload=\"x'\n",
            f"book.yml:4:11: error: language 'ug\" onload=\"x' is not a language tag {TAG_HINT}",
        ),
        (
            "title: T\nlanguages: {'arabic\"': ug}\n",
            "book.yml:2:13: error: 'arabic\"' is not a script name "
            "(use Unicode's script names, such as arabic, han or cyrillic)",
        ),
        (
            "title: T\ndate: 2024-13-45\n",
            f"book.yml:2: error: date '2024-13-45' is not a date {DATE_HINT}",
        ),
        ("title: T\ndate: soon\n", f"book.yml:2: error: date 'soon' is not a date {DATE_HINT}"),
        (
            "title: T\ndate: 99999-01-01\n",
            f"book.yml:2: error: date '99999-01-01' is not a date {DATE_HINT}",
        ),
        (
            "title: T\ndate: 2023-02-29\n",
            f"book.yml:2: error: date '2023-02-29' is not a date {DATE_HINT}",
        ),
        (
            'title: ""\n',
            "book.yml:1: error: 'title' is empty (give the book a title, or leave 'title' out "
            "for one made from the folder's name)",
        ),
        (
            "title: " + "x" * 200_000 + "\n",
            "book.yml:1: error: 'title' is 200,000 characters long; it may have at most 1,000",
        ),
        (
            "title: T\nauthors: [Ann, " + "y" * 1001 + "]\n",
            "book.yml:2: error: 'authors' is 1,001 characters long; it may have at most 1,000",
        ),
        (
            "title: T\nchapters:\n  - b\n  - a\n  - b.txt\n",
            "book.yml:5:5: error: duplicate chapter 'b' (first on line 3) (list each article once)",
        ),
        (
            "title: T\nchapters: b\n",
            "book.yml:2:11: error: 'chapters' must be a list of article names",
        ),
        (
            "title: T\nchapters:\n  - a\n  - [b]\n",
            "book.yml:4:5: error: a chapter must be an article's name, such as 'uyghurs'",
        ),
    ],
)
def test_bad_values_exit_1_at_their_line(project_factory, capsys, yml, message):
    root = project_factory(ARTICLES, yml)
    code = main(["check", "--project", str(root)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines() == [message]


def test_a_chapter_that_does_not_exist_is_reported_at_its_line(project_factory, capsys):
    root = project_factory(ARTICLES, "title: T\nchapters:\n  - b\n  - c\n  - a\n")
    code = main(["check", "--project", str(root)])
    assert code == 1
    assert (
        "book.yml:4:5: error: book.yml lists chapter 'c' but articles/c.txt does not exist"
        in capsys.readouterr().err.splitlines()
    )


@pytest.mark.parametrize(
    ("value", "kept"), [("2024", "2024"), ("2024-05", "2024-05"), ("'2024-05-01'", "2024-05-01")]
)
def test_good_dates_are_kept(project_factory, value, kept):
    config = load_project(project_factory(ARTICLES, f"title: T\ndate: {value}\n")).config
    assert config.date == kept


def test_good_tags_are_accepted(project_factory):
    yml = "title: T\nlanguage: zh-Hans-CN\nlanguages: {arabic: ug-Arab-CN, latin: de-CH-1996}\n"
    config = load_project(project_factory(ARTICLES, yml)).config
    assert config.language == "zh-Hans-CN"
    assert config.languages["arabic"] == "ug-Arab-CN"


@pytest.mark.parametrize(
    "tag",
    ["en", "ug-Latn", "de-AT", "zh-Hans", "es-419", "zh-yue-HK", "en-x-private", "de-CH-1996"],
)
def test_well_formed_tags(tag):
    assert is_language_tag(tag)


@pytest.mark.parametrize(
    "tag", ["", "e", "english", "en_US", "en-", "en--US", "en US", 'en"', "en\n", "zh-Hans-", 3]
)
def test_malformed_tags(tag):
    assert not is_language_tag(tag)


def test_a_citation_key_with_a_brace_is_an_error_at_its_line(project_factory, capsys):
    root = project_factory(ARTICLES, "title: T\n")
    (root / "references.bib").write_text("@misc{a, title={A}}\n", encoding="utf-8")
    (root / "citations.yml").write_text(
        "sources:\n  a: 'x{y'\nrules:\n  - phrase: Text\n    cite: \"a}b\"\n", encoding="utf-8"
    )
    code = main(["check", "--project", str(root)])
    lines = capsys.readouterr().err.splitlines()
    assert code == 1
    assert lines[:2] == [
        "citations.yml:2: error: citation key 'x{y' cannot be cited (a key has no braces or line breaks)",
        "citations.yml:4: error: citation key 'a}b' cannot be cited (a key has no braces or line breaks)",
    ]
    assert not any("internal error" in line for line in lines)
