"""Whole builds: defaults, byte-identical output, and inputs that must fail cleanly."""

import io
import zipfile

import pytest

from diaspora_book.build import BuildFailed, BuildRequest, build, build_handouts
from diaspora_book.project.config import load_project
from diaspora_book.render.pdf.whole import WholeLayout

from .readers import epub_text, pdf_text

ARTICLE = "= Alpha =\nInfobox\n- Kind: test\n\nFirst paragraph.\n\n== Part ==\n- one\n- two\n"


def test_articles_only_project_builds_with_defaults(project_factory):
    root = project_factory({"alpha.txt": ARTICLE}, name="field-notes")
    report = build(load_project(root))
    assert [p.name for p in report.outputs] == ["field-notes.pdf", "field-notes.epub"]
    assert "Field Notes" in pdf_text(report.outputs[0])
    assert "First paragraph." in epub_text(report.outputs[1])
    assert (root / "chapters" / "01-alpha.md").is_file()


@pytest.mark.slow
def test_source_date_epoch_gives_identical_bytes_from_separate_checkouts(
    project_factory, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    articles = {"alpha.txt": ARTICLE, "beta.txt": "= Beta =\nقازاق 哈萨克\n"}
    # Two copies at different paths, as two clean clones would be.
    one = load_project(project_factory(articles, "title: Same\n", name="clone-one"))
    two = load_project(project_factory(articles, "title: Same\n", name="elsewhere/two"))
    first, second = build(one), build(two)
    assert [p.name for p in first.outputs] == ["same.pdf", "same.epub"]
    for a, b in zip(first.outputs, second.outputs, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    handouts_one = build_handouts(one, [], jobs=1).handouts
    handouts_two = build_handouts(two, [], jobs=2).handouts
    assert [h.path.name for h in handouts_one] == ["01-alpha.pdf", "02-beta.pdf"]
    for a, b in zip(handouts_one, handouts_two, strict=True):
        assert a.path.read_bytes() == b.path.read_bytes(), a.path.name


def test_a_book_without_back_matter_is_laid_out_once(project_factory, monkeypatch):
    """The Glossary/Index relayout costs a second layout only when it changes something."""
    import weasyprint

    layouts = []
    render = weasyprint.HTML.render

    def counting(self, *args, **kwargs):
        layouts.append(1)
        return render(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", counting)
    build(load_project(project_factory({"alpha.txt": ARTICLE})), BuildRequest(formats=("pdf",)))
    assert len(layouts) == 1
    annotated = project_factory(
        {"alpha.txt": "= Alpha =\n\nThe yärlik live here. The yärlik again.\n"},
        name="annotated",
    )
    (annotated / "glossary.yml").write_text("- term: yärlik\n  gloss: locals\n", encoding="utf-8")
    layouts.clear()
    first_html = []
    first = WholeLayout.first

    def recording(self, html):
        first_html.append(html)
        return first(self, html)

    monkeypatch.setattr(WholeLayout, "first", recording)
    report = build(load_project(annotated), BuildRequest(formats=("pdf",)))
    assert len(layouts) == 2  # the Glossary gives each page once: laid out again
    # The first layout, only for the chapters' pages, had the Glossary's heading alone.
    assert "Glossary" in first_html[0] and "locals" not in first_html[0]
    assert "locals" in pdf_text(report.outputs[0])


def test_strict_promotes_warnings_keeping_their_rule(project_factory):
    root = project_factory({"alpha.txt": "= Alpha =\n\nhowever, , only 213.\n"})
    with pytest.raises(BuildFailed) as raised:
        build(load_project(root), BuildRequest(formats=("epub",), strict=True))
    assert [str(d) for d in raised.value.diagnostics] == [
        "articles/alpha.txt:3:8: error: ', ,' looks like a removed template [removed-template]"
    ]


@pytest.mark.parametrize("jobs", [1, 2], ids=["whole", "parts"])
def test_an_epub_only_build_lays_the_print_edition_out_without_writing_it(
    project_factory, monkeypatch, tmp_path, jobs
):
    """The EPUB needs the print edition's pages, not a PDF: nothing is written or finished."""
    import weasyprint.document

    log = tmp_path / "written.txt"  # the parts are laid out in worker processes too
    real = weasyprint.document.Document.write_pdf

    def logged(self, *args, **kwargs):
        with log.open("a") as file:
            file.write("pdf\n")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.document.Document, "write_pdf", logged)
    articles = {"alpha.txt": ARTICLE, "beta.txt": "= Beta =\n\nBeta text.\n"}
    report = build(load_project(project_factory(articles)), BuildRequest(("epub",), jobs=jobs))
    assert not log.exists()
    assert [p.suffix for p in report.outputs] == [".epub"]
    with zipfile.ZipFile(report.outputs[0]) as epub:
        nav = epub.read("EPUB/nav.xhtml").decode()
    assert 'epub:type="page-list"' in nav


def test_a_build_hashes_the_shared_project_files_once(project_factory, monkeypatch):
    """The chapters' cache keys and every render's key share one digest per build."""
    from diaspora_book import book as book_module

    calls: list[int] = []
    real = book_module.shared_digest

    def counting(project):
        calls.append(1)
        return real(project)

    monkeypatch.setattr(book_module, "shared_digest", counting)
    build(load_project(project_factory({"alpha.txt": ARTICLE})), BuildRequest(jobs=1))
    assert calls == [1]


def test_each_handout_is_assembled_once_before_it_is_laid_out(project_factory, monkeypatch):
    """The cache key and the render share the handout's manuscript; a second assembly
    happens only for the relayout that gives each Glossary page number once."""
    from diaspora_book.render import handouts as handouts_module

    first_assemblies: list[str] = []
    real = handouts_module.handout_manuscript

    def counting(project, chapter, notes, pages=None):
        if pages is None:
            first_assemblies.append(chapter.slug)
        return real(project, chapter, notes, pages)

    monkeypatch.setattr(handouts_module, "handout_manuscript", counting)
    articles = {"alpha.txt": ARTICLE, "beta.txt": "= Beta =\n\nBeta text.\n"}
    report = build_handouts(load_project(project_factory(articles)), [], jobs=1)
    assert len(report.handouts) == 2
    assert first_assemblies == ["alpha", "beta"]


def test_without_jobs_a_small_book_is_laid_out_in_one_process_and_a_big_one_in_parts(
    project_factory, monkeypatch
):
    """Workers, joining and font merging cost more than they save on a short book."""
    import diaspora_book.build as build_module
    from diaspora_book.plumbing.progress import Progress

    monkeypatch.setattr(build_module, "usable_cores", lambda: 2)
    article = "= Alpha =\n\nThe first chapter.\n"
    root = project_factory({"alpha.txt": article, "beta.txt": article.replace("Alpha", "Beta")})
    small = io.StringIO()
    report = build(load_project(root), BuildRequest(formats=("pdf",)), Progress("verbose", small))
    assert "print edition: laid out in one process (one process)" in small.getvalue()
    assert "Beta" in pdf_text(report.outputs[0])
    monkeypatch.setattr(build_module, "SMALL_BOOK_CHARACTERS", 0)
    big = io.StringIO()
    report = build(load_project(root), BuildRequest(formats=("pdf",)), Progress("verbose", big))
    assert "laid out in one process" not in big.getvalue()
    assert "Beta" in pdf_text(report.outputs[0])


def test_a_first_layout_whose_pages_moved_is_settled_from_the_full_one(
    project_factory, monkeypatch
):
    """A failure path: should the first layout (back matter as headings) put a chapter's
    anchor on another page than the full layout, the Glossary is written again from the
    full layout's pages."""
    import diaspora_book.build as build_module
    from diaspora_book.render.pdf import write

    root = project_factory({"alpha.txt": "= Alpha =\n\nThe yärlik live here. The yärlik again.\n"})
    (root / "glossary.yml").write_text("- term: yärlik\n  gloss: locals\n", encoding="utf-8")
    plain = build(load_project(root), BuildRequest(formats=("pdf",), out_dir=root / "plain"))
    asked: list[dict | None] = []
    assemble = build_module.assemble

    def recording(*args, **kwargs):
        asked.append(args[4] if len(args) > 4 else kwargs.get("pages"))
        return assemble(*args, **kwargs)

    cut = write.back_matter_as_headings

    def shifted(html, ids):  # a page more before the chapters than the book has
        return cut(html, ids).replace("<body>\n", '<body>\n<div style="break-after: page"></div>\n')

    monkeypatch.setattr(build_module, "assemble", recording)
    monkeypatch.setattr(write, "back_matter_as_headings", shifted)
    moved = build(load_project(root), BuildRequest(formats=("pdf",), out_dir=root / "moved"))
    pages = [p for p in asked if p is not None]
    assert len(pages) == 2 and pages[0]["alpha"] != pages[1]["alpha"]
    assert pdf_text(moved.outputs[0]) == pdf_text(plain.outputs[0])
