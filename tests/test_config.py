"""book.yml: defaults, validation, and messages that point at the line."""

import pytest

from diaspora_book.plumbing.errors import BookError
from diaspora_book.project.config import book_date, load_project


def test_articles_only_project_gets_defaults(project_factory):
    root = project_factory({"a.txt": "= A =\ntext\n"}, name="my-first_book")
    project = load_project(root)
    assert project.config.title == "My First Book"
    assert project.config.language == "en"
    assert project.config.languages["arabic"] == "ug"
    assert project.config_path is None


def test_values_are_read(project_factory):
    root = project_factory(
        {"a.txt": "= A =\n"},
        "title: T\nauthor: Ann\nchapters: [b.txt, a]\nlanguages: {Arabic: kk-Arab}\ndate: 2024-05-01\n",
    )
    config = load_project(root).config
    assert config.authors == ("Ann",)
    assert config.chapters == ("b", "a")
    assert config.languages["arabic"] == "kk-Arab" and config.languages["han"] == "zh"
    assert book_date(config) == "2024-05-01"


def test_date_follows_source_date_epoch(project_factory, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    config = load_project(project_factory({"a.txt": "= A =\n"}, "title: T\n")).config
    assert book_date(config) == "2023-11-14"


@pytest.mark.parametrize(
    ("yml", "message"),
    [
        (
            "title: T\nlangauge: en\n",
            "book.yml:2: error: unknown key 'langauge' in book.yml (did you mean 'language'?)",
        ),
        (
            "title: T\npage_size: B5\n",
            "book.yml:2: error: page_size 'B5' is not supported (use one of A4, A5, Letter, 6in 9in)",
        ),
        (
            "title: [unclosed\n",
            "book.yml:2: error: cannot read book.yml: expected ',' or ']', but got '<stream end>'",
        ),
        ("- a list\n", "book.yml:1: error: book.yml must be a mapping of keys to values"),
        (
            "title: T\nauthors: {a: 1}\n",
            "book.yml:2: error: 'authors' must be a name or a list of names",
        ),
        (
            "title: T\nlanguage: english\n",
            "book.yml:2: error: language 'english' is not a language tag "
            "(use a BCP 47 tag such as 'en', 'ru', 'kk', 'ug' or 'zh-Hans')",
        ),
        (
            "title: T\nlabels:\n  contents: Inhalt\n  glosary: Glossar\n",
            "book.yml:4:3: error: unknown label 'glosary' in book.yml (did you mean 'glossary'?)",
        ),
        (
            "title: T\nlabels:\n  published: 'Erschienen {datum}'\n",
            "book.yml:3:14: error: label 'published': unknown placeholder {datum} "
            "(this message has: {date}, {identifier})",
        ),
        (
            "title: T\nlabels:\n  used_on_pages: '{count, plural, one {Seite}'\n",
            "book.yml:3:18: error: label 'used_on_pages': not a valid message "
            "(check its braces and plural forms)",
        ),
        ("title: T\nlabels: [a]\n", "book.yml:2:9: error: 'labels' must map message names to text"),
    ],
)
def test_bad_book_yml(project_factory, yml, message):
    with pytest.raises(BookError) as raised:
        load_project(project_factory({"a.txt": "= A =\n"}, yml))
    assert str(raised.value) == message


def test_missing_articles_folder(tmp_path):
    with pytest.raises(BookError, match="has no articles/ folder"):
        load_project(tmp_path)
