"""Every file in articles/ is read or named; a folder where book.yml should be is an error."""

from __future__ import annotations

from diaspora_book.book import convert_book
from diaspora_book.cli import main
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.project.config import load_project

WIKITEXT = "'''Dungans''' live in [[Kyrgyzstan]].\n\n== History ==\nThey came in 1878.\n"


def run(capsys, *args):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_mediawiki_file_reads_like_a_wiki_file(project_factory):
    root = project_factory(
        {"Dungans_in_Kyrgyzstan.mediawiki": WIKITEXT, "Hui_people.wiki": WIKITEXT},
        "sources:\n  Hui_people.wiki: {title: Hui people, url: 'https://en.wikipedia.org/wiki/Hui'}\n",
    )
    found = Diagnostics()
    chapters = convert_book(load_project(root), found).chapters
    assert [(c.slug, c.title) for c in chapters] == [
        ("dungans-in-kyrgyzstan", "Dungans in Kyrgyzstan"),
        ("hui-people", "Hui people"),
    ]
    assert "History" in chapters[0].body and "They came in 1878." in chapters[0].body
    # Its source is asked for, under its own name, as for a .wiki file.
    unknown = [str(d) for d in found.warnings if "source of this article is unknown" in d.message]
    assert len(unknown) == 1 and "Dungans_in_Kyrgyzstan.mediawiki: title" in unknown[0]


def test_other_files_and_folders_in_articles_are_named(project_factory, capsys):
    root = project_factory(
        {
            "a.txt": "= Alpha =\n\nText.\n",
            "notes.docx": b"PK\x03\x04",
            "Beta.WIKI": WIKITEXT,
            "draft.md": "# Draft\n",
            ".DS_Store": b"\x00\x00\x00\x01Bud1",
        }
    )
    (root / "articles" / "old").mkdir()
    run(capsys, "convert", "--project", root)
    code, _, err = run(capsys, "check", "--project", root)
    assert code == 1  # `check` fails on any warning
    lines = [line for line in err.splitlines() if "not read" in line]
    assert lines == [
        "articles/Beta.WIKI:1: warning: not an article: not read (articles are *.txt, *.wiki, "
        "*.mediawiki and *.xml files directly in articles/; move it out or rename it)",
        "articles/draft.md:1: warning: not an article: not read (articles are *.txt, *.wiki, "
        "*.mediawiki and *.xml files directly in articles/; move it out or rename it)",
        "articles/notes.docx:1: warning: not an article: not read (articles are *.txt, *.wiki, "
        "*.mediawiki and *.xml files directly in articles/; move it out or rename it)",
        "articles/old:1: warning: a folder: not read (articles are *.txt, *.wiki, "
        "*.mediawiki and *.xml files directly in articles/; move it out or rename it)",
    ]
    assert ".DS_Store" not in err


def test_a_folder_named_book_yml_is_an_error_naming_it(project_factory, capsys):
    root = project_factory({"a.txt": "= Alpha =\n\nText.\n"})
    (root / "book.yml").mkdir()
    for command in ("check", "build"):
        code, _, err = run(capsys, command, "--project", root)
        assert code == 1
        assert err.splitlines() == [
            "book.yml:1: error: book.yml is a folder; the project's book.yml must be a file "
            "(rename or remove the folder book.yml/)"
        ]


def test_a_folder_named_like_another_project_file_is_an_error_too(project_factory, capsys):
    root = project_factory({"a.txt": "= Alpha =\n\nText.\n"})
    (root / "references.bib").mkdir()
    code, _, err = run(capsys, "check", "--project", root)
    assert code == 1 and err.startswith("references.bib:1: error: references.bib is a folder")
