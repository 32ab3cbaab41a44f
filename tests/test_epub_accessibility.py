"""The EPUB claims conformance to EPUB Accessibility 1.1 / WCAG 2.1 AA only when the build
verified it; otherwise the claim is left out and the build says why."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from diaspora_book.build import BuildRequest, build
from diaspora_book.project.config import load_project
from diaspora_book.render.epub import fonts as epub_fonts

from .readers import epub_xml

ARTICLE = "= Alpha =\n\nThe Uyghur name قازاق stays, and so does 哈萨克.\n"
CLAIM = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def _metadata(epub: Path, prop: str) -> list[str]:
    opf = epub_xml(epub, "EPUB/content.opf")
    ns = {"opf": "http://www.idpf.org/2007/opf"}
    return [m.text for m in opf.iterfind(f"opf:metadata/opf:meta[@property='{prop}']", ns)]


def _epub(root: Path):
    report = build(load_project(root), BuildRequest(formats=("epub",)))
    return report.outputs[0], [str(d) for d in report.diagnostics]


def test_a_verified_book_claims_conformance(project_factory):
    epub, diagnostics = _epub(project_factory({"alpha.txt": ARTICLE}))
    assert diagnostics == []
    assert _metadata(epub, "dcterms:conformsTo") == [CLAIM]
    [summary] = _metadata(epub, "schema:accessibilitySummary")
    assert summary.startswith("This EPUB meets EPUB Accessibility 1.1 and WCAG 2.1 Level AA.")


def test_text_in_another_script_without_its_language_withdraws_the_claim(project_factory):
    """A project template's own words are not tagged by the converter: a screen reader
    would read this Uyghur dedication with an English voice (WCAG 3.1.2)."""
    root = project_factory({"alpha.txt": ARTICLE})
    packaged = Path(str(resources.files("diaspora_book") / "templates" / "manuscript.md.j2"))
    (root / "templates").mkdir()
    shutil.copy(packaged, root / "templates" / "manuscript.md.j2")
    with (root / "templates" / "manuscript.md.j2").open("a", encoding="utf-8") as template:
        template.write("\n# Dedication {#dedication .unnumbered}\n\nئانامغا\n")
    epub, diagnostics = _epub(root)
    assert diagnostics == [
        "warning: the EPUB claims no conformance to EPUB Accessibility 1.1 / WCAG 2.1 AA: "
        "text/ch003.xhtml has text in 'ug' not marked with its language"
    ]
    assert _metadata(epub, "dcterms:conformsTo") == []
    [summary] = _metadata(epub, "schema:accessibilitySummary")
    assert "meets" not in summary and "table of contents" in summary


def test_a_face_that_cannot_be_embedded_withdraws_the_claim(project_factory, monkeypatch):
    real = epub_fonts.installed_font

    def no_naskh(family: str, weight: str = "regular"):
        return None if family == "Noto Naskh Arabic" else real(family, weight)

    monkeypatch.setattr(epub_fonts, "installed_font", no_naskh)
    epub, diagnostics = _epub(project_factory({"alpha.txt": ARTICLE}))
    assert diagnostics[-1] == (
        "warning: the EPUB claims no conformance to EPUB Accessibility 1.1 / WCAG 2.1 AA: "
        "no font to embed for Noto Naskh Arabic (regular)"
    )
    assert _metadata(epub, "dcterms:conformsTo") == []
