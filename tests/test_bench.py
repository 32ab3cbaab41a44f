"""The benchmark's generator and runner, run small so that they cannot rot.

Speed targets live in `bench/RESULTS.md`, never here: these tests check that the
corpus is deterministic and faithful to the samples, and that one tiny run of the
runner builds both sides and writes a results file that matches the built books.
"""

from __future__ import annotations

import pypandoc
import pytest
from bench import baseline, corpus
from bench.__main__ import main as bench_main

from diaspora_book.model import BulletList, Heading, Paragraph
from diaspora_book.read.plain_text import parse_file

from .readers import pdf_pages, pdf_text


def _paragraphs(path):
    article, diagnostics = parse_file(path, path.name)
    assert not diagnostics.errors
    return article, [b.text for b in article.blocks if isinstance(b, Paragraph)]


def test_corpus_is_deterministic_with_distinct_titles():
    first = corpus.generate(12)
    assert first == corpus.generate(12)
    assert corpus.generate(12, seed=8) != first
    assert len({a.title for a in first}) == 12
    assert len({a.filename for a in first}) == 12


def test_titles_stay_distinct_beyond_the_subject_pairs():
    titles = corpus.titles(300)
    assert len(set(titles)) == 300
    assert "(part 2)" in titles[-1]


def test_generated_articles_reuse_sample_text_and_keep_every_script(tmp_path):
    sample_paragraphs: set[str] = set()
    for path in corpus.SAMPLE_DIR.glob("*.txt"):
        sample_paragraphs |= set(_paragraphs(path)[1])
    written = corpus.write_project(tmp_path / "book", 20)
    assert (tmp_path / "book" / "book.yml").is_file()
    for item in written:
        path = tmp_path / "book" / "articles" / item.filename
        article, paragraphs = _paragraphs(path)
        assert article.title == item.title
        assert set(paragraphs) <= sample_paragraphs, item.filename
        assert corpus.ARABIC.search(item.text) and corpus.HAN.search(item.text), item.filename
        headings = [b.text for b in article.blocks if isinstance(b, Heading)]
        assert 4 <= len(headings) <= 8 and headings[-1] == "See also"
        assert len(headings) == len(set(headings))
        assert isinstance(article.blocks[-1], BulletList) and article.blocks[-1].see_also


def test_baseline_markdown_uses_line_rules_only():
    text = "= Alpha =\n\nInfobox\n- Kind: test\n\nFirst *para*.\n== Part ==\n- one\n"
    assert baseline.article_markdown(text) == (
        "# Alpha\n\n- Kind: test\n\nFirst *para*.\n\n## Part\n\n- one\n"
    )


@pytest.mark.slow
def test_runner_builds_both_sides_and_writes_results(tmp_path, capsys):
    results = tmp_path / "RESULTS.md"
    work = tmp_path / "out"
    absent = tmp_path / "no-such-articles"
    argv = ["--sizes", "2", "--repeats", "1", "--profile-size", "2", "--no-warm-up"]
    argv += ["--real", str(absent)]
    assert bench_main([*argv, "--work", str(work), "--results", str(results)]) == 0

    pipeline_pdf = next((work / "2" / "pipeline").glob("*.pdf"))
    baseline_pdf = work / "2" / "baseline" / "book.pdf"
    titles = [a.title for a in corpus.generate(2)]
    for pdf in (pipeline_pdf, baseline_pdf):
        text = pdf_text(pdf)
        assert all(title in text for title in titles), pdf
    assert (work / "2" / "baseline" / "book.epub").is_file()
    peer_pdf = work / "2" / "peer" / "book.pdf"
    assert all(title in pdf_text(peer_pdf) for title in titles)  # pandoc -> Typst, same text

    text = results.read_text(encoding="utf-8")
    pages = f"{len(pdf_pages(pipeline_pdf))} / {len(pdf_pages(baseline_pdf))}"
    assert f"\n| 2 | 1 | {pages} | " in text
    assert f"| pandoc | {pypandoc.get_pandoc_version()} |" in text
    assert "## 2 articles, per stage" in text
    # The peer, pandoc -> Typst, on the same Markdown in the same run: its own pages.
    assert "## The peer: pandoc → Typst" in text
    assert f"\n| 2 | {len(pdf_pages(peer_pdf))} | " in text
    # The real-size book: a clear note when its articles are absent.
    assert f"## A real-size book\n\nNot measured: `{absent}` is absent" in text
    assert "| **full build** (PDF + EPUB) | " in text
    assert "Not found to time" not in text  # every stage the worker times still exists
    assert "`diaspora_book/build.py:" in text  # the profile names the pipeline's functions
    assert (work / "profile-2.prof").is_file()
    assert "| full build ≤ 1.30 × baseline, 2 articles | " in capsys.readouterr().out
    # Rebuilds: an edit, a grown chapter, watch; the PDF's size against one process.
    assert "## Incremental rebuilds (2 articles)" in text
    assert "| one sentence of one article edited | " in text
    assert "| `watch`: edit saved → PDF replaced | " in text
    assert "each face embedded once | " in text
    # The chart beside the results, linked from them, one point per size and side.
    svg = (tmp_path / "scaling.svg").read_text(encoding="utf-8")
    assert "](scaling.svg)" in text
    assert svg.startswith("<svg") and svg.count("<circle") == 4


@pytest.mark.corpus
def test_real_size_book_is_built_rebuilt_and_profiled(tmp_path):
    from bench import real

    if not real.SHARED_EN.is_dir():
        pytest.skip(f"{real.SHARED_EN} is absent (the real articles live in ../shared)")
    articles = tmp_path / "articles"  # the two shortest of the thirteen, to keep it quick
    articles.mkdir()
    for name in ("Teymanak-e_Olya.wiki", "Irina_Saratovtseva.wiki"):
        (articles / name).write_bytes((real.SHARED_EN / name).read_bytes())
    result = real.measure_real(tmp_path / "work", articles, profile=True, log=lambda _: None)
    assert result.articles == 2 and result.pages == len(pdf_pages(result.full.outputs["pdf"]))
    assert "Irina Saratovtseva" in pdf_text(result.full.outputs["pdf"])
    assert 0 < result.edit and result.edited == "Teymanak-e_Olya.wiki"
    assert result.profile is not None and result.profile.is_file()
    section = "\n".join(real.section(articles, result, ["(profile)"]))
    assert "| **full build** (PDF + EPUB) | " in section
    assert f"one sentence of `{result.edited}` edited | {result.edit:.1f} |" in section
