"""`diaspora-book fetch` against a MediaWiki Action API served on 127.0.0.1 by the test.

The wiki's answers are built from the shared real exports ("Pear", "Berlin"); no test
touches the internet.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from PIL import Image

from diaspora_book.cli import main
from diaspora_book.plumbing.errors import BookError
from diaspora_book.project.config import load_project
from diaspora_book.read.fetch import http
from diaspora_book.read.fetch.run import FetchRequest, fetch
from diaspora_book.read.mediawiki.export import read_export

from .fake_wiki import CC_BY_SA, PUBLIC_DOMAIN, SHARED_XML, SVG, FakeWiki, File, drawn_image
from .fake_wiki import export_page as shared_page

pytestmark = pytest.mark.skipif(
    not SHARED_XML.is_dir(), reason="../shared/wikipedia/xml (the real exports) is absent"
)

PEAR_PEOPLE = ["ClueBot NG", "Alice", "Bob", "Carol", "Dmitri"]
# How each file the real "Pear" article shows is offered by the fake wiki.
LARGE = "Pyrus pyrifolia.jpg"  # 4000 px wide: fetched as the 2480 px thumbnail
NON_FREE = "Bradford 9288.JPG"
UNLICENSED = "204VicarWinkfield.jpg"
HTML_ARTIST = "Pear tree in Hamedan Iran.jpg"
VECTOR = "2005pear and quince.svg"


def pear_wiki() -> FakeWiki:
    wiki = FakeWiki()
    page = wiki.add_page(shared_page(SHARED_XML / "enwiki-Pear-export-0.10.xml"))
    page.contributors, page.anonymous = list(PEAR_PEOPLE), 17
    for name in re.findall(r"\[\[File:([^|\]]*)", page.revisions[-1]["text"]):
        wiki.add_file(File(name, drawn_image("JPEG"), "image/jpeg", CC_BY_SA))
    wiki.add_file(File(LARGE, drawn_image("JPEG", 3000, 60), "image/jpeg", CC_BY_SA))
    wiki.add_file(
        File(NON_FREE, drawn_image("JPEG"), "image/jpeg", {**CC_BY_SA, "NonFree": "true"})
    )
    wiki.add_file(File(UNLICENSED, drawn_image("JPEG"), "image/jpeg", {}))
    wiki.add_file(
        File(
            HTML_ARTIST,
            drawn_image("JPEG"),
            "image/jpeg",
            CC_BY_SA,
            artist='<a href="//commons.wikimedia.org/wiki/User:Ali">Ali &amp; <b>Sara</b></a>'
            "<script>alert('x')</script>",
            credit='<span class="int-own-work" lang="en">Own work</span>',
        )
    )
    wiki.add_file(File(VECTOR, SVG, "image/svg+xml", PUBLIC_DOMAIN))
    return wiki


@pytest.fixture
def wiki():
    served = pear_wiki()
    yield served
    served.close()


@pytest.fixture
def book(tmp_path) -> Path:
    root = tmp_path / "book"
    (root / "articles").mkdir(parents=True)
    return root


def run(book: Path, *args: str) -> int:
    return main(["--project", str(book), "fetch", *args])


def test_fetch_writes_an_export_the_reader_reads_back(wiki, book, capsys):
    assert run(book, "--wiki", wiki.api_url, "Pear") == 0
    data = (book / "articles" / "Pear.xml").read_text(encoding="utf-8")
    (page,) = read_export(data, "articles/Pear.xml")
    real = wiki.pages["Pear"].revisions[-1]
    assert page.title == "Pear"
    assert page.text == real["text"]
    assert page.revision.revision_id == "638548877"
    assert page.revision.timestamp == "2014-12-17T21:09:18Z"
    # The revision's author, then every registered contributor the API lists (over
    # its two continued answers), and the anonymous ones as it counts them.
    assert page.revision.contributors == tuple(PEAR_PEOPLE)
    assert page.revision.anonymous == 17
    assert (
        page.revision.url == f"http://127.0.0.1:{wiki.api.server_port}/w/index.php?oldid=638548877"
    )
    assert page.page_id == "24278"
    assert "<sha1>1ywwm7o751gkr3fj9l7rqpl0s8o87b1</sha1>" in data  # as Special:Export has it
    # The wiki's own words, from meta=siteinfo.
    assert '<namespace key="6" case="first-letter">File</namespace>' in data
    assert '<book:alias key="6">Image</book:alias>' in data
    assert "<book:alias>#REDIRECT</book:alias>" in data
    err = capsys.readouterr().err
    assert "fetched 1 article and 6 images" in err


def test_images_at_print_width_with_credits_and_licences(wiki, book, capsys):
    assert run(book, "--wiki", wiki.api_url, "Pear") == 0
    asked = [p for p in wiki.api_requests() if p.get("prop") == "imageinfo"]
    assert {p["iiurlwidth"] for p in asked} == {"2480"}  # A4's 210 mm at 300 dpi
    media = book / "media"
    assert Image.open(media / LARGE).width == 2480  # the thumbnail print needs
    assert Image.open(media / "PearBlossomsCalifornia.jpg").width == 64  # never enlarged
    assert (media / VECTOR).read_bytes() == SVG  # SVG kept as SVG
    assert not (media / NON_FREE).exists() and not (media / UNLICENSED).exists()
    err = capsys.readouterr().err
    assert f"warning: Pear: the image '{NON_FREE}' is not fetched: it is not free (NonFree)" in err
    assert (
        f"warning: Pear: the image '{UNLICENSED}' is not fetched: "
        "its description page names no licence" in err
    )
    credits = yaml.safe_load((media / "credits.yml").read_text(encoding="utf-8"))
    assert credits[HTML_ARTIST] == {
        "description": "https://commons.wikimedia.org/wiki/File:Pear_tree_in_Hamedan_Iran.jpg",
        "author": "Ali & Sara",  # HTML became plain text; the script is gone
        "credit": "Own work",
        "licence": "CC BY-SA 4.0",
        "licence_url": "https://creativecommons.org/licenses/by-sa/4.0",
    }
    assert credits[VECTOR]["licence"] == "Public domain"
    assert NON_FREE not in credits


def test_the_lock_pins_articles_and_images(wiki, book):
    assert run(book, "--wiki", wiki.api_url, "Pear") == 0
    lock = yaml.safe_load((book / "articles.lock").read_text(encoding="utf-8"))
    (article,) = lock["articles"]
    xml = (book / "articles" / "Pear.xml").read_bytes()
    assert article == {
        "file": "articles/Pear.xml",
        "wiki": wiki.api_url,
        "title": "Pear",
        "revision": 638548877,
        "size": len(wiki.pages["Pear"].revisions[-1]["text"].encode("utf-8")),
        "sha256": hashlib.sha256(xml).hexdigest(),
    }
    images = {i["name"]: i for i in lock["images"]}
    assert len(images) == 6
    svg = images[VECTOR]
    assert svg["sha1"] == hashlib.sha1(SVG).hexdigest() and svg["licence"] == "Public domain"
    large = (book / "media" / LARGE).read_bytes()
    assert images[LARGE]["sha1"] == hashlib.sha1(large).hexdigest()


def test_a_good_citizen_of_the_wiki(wiki, book):
    """User-Agent with name, version and contact; maxlag=5 on every API request; at most
    two requests at a time; no credentials."""
    for title in ("Apple", "Quince", "Medlar"):
        page = shared_page(SHARED_XML / "enwiki-Pear-export-0.10.xml")
        page.title, page.page_id = title, page.page_id + len(wiki.pages)
        page.revisions[-1]["text"] = f"'''{title}''' is a fruit.\n\n[[File:{LARGE}|thumb|A tree]]"
        wiki.add_page(page)
    wiki.delay = 0.05
    assert run(book, "--wiki", wiki.api_url, "Pear", "Apple", "Quince", "Medlar") == 0
    assert wiki.most_in_flight == 2
    agents = {headers.get("User-Agent") for _, _, headers in wiki.requests}
    (agent,) = agents
    assert agent.startswith("diaspora-book/0.1.0 (https://") and "httpx/" in agent
    assert all(p["maxlag"] == "5" for p in wiki.api_requests())
    assert not any("Authorization" in h or "Cookie" in h for _, _, h in wiki.requests)
    assert sorted(p.name for p in (book / "articles").iterdir()) == [
        "Apple.xml",
        "Medlar.xml",
        "Pear.xml",
        "Quince.xml",
    ]


def test_a_second_run_fetches_only_what_is_missing(wiki, book, capsys):
    assert run(book, "--wiki", wiki.api_url, "Pear") == 0
    before = {p.name: p.read_bytes() for p in (book / "media").iterdir()}
    (book / "media" / VECTOR).unlink()
    asked = len(wiki.requests)
    assert run(book, "--wiki", wiki.api_url, "Pear") == 0
    again = wiki.requests[asked:]
    # siteinfo, one imageinfo, one download: the article itself is not asked for again
    assert [params.get("prop") or params.get("meta") for _, params, _ in again[:2]] == [
        "siteinfo",
        "imageinfo",
    ]
    assert [unquote(path) for path, _, _ in again[2:]] == [f"/images/{VECTOR}"]
    assert {p.name: p.read_bytes() for p in (book / "media").iterdir()} == before
    assert capsys.readouterr().err.endswith(
        "fetched 1 article and 6 images\nfetched 0 articles and 1 image; 1 up to date\n"
    )


def test_a_fresh_clone_is_restored_from_the_lock_at_the_pinned_revisions(wiki, book, capsys):
    assert run(book, "--wiki", wiki.api_url, "Pear") == 0
    pinned = {p: p.read_bytes() for p in book.rglob("*") if p.is_file()}
    wiki.edit("Pear", "A pear has changed since.")  # the wiki moved on
    for path in [*(book / "media").iterdir(), book / "articles" / "Pear.xml"]:
        if path.name != "credits.yml":
            path.unlink()
    capsys.readouterr()
    assert run(book) == 0  # no TITLE: whatever the lock pins and is missing
    assert {p: p.read_bytes() for p in book.rglob("*") if p.is_file()} == pinned
    assert "differs from the pinned one" not in capsys.readouterr().err
    wiki.pages["Pear"].contributors.append("Eve")  # the page's credits grew
    (book / "articles" / "Pear.xml").unlink()
    assert run(book) == 0
    (page,) = read_export((book / "articles" / "Pear.xml").read_text(encoding="utf-8"), "x")
    assert page.revision.revision_id == "638548877" and page.revision.contributors[-1] == "Eve"
    assert (
        "warning: articles/Pear.xml: fetched again at its pinned revision 638548877, but the file "
        "differs from the pinned one" in capsys.readouterr().err
    )


def test_without_update_nothing_fetched_changes_and_update_says_what_changed(wiki, book, capsys):
    assert run(book, "--wiki", wiki.api_url, "Pear") == 0
    pinned = (book / "articles" / "Pear.xml").read_bytes()
    old_size = len(wiki.pages["Pear"].revisions[-1]["text"].encode("utf-8"))
    new = wiki.edit("Pear", wiki.pages["Pear"].revisions[-1]["text"] + "\n\nA new paragraph.")
    capsys.readouterr()
    assert run(book, "--wiki", wiki.api_url, "Pear") == 0
    assert (book / "articles" / "Pear.xml").read_bytes() == pinned
    assert "1 up to date" in capsys.readouterr().err
    assert run(book, "--update") == 0  # the lock says which wiki
    err = capsys.readouterr().err
    new_size = old_size + len("\n\nA new paragraph.")
    assert f"Pear: revision 638548877 -> {new['revid']} ({old_size:,} -> {new_size:,} bytes)" in err
    (page,) = read_export((book / "articles" / "Pear.xml").read_text(encoding="utf-8"), "x")
    assert page.revision.revision_id == str(new["revid"]) and page.text.endswith("A new paragraph.")
    lock = yaml.safe_load((book / "articles.lock").read_text(encoding="utf-8"))
    assert lock["articles"][0]["revision"] == new["revid"]
    assert run(book, "--update") == 0
    assert "fetched 0 articles and 0 images; 1 up to date" in capsys.readouterr().err


def test_a_fetched_file_an_editor_changed_is_left_as_it_is(wiki, book, capsys):
    assert run(book, "--wiki", wiki.api_url, "Pear") == 0
    path = book / "articles" / "Pear.xml"
    path.write_text(path.read_text(encoding="utf-8").replace("pear", "PEAR"), encoding="utf-8")
    edited = path.read_bytes()
    assert run(book, "--wiki", wiki.api_url, "Pear") == 0
    assert path.read_bytes() == edited
    assert "warning: articles/Pear.xml was changed since it was fetched" in capsys.readouterr().err


def test_category_with_depth(wiki, book):
    for title in ("Apple", "Quince"):
        page = shared_page(SHARED_XML / "enwiki-Pear-export-0.10.xml")
        page.title, page.page_id = title, page.page_id + len(wiki.pages)
        page.revisions[-1]["text"] = f"'''{title}''' is a fruit."
        wiki.add_page(page)
    wiki.categories = {
        "Category:Fruits": ["Pear", "Category:Pomes"],
        "Category:Pomes": ["Apple", "Quince", "Pear"],
    }
    assert run(book, "--wiki", wiki.api_url, "--category", "Fruits") == 0
    assert sorted(p.name for p in (book / "articles").iterdir()) == ["Pear.xml"]
    assert run(book, "--wiki", wiki.api_url, "--category", "Fruits", "--depth", "1") == 0
    assert sorted(p.name for p in (book / "articles").iterdir()) == [
        "Apple.xml",
        "Pear.xml",
        "Quince.xml",
    ]


def test_a_redirect_is_followed_and_said(wiki, book, capsys):
    wiki.redirects["Pyrus"] = "Pear"
    assert run(book, "--wiki", wiki.api_url, "Pyrus", "Pear") == 0
    err = capsys.readouterr().err
    assert "Pyrus: a redirect to 'Pear', followed" in err
    assert err.endswith("fetched 1 article and 6 images; 1 up to date\n")  # the page once
    assert [p.name for p in (book / "articles").iterdir()] == ["Pear.xml"]
    firsts = [
        p for p in wiki.api_requests() if p.get("prop") == "contributors" and "pccontinue" not in p
    ]
    assert len(firsts) == 1


def test_a_disambiguation_page_is_warned(wiki, book, capsys):
    page = shared_page(SHARED_XML / "enwiki-Pear-export-0.10.xml")
    page.title, page.page_id, page.disambiguation = "Pear (disambiguation)", 77, True
    page.revisions[-1]["text"] = "'''Pear''' may refer to:\n* [[Pear]], a fruit"
    wiki.add_page(page)
    assert run(book, "--wiki", wiki.api_url, "Pear (disambiguation)") == 0
    assert (
        "warning: 'Pear (disambiguation)' is a disambiguation page (a list of articles, "
        "not an article) (fetch the article you meant instead)" in capsys.readouterr().err
    )


def test_a_missing_page_is_an_error_and_nothing_is_written(wiki, book, capsys):
    assert run(book, "--wiki", wiki.api_url, "No such fruit") == 1
    host = f"127.0.0.1:{wiki.api.server_port}"
    assert capsys.readouterr().err == f"error: {host}: 'No such fruit': there is no such page\n"
    assert list((book / "articles").iterdir()) == [] and not (book / "articles.lock").exists()


def test_429_and_503_wait_as_retry_after_asks(wiki, book):
    waits: list[float] = []
    wiki.fail("429")
    wiki.fail("503")
    wiki.fail("maxlag")
    wiki.fail("503", server="upload")
    project = load_project(book)
    fetch(project, FetchRequest(("Pear",), wiki.api_url), sleep=waits.append)
    assert waits == [3.0, 3.0, 5.0, 3.0]
    assert (book / "articles" / "Pear.xml").is_file()


def test_a_wiki_that_stays_busy_is_an_error_after_bounded_tries(wiki, book, capsys):
    waits: list[float] = []
    wiki.fail("503", times=http.ATTEMPTS)
    with pytest.raises(BookError) as raised:
        fetch(load_project(book), FetchRequest(("Pear",), wiki.api_url), sleep=waits.append)
    assert str(raised.value) == (
        f"error: 127.0.0.1:{wiki.api.server_port}: still refused after 5 tries (HTTP 503) "
        "(the wiki is busy: try again later; what was already fetched is kept)"
    )
    assert waits == [3.0] * (http.ATTEMPTS - 1)
    assert list((book / "articles").iterdir()) == []


def test_backoff_doubles_without_retry_after_and_is_bounded():
    class Busy:
        headers: dict[str, str] = {}

    waits: list[float] = []
    client = http.WikiClient("http://127.0.0.1:9/w/api.php", sleep=waits.append)
    for attempt in range(1, http.ATTEMPTS):
        client._wait(Busy(), attempt, "HTTP 429")  # type: ignore[arg-type]
    Busy.headers = {"Retry-After": "86400"}
    client._wait(Busy(), 1, "HTTP 429")  # type: ignore[arg-type]
    assert waits == [2.0, 4.0, 8.0, 16.0, http.LONGEST_PAUSE]


def test_a_pause_the_wiki_asks_for_holds_every_thread():
    import threading

    class Busy:
        headers = {"Retry-After": "30"}

    waits: list[float] = []
    client = http.WikiClient("http://127.0.0.1:9/w/api.php", sleep=waits.append)
    told = threading.Thread(target=client._wait, args=(Busy(), 1, "HTTP 429"))
    told.start()
    told.join()
    assert waits == [30.0]  # the thread that was told
    client._hold()  # another thread, about to send
    client._hold()  # and its next request: the same pause is not waited twice
    assert len(waits) == 2 and 29.0 < waits[1] <= 30.0


def test_a_truncated_answer_is_an_error_and_nothing_is_half_written(wiki, book, capsys):
    assert run(book, "--wiki", wiki.api_url, "Pear") == 0
    wiki.edit("Pear", "'''Pear''' changed.\n\n[[File:Alexander Lucas 10.10.10.jpg]]")
    wiki.fail("truncate")  # siteinfo is asked first; then the revisions
    wiki.faults.append(("api", "none"))
    wiki.faults.rotate(1)
    before = {p: p.read_bytes() for p in book.rglob("*") if p.is_file()}
    assert run(book, "--update") == 1
    err = capsys.readouterr().err
    assert re.search(r"error: 127\.0\.0\.1:\d+: the answer for .* was cut short", err), err
    assert {p: p.read_bytes() for p in book.rglob("*") if p.is_file()} == before  # no .part


def test_a_timeout_is_an_error(wiki, book, capsys, monkeypatch):
    monkeypatch.setattr(http, "TIMEOUT", 0.5)
    wiki.fail("slow")
    assert run(book, "--wiki", wiki.api_url, "Pear") == 1
    err = capsys.readouterr().err
    assert f"error: 127.0.0.1:{wiki.api.server_port}: no answer within 0.5 s (timeout)" in err
    assert list((book / "articles").iterdir()) == []


def test_a_full_disk_is_an_error_naming_the_file(wiki, tmp_path, capsys):
    from .mounts import mounted_tmpfs

    with mounted_tmpfs(tmp_path / "small", "size=24k") as root:
        (root / "articles").mkdir()
        assert run(root, "--wiki", wiki.api_url, "Pear") == 1
        err = capsys.readouterr().err
        assert "error: cannot write " in err and "No space left on device" in err
        assert not [p for p in root.rglob("*.part")]
        assert not (root / "articles" / "Pear.xml").exists()


def test_urls_off_the_wikis_hosts_are_never_followed(wiki, book, capsys):
    elsewhere = "http://127.0.0.2:9/evil.jpg"
    small = "Alexander Lucas 10.10.10.jpg"  # smaller than print width: the file itself
    wiki.files[small].url = elsewhere
    wiki.files["PearBlossomsCalifornia.jpg"].url = "file:///etc/passwd"
    wiki.files["Pear tree in Hamedan Iran.jpg"].url = wiki.upload_url.replace("://", "://u:p@")
    assert run(book, "--wiki", wiki.api_url, "Pear") == 0
    err = capsys.readouterr().err
    assert f"the image '{small}' is not fetched: its URL '{elsewhere}' is not http(s)" in err
    assert "'PearBlossomsCalifornia.jpg' is not fetched: its URL 'file:///etc/passwd'" in err
    assert "'Pear tree in Hamedan Iran.jpg' is not fetched: its URL 'http://u:p@" in err
    assert not any("Authorization" in headers for _, _, headers in wiki.requests)
    assert not any(path.startswith("/evil") for path, _, _ in wiki.requests)
    assert not (book / "media" / small).exists()


def test_a_file_name_never_leaves_media(wiki, book, capsys):
    page = wiki.pages["Pear"]
    page.revisions[-1]["text"] += (
        "\n[[File:../../evil.jpg]]\n<gallery>\nFile:..%2Fx.jpg|a\nFile:a/b.jpg|b\n</gallery>"
    )
    wiki.add_file(File("../../evil.jpg", drawn_image("JPEG"), "image/jpeg", CC_BY_SA))
    assert run(book, "--wiki", wiki.api_url, "Pear") == 0
    err = capsys.readouterr().err
    assert "the file name '../../evil.jpg' could leave media/; not fetched" in err
    assert "the file name 'a/b.jpg' could leave media/; not fetched" in err
    assert sorted(p.name for p in book.parent.iterdir()) == ["book"]
    assert all(p.parent == book / "media" for p in (book / "media").iterdir())


def test_wiki_comes_from_book_yml_and_usage_errors(wiki, book, capsys):
    assert run(book, "Pear") == 1
    assert "which wiki? give --wiki" in capsys.readouterr().err
    (book / "book.yml").write_text(f"title: Fruit\nwiki: {wiki.api_url}\n", encoding="utf-8")
    assert run(book, "Pear") == 0
    capsys.readouterr()
    (book / "articles.lock").unlink()
    assert run(book) == 2
    assert "give TITLEs, --category NAME or --update" in capsys.readouterr().err
    assert main(["--project", str(book.parent / "new"), "fetch"]) == 2
    assert not (book.parent / "new").exists()
    capsys.readouterr()
    (book / "book.yml").write_text("title: Fruit\nwiki: file:///etc/passwd\n", encoding="utf-8")
    assert run(book, "Pear") == 1
    assert capsys.readouterr().err == (
        "book.yml:2: error: 'wiki' must be a wiki's host or the URL of its api.php, not "
        "'file:///etc/passwd' (e.g. en.wikipedia.org, or https://wiki.example.org/w/api.php)\n"
    )
    (book / "book.yml").write_text(f"title: Fruit\nwiki: {wiki.api_url}\n", encoding="utf-8")
    assert run(book, "--depth", "2", "Pear") == 2
    assert "--depth goes with --category" in capsys.readouterr().err
    assert run(book, "--wiki", "ftp://example.org/api.php", "Pear") == 1
    assert "is not an http(s) URL of a wiki's api.php" in capsys.readouterr().err
    secret = wiki.api_url.replace("://", "://me:secret@")
    assert run(book, "--wiki", secret, "Quince") == 1
    assert "holds a user name or password; fetch sends no credentials" in capsys.readouterr().err


def test_berlin_from_a_wiki_with_its_own_words(book, capsys):
    """A Kazakh wiki calls files 'Сурет:': its siteinfo says so, so Berlin's images are found,
    and the export keeps those words for the reader."""
    wiki = FakeWiki(lang="kk")
    try:
        page = wiki.add_page(shared_page(SHARED_XML / "kkwiki-Berlin.xml"))
        page.contributors, page.anonymous = ["Kasymov", "Arystanbek"], 3
        names = re.findall(r"\[\[Сурет:([^|\]]*)", page.revisions[-1]["text"])
        assert names
        for name in names:
            wiki.add_file(File(name, drawn_image("JPEG"), "image/jpeg", CC_BY_SA))
        assert run(book, "--wiki", wiki.api_url, "Берлин") == 0
        (found,) = read_export((book / "articles" / "Берлин.xml").read_text(encoding="utf-8"), "x")
        assert found.revision.revision_id == "2762862"
        assert found.revision.contributors == ("Kasymov", "Arystanbek")
        assert found.revision.anonymous == 3
        data = (book / "articles" / "Берлин.xml").read_text(encoding="utf-8")
        assert '<namespace key="6" case="first-letter">Сурет</namespace>' in data
        fetched = sorted(p.name for p in (book / "media").iterdir() if p.suffix != ".yml")
        assert fetched == sorted({n.replace("_", " ") for n in names})
        # What the reader reads the wiki's words from: which wiki, and its namespaces.
        assert "<dbname>kkwiki</dbname>" in data and 'xml:lang="kk"' in data
        assert '<namespace key="14" case="first-letter">Санат</namespace>' in data
    finally:
        wiki.close()


def test_a_progress_line_per_article(wiki, book, capsys):
    assert run(book, "--wiki", wiki.api_url, "Pear") == 0
    assert "fetch: 1/1 Pear\n" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("licence", "problem"),
    [
        ({"License": "cc-by-sa-3.0-de", "LicenseShortName": "CC BY-SA 3.0 de"}, ""),
        ({"License": "cc-by-sa-3.0-migrated"}, ""),
        ({"License": "cc0", "LicenseShortName": "CC0"}, ""),
        ({"License": "pd", "LicenseShortName": "Public domain"}, ""),
        ({"License": "gfdl", "LicenseShortName": "GFDL"}, ""),
        ({"LicenseShortName": "Public domain"}, ""),
        (
            {"License": "cc-by-nc-sa-2.0", "LicenseShortName": "CC BY-NC-SA 2.0"},
            "its licence (CC BY-NC-SA 2.0) forbids changes or commercial use",
        ),
        (
            {"License": "cc-by-nd-4.0"},
            "its licence (cc-by-nd-4.0) forbids changes or commercial use",
        ),
        (
            {"LicenseShortName": "Fair use"},
            "its licence (Fair use) forbids changes or commercial use",
        ),
        ({"License": "cc-by-4.0", "NonFree": "true"}, "it is not free (NonFree)"),
        (
            {"LicenseShortName": "All rights reserved"},
            "its licence (All rights reserved) is not one known to be free",
        ),
        ({}, "its description page names no licence"),
    ],
)
def test_which_licences_a_book_may_use(licence, problem):
    from diaspora_book.read.fetch.images import licence_problem

    extmetadata = {key: {"value": value} for key, value in licence.items()}
    assert licence_problem({"extmetadata": extmetadata}) == problem


def test_the_progress_bar_on_a_terminal():
    from diaspora_book.plumbing.progress import LiveProgress

    stream = io.StringIO()
    progress = LiveProgress("normal", stream)
    with progress.counting("fetch", 2) as done:
        done("Pear")
        done("Quince")
    shown = stream.getvalue()
    assert "fetch" in shown and "2/2" in shown and "Quince" in shown


def test_an_answer_of_the_wrong_shape_is_a_clear_error(wiki, book, capsys):
    wiki.pages["Pear"].page_id = "not a number"  # type: ignore[assignment]
    assert run(book, "--wiki", wiki.api_url, "Pear") == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"error: 127.0.0.1:{wiki.api.server_port}: the API's answer to page_revision has an "
        "unexpected shape (ValueError: "
    )
    assert "Traceback" not in err and list((book / "articles").iterdir()) == []


def test_credits_an_editor_wrote_stay_as_they_were(wiki, book):
    (book / "media").mkdir()
    own = (
        "# My own photographs first.\n"
        "Orchard.jpg:\n"
        "  author: Me  # taken in 2019\n"
        "  licence: CC0 1.0\n"
    )
    (book / "media" / "credits.yml").write_text(own, encoding="utf-8")
    assert run(book, "--wiki", wiki.api_url, "Pear") == 0
    text = (book / "media" / "credits.yml").read_text(encoding="utf-8")
    assert text.startswith("# My own photographs first.\n")  # the comments and the entry
    assert "Orchard.jpg:\n  author: Me  # taken in 2019\n  licence: CC0 1.0\n" in text
    credits = yaml.safe_load(text)
    assert credits["Orchard.jpg"] == {"author": "Me", "licence": "CC0 1.0"}
    assert credits[HTML_ARTIST]["author"] == "Ali & Sara" and len(credits) == 7


def test_update_keeps_an_article_the_wiki_no_longer_has(wiki, book, capsys):
    assert run(book, "--wiki", wiki.api_url, "Pear") == 0
    pinned = (book / "articles" / "Pear.xml").read_bytes()
    del wiki.pages["Pear"]
    capsys.readouterr()
    assert run(book, "--update") == 0
    host = f"127.0.0.1:{wiki.api.server_port}"
    assert (
        f"warning: Pear: no longer on {host}; articles/Pear.xml is kept" in capsys.readouterr().err
    )
    assert (book / "articles" / "Pear.xml").read_bytes() == pinned
