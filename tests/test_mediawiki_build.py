"""MediaWiki articles built for real: what a reader gets in the PDF and the EPUB."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from diaspora_book.build import build
from diaspora_book.project.config import load_project

from .checkers import epubcheck_messages, run_epubcheck
from .conftest import make_project
from .readers import epub_documents, epub_text, pdf_fonts, pdf_page_texts, pdf_text

FIXTURES = Path(__file__).parent / "fixtures" / "mediawiki"
MARKUP = ("'''", "[[", "]]", "{{", "}}", "<ref", "{|", "|}")


def _images(root: Path) -> None:
    (root / "media").mkdir()
    image = Image.new("RGB", (320, 200), (90, 140, 180))
    image.save(root / "media" / "Dungan_mosque_Karakol.jpg")
    Image.new("RGB", (200, 160), (220, 200, 120)).save(root / "media" / "Ashlyanfu.png")


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    """An English book: a long .wiki article and a two-page export that link to each other."""
    root = make_project(tmp_path_factory.mktemp("mw") / "en", {}, "title: Dungans\n")
    for name in ("Dungans_in_Kyrgyzstan.wiki", "export.xml"):
        shutil.copy(FIXTURES / name, root / "articles" / name)
    _images(root)
    return root, build(load_project(root))


@pytest.fixture(scope="module")
def german(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("mw") / "de", {}, "title: Dunganen\nlanguage: de\n")
    shutil.copy(FIXTURES / "Dunganen.wiki", root / "articles" / "Dunganen.wiki")
    _images(root)
    return root, build(load_project(root))


@pytest.fixture(scope="module")
def pandoc_test(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("mw") / "pandoc", {}, "title: Reader test\n")
    shutil.copy(FIXTURES / "pandoc-reader.wiki", root / "articles" / "Pandoc_reader.wiki")
    return root, build(load_project(root))


def _outputs(report):
    pdf = next(p for p in report.outputs if p.suffix == ".pdf")
    epub = next(p for p in report.outputs if p.suffix == ".epub")
    return pdf, epub


def _chapter(epub: Path, slug: str) -> str:
    docs = epub_documents(epub)
    return next(text for name, text in docs.items() if f'id="{slug}"' in text)


def _pandoc_body_words(path: Path) -> list[str]:
    """Words pandoc's own mediawiki reader reads as body text (not notes, math, templates).

    A figure whose caption is only its file name (`[[File:example.jpg]]`) has a
    caption pandoc makes up, not text of the article, and is left out.
    """
    import pypandoc

    ast = json.loads(pypandoc.convert_file(str(path), "json", format="mediawiki"))
    words: list[str] = []

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
            return
        if not isinstance(node, dict):
            return
        kind = node.get("t")
        if kind in ("Note", "Math", "RawInline", "RawBlock"):
            return
        if kind == "Figure" and _made_up_caption(node):
            return
        if kind == "Str":
            words.extend(re.findall(r"\w+", node["c"]))
        elif kind in ("Code", "CodeBlock"):
            words.extend(re.findall(r"\w+", node["c"][1]))
        for value in node.values():
            walk(value)

    walk(ast["blocks"])
    return list(dict.fromkeys(words))


def _made_up_caption(figure: dict) -> bool:
    """Tell whether a figure's caption is only its file name (`[[File:example.jpg]]`)."""
    caption = [i for block in figure["c"][1][1] for i in block["c"]]
    images = [i for block in figure["c"][2] for i in block["c"] if i["t"] == "Image"]
    text = "".join(i["c"] if i["t"] == "Str" else " " for i in caption)
    return bool(images) and text == images[0]["c"][2][0]


def test_pandocs_reader_test_builds_with_every_body_word_and_no_markup(pandoc_test):
    root, report = pandoc_test
    pdf, epub = _outputs(report)
    words = _pandoc_body_words(root / "articles" / "Pandoc_reader.wiki")
    assert len(words) > 150
    pdf_words, epub_words = pdf_text(pdf), epub_text(epub)
    assert [w for w in words if w not in pdf_words] == []
    assert [w for w in words if w not in epub_words] == []
    for text in (pdf_words, epub_words):
        assert [m for m in MARKUP if m in text] == []


@pytest.mark.slow
def test_long_articles_build_valid_epubs(english, german, pandoc_test, tmp_path):
    for _, report in (english, german, pandoc_test):
        _, epub = _outputs(report)
        out = tmp_path / epub.stem
        out.mkdir()
        assert epubcheck_messages(run_epubcheck(epub, out)) == []


def test_language_templates_are_language_spans_with_direction(english):
    _, report = english
    _, epub = _outputs(report)
    chapter = _chapter(epub, "dungans-in-kyrgyzstan")
    assert 'lang="dng"' in chapter and 'xml:lang="dng"' in chapter
    assert re.search(r'<span lang="zh-Hant" xml:lang="zh-Hant">東干族</span>', chapter)
    assert re.search(r'lang="ug"[^>]*dir="rtl"[^>]*>دۇڭگان<', chapter)
    assert 'lang="dng-Latn"' in chapter  # {{transl|dng|...}}


def test_tables_are_real_tables_with_header_cells_and_spans(english):
    _, report = english
    pdf, epub = _outputs(report)
    chapter = _chapter(epub, "dungans-in-kyrgyzstan")
    table = re.search(r"<table.*?</table>", chapter, re.S).group(0)
    assert "<caption>" in table and "Dungans in censuses of Kyrgyzstan" in table
    assert re.search(r'<th[^>]*rowspan="2"[^>]*>\s*Year', table)
    assert re.search(r'<th[^>]*colspan="2"[^>]*>\s*Population', table)
    assert "<td>58,409</td>" in table.replace("\n", "")
    assert "2009 58,409 1.1%" in pdf_text(pdf)


def test_figures_from_media_and_missing_ones_as_captions(english):
    root, report = english
    pdf, epub = _outputs(report)
    with zipfile.ZipFile(epub) as archive:
        images = [n for n in archive.namelist() if n.startswith("EPUB/media/file")]
    assert len(images) == 2  # the mosque (shown twice: thumb and gallery) and the ashlyanfu
    chapter = _chapter(epub, "dungans-in-kyrgyzstan")
    assert chapter.count("<figure") == 3
    assert re.search(r"<figcaption[^>]*>A bowl of <em>ashlyanfu</em></figcaption>", chapter)
    assert 'alt="A bowl of ashlyanfu"' in chapter
    text = pdf_text(pdf)
    assert "A photograph nobody added" in text  # its file is missing: the caption stays
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True)
    drawn = [line.split()[3:5] for line in listed.stdout.splitlines()[2:]]
    assert drawn == [["320", "200"], ["320", "200"], ["200", "160"]]
    assert [str(d) for d in report.diagnostics if "media/" in d.message] == [
        "articles/Dungans_in_Kyrgyzstan.wiki:73: warning: image 'Not uploaded.jpg' is not in "
        "media/; its caption is printed as text (add media/Not_uploaded.jpg to show the figure) "
        "[missing-media]"
    ]


def test_math_is_mathml_in_the_epub_and_a_drawing_in_the_pdf(english):
    _, report = english
    pdf, epub = _outputs(report)
    chapter = _chapter(epub, "dungans-in-kyrgyzstan")
    assert chapter.count("<math") == 3
    assert 'display="block"' in chapter
    text = pdf_text(pdf)
    assert "\\frac" not in text and "f_0" not in text and "\ufffc" not in text
    assert "of time (Li 2016)." in text and "where" in text


def test_external_links_print_their_url_and_link_in_the_epub(english):
    _, report = english
    pdf, epub = _outputs(report)
    assert "Dungan Association of Kyrgyzstan (https://example.org/dungan)" in pdf_text(pdf)
    chapter = _chapter(epub, "dungans-in-kyrgyzstan")
    assert re.search(r'<a href="https://example.org/dungan"[^>]*>Dungan Association', chapter)


def test_links_between_articles_are_cross_references_in_both_formats(english):
    _, report = english
    pdf, epub = _outputs(report)
    docs = epub_documents(epub)
    kazakhstan = _chapter(epub, "dungans-in-kazakhstan")
    link = re.search(r'<a href="([^"]+)"[^>]*>the Hui migration</a>', kazakhstan)
    assert link is not None
    target_file, _, anchor = link.group(1).partition("#")
    assert anchor == "hui-people--migration-to-central-asia"
    assert f'id="{anchor}"' in docs["EPUB/text/" + target_file]
    page = next(i for i, t in enumerate(pdf_page_texts(pdf)) if "the Hui migration" in t)
    with pikepdf.open(pdf) as document:
        internal = [
            annotation
            for annotation in document.pages[page].get("/Annots", [])
            if annotation.get("/Subtype") == "/Link" and "/URI" not in annotation.get("/A", {})
        ]
    assert internal  # the cross-reference is a link in the print edition too
    assert "Hui people" in pdf_text(pdf)


def test_the_german_article_reads_its_templates(german):
    _, report = german
    pdf, epub = _outputs(report)
    text = pdf_text(pdf)
    assert "Hauptartikel: Dunganenaufstand" in text
    assert "3500 m (11.483 ft)" in text  # German digit grouping
    assert "zusammen etwa 148.000" in text
    chapter = _chapter(epub, "dunganen")
    assert 'lang="zh-Hant"' in chapter and "回族" in chapter
    assert re.search(r'<td[^>]*colspan="2"', chapter)
    assert [m for m in MARKUP if m in text] == []


HOSTILE = """Text <script>alert("pwned")</script> and <img src=x onerror="alert(1)"> end.
{{#invoke:String|sub|abc}} <ref name="a">loop <ref name="a"/></ref> <iframe src="http://example.com"></iframe>
<span onclick="alert(1)" style="color:red">styled</span> [javascript:alert(1) click]
{{lang|"><script>alert(1)</script>|x}} [[File:../../etc/passwd|cap]]

{|
| open table || never closed
"""


def test_hostile_wikitext_builds_cleanly_as_text(project_factory):
    root = project_factory({"Hostile.wiki": HOSTILE, "Deep.wiki": "{{a|" * 300 + "x" + "}}" * 300})
    report = build(load_project(root))
    pdf, epub = _outputs(report)
    docs = "".join(epub_documents(epub).values())
    for live in ("<script", "onerror", "onclick", "<iframe", 'href="javascript:', "etc/passwd"):
        assert live not in docs
    text = pdf_text(pdf)
    assert "open table never closed" in text and "styled" in text and "click" in text
    messages = [str(d) for d in report.diagnostics]
    assert (
        "articles/Hostile.wiki:1:6: warning: <script> is not allowed in an article; "
        "dropped with its content" in messages
    )
    assert (
        "articles/Hostile.wiki:2: warning: {{#invoke:...}} runs a wiki's Lua module; "
        "dropped" in messages
    )
    assert (
        "articles/Hostile.wiki:6: warning: table is never closed with '|}'; closed at the "
        "end" in messages
    )


def test_too_deep_and_too_large_articles_are_one_clear_error(project_factory, capsys):
    from diaspora_book.cli import main

    root = project_factory(
        {
            "Deep.wiki": "{{a|" * 5000 + "x" + "}}" * 5000,
            "Huge.wiki": "Lorem ipsum dolor sit amet. " * 80_000,
        }
    )
    assert main(["--project", str(root), "check"]) == 1
    err = capsys.readouterr().err
    assert (
        "articles/Deep.wiki:1: error: templates nested more than 2000 deep; this is not an "
        "article (remove the nested templates)" in err
    )
    assert (
        "articles/Huge.wiki:1: error: the article is 2.1 MB of wikitext, more than the 1 MB "
        "a chapter may be (split it into several articles)" in err
    )
    assert "Traceback" not in err


def test_check_lists_each_unknown_template_once_for_the_book(project_factory, capsys):
    from diaspora_book.cli import main

    root = project_factory(
        {
            "A.wiki": "One {{Foo|x}} two {{foo}}.\n\nThree {{Bar}}.",
            "B.wiki": "Four\n{{foo|y}}.",
            "C.txt": "= C =\n\nPlain text.",
        },
        "templates:\n  bar: text\n",
    )
    assert main(["--project", str(root), "--quiet", "convert"]) == 0
    capsys.readouterr()
    assert main(["--project", str(root), "check"]) == 1  # check fails on any finding
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "template" in line]
    assert lines == [
        "articles/A.wiki:1:5: warning: template {{foo}} is not interpreted (3 uses); dropped "
        "(map it in book.yml 'templates:' (drop, text or a format)) [unknown-template]"
    ]


def test_references_list_each_distinct_source_once_and_the_text_cites_them(english):
    _, report = english
    pdf, epub = _outputs(report)
    docs = epub_documents(epub)
    references = next(t for t in docs.values() if 'id="ref-' in t)
    entries = re.findall(r'<div id="ref-([^"]+)"', references)
    # 16 <ref>s and templates in the article cite 13 distinct works (two named reuses,
    # the same book twice with other pages).
    assert len(entries) == len(set(entries)) == 13
    text = pdf_text(pdf)
    assert "in the winter of 1877–1878 (Rimsky-Korsakoff Dyer 1979, 12)." in text
    assert "(Jiang 2011, 45)" in text and "(Jiang 2011, 61)" in text
    assert "Contributors: Ma Lin, 192.0.2.7" in text
    assert "revision 1202222222 of March 5, 2024" in text


def test_markup_seeds_glossary_and_index_suggestions(project_factory):
    from diaspora_book.annotate.candidates import find_candidates
    from diaspora_book.annotate.index import proper_nouns
    from diaspora_book.book import read_articles
    from diaspora_book.plumbing.errors import Diagnostics

    root = project_factory(
        {
            "Uyghurs.wiki": "The earliest, the ''yärlik'', came first; others say "
            "{{lang|ug|يەرلىك}}. ''Very'' early. See [[Almaty Region|the region]] and "
            "[[Ghulja Incident]].",
        }
    )
    articles = read_articles(load_project(root), Diagnostics())
    terms = [c.term for c in find_candidates(articles)]
    assert "yärlik" in terms and "يەرلىك" in terms
    assert "Very" not in terms and "very" not in terms
    seeds = [s.term for s in proper_nouns(articles, set())]
    assert seeds[:2] == ["Almaty Region", "Ghulja Incident"]
    text = (root / "articles" / "Uyghurs.wiki").read_text(encoding="utf-8")
    assert proper_nouns(articles, set())[0].span.column == text.index("the region") + 1


def test_glossary_and_index_terms_are_marked_inside_styled_and_linked_text(project_factory):
    root = project_factory(
        {
            "Uyghurs.wiki": "The earliest, the ''yärlik'' (\"locals\"), came to [[Almaty]] first. "
            "Later the '''yärlik''' and [[Almaty|the city of Almaty]] grew.\n\n"
            "{|\n! Term !! Note\n|-\n| yärlik || in Almaty\n|}\n",
        }
    )
    (root / "glossary.yml").write_text(
        "- term: yärlik\n  gloss: locals\n  definition: Uyghurs long settled.\n"
        "  language: ug-Latn\n",
        encoding="utf-8",
    )
    (root / "index.yml").write_text("- term: Almaty\n  kind: place\n", encoding="utf-8")
    report = build(load_project(root))
    chapter = (root / "chapters" / "01-uyghurs.md").read_text(encoding="utf-8")
    assert "*[yärlik](#glossary-yarlik){#uyghurs--yarlik-1 .glossref lang=ug-Latn}*" in chapter
    assert "**[yärlik](#glossary-yarlik){#uyghurs--yarlik-2 .glossref lang=ug-Latn}**" in chapter
    assert "the city of [Almaty]{#uyghurs--almaty-2 .indexed}" in chapter
    assert chapter.count(".glossref") == 3 and chapter.count(".indexed") == 3
    assert [str(d) for d in report.diagnostics if "anchor" in d.message] == []
    pdf, _ = _outputs(report)
    index = pdf_text(pdf).split("Index")[-1]
    assert "Almaty" in index and "yärlik" in index


def test_no_missing_glyphs_in_the_wiki_books(english, german):
    for _, report in (english, german):
        pdf, _ = _outputs(report)
        for font in pdf_fonts(pdf):
            assert font.drawn <= font.has, (font.name, sorted(font.drawn - font.has))
