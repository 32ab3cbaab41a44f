"""Per-chapter handouts: one PDF per chapter, holding that chapter only, "page X of Y"."""

from pathlib import Path

import bibtexparser
import pytest

from diaspora_book.build import build_handouts
from diaspora_book.chapters.convert import fact_rows
from diaspora_book.cli import main
from diaspora_book.model import BulletList, Paragraph
from diaspora_book.project.config import load_project
from diaspora_book.read.plain_text import parse_file

from .conftest import SAMPLES, copy_sample_project
from .print_readers import pdfinfo
from .readers import missing_words, normalise, pdf_pages, pdf_text

ARTICLES = {a.slug: a for a in (parse_file(p, p.name)[0] for p in SAMPLES)}
BOOK = "Kazakhstan's Diasporas"


def article_words(article) -> list[str]:
    """The words a reader gets: a fact box's template residue is printed as rows."""
    texts = [article.title]
    if article.infobox:
        rows = [row for fact in article.infobox.facts for row in fact_rows(fact)]
        texts += [f"{key} {value}" for key, value in rows]
    for block in article.blocks:
        texts += [i.text for i in block.items] if isinstance(block, BulletList) else [block.text]
    return " ".join(texts).split()


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    """The sample book's handouts, rendered once (in parallel, one process per core)."""
    root = copy_sample_project(tmp_path_factory.mktemp("handouts") / "book")
    return build_handouts(load_project(root), [])


def test_one_handout_per_chapter_in_book_order(handouts):
    assert [h.path.name for h in handouts.handouts] == [
        "01-uyghurs-in-kazakhstan.pdf",
        "02-chinese-people-in-kazakhstan.pdf",
    ]
    assert [h.path.parent.name for h in handouts.handouts] == ["handouts", "handouts"]
    assert [pdfinfo(h.path)["Title"] for h in handouts.handouts] == [
        "Uyghurs in Kazakhstan",
        "Chinese people in Kazakhstan",
    ]
    assert all(pdfinfo(h.path)["Subject"] == BOOK for h in handouts.handouts)


def test_a_handout_holds_its_own_chapter_and_nothing_of_the_others(handouts):
    for handout in handouts.handouts:
        slug = handout.path.stem.split("-", 1)[1]
        text = pdf_text(handout.path)
        # A citation stands between a word and its punctuation: "census (Agency 2009)."
        words = [w.rstrip(".,;:") or w for w in article_words(ARTICLES[slug])]
        assert missing_words(words, text) == []
        for other in ARTICLES.values():
            if other.slug == slug:
                continue
            paragraphs = [b.text for b in other.blocks if isinstance(b, Paragraph)]
            assert len(paragraphs) > 5
            for paragraph in paragraphs:
                assert normalise(" ".join(paragraph.split()[:12])) not in text, (slug, paragraph)


def test_a_handout_has_only_its_chapters_glossary_entries_and_references(handouts):
    from diaspora_book.annotate.glossary import load_glossary
    from diaspora_book.build import convert_project
    from diaspora_book.plumbing.errors import Diagnostics

    project = load_project(handouts.handouts[0].path.parent.parent.parent)
    chapters = {c.slug: c for c in convert_project(project, Diagnostics())}
    glossary = load_glossary(project.root, Diagnostics()).accepted
    library = bibtexparser.parse_file(str(project.root / "references.bib"))
    titles = {
        # BibTeX's protective braces go, and "--" is typeset as an en dash.
        e.key: " ".join(
            e.fields_dict["title"]
            .value.replace("{", "")
            .replace("}", "")
            .replace("--", "–")
            .split()
        )
        for e in library.entries
    }
    checked = set()
    for handout in handouts.handouts:
        chapter = chapters[handout.path.stem.split("-", 1)[1]]
        text = pdf_text(handout.path)
        back = text[text.rindex("Glossary ") :]
        glossary_part, references_part = back.split("References ", 1)
        used = {o.entry for o in chapter.occurrences}
        for entry in glossary:
            shown = f"{entry.term} (" in glossary_part or f"{entry.term} " in glossary_part
            assert shown == (entry.id in used), (chapter.slug, entry.term)
            checked.add(entry.id in used)
        for key, title in titles.items():
            assert (title in references_part) == (key in chapter.cites), (chapter.slug, key)
            checked.add(key in chapter.cites)
    assert checked == {True, False}  # some entries kept and some left out


def test_title_block_names_the_book_and_credits_the_source(handouts):
    first = pdf_pages(handouts.handouts[0].path)[0]
    lines = [line.strip() for line in first.splitlines() if line.strip()]
    assert lines[:2] == [BOOK, "Uyghur and Chinese communities in Kazakhstan"]
    credit = normalise(" ".join(lines[2:4]))
    assert credit.startswith("Text adapted from Wikipedia articles")
    assert credit.endswith("Source: articles/uyghurs-in-kazakhstan.txt")
    heading = lines.index("Uyghurs in Kazakhstan")
    assert normalise(" ".join(lines[4:heading])).replace("/ ", "/") == (
        "The text of the articles is available under the licence CC BY-SA 4.0: "
        "https://creativecommons.org/licenses/by-sa/4.0/"
    )


def test_every_page_says_page_x_of_y(handouts):
    for handout in handouts.handouts:
        pages = pdf_pages(handout.path)
        assert handout.page_count == len(pages) > 1
        chapter = pdfinfo(handout.path)["Title"]
        for number, page in enumerate(pages, start=1):
            footer = [line.strip() for line in page.splitlines() if line.strip()][-1]
            assert footer == f"{BOOK} • {chapter} • page {number} of {len(pages)}"


def test_parallel_and_serial_handouts_are_identical(project_factory, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = project_factory({"alpha.txt": "= Alpha =\n\nOne.\n", "beta.txt": "= Beta =\n\nTwo.\n"})
    project = load_project(root)
    serial = build_handouts(project, [], tmp_path / "serial", jobs=1)
    parallel = build_handouts(project, [], tmp_path / "parallel", jobs=2)
    assert (serial.workers, parallel.workers) == (1, 2)
    for a, b in zip(serial.handouts, parallel.handouts, strict=True):
        assert a.path.name == b.path.name
        assert a.path.read_bytes() == b.path.read_bytes()


def test_cli_renders_one_chapter_or_all(project_factory, capsys):
    root = project_factory(
        {
            "alpha.txt": "= Alpha =\n\nOne.\n",
            "beta.txt": "= Beta =\n\nTwo.\n",
            "gamma.txt": "= G =\n",
        }
    )
    out = root / "dist" / "handouts"
    assert main(["handouts", "--chapter", "gamma", "--jobs", "1", "--project", str(root)]) == 0
    (root / "articles" / "gamma.txt").unlink()  # its handout 03-gamma.pdf is now outdated
    (out / "04-mine.pdf").write_bytes(b"%PDF mine")  # looks like a handout, but is the user's
    capsys.readouterr()

    assert main(["handouts", "--chapter", "beta", "--jobs", "1", "--project", str(root)]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "wrote dist/handouts/02-beta.pdf"
    assert lines[1].startswith("rendered 1 of 1 handout in ") and lines[1].endswith(
        " s (1 process)"
    )
    assert _listed(out) == ["02-beta.pdf", "03-gamma.pdf", "04-mine.pdf"]

    assert main(["handouts", "--project", str(root)]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[:2] == ["wrote dist/handouts/01-alpha.pdf", "wrote dist/handouts/02-beta.pdf"]
    assert lines[2].startswith("rendered 1 of 2 handouts in ")  # beta's was up to date
    # A full run removes the handout it wrote of a chapter that is gone, and nothing else.
    assert _listed(out) == ["01-alpha.pdf", "02-beta.pdf", "04-mine.pdf"]
    assert "One." in pdf_text(out / "01-alpha.pdf") and "Two." not in pdf_text(out / "01-alpha.pdf")

    # Only the handout of a changed chapter is rendered again.
    assert main(["handouts", "--project", str(root)]) == 0
    assert capsys.readouterr().err.splitlines()[-1] == "2 handouts up to date"
    (root / "articles" / "alpha.txt").write_text("= Alpha =\n\nOne, changed.\n", encoding="utf-8")
    assert main(["handouts", "--project", str(root)]) == 0
    assert capsys.readouterr().err.splitlines()[-1].startswith("rendered 1 of 2 handouts in ")
    assert "One, changed." in pdf_text(out / "01-alpha.pdf")


def _listed(folder: Path) -> list[str]:
    """The folder's files as a user lists them (the tool's hidden record aside)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_handouts_never_remove_files_the_tool_did_not_write(project_factory, tmp_path, capsys):
    # Issue #15, defect 1: `--out` a folder of the user's own papers.
    root = project_factory({"alpha.txt": "= Alpha =\n\nOne.\n"})
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "2023-tax-return.pdf").write_bytes(b"x")
    (papers / "1-receipt.pdf").write_bytes(b"x")
    for _ in range(2):  # the second run prunes with a record in place
        assert main(["handouts", "--out", str(papers), "--jobs", "1", "--project", str(root)]) == 0
    assert _listed(papers) == ["01-alpha.pdf", "1-receipt.pdf", "2023-tax-return.pdf"]
    assert (papers / "2023-tax-return.pdf").read_bytes() == b"x"


def test_cli_unknown_chapter_exits_1_naming_the_chapters(project_factory, capsys):
    root = project_factory({"alpha.txt": "= Alpha =\n\nOne.\n", "beta.txt": "= Beta =\n\nTwo.\n"})
    assert main(["handouts", "--chapter", "gamma", "--project", str(root)]) == 1
    assert (
        capsys.readouterr().err
        == "error: no chapter 'gamma' in this book (chapters: alpha, beta)\n"
    )
    assert not (root / "dist").exists()


def test_cli_jobs_must_be_positive(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["handouts", "--jobs", "0"])
    assert raised.value.code == 2
    assert (
        "argument --jobs: expected a whole number of 1 or more, got '0'" in capsys.readouterr().err
    )
