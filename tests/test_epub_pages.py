"""The EPUB's page list: page N of the e-book is where page N of the printed book starts."""

import pikepdf
import pytest

from diaspora_book.build import BuildRequest, build
from diaspora_book.project.config import load_project
from diaspora_book.render import html as html_module

from .conftest import copy_sample_project
from .readers import (
    EPUB_TYPE,
    NS,
    epub_documents,
    epub_nav_links,
    epub_spine,
    epub_text_after,
    epub_xml,
    missing_words,
    pdf_page_texts,
    pdf_pages,
)


def outputs(report):
    pdf = next(p for p in report.outputs if p.suffix == ".pdf")
    epub = next(p for p in report.outputs if p.suffix == ".epub")
    return pdf, epub


def test_page_list_has_every_printed_page_in_order(sample_build):
    pdf, epub = outputs(sample_build)
    with pikepdf.open(pdf) as document:
        count = len(document.pages)
    links = epub_nav_links(epub, "page-list")
    assert [label for _, _, label in links] == [str(n) for n in range(1, count + 1)]
    assert count > 2 * len(sample_build.chapters)  # front matter, chapters, back matter
    # The EPUB 2 NCX carries the same list for older reading systems.
    ncx = epub_xml(epub, "EPUB/toc.ncx")
    targets = ncx.findall("ncx:pageList/ncx:pageTarget", NS)
    assert [(t.get("value"), t.find("ncx:content", NS).get("src")) for t in targets] == [
        (label, href) for _, href, label in links
    ]


def test_text_after_each_marker_is_on_that_printed_page(sample_build):
    pdf, epub = outputs(sample_build)
    pages = pdf_page_texts(pdf)
    links = epub_nav_links(epub, "page-list")
    landmarks = {kind: href.split("#")[0] for kind, href, _ in epub_nav_links(epub, "landmarks")}
    checked = 0
    for index, (_, href, label) in enumerate(links):
        after = epub_text_after(epub, href)
        page = pages[int(label) - 1]
        if not page:  # a blank verso: it begins where the next page begins
            assert after == epub_text_after(epub, links[index + 1][1]), label
            continue
        # The e-book's copyright page has a heading that the printed page does without.
        # Its index links to sections where print gives page numbers: there only the
        # letter and the first term are compared, without punctuation.
        in_index = href.split("#")[0] == landmarks.get("index")
        words = [w.strip(".,:;()") for w in after.removeprefix("Copyright ").split()]
        words = words[: 2 if in_index else 4]
        assert missing_words(words, page) == [], (label, after, page[:200])
        checked += 1
    assert checked == sum(1 for page in pages if page)  # every page with text


def test_markers_are_page_breaks_with_an_accessible_name(sample_build):
    pdf, epub = outputs(sample_build)
    with pikepdf.open(pdf) as document:
        count = len(document.pages)
    markers = [
        marker
        for name in epub_spine(epub)
        for marker in epub_xml(epub, name).iterfind(f".//*[@{EPUB_TYPE}='pagebreak']", NS)
    ]
    assert [m.get("aria-label") for m in markers] == [str(n) for n in range(1, count + 1)]
    assert {(m.tag.split("}")[1], m.get("role"), m.text) for m in markers} == {
        ("span", "doc-pagebreak", None)
    }


def test_chapter_starts_where_the_printed_chapter_starts(sample_build):
    pdf, epub = outputs(sample_build)
    pages = pdf_page_texts(pdf)
    first = {
        title: n + 1
        for n, page in reversed(list(enumerate(pages)))
        for title in ("Uyghurs in Kazakhstan", "Chinese people in Kazakhstan")
        if page.startswith(title)
    }
    for title, number in first.items():
        href = next(h for _, h, label in epub_nav_links(epub, "page-list") if label == str(number))
        assert epub_text_after(epub, href).startswith(title)


@pytest.mark.slow
def test_block_ids_leave_the_print_layout_alone(sample_build, monkeypatch, tmp_path):
    """The ids exist for the EPUB; the printed lines must be the same without them."""
    pdf, _ = outputs(sample_build)
    monkeypatch.setattr(html_module, "lua_filter_args", lambda markdown: [])
    root = copy_sample_project(tmp_path / "book")  # the shared book is only read
    plain = build(
        load_project(root), BuildRequest(formats=("pdf",), out_dir=tmp_path / "out")
    ).outputs[0]
    assert pdf_pages(plain) == pdf_pages(pdf)


def test_paragraphs_are_not_left_in_the_block_id_wrappers(sample_build):
    """pandoc wraps each paragraph in a `block-id` div (cheaper than a span); the EPUB
    has its paragraphs side by side again (`p + p`), as the filter's span left them."""
    _, epub = outputs(sample_build)
    documents = epub_documents(epub)
    assert not any('class="block-id"' in text for text in documents.values())
    chapter = next(t for n, t in documents.items() if n.endswith(".xhtml") and "</p>\n<p" in t)
    assert chapter.count("<p") > 3
