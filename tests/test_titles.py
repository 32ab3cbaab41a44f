"""Titles in any script give distinct chapter ids and file names, the same on every build."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest

from diaspora_book.book import convert_book
from diaspora_book.build import BuildRequest, build
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.plumbing.slug import slugify, title_slug
from diaspora_book.project.config import load_project
from diaspora_book.read.sources import ArticleSource, distinct_slugs

from .checkers import epubcheck_messages, run_epubcheck
from .conftest import make_project

SHARED_XML = Path(__file__).resolve().parent.parent.parent / "shared" / "wikipedia" / "xml"


def test_latin_titles_keep_the_slugs_they_had():
    for title in ("Dungans in Kyrgyzstan", "Çullu, Agdam", "Uyghurs (ئۇيغۇر)", "1997"):
        assert title_slug(title) == slugify(title, "article")


def test_titles_in_other_scripts_are_transliterated_by_icu():
    assert title_slug("Берлин") == "berlin"
    assert title_slug("Қазақстан") == "kazakstan"
    assert title_slug("برلین") == "brlyn"  # Persian
    assert title_slug("ברלין") == "brlyn"  # Hebrew
    assert title_slug("柏林") == "bai-lin"
    assert title_slug("베를린") == "beleullin"
    assert title_slug("ベルリン") == "berurin"


def test_a_title_nothing_transliterates_gets_a_stable_hash():
    assert title_slug("🙂") == title_slug("🙂")
    assert title_slug("🙂").startswith("article-") and len(title_slug("🙂")) == 16
    assert title_slug("🙂") != title_slug("🙃")


def test_clashing_slugs_get_hashes_whatever_order_the_files_come_in():
    sources = [
        ArticleSource(Path(f"articles/{name}"), f"articles/{name}", title_slug(title), title)
        for name, title in [
            ("a.xml", "Berlin"),
            ("b.xml", "Берлин"),
            ("c.wiki", "Hamburg"),
            ("d.xml", "Берлин"),
        ]
    ]
    slugs = {s.shown + s.title: s.slug for s in distinct_slugs(sources)}
    assert slugs["articles/c.wikiHamburg"] == "hamburg"
    assert len(set(slugs.values())) == 4
    assert all(v.startswith("berlin-") for k, v in slugs.items() if "Hamburg" not in k)
    for _ in range(5):
        random.shuffle(sources)
        assert {s.shown + s.title: s.slug for s in distinct_slugs(sources)} == slugs


def _export(titles: list[str]) -> str:
    pages = "".join(
        f"""  <page>
    <title>{title}</title>
    <ns>0</ns>
    <id>{n}</id>
    <revision>
      <id>{1000 + n}</id>
      <timestamp>2024-01-0{n}T10:00:00Z</timestamp>
      <contributor><username>Editor {n}</username><id>{n}</id></contributor>
      <model>wikitext</model>
      <format>text/x-wiki</format>
      <text xml:space="preserve">'''{title}''' {body}

== {title} ==
[[{titles[0]}]] {body}
</text>
    </revision>
  </page>
"""
        for n, (title, body) in enumerate(zip(titles, _URDU_TEXT, strict=False), start=1)
    )
    return (
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" '
        'xml:lang="ur">\n  <siteinfo><sitename>ویکیپیڈیا</sitename><dbname>urwiki</dbname>'
        "<base>https://ur.wikipedia.org/wiki/صفحہ_اول</base></siteinfo>\n"
        + pages
        + "</mediawiki>\n"
    )


_URDU_TEXT = [
    "پاکستان کا ایک شہر ہے۔",
    "صوبہ پنجاب کا دارالحکومت ہے۔",
    "پاکستان کا سب سے بڑا شہر ہے۔",
    "ایک زبان ہے۔",
]


def _chapter_files(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "chapters").glob("*.md"))


@pytest.mark.slow  # a four-chapter build and a second one
def test_an_urdu_export_of_several_pages_builds_with_distinct_ids(tmp_path):
    # ہ and ے are letters ICU's Arabic-Latin does not know: two titles share a slug.
    titles = ["لاہور", "لاہورے", "کراچی", "اردو"]
    root = make_project(
        tmp_path / "ur", {"urdu.xml": _export(titles)}, "title: اردو\nlanguage: ur\n"
    )
    report = build(load_project(root), BuildRequest(formats=("epub",)))
    slugs = [c.slug for c in report.chapters]
    assert len(set(slugs)) == 4 and "article" not in slugs
    assert "krachy" in slugs and "ardw" in slugs
    first = _chapter_files(root)
    epub = report.outputs[0]
    with zipfile.ZipFile(epub) as book:
        text = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
    for slug in slugs:
        assert f'id="{slug}"' in text
    assert epubcheck_messages(run_epubcheck(epub, tmp_path)) == []
    # Again, with the export's pages in another order: the same ids, the same files.
    (root / "articles" / "urdu.xml").write_text(_export(titles[::-1]), encoding="utf-8")
    again = build(load_project(root), BuildRequest(formats=("epub",)))
    assert sorted(c.slug for c in again.chapters) == sorted(slugs)
    assert sorted(f.split("-", 1)[1] for f in _chapter_files(root)) == sorted(
        f.split("-", 1)[1] for f in first
    )


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("language", "second"),
    [("fa", "هامبورگ"), ("he", "המבורג"), ("zh", "汉堡"), ("ko", "함부르크")],
)
def test_two_articles_in_one_script_make_a_book(language, second, tmp_path):
    export = SHARED_XML / f"{language}wiki-Berlin.xml"
    if not export.is_file():
        pytest.skip(f"{export} is not there (../shared is absent)")
    root = make_project(
        tmp_path / language,
        {
            f"{language}wiki-Berlin.xml": export.read_bytes(),
            f"{second}.wiki": f"'''{second}''' [[{second}]].\n\n== {second} ==\n{second}.\n",
        },
        f"title: {second}\nlanguage: {language}\n",
    )
    report = build(load_project(root), BuildRequest(formats=("epub",)))
    slugs = [c.slug for c in report.chapters]
    assert len(slugs) == 2 and len(set(slugs)) == 2 and "article" not in slugs
    assert all(slug.isascii() for slug in slugs)
    assert epubcheck_messages(run_epubcheck(report.outputs[0], tmp_path)) == []


def test_chapters_in_book_yml_may_name_a_file_in_its_own_script(project_factory):
    root = project_factory(
        {"Берлин.wiki": "'''Берлин'''.\n", "Гамбург.wiki": "'''Гамбург'''.\n"},
        "language: ru\nchapters: [Гамбург, berlin]\n",
    )
    chapters = convert_book(load_project(root), Diagnostics()).chapters
    assert [(c.slug, c.filename) for c in chapters] == [
        ("gamburg", "01-gamburg.md"),
        ("berlin", "02-berlin.md"),
    ]


def test_a_link_to_a_section_no_chapter_has_goes_to_the_chapter(project_factory):
    root = project_factory(
        {
            "Alpha.wiki": "See [[Beta#History|its history]] and [[Beta#Nowhere|nothing]].\n",
            "Beta.wiki": "'''Beta'''.\n\n== History ==\nOld.\n",
        }
    )
    project = load_project(root)
    book = convert_book(project, Diagnostics())
    markdown = book.assemble(project, "epub").markdown
    assert "[its history](#beta--history){.xref}" in markdown
    assert "[nothing](#beta){.xref}" in markdown
