"""A cover named in book.yml: checked when the project loads, used as it is in the EPUB."""

import io
import zipfile

import pytest
from PIL import Image

from diaspora_book.build import BuildRequest, build
from diaspora_book.plumbing.errors import BookError
from diaspora_book.project.config import load_project

from .readers import NS, epub_nav_links, epub_xml

ARTICLE = "= Alpha =\nFirst paragraph.\n"


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 90), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("cover", "files", "message"),
    [
        (
            "art/cover.gif",
            {"art/cover.gif": b"GIF89a"},
            "book.yml:2: error: cover 'art/cover.gif' must be a .jpg, .jpeg or .png image",
        ),
        (
            "art/cover.png",
            {},
            "book.yml:2: error: cover 'art/cover.png' is not a file in the project "
            "(give a path relative to the folder of book.yml)",
        ),
        (
            "../outside.png",
            {"../outside.png": b"\x89PNG\r\n\x1a\n"},
            "book.yml:2: error: cover '../outside.png' is not a file in the project "
            "(give a path relative to the folder of book.yml)",
        ),
        (
            "art/cover.jpg",
            {"art/cover.jpg": b"\x89PNG\r\n\x1a\n"},
            "book.yml:2: error: cover 'art/cover.jpg' is not a JPG image",
        ),
        ("[a, b]", {}, "book.yml:2: error: 'cover' must be text"),
    ],
)
def test_bad_cover(project_factory, cover, files, message):
    root = project_factory({"a.txt": ARTICLE}, f"title: T\ncover: {cover}\n")
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    with pytest.raises(BookError) as raised:
        load_project(root)
    assert str(raised.value) == message


def test_named_cover_is_used_and_an_epub_only_build_keeps_print_pages(project_factory):
    root = project_factory({"alpha.txt": ARTICLE}, "title: Own Cover\ncover: art/cover.png\n")
    (root / "art").mkdir()
    (root / "art" / "cover.png").write_bytes(png_bytes())
    report = build(load_project(root), BuildRequest(formats=("epub",)))
    [epub] = report.outputs
    assert not list(epub.parent.glob("*.pdf"))  # the print layout was made, not kept
    with zipfile.ZipFile(epub) as z:
        assert z.read("EPUB/media/cover.png") == png_bytes()
    img = epub_xml(epub, "EPUB/text/cover.xhtml").find(".//h:img", NS)
    assert img.get("alt") == "Cover of Own Cover"
    pages = [label for _, _, label in epub_nav_links(epub, "page-list")]
    assert pages[:2] == ["1", "2"] and len(pages) >= 4


def test_the_cover_asks_fontconfig_once_per_face(monkeypatch):
    """Fitting a title measures it many times; fc-list ran for every measurement."""
    import subprocess

    from diaspora_book.project import fonts
    from diaspora_book.render.epub.cover import draw_cover

    calls: list[list[str]] = []
    real = subprocess.run

    def counting(args, *rest, **kwargs):
        calls.append(list(args))
        return real(args, *rest, **kwargs)

    monkeypatch.setattr(fonts.subprocess, "run", counting)
    fonts.installed_font.cache_clear()
    fonts.font_characters.cache_clear()
    long_title = "A Very Long Title About the Uyghur ئۇيغۇر and Chinese 华侨 Communities " * 2
    draw_cover(long_title, "A subtitle", ("An Author",))
    faces = {tuple(call[-1:]) for call in calls}
    assert len(calls) == len(faces) <= 8  # one lookup per family and weight


def test_a_hundred_authors_stay_on_the_cover():
    # Issue 15: 100 authors ran off the cover's foot (and took 9.4 s to draw).
    import io

    from PIL import Image

    from diaspora_book.render.epub.cover import BACKGROUND, HEIGHT, MARGIN, WIDTH, draw_cover

    title = " ".join(f"Word{i}" for i in range(100))
    authors = tuple(f"Author{i} Surname{i}" for i in range(100))
    image = Image.open(io.BytesIO(draw_cover(title, "", authors))).convert("RGB")
    foot = image.crop((0, HEIGHT - MARGIN // 2, WIDTH, HEIGHT))
    assert [color for _, color in foot.getcolors(1 << 20)] == [BACKGROUND]
    # Between the title's six lines (with its rule) and the authors, the cover is empty.
    middle = image.crop((0, int(HEIGHT * 0.6), WIDTH, int(HEIGHT * 0.8)))
    assert [color for _, color in middle.getcolors(1 << 20)] == [BACKGROUND]


def test_a_drawn_cover_is_kept_for_the_next_build(project_factory, tmp_path):
    from diaspora_book.render.epub.cover import book_cover, draw_cover

    project = load_project(
        project_factory({"alpha.txt": ARTICLE}, "title: Kept\nauthors: [A. Writer]\n")
    )
    kept = tmp_path / "cover"
    drawn = draw_cover("Kept", "", ("A. Writer",))
    assert book_cover(project, kept).data == drawn
    (cover,) = kept.glob("*.cover")
    written = cover.stat().st_mtime_ns
    assert book_cover(project, kept).data == drawn
    assert cover.stat().st_mtime_ns == written  # read, not drawn and written again
    cover.write_bytes(b"0\n\x89PNG damaged")
    assert book_cover(project, kept).data == drawn  # a damaged cover is drawn again
    assert book_cover(project, kept, reuse=False).data == drawn
    retitled = load_project(project_factory({"alpha.txt": ARTICLE}, "title: New\n", name="new"))
    book_cover(retitled, kept)
    assert len(list(kept.glob("*.cover"))) == 1  # the earlier title's cover is not kept


def test_a_process_draws_a_cover_once(project_factory):
    """A process that builds again (`watch`, the tests) draws the same cover once, with
    or without a folder to keep it in."""
    from diaspora_book.render.epub.cover import _drawn, book_cover

    project = load_project(project_factory({"alpha.txt": ARTICLE}, "title: Once\n"))
    first = book_cover(project).data
    drawn = _drawn.cache_info()
    assert book_cover(project).data == first
    assert (_drawn.cache_info().hits, _drawn.cache_info().misses) == (drawn.hits + 1, drawn.misses)
