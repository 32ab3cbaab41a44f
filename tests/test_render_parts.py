"""The print edition laid out in parts on several cores is the whole-book layout.

`book_parts` cuts the HTML; the rendering tests lay a book out whole (jobs=1) and in
parts and compare what a reader and a screen reader get: every page's text (so
folios and running heads too), where every id landed, bookmarks, the structure
tree, links and where they lead, page boxes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from diaspora_book.assemble.manuscript import assemble
from diaspora_book.build import convert_book
from diaspora_book.plumbing.errors import BookError, Diagnostics, ToolError
from diaspora_book.plumbing.progress import SILENT, Progress
from diaspora_book.project.config import load_project
from diaspora_book.render.pdf.hooks import HookFailed
from diaspora_book.render.pdf.layout import PrintJob
from diaspora_book.render.pdf.parts import conduct as pdf_parallel
from diaspora_book.render.pdf.parts import part as part_module
from diaspora_book.render.pdf.parts import worker as worker_module
from diaspora_book.render.pdf.parts.cut import (
    back_matter_as_headings,
    split_book,
    split_css,
    unsplittable_reason,
    with_end_marker,
    with_page_numbers,
)
from diaspora_book.render.pdf.write import PrintLayout, write_pdf
from tests.conftest import copy_sample_project, make_project
from tests.print_readers import (
    artifacts,
    outline,
    page_pictures,
    programs_by_name,
    reader_view,
    structure_tree,
    unreferenced_marked_content,
)
from tests.readers import pdf_pages

HEAD = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>T</title>\n</head>\n<body>\n'
TAIL = "</body>\n</html>\n"


def _html(*blocks: str) -> str:
    return HEAD + "".join(blocks) + TAIL


def _section(slug: str, words: int = 3) -> str:
    return (
        f'<section id="{slug}" class="level1 chapter">\n<h1>{slug}</h1>\n'
        f'<section id="{slug}--s" class="level2">\n<p>{"word " * words}</p>\n</section>\n'
        "</section>\n"
    )


# ---- cutting the HTML ---------------------------------------------------------------


def test_split_book_cuts_front_runs_of_chapters_and_back():
    front = '<div id="titlepage">\n<p>Title</p>\n</div>\n'
    back = '<section id="glossary" class="level1">\n<h1>Glossary</h1>\n</section>\n'
    chapters = [_section("a", 100), _section("b", 100), _section("c", 100), _section("d", 100)]
    parts = split_book(_html(front, *chapters, back), ["a", "b", "c", "d"], 2)
    assert parts is not None
    assert parts.front == HEAD + front + TAIL
    assert parts.chapters == (_html(*chapters[:2]), _html(*chapters[2:]))
    assert parts.back == HEAD + back + TAIL
    # Nothing is lost or doubled: the parts' bodies are the book's body.
    bodies = [p[len(HEAD) : -len(TAIL)] for p in parts.all()]
    assert "".join(bodies) == front + "".join(chapters) + back


def test_split_book_balances_runs_by_length():
    chapters = [_section("a", 900), _section("b", 100), _section("c", 100), _section("d", 700)]
    parts = split_book(_html(*chapters), ["a", "b", "c", "d"], 2)
    assert parts is not None and parts.front == "" and parts.back == ""
    assert parts.chapters == (_html(chapters[0]), _html(*chapters[1:]))


def test_a_long_chapter_is_a_run_of_its_own_and_an_edit_moves_no_cut():
    """The 13 English articles were two runs: an edit laid out half the book again."""
    ids = ["a", "b", "c", "d", "e"]
    words = [100, 20_000, 100, 100, 20_000]  # "word " * 20,000: 100,000 characters
    chapters = [_section(i, n) for i, n in zip(ids, words, strict=True)]
    parts = split_book(_html(*chapters), ids, 2)
    assert parts is not None
    assert parts.chapters == (
        _html(chapters[0]),
        _html(chapters[1]),
        _html(*chapters[2:4]),
        _html(chapters[4]),
    )
    edited = [*chapters[:2], _section("c", 300), *chapters[3:]]
    again = split_book(_html(*edited), ids, 2)
    assert again is not None
    pairs = zip(parts.chapters, again.chapters, strict=True)
    changed = [i for i, (x, y) in enumerate(pairs) if x != y]
    assert changed == [2]  # only the run that holds the edited chapter


def test_split_book_gives_no_more_runs_than_chapters():
    parts = split_book(_html(_section("a"), _section("b")), ["a", "b"], 8)
    assert parts is not None and len(parts.chapters) == 2


@pytest.mark.parametrize(
    "html, ids",
    [
        (_html(_section("a"), _section("b")), ["a", "x"]),  # a chapter id not in the HTML
        (_html(_section("a"), _section("b")), ["b", "a"]),  # out of order
        (HEAD + "loose text\n" + _section("a") + _section("b") + TAIL, ["a", "b"]),
        ("<p>no document</p>", ["a"]),
    ],
)
def test_split_book_refuses_html_it_does_not_expect(html, ids):
    assert split_book(html, ids, 2) is None


def test_back_matter_as_headings_keeps_the_chapters_and_each_heading():
    """The first of a whole book's two layouts: the Glossary and Index as headings alone."""
    front = '<div id="titlepage">\n<p>Title</p>\n</div>\n'
    glossary = (
        '<section id="glossary" class="level1 unnumbered"\nepub:type="glossary">\n'
        '<h1 class="unnumbered">Glossary</h1>\n<dl>\n<dt>yärlik</dt>\n'
        '<dd><p>on <a href="#a--term-1" class="pageref"></a></p></dd>\n</dl>\n</section>\n'
    )
    references = '<div id="refs" class="references">\n<h1>References</h1>\n<p>A book.</p>\n</div>\n'
    chapters = [_section("a", 10), _section("b", 10)]
    html = _html(front, *chapters, glossary, references)
    assert back_matter_as_headings(html, ["a", "b"]) == _html(
        front,
        *chapters,
        '<section id="glossary" class="level1 unnumbered"\nepub:type="glossary">\n'
        '<h1 class="unnumbered">Glossary</h1>\n</section>\n',
        '<div id="refs" class="references">\n<h1>References</h1>\n</div>\n',
    )
    # Back matter that names no page is laid out once, whole: nothing to cut.
    assert back_matter_as_headings(_html(front, *chapters, references), ["a", "b"]) is None
    assert back_matter_as_headings(_html(front, *chapters), ["a", "b"]) is None
    # A block with no heading first: not what the cut expects.
    headless = glossary.replace('<h1 class="unnumbered">Glossary</h1>\n', "")
    assert back_matter_as_headings(_html(*chapters, headless), ["a", "b"]) is None


def test_with_page_numbers_fills_links_pandoc_wrapped():
    part = '<li><a href="#a">A</a> <a\nhref="#b" class="pageref"></a> <a href="#c">C</a></li>'
    numbered, unknown = with_page_numbers(part, {"a": 5, "b": 12})
    assert numbered == (
        '<li><a data-diaspora-page="5" href="#a">A</a> '
        '<a\ndata-diaspora-page="12" href="#b" class="pageref"></a> <a href="#c">C</a></li>'
    )
    assert unknown == ["c"]


def test_with_end_marker_opens_a_recto_before_the_body_ends():
    marked = with_end_marker(_html(_section("a")))
    assert marked.endswith('<div style="break-before: recto" aria-hidden="true"></div>\n' + TAIL)


def test_split_css_reads_link_target_pages_from_the_attribute():
    css = ".toc a::after { content: leader('.') target-counter(attr(href url), page); }"
    assert split_css(css) == ".toc a::after { content: leader('.') attr(data-diaspora-page); }"
    assert unsplittable_reason([css]) is None


@pytest.mark.parametrize(
    "css, reason",
    [
        ("@page { @bottom-center { content: counter(page) ' of ' counter(pages) } }", "pages"),
        ("@page :first { margin-top: 0 }", ":first"),
        ("@page chapter:nth(1) { margin-top: 0 }", ":nth"),
        ("a::after { content: target-text(attr(href url)) }", "target-text"),
        ("a::after { content: target-counter(attr(href url), chapter) }", "target-counter"),
    ],
)
def test_stylesheets_that_need_the_whole_document_are_not_split(css, reason):
    found = unsplittable_reason(["p { margin: 0 }", css])
    assert found is not None and reason in found


def test_first_child_selectors_and_comments_do_not_stop_splitting():
    css = "p:first-child { text-indent: 0 } /* counter(pages) in a comment */"
    assert unsplittable_reason([css]) is None


# ---- rendering in parts ---------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    path: Path
    layout: PrintLayout

    @property
    def parts(self) -> int:
        return self.layout.parts


def _job(root: Path, jobs: int, press: bool = False) -> PrintJob:
    project = load_project(root)
    book = convert_book(project, Diagnostics())
    chapters = list(book.chapters)
    return PrintJob(
        project,
        book.assemble(project, "pdf"),
        relayout=lambda pages: assemble(project, chapters, "pdf", book.notes, pages),
        press=press,
        jobs=jobs,
    )


def _render(
    root: Path, target: Path, jobs: int, press: bool = False, progress: Progress = SILENT
) -> Rendered:
    diagnostics = Diagnostics()  # the render's own: WeasyPrint warnings, refused URLs
    layout = write_pdf(_job(root, jobs, press), target, diagnostics, progress)
    assert [d.message for d in diagnostics] == []
    return Rendered(target, layout)


def _assert_same_book(whole: Rendered, parts: Rendered) -> None:
    assert parts.layout.pagination == whole.layout.pagination
    assert pdf_pages(parts.path) == pdf_pages(whole.path)  # text, folios and heads, page by page
    assert outline(parts.path) == outline(whole.path)
    assert structure_tree(parts.path) == structure_tree(whole.path)
    assert reader_view(parts.path) == reader_view(whole.path)
    assert artifacts(parts.path) == artifacts(whole.path)  # running heads and folios
    assert unreferenced_marked_content(parts.path) == []
    assert _finished(parts.path) == _finished(whole.path)  # finished as it was joined


def _finished(path: Path) -> tuple:
    """What finishing gives a book: its XMP (but the dates: each render has its own),
    its viewer preferences, each page's boxes."""
    with pikepdf.open(path) as pdf:
        xmp = {k: str(v) for k, v in pdf.open_metadata().items() if "Date" not in k}
        boxes = [
            {name: [float(x) for x in page.obj[name]] for name in ("/BleedBox", "/TrimBox")}
            for page in pdf.pages
            if "/BleedBox" in page.obj
        ]
        return xmp, repr(pdf.Root.get("/ViewerPreferences")), boxes


@pytest.fixture(scope="module")
def sample_whole(tmp_path_factory) -> tuple[Path, Rendered]:
    root = copy_sample_project(tmp_path_factory.mktemp("parts") / "book")
    return root, _render(root, root / "whole.pdf", jobs=1)


@pytest.fixture(scope="module")
def sample_parts(sample_whole) -> Rendered:
    """The sample book laid out in parts once (its layouts and merged fonts kept in
    `parts/`), for the tests that only read it."""
    from dataclasses import replace

    root, _ = sample_whole
    job = replace(_job(root, 2), parts_cache=root / "parts")
    diagnostics = Diagnostics()
    layout = write_pdf(job, root / "parts.pdf", diagnostics)
    assert [d.message for d in diagnostics] == []
    return Rendered(root / "parts.pdf", layout)


def test_sample_book_in_parts_is_the_whole_book_layout(sample_whole, sample_parts):
    root, whole = sample_whole
    parts = sample_parts
    assert (whole.parts, parts.parts) == (1, 4)  # front, two chapters, back
    _assert_same_book(whole, parts)
    # Blank versos (after the contents, before the back matter) are kept.
    assert "" in [page.strip() for page in pdf_pages(parts.path)]


@pytest.mark.slow
def test_many_chapters_in_three_runs_are_the_whole_book_layout(tmp_path):
    """Five chapters in three runs: page numbers and the running heads' strings are
    handed on through every run, and blank versos fall between runs as in the book."""
    from bench.corpus import write_project

    root = tmp_path / "book"
    write_project(root, 5)
    whole = _render(root, tmp_path / "whole.pdf", jobs=1)
    parts = _render(root, tmp_path / "parts.pdf", jobs=3)
    assert parts.parts == 4  # front matter and three runs of chapters; no back matter
    _assert_same_book(whole, parts)


@pytest.mark.slow
def test_print_shop_pdf_in_parts_keeps_bleed_and_marks(sample_whole, tmp_path):
    root, _ = sample_whole
    whole = _render(root, tmp_path / "whole.pdf", jobs=1, press=True)
    parts = _render(root, tmp_path / "parts.pdf", jobs=2, press=True)
    assert parts.parts == 4
    _assert_same_book(whole, parts)


@pytest.mark.slow
def test_a_book_whose_stylesheet_counts_all_pages_is_laid_out_whole(tmp_path):
    root = copy_sample_project(tmp_path / "book")
    (root / "styles").mkdir()
    (root / "styles" / "book.css").write_text(
        "@page :right { @bottom-right { content: counter(page) ' / ' counter(pages) } }\n"
    )
    assert "counter(pages)" in (pdf_parallel.split_reason(_job(root, 2)) or "")
    rendered = _render(root, tmp_path / "book.pdf", jobs=2)
    assert rendered.parts == 1
    last = pdf_pages(rendered.path)[-1]
    count = rendered.layout.pagination.page_count
    assert f"{count} / {count}" in last


def _failing_in_workers(monkeypatch, error: BaseException) -> None:
    """Make the layout of a run of chapters (in a worker process) raise `error`."""
    real = part_module.lay_out_part

    def failing(setup, source, start, path=None, on_anchors=None):
        if on_anchors is not None:  # only the workers listen for anchors
            raise error
        return real(setup, source, start, path, on_anchors)

    monkeypatch.setattr(worker_module, "lay_out_part", failing)


def test_a_bug_in_a_worker_stays_a_bug(sample_whole, tmp_path, monkeypatch):
    """Not a user error (exit 1 naming a content problem): the bug, with its traceback."""
    root, _ = sample_whole
    _failing_in_workers(monkeypatch, ZeroDivisionError("out of paper"))
    with pytest.raises(pdf_parallel.PartFailed) as caught:
        _render(root, tmp_path / "book.pdf", jobs=2)
    assert not isinstance(caught.value, BookError)
    assert "ZeroDivisionError: out of paper" in str(caught.value)
    assert "Traceback" in str(caught.value)


def test_a_problem_with_the_input_in_a_worker_is_reported_as_such(
    sample_whole, tmp_path, monkeypatch
):
    root, _ = sample_whole
    _failing_in_workers(monkeypatch, ToolError("WeasyPrint cannot start", hint="make setup"))
    with pytest.raises(ToolError) as caught:
        _render(root, tmp_path / "book.pdf", jobs=2)
    assert str(caught.value) == "error: WeasyPrint cannot start (make setup)"


@pytest.mark.slow
def test_a_failing_layout_hook_falls_back_to_the_whole_book_and_says_so(
    sample_whole, tmp_path, monkeypatch
):
    root, whole = sample_whole
    _failing_in_workers(monkeypatch, HookFailed("layout.make_margin_boxes: TypeError: new API"))
    log = io.StringIO()
    rendered = _render(root, tmp_path / "book.pdf", jobs=2, progress=Progress("normal", log))
    assert rendered.parts == 1
    _assert_same_book(whole, rendered)
    assert log.getvalue() == (
        "print edition: laid out in one process, because a layout hook failed: "
        "layout.make_margin_boxes: TypeError: new API\n"
    )


@pytest.mark.slow
def test_a_failing_splice_falls_back_to_the_whole_book_and_says_so(
    sample_whole, tmp_path, monkeypatch
):
    root, whole = sample_whole

    def broken(parts, target, finishing, kept=None, created=None):
        raise pikepdf.PdfError("structure tree without one Document element")

    monkeypatch.setattr(pdf_parallel, "splice", broken)
    log = io.StringIO()
    rendered = _render(root, tmp_path / "book.pdf", jobs=2, progress=Progress("normal", log))
    assert rendered.parts == 1
    _assert_same_book(whole, rendered)
    assert "because joining the parts failed: structure tree without one Document" in (
        log.getvalue()
    )


def test_an_unknown_weasyprint_lays_the_book_out_whole(sample_whole, tmp_path, monkeypatch):
    """The hooks check for what they wrap before a part is laid out."""
    import weasyprint.layout

    root, whole = sample_whole
    monkeypatch.delattr(weasyprint.layout, "make_margin_boxes")
    assert pdf_parallel.split_reason(_job(root, 2)) == (
        "this WeasyPrint cannot lay out a part of a book"
    )


def test_project_without_annotations_builds_in_parts(tmp_path):
    """No front-matter contents links into back matter, no back matter at all."""
    root = make_project(
        tmp_path / "plain",
        {
            "a.txt": "= Alpha =\n\nAlpha text.\n\n==History==\n\nMore alpha.\n",
            "b.txt": "= Beta =\n\nBeta text.\n",
            "c.txt": "= Gamma =\n\nGamma text.\n",
        },
    )
    whole = _render(root, tmp_path / "whole.pdf", jobs=1)
    parts = _render(root, tmp_path / "parts.pdf", jobs=2)
    assert parts.parts == 3  # front matter and two runs of chapters
    _assert_same_book(whole, parts)


@pytest.mark.slow
def test_contents_that_change_length_with_real_page_numbers_fall_back(
    sample_whole, tmp_path, monkeypatch
):
    """The front matter is first laid out with placeholder page numbers to learn its
    length; if the real numbers change that length, the book is laid out whole."""
    root, whole = sample_whole
    placeholders = pdf_parallel._placeholder_numbers

    def longer(html: str) -> str:  # as if wide placeholder numbers wrapped the contents
        return placeholders(html).replace("</body>", '<p style="break-before: page">x</p></body>')

    monkeypatch.setattr(pdf_parallel, "_placeholder_numbers", longer)
    rendered = _render(root, tmp_path / "book.pdf", jobs=2)
    assert rendered.parts == 1
    _assert_same_book(whole, rendered)


# ---- one subset per font face ----------------------------------------------------------


def _pdffonts_names(path: Path) -> list[str]:
    import subprocess

    lines = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    return [line.split()[0] for line in lines[2:]]


def test_the_book_in_parts_embeds_each_face_once(sample_whole, sample_parts):
    """ISO 32000-1 9.6.4: one subset name, one program. A print shop checks with pdffonts."""
    root, whole = sample_whole
    parts = sample_parts
    assert parts.parts == 4
    shared = {name: len(p) for name, p in programs_by_name(parts.path).items() if len(p) > 1}
    assert shared == {}
    names = _pdffonts_names(parts.path)
    assert len(names) == len(set(names))
    assert sorted(names) == sorted(_pdffonts_names(whole.path))  # the same faces as one layout
    # Merged, the subsets cost little over the one-process layout's.
    ratio = parts.path.stat().st_size / whole.path.stat().st_size
    assert ratio <= 1.15, f"{ratio:.2f} x the one-process PDF"


def test_the_book_in_parts_looks_like_the_whole_book(sample_whole, sample_parts, tmp_path):
    """Every glyph merged into a face's one program is drawn as in the one-process layout."""
    root, whole = sample_whole
    parts = sample_parts
    pictures = page_pictures(parts.path, tmp_path / "parts")
    assert len(pictures) > 10
    assert pictures == page_pictures(whole.path, tmp_path / "whole")


@pytest.mark.slow  # the merge's fallback: a book in parts laid out again
def test_subsets_that_cannot_be_merged_are_named_apart(sample_whole, tmp_path, monkeypatch):
    """The fallback: each different program gets a tag of its own, never a shared name."""
    from diaspora_book.render.pdf.parts import subsets

    def refuse(pdf, found, kept=None):
        raise subsets.Unmergeable("test")

    monkeypatch.setattr(subsets, "_merge", refuse)
    root, whole = sample_whole
    parts = _render(root, tmp_path / "parts.pdf", jobs=2)
    programs = programs_by_name(parts.path)
    assert all(len(p) == 1 for p in programs.values())
    assert len(programs) > len(programs_by_name(whole.path))  # renamed apart, not merged
    assert pdf_pages(parts.path) == pdf_pages(whole.path)


def test_merged_programs_are_kept_and_give_the_same_book(sample_whole, sample_parts, tmp_path):
    """A rebuild takes each face's merged program from the cache: the same book as the
    first build, which merged them (as a build without the cache does)."""
    from dataclasses import replace

    root, _ = sample_whole
    fonts = root / "parts" / "fonts"
    kept = {path: path.stat().st_mtime_ns for path in fonts.iterdir()}
    assert kept  # the sample book's faces are merged from its parts
    (fonts / "unused.font").write_bytes(b"an earlier build's")
    job = replace(_job(root, 2), parts_cache=root / "parts")
    write_pdf(job, tmp_path / "again.pdf", Diagnostics())
    assert programs_by_name(tmp_path / "again.pdf") == programs_by_name(sample_parts.path)
    assert pdf_pages(tmp_path / "again.pdf") == pdf_pages(sample_parts.path)
    assert {path: path.stat().st_mtime_ns for path in kept} == kept  # read, not merged again
    assert not (fonts / "unused.font").exists()


def test_merged_subsets_map_each_glyph_to_the_text_of_one_layout(sample_whole, sample_parts):
    """The merged /ToUnicode maps are the one-process layout's: nothing more, nothing less."""
    from tests.readers import pdf_fonts

    root, whole = sample_whole
    parts = sample_parts

    def drawn(path: Path) -> dict[str, frozenset[str]]:
        return {font.name: font.drawn for font in pdf_fonts(path)}

    assert drawn(parts.path) == drawn(whole.path)
