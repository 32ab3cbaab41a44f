"""Nothing escapes the project: links out are errors, outside URLs never reach the book."""

import zipfile

import pikepdf
import pytest

from diaspora_book.build import BuildRequest, build
from diaspora_book.cli import main
from diaspora_book.project.config import load_project

from .checkers import epubcheck_messages, run_epubcheck
from .readers import epub_documents, pdf_text

ARTICLE = {"a.txt": "= Alpha =\n\nThe census says so.\n"}
HINT = "(copy the file into the project; only the project's own files are read)"


@pytest.fixture
def outside(tmp_path):
    """A folder beside the project, with a secret in it."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text("= Secret =\n\nroot:x:0:0\n", encoding="utf-8")
    (folder / "evil.csl").write_text("<style/>\n", encoding="utf-8")
    return folder


def check(capsys, root):
    code = main(["check", "--project", str(root)])
    return code, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize(
    ("link", "target"),
    [
        ("styles/book.css", "secret.txt"),
        ("articles/zz.txt", "secret.txt"),
        ("glossary.yml", "secret.txt"),
        ("references.bib", "secret.txt"),
        ("templates/manuscript.md.j2", "secret.txt"),
        ("styles", "."),
    ],
)
def test_a_link_out_of_the_project_is_an_error_naming_it(
    project_factory, outside, capsys, link, target
):
    root = project_factory(ARTICLE, "title: T\n")
    path = root / link
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(outside / target)
    code, lines = check(capsys, root)
    assert code == 1
    assert lines == [
        f"{link}:1: error: {link} leads outside the project (to {(outside / target).resolve()}) {HINT}"
    ]


def test_a_csl_path_that_climbs_out_is_an_error_at_its_line(project_factory, outside, capsys):
    root = project_factory(ARTICLE, "title: T\ncsl: ../outside/evil.csl\n")
    code, lines = check(capsys, root)
    assert code == 1
    assert lines == [
        f"book.yml:2: error: ../outside/evil.csl leads outside the project "
        f"(to {outside.resolve() / 'evil.csl'}) {HINT}"
    ]


def test_links_inside_the_project_are_fine(project_factory):
    root = project_factory(ARTICLE, "title: T\n")
    (root / "drafts").mkdir()
    (root / "drafts" / "b.txt").write_text("= Beta =\n\nText.\n", encoding="utf-8")
    (root / "articles" / "b.txt").symlink_to(root / "drafts" / "b.txt")
    assert [p.name for p in load_project(root).articles()] == ["a.txt", "b.txt"]


BOOK_CSS = """p { color: black; }
@import url(file:///etc/passwd);
h1 { background: url(http://127.0.0.1:9/x.png) no-repeat; font-weight: bold; }
.cover { background-image: url(file:///etc/hostname); }
"""
BIB = """@misc{a,
  title = {Census {\\href{javascript:alert(1)}{report}}},
  author = {Office, Statistics},
  year = {2009},
  url = {file:///etc/passwd},
}
@misc{b,
  title = {Web page},
  author = {Site, Web},
  year = {2010},
  url = {https://example.org/page},
}
"""


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    from .conftest import make_project

    root = make_project(tmp_path_factory.mktemp("escape") / "book", ARTICLE, "title: Escape\n")
    (root / "styles").mkdir()
    (root / "styles" / "book.css").write_text(BOOK_CSS, encoding="utf-8")
    (root / "references.bib").write_text(BIB, encoding="utf-8")
    (root / "citations.yml").write_text(
        "rules:\n  - phrase: census\n    cite: [a, b]\n", encoding="utf-8"
    )
    return build(load_project(root), BuildRequest(jobs=1))


def test_css_the_epub_cannot_resolve_is_dropped_with_a_warning(hostile_build):
    warnings = [str(d) for d in hostile_build.diagnostics if d.severity == "warning"]
    hint = "(an e-book can use only what it contains)"
    assert [w for w in warnings if "stylesheet" in w] == [
        f"styles/book.css:2: warning: dropped from the EPUB's stylesheet: @import url(file:///etc/passwd) {hint}",
        f"styles/book.css:3: warning: dropped from the EPUB's stylesheet: background: url(http://127.0.0.1:9/x.png) no-repeat {hint}",
        f"styles/book.css:4: warning: dropped from the EPUB's stylesheet: background-image: url(file:///etc/hostname) {hint}",
    ]
    epub = next(p for p in hostile_build.outputs if p.suffix == ".epub")
    with zipfile.ZipFile(epub) as archive:
        css = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".css"))
    assert "p { color: black; }" in css and "font-weight: bold;" in css
    assert "file:" not in css and "127.0.0.1" not in css and "@import" not in css


def test_only_http_and_mailto_links_leave_the_book(hostile_build):
    epub = next(p for p in hostile_build.outputs if p.suffix == ".epub")
    pdf = next(p for p in hostile_build.outputs if p.suffix == ".pdf")
    xhtml = "".join(epub_documents(epub).values())
    assert 'href="https://example.org/page"' in xhtml
    assert "javascript:" not in xhtml.replace("file:///etc/passwd", "")
    assert 'href="file:' not in xhtml and 'href="javascript:' not in xhtml
    assert "file:///etc/passwd" in xhtml  # printed as text
    with pikepdf.open(pdf) as document:
        uris = [
            str(annot.A.URI)
            for page in document.pages
            for annot in page.get("/Annots", [])
            if "/A" in annot and "/URI" in annot.A
        ]
    assert "https://example.org/page" in uris
    assert not [u for u in uris if not u.startswith(("http:", "https:", "mailto:"))]
    assert "file:///etc/passwd" in pdf_text(pdf).replace("\n", "")


@pytest.mark.slow  # EPUBCheck: the sample book's run stays fast
def test_the_hostile_epub_passes_epubcheck(hostile_build, tmp_path):
    epub = next(p for p in hostile_build.outputs if p.suffix == ".epub")
    assert epubcheck_messages(run_epubcheck(epub, tmp_path)) == []


def test_a_cached_rebuild_repeats_the_epub_warnings(tmp_path):
    from diaspora_book.plumbing.cache import BuildCache

    from .conftest import make_project

    root = make_project(tmp_path / "book", ARTICLE, "title: Escape\n")
    (root / "styles").mkdir()
    (root / "styles" / "book.css").write_text(BOOK_CSS, encoding="utf-8")
    project = load_project(root)
    request = BuildRequest(formats=("epub",), jobs=1)

    def warnings(report):
        return [str(d) for d in report.diagnostics if "stylesheet" in d.message]

    first = build(project, request, cache=BuildCache(root))
    again = build(project, request, cache=BuildCache(root))
    assert "epub" in again.reused
    assert len(warnings(first)) == 3 and warnings(again) == warnings(first)
