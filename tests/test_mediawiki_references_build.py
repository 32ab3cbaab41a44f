"""MediaWiki references in real books: two long articles (English, German), 56 <ref>s.

The articles (tests/fixtures/mediawiki-refs/) cite 23 and 21 works; three of them
(the same DOIs, the same ISBN written as ISBN-10 and ISBN-13) are in both, so the
English book's References list 41 entries, counted by hand from the articles (an
explanatory `<ref group="note">` is a footnote, not an entry): named
refs reused, {{sfn}}/{{harvnb}} short citations of a "Bibliography" list, works
listed there and never cited, list-defined refs, free-text refs, the same work
written twice with other capitals and a page.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from diaspora_book.build import BuildRequest, build
from diaspora_book.check import run_checks
from diaspora_book.project.config import load_project

from .checkers import epubcheck_messages, run_epubcheck
from .readers import epub_documents, html_text, normalise, pdf_pages, pdf_text

FIXTURES = Path(__file__).parent / "fixtures" / "mediawiki-refs"
ENGLISH = "Dungan_migration.wiki"
GERMAN = "Dunganen_in_Kasachstan.wiki"
SOURCES = """sources:
  Dungan_migration.wiki:
    title: Dungan migration
    url: https://en.wikipedia.org/w/index.php?title=Dungan_migration&oldid=1
    revision: 1
    date: 2024-05-01
    contributors: [Writer]
  Dunganen_in_Kasachstan.wiki:
    title: Dunganen in Kasachstan
    url: https://de.wikipedia.org/w/index.php?title=Dunganen_in_Kasachstan&oldid=2
    revision: 2
    date: 2024-05-02
    contributors: [Autorin]
"""
MARKUP = ("<ref", "{{", "}}", "[[", "]]", "[@", "{|", "|}", "'''")


def _book(root: Path, files: tuple[str, ...], book_yml: str) -> Path:
    (root / "articles").mkdir(parents=True)
    for name in files:
        shutil.copy(FIXTURES / name, root / "articles" / name)
    (root / "book.yml").write_text(book_yml, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    root = _book(
        tmp_path_factory.mktemp("refs") / "en", (ENGLISH, GERMAN), "title: Dungans\n" + SOURCES
    )
    return build(load_project(root)), root


@pytest.fixture(scope="module")
def german(tmp_path_factory):
    book_yml = "title: Dunganen\nlanguage: de\n" + SOURCES
    root = _book(tmp_path_factory.mktemp("refs") / "de", (GERMAN,), book_yml)
    return build(load_project(root), BuildRequest(formats=("pdf", "epub"))), root


def _epub_entries(epub: Path) -> list[str]:
    documents = epub_documents(epub)
    refs = next(d for d in documents.values() if 'id="refs"' in d)
    return [
        normalise(html_text(entry))
        for entry in re.findall(
            r'<div id="ref-[^"]*" class="csl-entry"[^>]*>(.*?)</div>', refs, re.S
        )
    ]


def _pdf_entries(pdf: Path, heading: str, next_heading: str) -> list[str]:
    """The References' entries as printed: an entry starts at the margin, its other
    lines are indented (the hanging indent)."""
    pages = pdf_pages(pdf)
    start = next(i for i, page in enumerate(pages) if page.lstrip().startswith(heading))
    lines = [line for page in pages[start:] for line in page.split("\n") if line.strip()]
    lines = lines[1 : lines.index(next_heading)] if next_heading in lines else lines[1:]
    lines = [line for line in lines if not re.fullmatch(r"\s*\d+\s*|\s+Dungan\w*", line)]
    entries: list[str] = []
    for line in lines:
        if line[:1].isspace() and entries:
            entries[-1] += " " + line.strip()
        else:
            entries.append(line.strip())
    return entries


def test_the_references_list_each_distinct_work_once(english):
    report, _ = english
    pdf, epub = report.outputs
    in_epub = _epub_entries(epub)
    in_pdf = _pdf_entries(pdf, "References", "Article sources and contributors")
    assert len(in_epub) == len(in_pdf) == 41
    for entries in (in_epub, in_pdf):
        text = " | ".join(entries).replace("\u2010 ", "").replace("/ ", "/")
        assert "The first Latin alphabet was drafted" not in text  # a footnote
        # the same DOI in both articles, and a second spelling of one work: one entry each
        assert text.count("The Dungans of Soviet Central Asia") == 1
        assert text.count("Dungan speech after 150 years") == 1
        assert text.count("Musulmans de Chine") == 1  # ISBN-10 in one, ISBN-13 in the other
        assert text.count("Landwirtschaft im Tschüital") == 1  # one name, cited three times
        assert "Haddad, Omar. 2016. Muslims of the Tian Shan. Hurst." in text  # listed only
        assert "Svanberg, Ingvar. 1989. Kazak Refugees in Turkey. Almqvist & Wiksell." in text
        assert "Shivaza, Iasyr. 1974. Collected Poems. Ilim." in text  # list-defined
        assert "Memoir of Yusup Ahmed, recorded in Karakol in 1926" in text  # free text
        assert "Sidikov, Rustam. 1998. “Dungan mosques of Semirechye.” PhD, University" in text


def test_citations_carry_their_pages(english):
    report, _ = english
    text = normalise(pdf_text(report.outputs[0])).replace("– ", "–")  # a line broken after –
    assert "(Roberts 2020, 45)" in text  # page=
    assert "(Roberts 2020, 52)" in text  # the named ref again, with {{rp|52}}
    assert "(Peyrouse 2008, 3–4)" in text  # {{sfn|...|pp=}}
    assert "Laruelle 2007, 20" in text  # {{harvnb}}
    assert "(Li and Chen 2015, 310; Sidikov 1998, 201)" in text
    assert "(Mayer 1990, 44–46)" in text  # Literatur |Seiten=
    assert "Lao Huihui (Svanberg 1988)." in text  # after italics, before the full stop


def test_no_markup_survives(english):
    report, _ = english
    pdf, epub = report.outputs
    text = pdf_text(pdf)
    documents = [html_text(d) for n, d in epub_documents(epub).items() if n.endswith(".xhtml")]
    for output in (text, *documents):
        assert [m for m in MARKUP if m in output] == []
    assert "Einzelnachweise" not in text and "Bibliography" not in text  # one References


@pytest.mark.slow  # EPUBCheck: the sample book's run stays fast
def test_the_epub_is_valid(english, tmp_path):
    report, _ = english
    assert epubcheck_messages(run_epubcheck(report.outputs[1], tmp_path)) == []


def test_check_finds_nothing_wrong_with_the_references(english):
    _, root = english
    problems = [
        str(d)
        for d in run_checks(load_project(root))
        if any(w in d.message for w in ("ref", "cite", "citation", "sfn", "source"))
    ]
    assert problems == []


def test_a_german_book_prints_its_literatur(german):
    report, _ = german
    pdf, epub = report.outputs
    in_pdf = _pdf_entries(pdf, "Literatur", "Quellen und Autoren der Artikel")
    assert len(_epub_entries(epub)) == len(in_pdf) == 21
    text = normalise(pdf_text(pdf)).replace("– ", "–")
    assert "(Laruelle und Peyrouse 2004, 55)" in text
    assert "(Kadyrow 2003, 80–81)" in text  # a named ref reused, its page from {{rp}}
    assert "(Eigene Zählung 1981)" in text  # a free-text ref, cited by its first words
    assert "Mayer, Karl. 1990. „Die Dunganen und der Zar“. In Zentralasien im 19. Jahrhundert" in (
        " ".join(in_pdf)
    )


def test_check_reports_references_it_cannot_map_at_their_line(tmp_path):
    root = tmp_path / "book"
    (root / "articles").mkdir(parents=True)
    (root / "articles" / "Broken.wiki").write_text(
        "Intro.\n\nA claim.<ref>{{cite blog |url=https://b.example |title=Blog}}</ref> "
        'Another.<ref name="gone" />\n'
        "More.<ref>{{cite book |last=Nobody |year=1990}}</ref>{{sfn|Ghost|1901}}\n",
        encoding="utf-8",
    )
    (root / "book.yml").write_text(
        "title: B\nsources:\n  Broken.wiki:\n    title: Broken\n", encoding="utf-8"
    )
    found = [str(d) for d in run_checks(load_project(root)) if "wiki:" in str(d)]
    assert found == [
        "articles/Broken.wiki:3:14: warning: {{cite blog}} is not a citation template "
        "diaspora-book knows; its fields are kept in a generic entry",
        'articles/Broken.wiki:3:77: warning: <ref name="gone" /> is never defined',
        "articles/Broken.wiki:4:11: warning: {{cite book}} has no title",
        "articles/Broken.wiki:4:54: warning: {{sfn}} cites 'Ghost 1901', which no full citation "
        "in this article matches (by family names and year)",
    ]


def test_a_rebuild_converts_again_only_the_chapters_whose_keys_changed(tmp_path):
    from diaspora_book.plumbing.cache import BuildCache

    root = _book(tmp_path / "book", (ENGLISH, GERMAN), "title: Dungans\n" + SOURCES)
    project = load_project(root)
    request = BuildRequest(formats=("epub",))
    build(project, request, cache=BuildCache(root))
    german = root / "articles" / GERMAN
    german.write_text(
        german.read_text(encoding="utf-8").replace("Titel=Feste und Bräuche", "Titel=Feste"),
        encoding="utf-8",
    )
    again = build(project, request, cache=BuildCache(root))
    # the English chapter's keys are the same: it comes from the cache
    assert [stage for stage in again.ran if stage.startswith("chapter:")] == [
        f"chapter:articles/{GERMAN}"
    ]
    assert f"chapter:articles/{ENGLISH}" in again.reused
