"""The sample book's PDF, opened and read as a reader (and a screen reader) would."""

import contextlib
import re
import subprocess

import pikepdf
import pytest

from diaspora_book.assemble.manuscript import assemble
from diaspora_book.build import BuildRequest, build, convert_project
from diaspora_book.cli import main
from diaspora_book.model import Heading
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.project.config import load_project
from diaspora_book.read.plain_text import parse_file
from diaspora_book.render.html import to_html
from diaspora_book.render.pdf.layout import PrintJob
from diaspora_book.render.pdf.write import write_pdf

from .conftest import SAMPLES, sample_source_words
from .print_readers import (
    artifacts,
    first_lines,
    outline,
    pdfinfo,
    structure_tree,
    unreferenced_marked_content,
)
from .readers import (
    NS,
    RTL_LETTERS,
    epub_citations,
    epub_spine,
    epub_xml,
    missing_words,
    pdf_fonts,
    pdf_pages,
    pdf_text,
    without_citations,
)

BOOK_TITLE = "Kazakhstan's Diasporas"
ARTICLES = [parse_file(p, p.name)[0] for p in SAMPLES]
BOOK_ORDER = ["uyghurs-in-kazakhstan", "chinese-people-in-kazakhstan"]  # book.yml chapters
CHAPTERS = sorted(ARTICLES, key=lambda a: BOOK_ORDER.index(a.slug))


def pdf_of(report):
    return next(p for p in report.outputs if p.suffix == ".pdf")


def paragraphs(words: int, seed: str) -> str:
    """Plain English paragraphs, enough to fill pages (one paragraph per line)."""
    sentence = f"The {seed} archive keeps letters, photographs and recordings of families. "
    return "\n\n".join(sentence * (words // 10) for _ in range(6))


LONG_ARTICLE = (
    f"= Alpha =\n\n{paragraphs(120, 'alpha')}\n\n== Later years ==\n\n{paragraphs(120, 'later')}\n"
)


@pytest.fixture(scope="module")
def chapter_pages(sample_build):
    """The page each chapter opens on, from the bookmarks (a reader's way to find them)."""
    marks = outline(pdf_of(sample_build))
    top = [title for level, title, _ in marks if level == 1]
    # Contents, the chapters in book order, then the back matter.
    assert top == ["Contents", *(a.title for a in CHAPTERS), "Glossary", "References", "Index"]
    chapters = {a.title for a in CHAPTERS}
    return {title: page for level, title, page in marks if level == 1 and title in chapters}


def test_every_word_reaches_the_pdf(sample_build):
    # Citations sit between words and their punctuation: "census (Agency 2009)."
    epub = next(p for p in sample_build.outputs if p.suffix == ".epub")
    text = without_citations(pdf_text(pdf_of(sample_build)), epub_citations(epub))
    words = sample_source_words()
    assert len(words) > 2000
    assert missing_words(words, text) == []


def test_no_missing_glyphs(sample_build):
    fonts = pdf_fonts(pdf_of(sample_build))
    # Each font drew only characters its own glyph table has (no .notdef boxes) ...
    for font in fonts:
        assert font.drawn <= font.has, (font.name, sorted(font.drawn - font.has))
    # ... and between them the fonts drew every character of the articles.
    drawn = set().union(*(f.drawn for f in fonts))
    # Every character a reader gets: the articles' words (a fact box's template
    # residue is printed as rows, without its '|' and '=').
    source = set("".join(sample_source_words()))
    assert source - drawn == set()
    names = {f.name.split("+", 1)[1] for f in fonts}
    assert {"Noto-Naskh-Arabic", "Noto-Serif-CJK-SC", "Noto-Serif"} <= names


def test_every_script_of_the_book_has_glyphs(project_factory):
    # Kazakh Latin and Cyrillic letters, the Uyghur letters Arabic lacks, Han, Hangul.
    kazakh_latin = "Qazaqstan ä ğ ı ñ ö ū ü Ä Ğ İ Ñ Ö Ū Ü ş Ş"
    kazakh_cyrillic = "Қазақстан ә ғ қ ң ө ұ ү һ і Ә Ғ Қ Ң Ө Ұ Ү Һ І"
    uyghur = "ئۇيغۇر ئې ئى ۋ ڭ ھ ۆ ۈ ې ى"
    text = f"= Scripts =\n\n{kazakh_latin}\n\n{kazakh_cyrillic}\n\n{uyghur}\n\n哈萨克斯坦 한국어 조선말\n"
    root = project_factory({"scripts.txt": text}, "title: Scripts\n")
    report = build(load_project(root), BuildRequest(formats=("pdf",)))
    fonts = pdf_fonts(report.outputs[0])
    for font in fonts:
        assert font.drawn <= font.has, (font.name, sorted(font.drawn - font.has))
    drawn = set().union(*(f.drawn for f in fonts))
    assert set(text) - set(" \n=") - drawn == set()


def test_metadata_and_pages(sample_build):
    info = pdfinfo(pdf_of(sample_build))
    assert info["Title"] == BOOK_TITLE
    assert info["Author"] == "Wikipedia contributors"
    assert info["Subject"] == "Uyghur and Chinese communities in Kazakhstan"
    assert info["Page size"] == "595.276 x 841.89 pts (A4)"
    assert info["Tagged"] == "yes"
    assert info["Metadata Stream"] == "yes"


def test_dates_come_from_source_date_epoch(project_factory, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = project_factory({"alpha.txt": LONG_ARTICLE}, "title: Alpha Book\nlanguage: en-GB\n")
    report = build(load_project(root), BuildRequest(formats=("pdf",)))
    info = pdfinfo(report.outputs[0])
    assert info["CreationDate"] == info["ModDate"] == "Tue Nov 14 22:13:20 2023 UTC"
    with pikepdf.open(report.outputs[0]) as pdf:
        assert str(pdf.Root.Lang) == "en-GB"
        xmp = pdf.open_metadata()
        assert xmp["dc:title"] == "Alpha Book"
        assert xmp["dc:language"] == {"en-GB"}
        assert xmp["xmp:CreateDate"] == "2023-11-14T22:13:20Z"


def test_contents_page_numbers_are_where_chapters_start(sample_build, chapter_pages):
    pages = pdf_pages(pdf_of(sample_build))
    assert BOOK_TITLE in pages[0]
    contents = next(p for p in pages if p.startswith("Contents"))
    assert list(chapter_pages) == [a.title for a in CHAPTERS]
    for article in CHAPTERS:
        line = next(line for line in contents.splitlines() if line.startswith(article.title))
        page_number = int(line.rsplit(" ", 1)[-1].strip(". "))
        # The chapter really starts on the page the contents line names ...
        assert pages[page_number - 1].lstrip().startswith(article.title), (
            article.title,
            page_number,
        )
        # ... and its bookmark points there too.
        assert chapter_pages[article.title] == page_number


def test_chapters_open_on_odd_pages_with_no_running_head(sample_build, chapter_pages):
    pages = pdf_pages(pdf_of(sample_build))
    heads = artifacts(pdf_of(sample_build))
    for title, page in chapter_pages.items():
        assert page % 2 == 1, title
        assert first_lines(pages)[page - 1] == title
        assert heads[page - 1] == [str(page)]  # the folio only


def test_running_heads_carry_book_and_chapter_titles(sample_build, chapter_pages):
    pdf = pdf_of(sample_build)
    heads = artifacts(pdf)
    pages = pdf_pages(pdf)
    assert heads[:2] == [[], []]  # title and copyright pages: no head, no folio
    # Chapters and back-matter sections (Glossary, References, Index) open the same way.
    sections = {t: p for level, t, p in outline(pdf) if level == 1 and t != "Contents"}
    assert set(chapter_pages) <= set(sections)
    openings = sorted(sections.values())
    for number in range(openings[0], len(pages) + 1):
        chapter = next(t for t, p in reversed(sections.items()) if p <= number)
        if not pages[number - 1].strip():
            assert heads[number - 1] == [], number  # a blank verso before a chapter
        elif number in openings:
            assert heads[number - 1] == [str(number)]
        elif number % 2 == 0:
            assert heads[number - 1] == [BOOK_TITLE, str(number)], number
        else:
            assert heads[number - 1] == [chapter, str(number)], number
        if len(heads[number - 1]) == 2:  # the head is the first line a reader sees
            assert first_lines(pages)[number - 1] == heads[number - 1][0]


def test_inner_margin_is_wider_for_binding(sample_build, chapter_pages):
    def left_edge(page: int) -> float:
        bbox = subprocess.run(
            [
                "pdftotext",
                "-bbox",
                "-f",
                str(page),
                "-l",
                str(page),
                str(pdf_of(sample_build)),
                "-",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return min(float(x) for x in re.findall(r'<word xMin="([\d.]+)"', bbox))

    recto = chapter_pages["Uyghurs in Kazakhstan"]
    # On a recto the binding is on the left, on a verso on the right.
    assert left_edge(recto) - left_edge(recto + 1) == pytest.approx((32 - 24) * 72 / 25.4, abs=0.5)


def test_bookmarks_follow_the_headings(sample_build):
    marks = outline(pdf_of(sample_build))
    expected = [(1, "Contents")]
    for article in CHAPTERS:
        expected.append((1, article.title))
        expected += [(b.level, b.text) for b in article.blocks if isinstance(b, Heading)]
    expected += [(1, "Glossary"), (1, "References"), (1, "Index")]
    assert [(level, title) for level, title, _ in marks] == expected
    assert [page for *_, page in marks] == sorted(page for *_, page in marks)


def test_structure_tree_follows_headings_paragraphs_and_lists(sample_build):
    tree = structure_tree(pdf_of(sample_build))
    h1 = [e.text for e in tree if e.tag == "H1"]
    h2 = [e.text for e in tree if e.tag == "H2"]
    # The title page's title, then the sections the bookmarks list.
    assert h1 == [
        BOOK_TITLE,
        "Contents",
        *(a.title for a in CHAPTERS),
        "Glossary",
        "References",
        "Index",
    ]
    assert h2 == [b.text for a in CHAPTERS for b in a.blocks if isinstance(b, Heading)]
    tags = {e.tag for e in tree}
    assert {"Document", "Sect", "P", "L", "LI", "LBody", "Link"} <= tags
    first_paragraph = next(e for e in tree if e.tag == "P" and "fifth-largest" in e.text)
    assert first_paragraph.text.startswith("Uyghurs in Kazakhstan (Qazaqstandağy ūiğyrlar)")


def test_foreign_runs_carry_their_language_in_the_structure_tree(sample_build):
    tree = structure_tree(pdf_of(sample_build))
    source = "".join(p.read_text(encoding="utf-8") for p in SAMPLES)
    uyghur = [e for e in tree if e.lang == "ug"]
    chinese = [e for e in tree if e.lang == "zh"]
    # The chapter's runs come first; the Glossary adds terms in their own script.
    assert {e.tag for e in uyghur} == {"Span"} and [e.tag for e in chinese] == ["Span"]
    # Right-to-left text is stored in visual order: compare the letters, not their order.
    assert sorted(uyghur[0].text.replace(" ", "")) == sorted("قازاقىستانلىقئۇيغۇرلار")
    assert chinese[0].text == "哈萨克斯坦华侨报"
    # Every piece of Arabic-script or Han text is read in its own language.
    for element in tree:
        if element.leaf and RTL_LETTERS.search(element.text):
            assert element.language == "ug", element
        if element.leaf and re.search(r"[\u4e00-\u9fff]", element.text):
            assert element.language == "zh", element
        if element.leaf and re.fullmatch(r"[A-Za-z ,.]+", element.text):
            # English, unless marked as a term in a Latin-script language (ug-Latn).
            assert element.language == "en" or element.language.endswith("-Latn"), element
    assert RTL_LETTERS.search(source) and re.search(r"[\u4e00-\u9fff]", source)


def test_running_heads_and_folios_are_artifacts_not_content(sample_build):
    pdf = pdf_of(sample_build)
    assert unreferenced_marked_content(pdf) == []
    tree_text = " ".join(e.text for e in structure_tree(pdf) if e.tag in ("P", "H1", "H2"))
    assert f"{BOOK_TITLE} 6" not in tree_text
    result = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hyphenation_follows_the_language(sample_build):
    pages = pdf_pages(pdf_of(sample_build))
    body = "\n".join(pages[4:])
    hyphenated = re.findall(r"(\w+)\u2010\n", body)
    assert len(hyphenated) > 10  # English words are hyphenated at line ends ...
    heads = "\n".join(pages[:3])
    assert "\u2010" not in heads  # ... but not in the title, copyright and contents pages


@pytest.mark.parametrize(
    ("page_size", "shown"),
    [
        ("A5", "419.528 x 595.276 pts"),
        ("Letter", "612 x 792 pts (letter)"),
        ("6in 9in", "432 x 648 pts"),
    ],
)
def test_page_size_comes_from_book_yml(project_factory, page_size, shown):
    root = project_factory({"alpha.txt": LONG_ARTICLE}, f"title: Sizes\npage_size: {page_size}\n")
    report = build(load_project(root), BuildRequest(formats=("pdf",)))
    info = pdfinfo(report.outputs[0])
    assert info["Page size"] == shown
    pages = pdf_pages(report.outputs[0])
    assert pages[4].lstrip().startswith("Alpha")  # title, copyright, contents, blank, chapter


def test_write_pdf_reports_pages_and_where_each_id_starts(project_factory):
    root = project_factory(
        {"alpha.txt": LONG_ARTICLE, "beta.txt": "= Beta =\n\nShort.\n\n== Coda ==\n\nEnd.\n"}
    )
    project = load_project(root)
    chapters = convert_project(project, Diagnostics())
    manuscript = assemble(project, chapters, "pdf")
    target = root / "book.pdf"
    rendered = write_pdf(PrintJob(project, manuscript), target, Diagnostics()).pagination
    pages = pdf_pages(target)
    assert set(rendered.anchor_pages) == set(re.findall(r'id="([^"]+)"', to_html(manuscript)))
    assert rendered.page_count == len(pages) == int(pdfinfo(target)["Pages"])
    anchors = rendered.anchor_pages
    assert anchors["contents"] == 3
    assert pages[anchors["alpha"] - 1].lstrip().startswith("Alpha")
    assert pages[anchors["beta"] - 1].lstrip().startswith("Beta")
    assert "Later years" in pages[anchors["alpha--later-years"] - 1]
    assert (
        anchors["alpha"] < anchors["alpha--later-years"] < anchors["beta"] <= anchors["beta--coda"]
    )


def _contents_page(pdf, tmp_path, name):
    """The contents page (page 3): its text objects and its picture at 100 dpi."""
    from PIL import Image

    with pikepdf.open(pdf) as opened:
        operators = pikepdf.parse_content_stream(opened.pages[2])
        texts = sum(1 for _, operator in operators if str(operator) == "BT")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "100",
            "-f",
            "3",
            "-l",
            "3",
            "-singlefile",
            pdf,
            tmp_path / name,
        ],
        check=True,
    )
    return texts, Image.open(tmp_path / f"{name}.png").convert("L")


def test_a_leader_is_one_run_of_text_with_its_dots_where_weasyprint_puts_them(
    project_factory, tmp_path, monkeypatch
):
    """`hooks.whole_leaders`: a contents entry's dotted leader is one text object,
    not one per dot, and every dot is where WeasyPrint's own leader puts it."""
    from PIL import ImageChops

    from diaspora_book.render.pdf import layout

    titles = ["Alpha", "Beta gamma", "A rather longer title of a chapter", "Delta"]
    root = project_factory(
        {f"a{i}.txt": f"= {title} =\n\nShort.\n" for i, title in enumerate(titles)}
    )
    project = load_project(root)
    manuscript = assemble(project, convert_project(project, Diagnostics()), "pdf")
    write_pdf(PrintJob(project, manuscript), root / "one-run.pdf", Diagnostics())
    monkeypatch.setattr(layout, "whole_leaders", contextlib.nullcontext)
    write_pdf(PrintJob(project, manuscript), root / "per-dot.pdf", Diagnostics())

    runs, merged = _contents_page(root / "one-run.pdf", tmp_path, "one-run")
    boxes, own = _contents_page(root / "per-dot.pdf", tmp_path, "per-dot")
    assert boxes > 4 * 30  # WeasyPrint's own: a text object per dot
    assert runs < 20  # the heading, each title, leader and page number
    # The same picture, but for a dot's edge a hundredth of a point away (a dot
    # missing or moved by a tenth of its width differs by more than 150 of 255).
    assert ImageChops.difference(merged, own).getextrema()[1] < 100


def test_each_layout_in_a_process_reports_what_weasyprint_ignored(project_factory):
    """A process parses the same stylesheets once (`layout._PARSED`); the warnings
    WeasyPrint logged as it parsed them are reported by every layout that uses them
    (a `watch` rebuild, a library caller's second build), not by the first alone."""
    root = project_factory({"alpha.txt": "= Alpha =\n\nShort.\n"})
    (root / "styles").mkdir(exist_ok=True)
    (root / "styles" / "print.css").write_text("p { frobnicate: 1 }\n", encoding="utf-8")
    project = load_project(root)
    manuscript = assemble(project, convert_project(project, Diagnostics()), "pdf")
    reported = []
    for _ in range(2):  # laid out in this process both times: no press, no workers
        found = Diagnostics()
        write_pdf(PrintJob(project, manuscript), root / "book.pdf", found)
        reported.append([d.message for d in found if "frobnicate" in d.message])
    assert reported[0] and reported[0] == reported[1]


def test_print_edition_has_bleed_and_crop_marks(project_factory, tmp_path):
    root = project_factory({"alpha.txt": LONG_ARTICLE}, "title: Press\n")
    assert main(["build", "--print", "--format", "pdf", "--project", str(root)]) == 0
    press = root / "dist" / "press.pdf"
    plain = build(
        load_project(root), BuildRequest(formats=("pdf",), out_dir=tmp_path / "plain")
    ).outputs[0]
    mm = 72 / 25.4
    with pikepdf.open(press) as pdf:
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            media = [float(v) for v in page.obj.MediaBox]
            assert trim == pytest.approx([0, 0, 595.276, 841.89], abs=0.01)  # A4, the trimmed page
            assert bleed == pytest.approx(
                [-3 * mm, -3 * mm, 595.276 + 3 * mm, 841.89 + 3 * mm], abs=0.01
            )
            assert media[0] < bleed[0] and media[2] > bleed[2]  # room for the marks
    # Crop marks: ink in the corner outside the bleed of the print edition only.
    assert _corner_ink(press) > 0
    assert _corner_ink(plain) == 0
    assert pdfinfo(plain)["Page size"] == "595.276 x 841.89 pts (A4)"
    assert pdf_text(press) == pdf_text(plain)


def _corner_ink(path) -> int:
    """Count dark pixels in the top-left 40 pt square of page 1 (the marks area; else margin)."""
    ppm = subprocess.run(
        [
            "pdftoppm",
            "-r",
            "72",
            "-gray",
            "-f",
            "1",
            "-l",
            "1",
            "-x",
            "0",
            "-y",
            "0",
            "-W",
            "40",
            "-H",
            "40",
            str(path),
        ],
        check=True,
        capture_output=True,
    ).stdout
    header_end = ppm.index(b"255\n") + 4
    return sum(1 for value in ppm[header_end:] if value < 250)  # hairlines come out grey


def test_unknown_weasyprint_tagging_is_reported_not_hidden(project_factory, monkeypatch):
    import weasyprint.pdf
    from weasyprint.pdf import tags

    # As if a WeasyPrint release had rewritten its tagging.
    monkeypatch.delattr(tags, "_build_box_tree")
    monkeypatch.setattr(weasyprint.pdf, "add_tags", lambda *args: None)
    root = project_factory({"alpha.txt": "= Alpha =\n\nقازاق\n"})
    report = build(load_project(root), BuildRequest(formats=("pdf",)))
    messages = [str(d) for d in report.diagnostics]
    assert messages == [
        f"warning: WeasyPrint {weasyprint.__version__} is not known to diaspora-book: "
        "the PDF's structure tree is as WeasyPrint writes it (foreign-language runs "
        "carry no /Lang, and a screen reader reads the contents' leaders)"
    ]


def _body_baselines(path, page_number: int, size_pt: float) -> list[float]:
    """Return the baselines (pt from the top) of the text set at `size_pt` on a page."""
    with pikepdf.open(path) as pdf:
        page = pdf.pages[page_number - 1]
        size, baselines = None, set()
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "Tf":
                size = float(operands[1]) * 0.75  # WeasyPrint draws in CSS px
            elif str(operator) == "Tm" and size is not None and abs(size - size_pt) < 0.01:
                baselines.add(round(float(operands[5]) * 0.75, 2))
    return sorted(baselines)


def test_lines_with_arabic_or_chinese_runs_keep_the_line_grid(project_factory):
    """Noto Naskh Arabic reaches further below the baseline than Noto Serif: a line
    with a Uyghur run was 17.8 pt below the one before, where others are 15.95 pt."""
    sentence = "The archive keeps letters and recordings of families in Almaty. "
    text = (
        sentence * 4
        + "The poet wrote قازاقىستانلىق ئۇيغۇرلار in the margin. "
        + sentence * 4
        + "The newspaper 哈萨克斯坦华侨报 printed it. "
        + sentence * 4
    )
    root = project_factory({"alpha.txt": f"= Alpha =\n\n{text}\n"}, "title: Grid\n")
    report = build(load_project(root), BuildRequest(formats=("pdf",)))
    pdf = report.outputs[0]
    chapter = next(n for n, page in enumerate(pdf_pages(pdf), start=1) if "poet" in page)
    baselines = _body_baselines(pdf, chapter, 11.0)
    # The paragraph's lines: the baselines before the first gap of a few lines.
    steps = [round(b - a, 2) for a, b in zip(baselines, baselines[1:], strict=False)]
    lines = steps[: next((i for i, step in enumerate(steps) if step > 40), len(steps))]
    assert len(lines) > 8
    assert set(lines) == {round(11 * 1.45, 2)}


def test_template_residue_in_a_fact_box_is_a_row_of_its_own(project_factory, capsys):
    """ "Almaty | related-c = Overseas Chinese" printed as it was; now the residue is a
    row with its key as written, in both outputs, and `check` still warns."""
    text = "= Chinese =\n\nInfobox\n- Popplace: Almaty | related-c = Overseas Chinese\n\nText.\n"
    root = project_factory({"chinese.txt": text}, "title: Rows\n")
    report = build(load_project(root))
    pdf, epub = report.outputs
    page = next(p for p in pdf_pages(pdf) if "Popplace" in p)
    rows = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
    assert "Popplace Almaty" in rows and "related-c Overseas Chinese" in rows
    assert "|" not in page
    factbox = next(
        dl
        for name in epub_spine(epub)
        for dl in epub_xml(epub, name).iterfind(".//h:div[@class='factbox']/h:dl", NS)
    )
    assert [" ".join(e.itertext()).strip() for e in factbox] == [
        "Popplace",
        "Almaty",
        "related-c",
        "Overseas Chinese",
    ]
    assert main(["check", "--project", str(root)]) == 1
    assert capsys.readouterr().err == (
        "articles/chinese.txt:4:20: warning: '| related-c =' looks like a leftover template "
        "parameter [template-parameter]\n"
    )
