"""What KDP, IngramSpark and Lulu ask of a paperback's interior and full-wrap cover.

Each figure has its source beside it (`# source:`), with how sure it is:
OFFICIAL (the shop's own page), SECONDARY (a page quoting the shop's), BEST-KNOWN
(no shop page found; check the shop's cover template before relying on it). The
research (2026-12, stored copies of the pages) is summed up in the README; the
shops change these figures without notice. Lengths are in inches, as the shops
publish them.
"""

from __future__ import annotations

from dataclasses import dataclass

TRIM_TOLERANCE_IN = 0.02  # A5 is 5.83 x 8.27 in to the hundredth

KDP_SUBMISSION = "https://kdp.amazon.com/en_US/help/topic/G201857950"
KDP_COVER = "https://kdp.amazon.com/en_US/help/topic/G201953020"
INGRAM_REQUIREMENTS = "https://www.ingramspark.com/blog/file-requirements-for-print-books"
LULU_BLEED = (
    "https://help.lulu.com/en/support/solutions/articles/"
    "64000255584-how-do-i-make-my-content-cover-the-whole-page-what-is-bleed"
)


@dataclass(frozen=True)
class Trim:
    name: str  # as the shop lists it
    width: float
    height: float


@dataclass(frozen=True)
class Paper:
    description: str
    inches_per_page: float  # the spine grows by this much per page (half a leaf)
    min_pages: int
    max_pages: int


@dataclass(frozen=True)
class Shop:
    """One shop's rules for a perfect-bound paperback."""

    key: str  # kdp, ingramspark, lulu
    name: str
    trims: tuple[Trim, ...]
    custom_trims: tuple[tuple[float, float], tuple[float, float]] | None  # (w range, h range)
    bleed: float  # on the cut edges of the interior and every edge of the cover
    bleed_at_spine: bool  # the interior's bound edge has bleed too (Lulu)
    min_margin: float  # outside, top and bottom, with bleed
    gutter: tuple[tuple[int, float], ...]  # (up to this many pages, inside margin)
    papers: dict[str, Paper]  # book.yml paper: white, cream, color
    pdfx: bool  # PDF/X-1a, CMYK or grayscale only
    srgb_intent: bool  # an sRGB output intent
    bookmarks: bool  # may the file keep its bookmarks (outlines)?
    annotations: bool  # may it keep links?
    metadata: bool  # may it keep its XMP and document information?
    spine_extra: float  # added to pages x caliper
    spine_text_min_pages: int
    cover_safe_zone: float  # nothing important nearer the trim
    spine_fold_clearance: float  # nothing important nearer a spine fold
    barcode: tuple[float, float] = (2.0, 1.2)  # the free area on the back, width x height
    barcode_offset: float = 0.25  # from the spine fold and from the bottom trim

    def trim_for(self, width: float, height: float) -> Trim | None:
        """Return the shop's trim of this size (a custom one if the shop prints it), or None."""
        for trim in self.trims:
            if abs(trim.width - width) <= TRIM_TOLERANCE_IN and (
                abs(trim.height - height) <= TRIM_TOLERANCE_IN
            ):
                return trim
        if self.custom_trims is not None:
            (w0, w1), (h0, h1) = self.custom_trims
            if w0 <= width <= w1 and h0 <= height <= h1:
                return Trim(f"{width:.2f}x{height:.2f} in (custom)", width, height)
        return None

    def trim_names(self) -> str:
        return ", ".join(trim.name for trim in self.trims)

    def inside_margin(self, pages: int) -> float:
        """Return the least inside (gutter) margin for a book of `pages` pages."""
        for up_to, margin in self.gutter:
            if pages <= up_to:
                return margin
        return self.gutter[-1][1]

    def padded_pages(self, pages: int, paper: str) -> int:
        """Return the page count the shop prints: at least its minimum, and even."""
        count = max(pages, self.papers[paper].min_pages)
        return count + count % 2

    def spine_width(self, pages: int, paper: str) -> float:
        return pages * self.papers[paper].inches_per_page + self.spine_extra

    def spine_text(self, pages: int) -> bool:
        return pages >= self.spine_text_min_pages


def _in(name: str, width: float, height: float) -> Trim:
    return Trim(name, width, height)


KDP = Shop(
    key="kdp",
    name="KDP",
    # source: KDP Print Options, https://kdp.amazon.com/en_US/help/topic/G201834180, as listed by
    # https://glama.ai/mcp/connectors/com.tinywink/tinywink/tools/kdp_interior_margins (SECONDARY);
    # 6x9: https://kdp.amazon.com/help?topicId=GVBQ3CMEQW3W2VL6 (OFFICIAL)
    trims=(
        _in("5x8 in", 5, 8),
        _in("5.06x7.81 in", 5.06, 7.81),
        _in("5.25x8 in", 5.25, 8),
        _in("5.5x8.5 in", 5.5, 8.5),
        _in("6x9 in", 6, 9),
        _in("6.14x9.21 in", 6.14, 9.21),
        _in("6.69x9.61 in", 6.69, 9.61),
        _in("7x10 in", 7, 10),
        _in("7.44x9.69 in", 7.44, 9.69),
        _in("7.5x9.25 in", 7.5, 9.25),
        _in("8x10 in", 8, 10),
        _in("8.25x6 in", 8.25, 6),
        _in("8.25x8.25 in", 8.25, 8.25),
        _in("8.5x8.5 in", 8.5, 8.5),
        _in("8.5x11 in (Letter)", 8.5, 11),
        _in("8.27x11.69 in (A4)", 8.27, 11.69),
    ),
    # source: "Any width from 4" to 8.5" ... Any height from 6" to 11.69"", CreateSpace (KDP's
    # predecessor) https://www.createspace.com/Special/Enterprise/Publisher/manufacturing_specifications.jsp
    # (SECONDARY); A5 is printed as such a custom trim
    custom_trims=((4.0, 8.5), (6.0, 11.69)),
    # source: "(Trim width) + (0.125")", "(Trim height) + (0.125" x 2)", quoting KDP's
    # GVBQ3CMEQW3W2VL6 at https://fbcwadmin.com/courses/how-to-self-publish-with-amazon-kdp/
    # lessons/print-options-paperback-hardback-only/ (SECONDARY)
    bleed=0.125,
    bleed_at_spine=False,
    # source: "Outside margin (with bleed) 0.375 in", https://pypi.org/project/kdp-preflight-cli/
    # (SECONDARY, copies KDP's table)
    min_margin=0.375,
    # source: KDP's inside margin table (GVBQ3CMEQW3W2VL6) as pasted in
    # https://redlib.astronima.party/r/KDP/comments/1qwmer5/inside_margins (SECONDARY)
    gutter=((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875)),
    papers={
        # source: "white paper ... 0.002252 inches per page", "cream paper ... 0.0025",
        # "colour paper is 0.002347", https://pubscout.app/pages/glossary/spine-width (SECONDARY);
        # the issue's own figures agree. Page limits: https://bookbolt.kb.help/kdp-publishing-what-
        # is-the-minimum-maximum-number-of-pages-you-can-use-in-a-book-and-the-royalty-amount/
        "white": Paper("black ink, 50-61 lb white", 0.002252, 24, 828),
        "cream": Paper("black ink, 50-61 lb cream", 0.0025, 24, 776),
        "color": Paper("premium color ink, 60-71 lb white", 0.002347, 24, 828),
    },
    pdfx=False,  # source: KDP_SUBMISSION names no PDF/X level
    srgb_intent=False,
    # source: KDP_SUBMISSION: "Submitted files should not contain crop marks, trim marks,
    # bookmarks, comments, invisible objects, annotations, placeholder text, or metadata."
    bookmarks=False,
    annotations=False,
    metadata=False,
    spine_extra=0.0,  # source: KDP_COVER (pages x paper thickness, nothing added)
    # source: KDP_COVER: "To include spine text, your book must have at least 79 pages ... If
    # you're using Cover Creator, the minimum ... is 80 pages"; 80 satisfies both
    spine_text_min_pages=80,
    # source: "Text and images must be at least .125" inside the trim lines", CreateSpace cover
    # spec copied at https://github.com/greyscalepress/manifestos/blob/master/notes/cover-size.md
    cover_safe_zone=0.125,
    spine_fold_clearance=0.0625,  # source: same page: "Allow for 0.0625" variance on either side"
    # source: "2" x 1.2" (50.8 x 30.5 mm) ... at least 0.25" from the spine and from every trim
    # edge", https://publishing.co.uk/guides/kdp-error-barcode-placement/ (SECONDARY)
    barcode=(2.0, 1.2),
    barcode_offset=0.25,
)

INGRAMSPARK = Shop(
    key="ingramspark",
    name="IngramSpark",
    # BEST-KNOWN: the File Creation Guide's trim list could not be read; these are the sizes
    # IngramSpark offers for paperbacks in third-party copies of its list
    trims=(
        _in("5x8 in", 5, 8),
        _in("5.06x7.81 in", 5.06, 7.81),
        _in("5.25x8 in", 5.25, 8),
        _in("5.5x8.5 in", 5.5, 8.5),
        _in("5.83x8.27 in (A5)", 5.83, 8.27),
        _in("6x9 in", 6, 9),
        _in("6.14x9.21 in", 6.14, 9.21),
        _in("6.69x9.61 in", 6.69, 9.61),
        _in("7x10 in", 7, 10),
        _in("7.44x9.69 in", 7.44, 9.69),
        _in("7.5x9.25 in", 7.5, 9.25),
        _in("8x10 in", 8, 10),
        _in("8.5x8.5 in", 8.5, 8.5),
        _in("8.5x11 in (Letter)", 8.5, 11),
        _in("8.27x11.69 in (A4)", 8.27, 11.69),
    ),
    custom_trims=None,
    # source: "0.125 in (3 mm) on the three trim edges (top, bottom, outside), none on the bind
    # edge", https://docs.rs/kernsetzer-model/0.1.3/setzer_model/presets/constant.INGRAM_BLEED_IN.html
    # (SECONDARY)
    bleed=0.125,
    bleed_at_spine=False,
    # source: INGRAM_REQUIREMENTS: "Margins must be a minimum of 0.5" (13mm) from final trim size
    # on all sides. This includes page numbers" (OFFICIAL)
    min_margin=0.5,
    # source: INGRAM_REQUIREMENTS, the same 0.5 in; no gutter-by-page-count table was found
    gutter=((10_000, 0.5),),
    papers={
        # BEST-KNOWN calipers (Lightning Source PPI {50 lb: 400, 70 lb: 360} in the momovu
        # calculator, https://www.momovu.org/en/calculator.html); paper names: "White B&W: 50lb
        # White", "Creme B&W: 50lb Creme", https://writingwithoutdrama.wordpress.com/2020/08/11/
        # retrieving-your-cover-template/. Take the spine from IngramSpark's cover template.
        "white": Paper("B&W, 50 lb white", 1 / 400, 18, 1200),
        "cream": Paper("B&W, 50 lb creme", 1 / 400, 18, 1200),
        "color": Paper("color, 70 lb white", 1 / 360, 18, 1200),
    },
    # source: "Files must be PDF/X-1a:2001 or PDF/X-3:2002 compliant" (Lightning Source's guide,
    # quoted at https://github.com/thoth-pub/thoth/wiki/Ingram-Lightning-Source); "IngramSpark
    # requires that files be submitted in CMYK", https://help.ingramspark.com/hc/en-us/articles/
    # 5338619119245 (OFFICIAL)
    pdfx=True,
    srgb_intent=False,
    bookmarks=True,  # IngramSpark says nothing; PDF/X-1a allows outlines
    annotations=False,  # PDF/X-1a (ISO 15930-4 6.6.1): no annotations inside the BleedBox
    metadata=True,
    spine_extra=0.0,  # BEST-KNOWN
    # BEST-KNOWN: "Books under 48 pages cannot carry spine text",
    # https://bookcoverslab.com/fr/ingramspark-cover-creator
    spine_text_min_pages=48,
    # source: "for cover art, we recommend at least .25" from the trim mark"; "the allowed
    # variance of 1/16 inch (.0625" or 2 mm)", https://help.ingramspark.com/hc/en-us/articles/
    # 5338636202637-Manufacturing-and-File-Setup-Tips (OFFICIAL)
    cover_safe_zone=0.25,
    spine_fold_clearance=0.0625,
    barcode=(2.0, 1.2),  # BEST-KNOWN: IngramSpark's template places it; KDP's size is kept free
)

LULU = Shop(
    key="lulu",
    name="Lulu",
    # source: LULU_BLEED: "a 6 x 9 in (152 mm x 229 mm) US Trade book" (OFFICIAL); the others
    # BEST-KNOWN from Lulu's product codes (https://gist.github.com/georgemandis/
    # ab12706ddfd35c9376d64abf8b58590f: "0600X0900" = 6x9)
    trims=(
        _in("4.25x6.875 in (Pocket Book)", 4.25, 6.875),
        _in("5x8 in (Novella)", 5, 8),
        _in("5.5x8.5 in (Digest)", 5.5, 8.5),
        _in("5.83x8.27 in (A5)", 5.83, 8.27),
        _in("6x9 in (US Trade)", 6, 9),
        _in("6.14x9.21 in (Royal)", 6.14, 9.21),
        _in("6.625x10.25 in (Comic Book)", 6.625, 10.25),
        _in("7x10 in (Executive)", 7, 10),
        _in("7.44x9.69 in (Crown Quarto)", 7.44, 9.69),
        _in("8.5x8.5 in (Square)", 8.5, 8.5),
        _in("8.5x11 in (US Letter)", 8.5, 11),
        _in("8.27x11.69 in (A4)", 8.27, 11.69),
    ),
    custom_trims=None,
    # source: LULU_BLEED: "Page size must be 0.25 in (6.35 mm) larger in both width and height
    # than the book size" (OFFICIAL): Lulu's pages bleed at the spine edge too
    bleed=0.125,
    bleed_at_spine=True,
    # source: LULU_BLEED: "the Safety Margin which is 0.5 in (12.7 mm) inside the Trim Edge"
    min_margin=0.5,
    # source: "Recommended Interior Margin", https://help.api.lulu.com/en/support/solutions/
    # articles/64000254615-what-is-a-gutter- (OFFICIAL)
    gutter=((60, 0.5), (150, 0.625), (400, 1.0), (600, 1.125), (10_000, 1.25)),
    papers={
        # BEST-KNOWN: "Lulu's paperback formula is page count / 444 + 0.06 in",
        # https://polotno.com/sdk/product/industries/book-cover-editor-sdk, matching Lulu's paper
        # code "060UW444" (444 pages per inch). Minimum: "Paperback covers ... require a minimum
        # of 32 pages", https://www.scribd.com/document/513281500/lulu-spine-width-calculator
        "white": Paper("60 lb uncoated white", 1 / 444, 32, 800),
        "cream": Paper("60 lb uncoated cream", 1 / 444, 32, 800),
        "color": Paper("80 lb coated white", 1 / 444, 32, 800),
    },
    pdfx=False,
    # source: "Currently, our printers use sRGB", https://help.lulu.com/en/support/solutions/
    # articles/64000255590-interior-formatting-faq (OFFICIAL)
    srgb_intent=True,
    bookmarks=True,  # Lulu says nothing against them
    annotations=True,
    metadata=True,
    spine_extra=0.06,  # BEST-KNOWN (see papers)
    # source: "Lulu and many of our print partners can print spine text on books with as few as
    # 80 pages", https://connect.lulu.com/en/discussion/343028 (SECONDARY)
    spine_text_min_pages=80,
    cover_safe_zone=0.5,  # BEST-KNOWN: "Lulu for 0.5 in", polotno (as above)
    spine_fold_clearance=0.0625,  # BEST-KNOWN
    barcode=(2.0, 1.2),  # BEST-KNOWN: Lulu's current pages give no size; KDP's is kept free
)

SHOPS = {shop.key: shop for shop in (KDP, INGRAMSPARK, LULU)}
