"""A book made of fetched articles: built offline from what the lock pins, with the image
credits in the back matter and every licence on the copyright page."""

from __future__ import annotations

import pytest

from diaspora_book.build import BuildFailed, BuildRequest, build
from diaspora_book.check import run_checks
from diaspora_book.cli import main
from diaspora_book.project.config import load_project

from .checkers import epubcheck_messages, run_epubcheck
from .fake_wiki import SHARED_XML
from .readers import epub_documents, html_text, normalise, pdf_text
from .test_fetch import HTML_ARTIST, VECTOR, pear_wiki

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(
        not SHARED_XML.is_dir(), reason="../shared/wikipedia/xml (the real exports) is absent"
    ),
]


@pytest.fixture(scope="module")
def fetched_book(tmp_path_factory):
    """Pear fetched from the fake wiki, which is then shut down: the build has no network."""
    root = tmp_path_factory.mktemp("fetched") / "book"
    (root / "articles").mkdir(parents=True)
    (root / "book.yml").write_text("title: Pears\nlanguage: en\n", encoding="utf-8")
    wiki = pear_wiki()
    try:
        assert main(["--project", str(root), "fetch", "--wiki", wiki.api_url, "Pear"]) == 0
    finally:
        wiki.close()
    report = build(load_project(root))
    return root, report


def test_the_book_credits_each_image_and_names_every_licence(fetched_book):
    root, report = fetched_book
    pdf, epub = report.outputs
    text = normalise(pdf_text(pdf))
    # The copyright page: the text's licence, then every licence of the images shown.
    assert "The images are used under their own licences: CC BY-SA 4.0, Public domain." in text
    appendix = text[text.rindex("Image sources, licences and contributors") :]
    assert (
        f"{HTML_ARTIST} Pear, Author: Ali & Sara, Credit: Own work, Licence: CC BY-SA 4.0 "
        "https:// creativecommons.org/licenses/by-sa/4.0, "
        "https://commons.wikimedia.org/wiki/ File:Pear_tree_in_Hamedan_Iran.jpg" in appendix
    )
    assert f"{VECTOR} Pear, Author: Jane Doe, Credit: Own work, Licence: Public domain" in appendix
    assert "Bradford" not in appendix  # not free: neither fetched nor credited
    # Article sources: the registered contributors, and the anonymous ones as counted.
    assert "Contributors: ClueBot NG, Alice, Bob, Carol, Dmitri, 17 anonymous contributors" in text
    documents = " ".join(html_text(d) for d in epub_documents(epub).values())
    assert "Image sources, licences and contributors" in normalise(documents)
    assert "Author: Ali & Sara" in normalise(documents)
    assert epubcheck_messages(run_epubcheck(epub, root)) == []


def test_a_file_that_no_longer_matches_the_lock_stops_the_build(fetched_book, capsys):
    root, _ = fetched_book
    article = root / "articles" / "Pear.xml"
    image = root / "media" / VECTOR
    saved = article.read_bytes(), image.read_bytes()
    try:
        article.write_bytes(saved[0].replace(b"pear", b"PEAR", 1))
        image.unlink()
        with pytest.raises(BuildFailed) as failed:
            build(load_project(root), BuildRequest(formats=("pdf",)))
        problems = [str(d) for d in failed.value.diagnostics.errors]
        lines = (root / "articles.lock").read_text(encoding="utf-8").splitlines()
        article_line = lines.index("- file: articles/Pear.xml") + 1
        image_line = lines.index(f"- name: {VECTOR}") + 1
        assert problems[0].startswith(
            f"articles.lock:{article_line}: error: articles/Pear.xml no longer matches the lock "
            "(sha256 "
        )
        assert problems[1] == (
            f"articles.lock:{image_line}: error: media/{VECTOR} is pinned here but missing "
            "(`diaspora-book fetch` fetches the pinned revision again)"
        )
        assert main(["--project", str(root), "check"]) == 1
        assert f"articles.lock:{article_line}: error: articles/Pear.xml" in capsys.readouterr().err
    finally:
        article.write_bytes(saved[0])
        image.write_bytes(saved[1])
    assert not run_checks(load_project(root)).errors


def test_a_broken_lock_or_credits_file_is_an_error_at_its_line(tmp_path, capsys):
    root = tmp_path / "book"
    (root / "articles").mkdir(parents=True)
    (root / "articles" / "a.txt").write_text("= A =\n\nText.\n", encoding="utf-8")
    (root / "articles.lock").write_text(
        "articles:\n- file: articles/a.xml\n  wiki: en.wikipedia.org\n  title: A\n",
        encoding="utf-8",
    )
    (root / "media").mkdir()
    (root / "media" / "credits.yml").write_text(
        "x.jpg:\n  author: A\n  licens: CC0\n", encoding="utf-8"
    )
    assert main(["--project", str(root), "check"]) == 1
    err = capsys.readouterr().err
    assert (
        "articles.lock:2: error: articles.lock: an entry needs exactly file, wiki, title, "
        "revision, size, sha256 (articles.lock is written by `diaspora-book fetch`)" in err
    )
    assert (
        "media/credits.yml:1: error: unknown key 'licens' in the credit of 'x.jpg' "
        "(a credit has: description, author, credit, licence, licence_url)" in err
    )


def test_a_whole_session_fetch_build_update_build(tmp_path, capsys):
    """The README's session: fetch two articles, build, update one, build again."""
    from .fake_wiki import export_page

    root = tmp_path / "book"
    root.mkdir()
    wiki = pear_wiki()
    try:
        quince = export_page(SHARED_XML / "enwiki-Pear-export-0.10.xml")
        quince.title, quince.page_id = "Quince", 555
        quince.revisions[-1]["text"] = "The '''quince''' is a pome, like the [[pear]]."
        wiki.add_page(quince)
        (root / "book.yml").write_text(f"title: Pears\nwiki: {wiki.api_url}\n", encoding="utf-8")
        assert main(["--project", str(root), "fetch", "Pear", "Quince"]) == 0
        request = BuildRequest(formats=("pdf",))
        first = normalise(pdf_text(build(load_project(root), request).outputs[0]))
        assert "Quince, revision 638548877 of" in first and "like the pear" in first
        edit = wiki.edit("Quince", "The '''quince''' is a pome; its fruit is golden.")
        assert main(["--project", str(root), "fetch", "--update"]) == 0
        assert f"Quince: revision 638548877 -> {edit['revid']} (" in capsys.readouterr().err
    finally:
        wiki.close()
    second = normalise(pdf_text(build(load_project(root), request).outputs[0]))
    assert f"Quince, revision {edit['revid']} of January 2, 2025" in second
    assert "its fruit is golden" in second and "like the pear" not in second
