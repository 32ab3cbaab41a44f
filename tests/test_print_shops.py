"""build --print kdp|ingramspark|lulu: the interior and the full-wrap cover a print shop takes.

The sample book (A4, left to right) and the Uyghur fixture book (A5, right to left)
are built once per module for the shops below, and the files are read back with
pikepdf, pdftotext and pdftoppm: the boxes and the bleed of every page, no marks,
the fonts, the page count, the margins, the PDF/X output intent and colours for
IngramSpark, what KDP forbids, Lulu's sRGB intent, and the cover's size, panels,
spine and barcode area. Covers for other page counts are drawn on their own (a
second or two each), never by building a longer book.
"""

from __future__ import annotations

import html as html_module
import io
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Dictionary, Name

from diaspora_book.assemble.manuscript import Description, assemble
from diaspora_book.build import BuildRequest, build, convert_project
from diaspora_book.cli import main
from diaspora_book.plumbing.errors import BookError, Diagnostics
from diaspora_book.plumbing.progress import Progress
from diaspora_book.project.config import load_project
from diaspora_book.render.pdf.layout import PrintJob
from diaspora_book.render.pdf.write import write_pdf
from diaspora_book.render.print_shop.cover import MIN_SPINE_TYPE_PT, SPINE_TYPE, write_cover
from diaspora_book.render.print_shop.interior import ShopPrint
from diaspora_book.render.print_shop.shops import KDP, LULU, SHOPS, Paper

from .conftest import copy_sample_project, make_project
from .language_books import FIXTURES

# Each shop builds the sample and the Uyghur book again: among the largest renders, left
# out of `make test-fast` (`make test` runs them).
pytestmark = pytest.mark.slow

INCH = 72.0
BLEED = 0.125 * INCH
MM = INCH / 25.4
TRIMS = {"sample": (210 * MM, 297 * MM), "ug": (148 * MM, 210 * MM)}  # A4, A5
BUILDS = [("sample", "ingramspark"), ("sample", "kdp"), ("ug", "lulu"), ("ug", "ingramspark")]


@dataclass(frozen=True)
class ShopBuild:
    book: str
    shop: str
    root: Path
    interior: Path
    cover: Path
    log: str  # what the build said (normal level)

    @property
    def rtl(self) -> bool:
        return self.book == "ug"


@pytest.fixture(scope="module")
def shop_build(tmp_path_factory):
    """Return `get(book, shop)`: the book built for the shop, the first time it is asked for."""
    built: dict[tuple[str, str], ShopBuild] = {}

    def get(book: str, shop: str) -> ShopBuild:
        if (book, shop) not in built:
            root = tmp_path_factory.mktemp(f"{book}-{shop}") / "book"
            if book == "sample":
                copy_sample_project(root)
            else:
                shutil.copytree(FIXTURES / book, root)
            log = io.StringIO()
            request = BuildRequest(formats=("pdf",), press=True, shop=shop)
            report = build(load_project(root), request, Progress("normal", log))
            interior, cover = report.outputs
            built[book, shop] = ShopBuild(book, shop, root, interior, cover, log.getvalue())
        return built[book, shop]

    return get


@pytest.fixture(params=BUILDS, ids=[f"{b}-{s}" for b, s in BUILDS])
def built(request, shop_build) -> ShopBuild:
    return shop_build(*request.param)


def _box(page, name: str) -> list[float]:
    return [float(v) for v in page.obj[name]]


# ---- The interior ---------------------------------------------------------------


def test_every_page_has_trim_and_bleed_boxes_and_bleeds_only_where_it_is_cut(built):
    width, height = TRIMS[built.book]
    spine_bleed = SHOPS[built.shop].bleed_at_spine  # Lulu: all four sides
    with pikepdf.open(built.interior) as pdf:
        assert len(pdf.pages) > 1
        for number, page in enumerate(pdf.pages, start=1):
            trim = _box(page, "/TrimBox")
            media = _box(page, "/MediaBox")
            assert trim == pytest.approx([0, 0, width, height], abs=0.01)
            assert _box(page, "/BleedBox") == media
            assert "/CropBox" not in page.obj and "/ArtBox" not in page.obj
            # Left-to-right: odd pages are right-hand pages; right to left, left-hand.
            outside_left = (number % 2 == 1) == built.rtl
            left = BLEED if outside_left or spine_bleed else 0
            right = BLEED if not outside_left or spine_bleed else 0
            assert media == pytest.approx([-left, -BLEED, width + right, height + BLEED], abs=0.01)
            size = 0.25 if spine_bleed else 0.125
            assert media[2] - media[0] == pytest.approx(width + size * INCH, abs=0.01)
            assert media[3] - media[1] == pytest.approx(height + 0.25 * INCH, abs=0.01)


def test_no_marks_in_the_bleed(built):
    """Nothing is drawn between the trim and the sheet's edge (crop marks would be)."""
    with pikepdf.open(built.interior) as pdf:
        count = len(pdf.pages)
    for number in (1, 2, count):
        pixels, width, height = _gray(built.interior, number, 72)
        strips = [row[:8] + row[-8:] for row in pixels] + pixels[:8] + pixels[-8:]
        assert min(min(strip) for strip in strips) == 255, f"ink in the bleed of page {number}"
        assert width > 400 and height > 590


def test_every_font_is_embedded(built):
    for path in (built.interior, built.cover):
        with pikepdf.open(path) as pdf:
            fonts = [font for page in pdf.pages for font in _fonts(page.obj.Resources)]
            assert fonts
            for font in fonts:
                described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = described.FontDescriptor
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), font


def test_the_page_count_is_the_shops_minimum_and_even_blank_pages_at_the_end(built):
    shop = SHOPS[built.shop]
    with pikepdf.open(built.interior) as pdf:
        count = len(pdf.pages)
    assert count % 2 == 0 and count >= shop.papers["white"].min_pages
    found = re.search(r"(\d+) blank pages? added at the end \((\d+) pages", built.log)
    blank, total = (int(found[1]), int(found[2])) if found else (0, count)
    assert total == count
    if built.shop != "ingramspark":  # these books have fewer pages than KDP's and Lulu's least
        assert blank > 0, built.log
    texts = _page_texts(built.interior)
    assert all(not text.strip() for text in texts[count - blank :])
    assert texts[count - blank - 1].strip()  # the book's last page is not one of them


def test_text_keeps_the_shops_least_margin_from_the_trim(built):
    """Every word, running heads and folios included, stays the shop's margin inside the trim."""
    least = SHOPS[built.shop].min_margin * INCH
    width, height = TRIMS[built.book]
    with pikepdf.open(built.interior) as pdf:
        origins = [(-_box(p, "/MediaBox")[0], _box(p, "/MediaBox")[3] - height) for p in pdf.pages]
    words = _words(built.interior)
    assert words
    # WeasyPrint 70 sets a few lines of the Uyghur book up to 13 pt wider than the measure,
    # in every build of it (an Arabic line ending in a Latin URL in its References; a
    # justified line ending in a full stop): 3 pt is allowed, and the References left out.
    texts = _page_texts(built.interior)
    skipped = {n for n, text in enumerate(texts, 1) if "https://ug.wikipedia.org" in text}
    assert len(skipped) < 3
    slack = 3.0
    for page, x0, y0, x1, y1, text in words:
        if page in skipped:
            continue
        left, top = origins[page - 1]
        assert x0 - left >= least - slack and width - (x1 - left) >= least - slack, (page, text)
        assert y0 - top >= least - slack and height - (y1 - top) >= least - slack, (page, text)


def test_the_inside_margin_grows_with_the_page_count(built):
    project = load_project(built.root)
    shop = ShopPrint.of(built.shop, "white")
    smallest = shop.margins_mm(project.config)[2]
    longest = replace(shop, pages=1000).margins_mm(project.config)[2]
    gutter = SHOPS[built.shop].inside_margin(1000) * 25.4
    assert longest == pytest.approx(max(smallest, gutter))
    if built.shop == "lulu":  # 1.25 in for over 600 pages: more than the A5 layout's 20 mm
        assert longest == pytest.approx(31.75) and longest > smallest
        assert "31.75mm" in replace(shop, pages=1000).page_css(project.config)


# ---- What each shop asks of the file -----------------------------------------------


def test_ingramspark_gets_pdf_x_1a_in_cmyk_without_transparency(shop_build):
    for book in ("sample", "ug"):
        built = shop_build(book, "ingramspark")
        for path in (built.interior, built.cover):
            with pikepdf.open(path) as pdf:
                assert pdf.pdf_version == "1.4"
                assert str(pdf.docinfo["/GTS_PDFXVersion"]).startswith("PDF/X-1a")
                intent = pdf.Root.OutputIntents[0]
                assert intent.S == Name.GTS_PDFX
                assert str(intent.OutputConditionIdentifier)
                profile = intent.DestOutputProfile
                assert int(profile.N) == 4
                header = profile.read_bytes()[:20]
                assert header[16:20] == b"CMYK" and header[8] == 2  # an ICC v2 CMYK profile
                xmp = pdf.Root.Metadata.read_bytes().decode()
                assert "<pdfxid:GTS_PDFXVersion>PDF/X-1a" in xmp
                assert "pdfuaid" not in xmp  # PDF/UA-1 is a PDF 1.7 profile; this is PDF 1.4
                assert not any("/Annots" in page.obj for page in pdf.pages)
                _assert_no_rgb_and_no_transparency(pdf)
                colours = _text_colours(pdf)
                assert colours, path
                if path == built.interior:  # black text in black ink alone
                    assert colours == {(0, 0, 0, 1)}


def test_kdp_gets_no_bookmarks_links_or_metadata(shop_build):
    built = shop_build("sample", "kdp")
    for path in (built.interior, built.cover):
        with pikepdf.open(path) as pdf:
            assert "/Outlines" not in pdf.Root and "/Metadata" not in pdf.Root
            assert not any("/Annots" in page.obj for page in pdf.pages)
            assert dict(pdf.docinfo) == {}
            assert "/OutputIntents" not in pdf.Root
    with pikepdf.open(built.interior) as pdf:
        assert "/StructTreeRoot" in pdf.Root  # the tags stay: KDP does not forbid them


def test_lulu_gets_an_srgb_output_intent_and_keeps_bookmarks_and_links(shop_build):
    built = shop_build("ug", "lulu")
    for path in (built.interior, built.cover):
        with pikepdf.open(path) as pdf:
            intent = pdf.Root.OutputIntents[0]
            assert int(intent.DestOutputProfile.N) == 3
            assert "sRGB" in str(intent.OutputConditionIdentifier)
    with pikepdf.open(built.interior) as pdf:
        assert "/Outlines" in pdf.Root
        assert any("/Annots" in page.obj for page in pdf.pages)


# ---- The cover -----------------------------------------------------------------------


def test_the_cover_is_one_page_as_wide_as_both_boards_and_the_spine(built):
    shop = SHOPS[built.shop]
    width, height = TRIMS[built.book]
    with pikepdf.open(built.interior) as pdf:
        pages = len(pdf.pages)
    spine = (pages * shop.papers["white"].inches_per_page + shop.spine_extra) * INCH
    with pikepdf.open(built.cover) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        media = _box(page, "/MediaBox")
        assert media == pytest.approx(
            [0, 0, 2 * width + spine + 2 * BLEED, height + 2 * BLEED], abs=0.01
        )
        assert _box(page, "/BleedBox") == media
        assert _box(page, "/TrimBox") == pytest.approx(
            [BLEED, BLEED, media[2] - BLEED, media[3] - BLEED], abs=0.01
        )
        assert not page.get_images()  # drawn as vector text and shapes: any resolution


def test_the_title_is_on_the_front_half_and_the_spine_has_no_text_below_the_threshold(built):
    project = load_project(built.root)
    title = _squeezed(project.config.title)
    with pikepdf.open(built.cover) as pdf:
        width, height = _box(pdf.pages[0], "/MediaBox")[2:]
    halves = {
        "left": _region_text(built.cover, 0, 0, width / 2 - 40, height),
        "right": _region_text(built.cover, width / 2 + 40, 0, width / 2 - 40, height),
    }
    front, back = ("left", "right") if built.rtl else ("right", "left")
    assert title in _squeezed(halves[front])
    assert title not in _squeezed(halves[back])
    spine = width - 2 * (BLEED + TRIMS[built.book][0])
    clear = SHOPS[built.shop].cover_safe_zone * INCH - 2  # the panels' text stays further off
    spine_text = _region_text(
        built.cover, (width - spine) / 2 - clear, 0, spine + 2 * clear, height
    )
    assert not spine_text.strip()  # no spine text below the shop's page count
    if built.book == "sample":  # its book.yml has a description
        words = project.config.description.split()[:4]
        assert " ".join(words) in " ".join(halves[back].split())


def test_the_barcode_area_is_kept_free_beside_the_spine(built):
    shop = SHOPS[built.shop]
    dpi = 20
    pixels, width, _ = _gray(built.cover, 1, dpi)
    barcode_w, barcode_h = shop.barcode
    with pikepdf.open(built.cover) as pdf:
        media = _box(pdf.pages[0], "/MediaBox")
    spine_left = (BLEED + TRIMS[built.book][0]) / INCH
    spine = media[2] / INCH - 2 * spine_left
    if built.rtl:  # lower left of the back, which is the right half
        x0 = spine_left + spine + shop.barcode_offset
    else:  # lower right of the back, the left half
        x0 = spine_left - shop.barcode_offset - barcode_w
    y1 = media[3] / INCH - 0.125 - shop.barcode_offset
    inside = [
        row[round(x0 * dpi) + 1 : round((x0 + barcode_w) * dpi) - 1]
        for row in pixels[round((y1 - barcode_h) * dpi) + 1 : round(y1 * dpi) - 1]
    ]
    assert min(min(row) for row in inside) >= 250  # white: nothing printed there
    assert pixels[round(y1 * dpi) - 10][round(x0 * dpi) - 3] < 128  # the cover's colour beside it


@pytest.mark.parametrize("shop", ["kdp", "ingramspark", "lulu"])
@pytest.mark.parametrize("book", ["sample", "ug"])
def test_spine_text_only_from_the_shops_page_count_reading_top_to_bottom(book, shop, tmp_path):
    root = copy_sample_project(tmp_path / "book") if book == "sample" else FIXTURES / book
    project = load_project(root)
    config = project.config
    description = Description(
        config.title, config.language, "2024", "id", config.subtitle, config.authors
    )
    rules = SHOPS[shop]
    threshold = rules.spine_text_min_pages
    # At the threshold the spine may be too thin for legible type between its clearances
    # (IngramSpark's 48 pages: 0.12 in, less 2 x 1/16 in): then it stays empty too.
    room = rules.spine_width(threshold, "cream") - 2 * rules.spine_fold_clearance
    legible = room * INCH * SPINE_TYPE >= MIN_SPINE_TYPE_PT
    assert legible is (shop != "ingramspark")
    for pages, expected in ((threshold - 2, False), (threshold, legible), (600, True)):
        target = tmp_path / f"{book}-{shop}-{pages}.pdf"
        layout = write_cover(project, ShopPrint.of(shop, "cream"), pages, target, description)
        assert layout.spine_text is expected
        spine_x, spine = layout.spine_x * INCH, layout.spine * INCH
        words = [w for w in _words(target) if spine_x <= w[1] and w[3] <= spine_x + spine]
        assert bool(words) is expected, (pages, words)
        if not words:
            continue
        fold = SHOPS[shop].spine_fold_clearance * INCH
        for _, x0, _, x1, _, _ in words:  # poppler's box: the face's ascent and descent
            assert x0 >= spine_x + fold - 0.5 and x1 <= spine_x + spine - fold + 0.5
        if book == "sample" and pages == 600:  # title first, at the top: top to bottom
            tops = {text: y0 for _, _, y0, _, _, text in words}
            assert tops["Kazakhstan's"] < tops["contributors"]


# ---- Choosing the shop, and what is refused -------------------------------------------


def test_a_size_the_shop_does_not_print_is_an_error_listing_its_sizes(tmp_path):
    root = make_project(tmp_path / "b", {"a.txt": "= A =\n\nText.\n"}, "title: A\npage_size: A5\n")
    config = load_project(root).config
    no_custom = ShopPrint(replace(KDP, custom_trims=None), "white")
    with pytest.raises(BookError) as raised:
        no_custom.trim(config)
    message = str(raised.value)
    assert message.startswith("book.yml:2: error: KDP does not print page_size 'A5'")
    assert "6x9 in" in message and "5.5x8.5 in" in message and "5x8 in" in message
    assert ShopPrint.of("kdp", "white").trim(config).name == "5.83x8.27 in (custom)"


def test_book_yml_print_is_checked_at_its_line(tmp_path):
    root = make_project(
        tmp_path / "b", {"a.txt": "= A =\n\nText.\n"}, "title: A\nprint:\n  shop: kdpp\n"
    )
    with pytest.raises(BookError) as raised:
        load_project(root)
    assert str(raised.value).startswith("book.yml:3:9: error: print shop 'kdpp' is not known")
    assert "kdp, ingramspark, lulu, marks" in str(raised.value)


def test_an_unknown_shop_on_the_command_line_is_a_usage_error(tmp_path, capsys):
    root = make_project(tmp_path / "b", {"a.txt": "= A =\n\nText.\n"})
    with pytest.raises(SystemExit) as raised:
        main(["build", "--print", "kinko", "--project", str(root)])
    assert raised.value.code == 2
    assert "invalid shop 'kinko'" in capsys.readouterr().err


def test_print_shop_comes_from_book_yml_and_the_command_line_overrides_it(tmp_path):
    root = make_project(
        tmp_path / "b",
        {"a.txt": "= A =\n\nText.\n"},
        "title: Tiny\npage_size: 6in 9in\nprint:\n  shop: lulu\n  paper: cream\n",
    )
    assert main(["build", "--print", "--format", "pdf", "-q", "--project", str(root)]) == 0
    cover = root / "dist" / "tiny-cover.pdf"
    with pikepdf.open(cover) as pdf:  # Lulu's 32 pages / 444 + 0.06 in
        spine = _box(pdf.pages[0], "/MediaBox")[2] - 12.25 * INCH
        assert spine == pytest.approx((32 / 444 + 0.06) * INCH, abs=0.01)
    cover.unlink()
    args = ["build", "--print", "marks", "--format", "pdf", "-q", "--project", str(root)]
    assert main(args) == 0
    assert not cover.exists()
    with pikepdf.open(root / "dist" / "tiny.pdf") as pdf:  # 3 mm bleed, room for the marks
        page = pdf.pages[0]
        assert _box(page, "/BleedBox")[0] == pytest.approx(-3 * MM, abs=0.01)
        assert _box(page, "/MediaBox")[0] < _box(page, "/BleedBox")[0]


# ---- Helpers -------------------------------------------------------------------------


def _fonts(resources) -> list:
    """Every font a resource dictionary (and the forms it names) uses."""
    found = list(resources.get("/Font", Dictionary()).values())
    for xobject in resources.get("/XObject", Dictionary()).values():
        if xobject.get("/Subtype") == Name.Form and "/Resources" in xobject:
            found += _fonts(xobject.Resources)
    return found


def _streams(pdf: pikepdf.Pdf):
    """Every content stream: the pages' and their forms'."""
    for page in pdf.pages:
        yield page.obj
        stack = [page.obj.get("/Resources", Dictionary())]
        while stack:
            resources = stack.pop()
            for xobject in resources.get("/XObject", Dictionary()).values():
                if xobject.get("/Subtype") == Name.Form:
                    yield xobject
                    stack.append(xobject.get("/Resources", Dictionary()))


def _assert_no_rgb_and_no_transparency(pdf: pikepdf.Pdf) -> None:
    for obj in pdf.objects:
        if not isinstance(obj, Dictionary | pikepdf.Stream):
            continue
        for key, value in obj.items():
            assert value not in (Name.DeviceRGB, Name.CalRGB), (key, obj)
            if isinstance(value, pikepdf.Array) and len(value) == 2 and value[0] == Name.ICCBased:
                assert int(value[1].N) != 3
            if isinstance(value, Dictionary) and key == "/ColorSpace":
                for space in value.values():
                    family = space[0] if isinstance(space, pikepdf.Array) else space
                    assert family in (Name.DeviceCMYK, Name.DeviceGray), space
        assert float(obj.get("/ca", 1)) == 1 and float(obj.get("/CA", 1)) == 1
        assert obj.get("/SMask", Name.None_) == Name.None_
        assert obj.get("/BM", Name.Normal) in (Name.Normal, Name.Compatible)
    for stream in _streams(pdf):
        for operands, operator in pikepdf.parse_content_stream(stream):
            assert str(operator) not in ("rg", "RG", "g", "G", "BI"), operator
            if str(operator) in ("k", "K"):
                assert sum(float(v) for v in operands) <= 2.4  # IngramSpark's ink limit


def _text_colours(pdf: pikepdf.Pdf) -> set[tuple]:
    """The fill colours text is shown in (CMYK), over every content stream."""
    found = set()
    for stream in _streams(pdf):
        colour = None
        for operands, operator in pikepdf.parse_content_stream(stream):
            if str(operator) == "k":
                colour = tuple(Decimal(str(v)).normalize() for v in operands)
            elif str(operator) in ("Tj", "TJ") and colour is not None:
                found.add(tuple(int(v) if v == int(v) else float(v) for v in colour))
    return found


def _gray(path: Path, page: int, dpi: int) -> tuple[list[list[int]], int, int]:
    """Render one page in gray; return its rows of pixels, its width and height."""
    pgm = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page), str(path)],
        check=True,
        capture_output=True,
    ).stdout
    _, size, _, data = pgm.split(b"\n", 3)
    width, height = map(int, size.split())
    return [list(data[y * width : (y + 1) * width]) for y in range(height)], width, height


def _page_texts(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def _words(path: Path) -> list[tuple[int, float, float, float, float, str]]:
    """Every word (page, xMin, yMin, xMax, yMax, text), in points from the page's top left."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    words = []
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        for found in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page
        ):
            x0, y0, x1, y1 = (float(v) for v in found.groups()[:4])
            words.append((number, x0, y0, x1, y1, html_module.unescape(found[5])))
    return words


def _region_text(path: Path, x: float, y: float, width: float, height: float) -> str:
    """The text of page 1 inside a rectangle (points from the top left)."""
    region = [str(round(v)) for v in (x, y, width, height)]
    return subprocess.run(
        ["pdftotext", "-r", "72", "-x", region[0], "-y", region[1], "-W", region[2],
         "-H", region[3], str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout  # fmt: skip


def _squeezed(text: str) -> str:
    return "".join(text.split())


def test_a_book_longer_than_its_first_gutter_is_laid_out_again_with_a_wider_one(tmp_path):
    """The inside margin follows the page count, known only after a layout: here a shop
    whose gutter is 0.5 in up to 4 pages and 1.5 in beyond lays the book out twice."""
    body = "\n\n".join(f"Paragraph {n}: " + "words of the article " * 30 for n in range(40))
    root = make_project(
        tmp_path / "b", {"a.txt": f"= A =\n\n{body}\n"}, "title: Gutter\npage_size: 6in 9in\n"
    )
    project = load_project(root)
    manuscript = assemble(project, convert_project(project, Diagnostics()), "pdf")
    shop = replace(
        LULU, papers={"white": Paper("test", 1 / 444, 2, 800)}, gutter=((4, 0.5), (10_000, 1.5))
    )
    log = io.StringIO()
    target = tmp_path / "gutter.pdf"
    job = PrintJob(project, manuscript, shop=ShopPrint(shop, "white"))
    layout = write_pdf(job, target, Diagnostics(), Progress("normal", log))
    assert layout.pagination.page_count > 4
    assert "laid out again with the Lulu inside margin" in log.getvalue()
    inside = 1.5 * INCH
    for page, x0, _, x1, _, text in _words(target):
        if page % 2 == 1:  # a right-hand page: the spine at its left (Lulu: 9 pt of bleed there)
            assert x0 - BLEED >= inside - 0.5, (page, text)
        else:
            assert 6 * INCH - (x1 - BLEED) >= inside - 0.5, (page, text)


def test_every_colour_of_a_page_becomes_cmyk_images_flattened_onto_white():
    """What a book may hold beyond text: coloured boxes and rules, an SVG drawing, a link,
    a PNG with an alpha channel. After `to_cmyk` nothing of it is RGB or transparent."""
    import base64

    import weasyprint
    from PIL import Image

    from diaspora_book.render.print_shop.colour import cmyk, to_cmyk

    png = io.BytesIO()
    Image.new("RGBA", (8, 8), (200, 30, 30, 128)).save(png, "PNG")
    data = base64.b64encode(png.getvalue()).decode()
    svg = '<svg width="20" height="20"><rect width="20" height="20" fill="#3366cc"/></svg>'
    html = (
        '<p style="color:#1a1a1a">Text <a href="https://example.org">link</a></p>'
        '<div style="background:#f3f1ec;border-top:1px solid #888;color:#2b3a4a">Box</div>'
        f'<img src="data:image/png;base64,{data}" style="width:2cm">{svg}'
    )
    pdf = pikepdf.open(io.BytesIO(weasyprint.HTML(string=html).write_pdf()))
    assert any(str(op) == "rg" for _, op in pikepdf.parse_content_stream(pdf.pages[0]))
    to_cmyk(pdf)
    _assert_no_rgb_and_no_transparency(pdf)
    images = [image for page in pdf.pages for image in page.get_images().values()]
    assert [image.ColorSpace for image in images] == [Name.DeviceCMYK]
    # Half-transparent red over white paper: a light red, magenta and yellow with some black.
    c, m, y, k = (v / 255 for v in pikepdf.PdfImage(images[0]).as_pil_image().getpixel((4, 4)))
    assert c < 0.05 and 0.25 < m < 0.45 and 0.25 < y < 0.45 and 0.05 < k < 0.2
    assert _text_colours(pdf) == {(0, 0, 0, 1)}  # the near-black text; the link turned black too
    assert cmyk(0.5, 0.5, 0.5) == (0, 0, 0, 0.5)  # a grey is black ink alone


def test_a_cover_image_from_book_yml_fills_the_front_and_too_few_pixels_are_a_warning(tmp_path):
    """book.yml `cover:` is the EPUB's cover, so it is the print front too, bleed included;
    below 300 dpi at that size the build warns, naming the pixels it wants."""
    from PIL import Image

    root = make_project(
        tmp_path / "b",
        {"a.txt": "= A =\n\nText.\n"},
        "title: Pictured\npage_size: 6in 9in\ncover: front.png\n",
    )
    Image.new("RGB", (10, 10)).save(root / "front.png")
    project = load_project(root)
    config = project.config
    description = Description(config.title, config.language, "2024", "id")
    shop = ShopPrint.of("kdp", "white")
    for pixels, dpi in (((1840, 2776), 300), ((920, 1388), 150)):
        Image.new("RGB", pixels, (120, 30, 40)).save(root / "front.png")
        target = tmp_path / f"cover-{dpi}.pdf"
        layout = write_cover(load_project(root), shop, 24, target, description)
        assert layout.image_dpi == pytest.approx(dpi, abs=1)
        with pikepdf.open(target) as pdf:
            images = list(pdf.pages[0].get_images().values())
            assert [(int(i.Width), int(i.Height)) for i in images] == [pixels]
        # The front panel, bleed to the trim's edge, is the picture: no drawn title.
        assert "Pictured" not in _region_text(target, 6.2 * INCH, 0, 6 * INCH, 9.25 * INCH)
        red = _gray(target, 1, 20)[0][90][-20]
        assert 40 < red < 90  # the picture's dark red, in gray, at the front's outer edge
    report = build(project, BuildRequest(formats=("pdf",), press=True, shop="kdp"))
    warnings = [str(d) for d in report.diagnostics]
    assert warnings == [
        "warning: the cover image front.png prints at 150 dpi on the front of the KDP cover;"
        " 300 dpi wants at least 1838 x 2775 pixels"
    ]
