"""The sample book's EPUB: validity, accessibility, structure, cover, fonts and language."""

import io
import re
import zipfile

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from .checkers import ace_violations, epubcheck_messages, run_ace, run_epubcheck
from .conftest import sample_source_words
from .readers import (
    EPUB_TYPE,
    NS,
    XML_LANG,
    epub_citations,
    epub_documents,
    epub_nav_links,
    epub_spine,
    epub_text,
    epub_xml,
    missing_words,
    without_citations,
)


def epub_of(report):
    return next(p for p in report.outputs if p.suffix == ".epub")


@pytest.fixture(scope="session")
def epubcheck_report(sample_build, tmp_path_factory):
    """Run EPUBCheck once per session on the shared build."""
    return run_epubcheck(epub_of(sample_build), tmp_path_factory.mktemp("epubcheck"))


@pytest.fixture(scope="session")
def ace_report(sample_build, tmp_path_factory):
    """Run Ace by DAISY once per session on the shared build."""
    return run_ace(epub_of(sample_build), tmp_path_factory.mktemp("ace"))


def test_epubcheck_has_no_errors_or_warnings(epubcheck_report):
    checker = epubcheck_report["checker"]
    counts = (checker["nFatal"], checker["nError"], checker["nWarning"])
    assert counts == (0, 0, 0), epubcheck_messages(epubcheck_report)


def test_the_kept_epubcheck_finds_an_error_and_forgets_it(sample_build, tmp_path):
    """EPUBCheck runs in one JVM per test process: it must still report what it finds,
    and a valid EPUB checked after a broken one must come out clean."""
    epub = epub_of(sample_build)
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(epub) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith("nav.xhtml"):
                data = data.replace(b"</body>", b"<blink>x</blink></body>", 1)
            target.writestr(item, data)
    found = epubcheck_messages(run_epubcheck(broken, tmp_path))
    assert [(m[0], m[1]) for m in found] == [("RSC-005", "ERROR")]
    assert 'element "blink" not allowed' in found[0][2]
    assert epubcheck_messages(run_epubcheck(epub, tmp_path)) == []


def test_ace_finds_no_violations(ace_report):
    assert ace_violations(ace_report) == []
    assert ace_report["earl:result"]["earl:outcome"] == "pass"


def test_every_word_reaches_the_epub(sample_build):
    epub = epub_of(sample_build)
    text = without_citations(epub_text(epub), epub_citations(epub))
    assert missing_words(sample_source_words(), text) == []


def test_language_tags(sample_build):
    docs = epub_documents(epub_of(sample_build))
    opf = next(v for k, v in docs.items() if k.endswith(".opf"))
    assert "<dc:language>en</dc:language>" in opf
    chapters = " ".join(v for k, v in docs.items() if k.endswith(".xhtml"))
    assert re.search(r'<span lang="ug" dir="rtl"[^>]*>قازاقىستانلىق ئۇيغۇرلار</span>', chapters)
    assert re.search(r'<span lang="zh"[^>]*>哈萨克斯坦华侨报</span>', chapters)
    for name, doc in docs.items():
        if name.endswith(".xhtml"):
            assert 'xml:lang="en"' in doc, name


def pdf_page_count(report) -> int:
    pdf = next(p for p in report.outputs if p.suffix == ".pdf")
    with pikepdf.open(pdf) as document:
        return len(document.pages)


def test_foreign_runs_carry_xml_lang_too(sample_build):
    epub = epub_of(sample_build)
    tagged = [
        (el.get("lang"), el.get(XML_LANG), el.get("dir"))
        for name in epub_spine(epub)
        for el in epub_xml(epub, name).iterfind(".//h:span[@lang]", NS)
    ]
    assert {("ug", "ug", "rtl"), ("zh", "zh", None)} <= set(tagged)
    assert all(lang == xml_lang for lang, xml_lang, _ in tagged)


def test_book_stylesheet_replaces_pandocs(sample_build):
    css = epub_documents(epub_of(sample_build))["EPUB/styles/stylesheet1.css"]
    assert "diaspora-book: the base layer" in css
    assert "diaspora-book: the e-book layer" in css


def test_accessibility_metadata(sample_build):
    opf = epub_xml(epub_of(sample_build), "EPUB/content.opf")

    def values(prop):
        return [m.text for m in opf.iterfind(f"opf:metadata/opf:meta[@property='{prop}']", NS)]

    assert values("schema:accessMode") == ["textual", "visual"]
    assert values("schema:accessModeSufficient") == ["textual"]
    assert set(values("schema:accessibilityFeature")) == {
        "ARIA",
        "alternativeText",
        "displayTransformability",
        "pageBreakMarkers",
        "pageNavigation",
        "printPageNumbers",
        "readingOrder",
        "structuralNavigation",
        "tableOfContents",
    }
    assert values("schema:accessibilityHazard") == ["none"]
    [summary] = values("schema:accessibilitySummary")
    assert f"page numbers of the print edition ({pdf_page_count(sample_build)} pages)" in summary
    # The languages by name (CLDR), once each: kk and kk-Latn are one language.
    assert "marked with their language (Kazakh, Uyghur, Chinese)." in summary
    assert values("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    [modified] = values("dcterms:modified")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", modified) and modified[:4] > "1970"


def test_print_source_is_named(sample_build):
    opf = epub_xml(epub_of(sample_build), "EPUB/content.opf")
    source = opf.find("opf:metadata/dc:source", NS)
    pages = pdf_page_count(sample_build)
    assert re.fullmatch(
        rf"Kazakhstan's Diasporas, print edition \(PDF, A4, \d{{4}}-\d\d-\d\d\), {pages} pages",
        source.text,
    )
    refinement = opf.find(f"opf:metadata/opf:meta[@refines='#{source.get('id')}']", NS)
    assert (refinement.get("property"), refinement.text) == ("source-of", "pagination")


def test_landmarks(sample_build):
    assert epub_nav_links(epub_of(sample_build), "landmarks") == [
        ("cover", "text/cover.xhtml#cover", "Cover"),
        ("titlepage", "text/title_page.xhtml", "Title Page"),
        ("toc", "nav.xhtml#toc", "Table of Contents"),
        ("bodymatter", "text/ch002.xhtml", "Start of Content"),
        ("glossary", "text/ch004.xhtml#glossary", "Glossary"),
        ("bibliography", "text/ch005.xhtml#references", "Bibliography"),
        ("index", "text/ch006.xhtml#index", "Index"),
    ]


def test_reading_order_follows_the_print_edition(sample_build):
    epub = epub_of(sample_build)
    titles = [
        epub_xml(epub, name).findtext("h:head/h:title", namespaces=NS) for name in epub_spine(epub)
    ]
    assert titles == [
        "Cover",
        "Kazakhstan's Diasporas",
        "Copyright",
        "Contents",
        "Uyghurs in Kazakhstan",
        "Chinese people in Kazakhstan",
        "Glossary",
        "References",
        "Index",
    ]


def test_chapters_are_typed_for_reading_systems_and_assistive_technology(sample_build):
    epub = epub_of(sample_build)
    titles = {chapter.title for chapter in sample_build.chapters}
    chapters = [
        name
        for name in epub_spine(epub)
        if epub_xml(epub, name).findtext("h:head/h:title", namespaces=NS) in titles
    ]
    assert len(chapters) == len(titles)
    for name in chapters:
        root = epub_xml(epub, name)
        assert root.find("h:body", NS).get(EPUB_TYPE) == "bodymatter"
        chapter = root.find("h:body/h:section", NS)
        assert (chapter.get(EPUB_TYPE), chapter.get("role")) == ("chapter", "doc-chapter")


def test_cover(sample_build):
    epub = epub_of(sample_build)
    opf = epub_xml(epub, "EPUB/content.opf")
    item = opf.find("opf:manifest/opf:item[@properties='cover-image']", NS)
    assert (item.get("href"), item.get("media-type")) == ("media/cover.png", "image/png")
    assert opf.find("opf:metadata/opf:meta[@name='cover']", NS).get("content") == item.get("id")
    assert epub_spine(epub)[0] == "EPUB/text/cover.xhtml"
    img = epub_xml(epub, "EPUB/text/cover.xhtml").find(".//h:img", NS)
    assert img.get("src") == "../media/cover.png"
    assert img.get("role") == "doc-cover"
    assert img.get("alt") == (
        "Cover: Kazakhstan's Diasporas. Uyghur and Chinese communities in Kazakhstan. "
        "Wikipedia contributors"
    )
    with zipfile.ZipFile(epub) as z:
        image = Image.open(io.BytesIO(z.read("EPUB/media/cover.png")))
    assert image.size == (1600, 2560)
    # Not a blank rectangle: the title is drawn in light ink on the dark ground.
    assert len(image.convert("L").getcolors(256)) > 10


def test_non_latin_fonts_are_embedded_and_subset(sample_build):
    epub = epub_of(sample_build)
    opf = epub_xml(epub, "EPUB/content.opf")
    fonts = {
        i.get("href"): i.get("media-type")
        for i in opf.iterfind("opf:manifest/opf:item", NS)
        if i.get("media-type").startswith("font/")
    }
    assert fonts == {
        "fonts/NotoNaskhArabic-Regular.ttf": "font/ttf",
        "fonts/NotoNaskhArabic-Bold.ttf": "font/ttf",  # the glossary's terms in Arabic script
        "fonts/NotoSerifCJKSC-Regular.otf": "font/otf",
    }
    css = epub_documents(epub)["EPUB/styles/stylesheet1.css"]
    runs = {
        "fonts/NotoNaskhArabic-Regular.ttf": "قازاقىستانلىق ئۇيغۇرلار",
        "fonts/NotoNaskhArabic-Bold.ttf": "",
        "fonts/NotoSerifCJKSC-Regular.otf": "哈萨克斯坦华侨报",
    }
    families = {
        "fonts/NotoNaskhArabic-Regular.ttf": "Noto Naskh Arabic",
        "fonts/NotoNaskhArabic-Bold.ttf": "Noto Naskh Arabic",
        "fonts/NotoSerifCJKSC-Regular.otf": "Noto Serif CJK SC",
    }
    book_text = set(epub_text(epub))
    with zipfile.ZipFile(epub) as z:
        for href in fonts:
            data = z.read("EPUB/" + href)
            font = TTFont(io.BytesIO(data))
            # Subset to characters the book uses, and all of its runs in that script ...
            kept = {chr(c) for c in font.getBestCmap()}
            assert set(runs[href]) <= kept <= book_text | {" "}, href
            assert len(data) < 20_000 and len(font.getGlyphOrder()) < 120, href
            # ... keeping the OFL licence that must travel with the font.
            assert "Open Font License" in font["name"].getDebugName(13)
            assert font["name"].getDebugName(1) == families[href]
            weight = 700 if "Bold" in href else 400
            assert (
                f'font-family: "{families[href]}";\n  font-weight: {weight};\n'
                f'  font-style: normal;\n  src: url("../{href}")'
            ) in css


def test_glossary_gloss_and_definition_do_not_run_together(sample_build):
    """Each is a paragraph of its own: read aloud, "newcomers" is not the start of a
    sentence "newcomers What the Uyghurs who came ...". The PDF's tree agrees."""
    epub = epub_of(sample_build)
    entry = next(
        dd
        for name in epub_spine(epub)
        for dd in epub_xml(epub, name).iterfind(".//h:dd", NS)
        if "".join(dd.itertext()).strip().startswith("newcomers")
    )
    assert entry.get(EPUB_TYPE) == "glossdef"
    paragraphs = [" ".join("".join(p.itertext()).split()) for p in entry.iterfind("h:p", NS)]
    assert paragraphs[:2] == [
        "newcomers",
        "What the Uyghurs who came to Kazakhstan in the migrations of the 1950s and 1960s "
        "call themselves.",
    ]
    assert paragraphs[2].startswith("Used in")
    from .print_readers import structure_tree

    pdf = next(p for p in sample_build.outputs if p.suffix == ".pdf")
    texts = [e.text for e in structure_tree(pdf) if e.tag == "P"]
    assert "newcomers" in texts
