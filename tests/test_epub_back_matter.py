"""A book with back matter (glossary, index, references): landmarks and semantics.

The manuscript writes back matter as level-1 sections with an `epub:type`, as the
annotation stage does. This book gets it from a project template that appends the
three sections to the packaged one.
"""

import shutil
from importlib import resources
from pathlib import Path

import pytest

from diaspora_book.build import build
from diaspora_book.project.config import load_project

from .checkers import ace_violations, epubcheck_messages, run_ace, run_epubcheck
from .conftest import make_project
from .readers import EPUB_TYPE, NS, epub_nav_links, epub_spine, epub_xml

BACK_MATTER = """
# Glossary {#glossary .unnumbered epub:type=glossary}

Diaspora
:   A people living away from its homeland.

Oblast
:   A province of the Soviet Union or of Kazakhstan.

# Index {#index .unnumbered epub:type=index}

- Almaty, [Alpha](#alpha)
- Semirechie, [Alpha](#alpha)

# References {#references .unnumbered epub:type=bibliography}

- Roberts, Sean R. (2004). A "Land of Borderlands".
"""
ALPHA = "= Alpha =\nFirst paragraph with قازاق words.\n\n== Part ==\nSecond paragraph.\n"


@pytest.fixture(scope="module")
def back_matter_book(tmp_path_factory):
    root = make_project(
        tmp_path_factory.mktemp("back") / "book", {"alpha.txt": ALPHA}, "title: Back\n"
    )
    packaged = Path(str(resources.files("diaspora_book") / "templates" / "manuscript.md.j2"))
    (root / "templates").mkdir()
    shutil.copy(packaged, root / "templates" / "manuscript.md.j2")
    with (root / "templates" / "manuscript.md.j2").open("a", encoding="utf-8") as template:
        template.write(BACK_MATTER)
    report = build(load_project(root))
    return next(p for p in report.outputs if p.suffix == ".epub")


def test_back_matter_landmarks(back_matter_book):
    assert epub_nav_links(back_matter_book, "landmarks") == [
        ("cover", "text/cover.xhtml#cover", "Cover"),
        ("titlepage", "text/title_page.xhtml", "Title Page"),
        ("toc", "nav.xhtml#toc", "Table of Contents"),
        ("bodymatter", "text/ch002.xhtml", "Start of Content"),
        ("glossary", "text/ch003.xhtml#glossary", "Glossary"),
        ("index", "text/ch004.xhtml#index", "Index"),
        ("bibliography", "text/ch005.xhtml#references", "Bibliography"),
    ]


def test_back_matter_semantics(back_matter_book):
    sections = {}
    for name in epub_spine(back_matter_book)[-3:]:
        root = epub_xml(back_matter_book, name)
        assert root.find("h:body", NS).get(EPUB_TYPE) == "backmatter", name
        section = root.find("h:body/h:section", NS)
        sections[section.get(EPUB_TYPE)] = (section.get("role"), section)
    assert {t: role for t, (role, _) in sections.items()} == {
        "glossary": "doc-glossary",
        "index": "doc-index",
        "bibliography": "doc-bibliography",
    }
    glossary = sections["glossary"][1]
    terms = [("".join(dt.itertext()), dt.get(EPUB_TYPE)) for dt in glossary.iterfind(".//h:dt", NS)]
    assert terms == [("Diaspora", "glossterm"), ("Oblast", "glossterm")]
    assert [dd.get(EPUB_TYPE) for dd in glossary.iterfind(".//h:dd", NS)] == ["glossdef"] * 2


@pytest.mark.slow  # EPUBCheck and Ace on a second book: the sample book's runs stay fast
def test_back_matter_book_is_valid_and_accessible(back_matter_book, tmp_path):
    report = run_epubcheck(back_matter_book, tmp_path)
    checker = report["checker"]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0), (
        epubcheck_messages(report)
    )
    assert ace_violations(run_ace(back_matter_book, tmp_path)) == []
