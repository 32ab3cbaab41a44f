"""The manuscript template: defaults, project overrides, and strict variables."""

import pytest

from diaspora_book.assemble.manuscript import assemble
from diaspora_book.build import convert_project
from diaspora_book.plumbing.errors import BookError, Diagnostics
from diaspora_book.project.config import load_project


def chapters_of(project):
    return convert_project(project, Diagnostics())


def test_pdf_manuscript_has_front_matter_and_chapters(project_factory):
    project = load_project(
        project_factory({"a.txt": "= Alpha <x> =\n\nText.\n"}, "title: A *Book*\nrights: CC BY\n")
    )
    manuscript = assemble(project, chapters_of(project), "pdf")
    text = manuscript.markdown
    assert "::: {.book-title}\nA \\*Book\\*\n:::" in text
    assert "CC BY" in text
    assert "- [Alpha \\<x\\>](#a)" in text
    assert text.index("# Contents") < text.index("# Alpha \\<x\\> {#a .chapter}")
    assert manuscript.metadata["title"] == "A *Book*"


def test_epub_manuscript_leaves_title_page_to_pandoc(project_factory):
    project = load_project(project_factory({"a.txt": "= Alpha =\n"}))
    text = assemble(project, chapters_of(project), "epub").markdown
    assert ".titlepage" not in text and "# Contents" not in text
    assert "{#copyright .unnumbered .unlisted epub:type=copyright-page}" in text


def test_project_template_overrides_the_package(project_factory):
    root = project_factory({"a.txt": "= Alpha =\n"})
    (root / "templates").mkdir()
    (root / "templates" / "manuscript.md.j2").write_text(
        "Custom {{ book.title | md }}\n{% for c in book.chapters %}{{ c.body }}{% endfor %}",
        encoding="utf-8",
    )
    project = load_project(root)
    assert assemble(project, chapters_of(project), "pdf").markdown.startswith(
        "Custom Book\n# Alpha"
    )


def test_undefined_template_variable_is_an_error(project_factory):
    root = project_factory({"a.txt": "= Alpha =\n"})
    (root / "styles").mkdir()
    (root / "styles" / "manuscript.md.j2").write_text("{{ book.nonexistent }}", encoding="utf-8")
    project = load_project(root)
    with pytest.raises(BookError) as raised:
        assemble(project, chapters_of(project), "pdf")
    assert str(raised.value) == (
        "styles/manuscript.md.j2:1: error: template error: "
        "'diaspora_book.assemble.manuscript.ManuscriptContext object' has no attribute 'nonexistent'"
    )
