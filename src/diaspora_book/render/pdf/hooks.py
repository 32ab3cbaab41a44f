"""Every use of WeasyPrint's and pydyf's private functions, each hook saying what it relies on.

WeasyPrint 70 and pydyf 0.13 are pinned in pyproject.toml because of this module.
Everything else in the package uses WeasyPrint's public API only (`HTML`, `CSS`,
`Document.write_pdf`, `Page.anchors`). A hook that meets a WeasyPrint it does not
know raises `HookFailed`; the print edition then falls back to what needs no hook
(the one-process layout, or a PDF without per-run /Lang) and says so, so a
WeasyPrint upgrade never ends in a silently wrong book.

- `tagged_structure`: the tagged PDF's structure elements get the `lang` of
  their HTML element (WeasyPrint keeps only the document's); a link's page
  number is part of the link, and the contents' leaders are artifacts.
- `cached_page_references`: pydyf's page-reference list computed once per page,
  not once per lookup (writing a tagged PDF was quadratic in pages).
- `whole_leaders`: a dotted leader laid out as one run of text, not a text box
  per dot (the contents of 200 chapters: 11,688 boxes, 1.2 s to write).
- `as_book_part`: a part of the book laid out as if the pages before it were
  there (folios continue, running heads carry over), for the parallel layout.
- `keeping_links_to`: links into another part of the book kept (they resolve
  once the parts are joined).
- `shared_font_subsets`: the two halves of a book written at once (`halves`)
  embed the same subset of each face.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

Handshake = Callable[[int, dict[str, str]], tuple[int, dict[str, str]]]
"""(pages made, last value of each named string) -> (pages before the part, strings in force)."""


class HookFailed(Exception):
    """A hook met a WeasyPrint or pydyf that does not look as it expects."""


# ---- the structure tree ---------------------------------------------------------------

ARTIFACT_KEY = "DiasporaArtifact"  # on an element left out of the tree: its artifact type


@contextmanager
def tagged_structure() -> Iterator[bool]:
    """While active, mend the structure tree WeasyPrint builds as it writes a tagged PDF.

    1. Languages: a structure element gets the `lang` of the HTML element it came
       from (WeasyPrint keeps only the document's), so a screen reader reads a
       Uyghur or Chinese run in its own voice.
    2. Links: a link's `::before`/`::after` (the contents' and the Glossary's page
       numbers) becomes part of the link's own element. WeasyPrint makes it a Link
       inside the Link, so each contents entry was three nested links.
    3. Leaders: the contents' dotted leaders are left out of the tree; their marked
       content becomes a layout artifact (`structure.mark_furniture_as_artifacts`),
       so a screen reader does not read out dozens of dots per entry.

    Relies on `weasyprint.pdf.tags._build_box_tree(box, parent, pdf, page_number,
    nums, annotations, tags)`: a generator of the pydyf dictionaries of the
    structure elements it builds for `box` under `parent`, which calls itself
    through the module (so replacing the module attribute reaches every level);
    an element's "K" lists its kids (MCIDs as ints, references to child elements
    and to /OBJR dictionaries); `nums` maps the page's MCIDs to the references of
    their elements; `annotations` lists (element reference, annotation) pairs;
    `pdf.objects[n]` is the object numbered n; `box.element`, `box.element_tag`
    ("a::after" for a pseudo-element) and `box.is_leader`. Yields whether the hook
    could be installed (False: this WeasyPrint is unknown; the caller warns that
    foreign runs carry no /Lang).
    """
    import pydyf
    from weasyprint.pdf import tags

    original = getattr(tags, "_build_box_tree", None)
    if original is None:
        yield False
        return

    def build_box_tree(box, parent, *args, **kwargs):
        try:
            pdf, _page_number, nums, annotations = args[:4]
            lang = _own_lang(box)
            leader = bool(getattr(box, "is_leader", False))
            folded = leader or _is_link_decoration(box, parent)
        except (AttributeError, TypeError, KeyError, ValueError) as exc:
            raise HookFailed(f"tags._build_box_tree: {type(exc).__name__}: {exc}") from exc
        elements = original(box, parent, *args, **kwargs)
        for element in elements:
            if lang and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            if not folded:
                yield element
                continue
            try:
                _fold(element, parent, pdf, nums, annotations, leader)
            except (AttributeError, TypeError, KeyError, IndexError, ValueError) as exc:
                raise HookFailed(f"tags._build_box_tree: {type(exc).__name__}: {exc}") from exc

    tags._build_box_tree = build_box_tree
    try:
        yield True
    finally:
        tags._build_box_tree = original


def _own_lang(box) -> str | None:
    """Return the `lang` attribute of the box's element, unless it is the document's own."""
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) in ("html", "body"):
        return None
    lang = element.get("lang")
    return lang or None


def _is_link_decoration(box, parent) -> bool:
    """Return whether `box` is a link's pseudo-element, inside the link's own element."""
    tag = getattr(box, "element_tag", None) or ""
    return tag.startswith("a::") and parent.get("S") == "/Link"


def _fold(element, parent, pdf, nums, annotations, leader: bool) -> None:
    """Give `element`'s annotations to `parent`, and its content too unless it is a leader.

    `element` is not yielded, so it is left out of the tree. A leader's marked
    content still maps to it: the finishing pass turns it into an artifact.
    """
    for kid in list(element["K"]):
        if isinstance(kid, int):  # a marked-content id
            if not leader:
                parent["K"].append(kid)
                nums[kid] = parent.reference
            continue
        child = pdf.objects[int(kid.split()[0])]
        if child.get("Type") == "/OBJR":  # an annotation: it stays with the link
            parent["K"].append(kid)
        elif not leader:
            parent["K"].append(kid)
            child["P"] = parent.reference
    for index, (owner, annotation) in enumerate(annotations):
        if owner == element.reference:
            annotations[index] = (parent.reference, annotation)
    if leader:
        element[ARTIFACT_KEY] = "/Layout"


# ---- pydyf's page references ---------------------------------------------------------


@contextmanager
def cached_page_references() -> Iterator[None]:
    """Make pydyf's `PDF.page_references` compute its tuple once per page added.

    Relies on `pydyf.PDF.page_references` being a property computed from
    `self.pages["Kids"]`, a list that only grows (`add_page`), so its length keys
    the cache. pydyf rebuilds the reference of every page on each lookup, and a
    tagged PDF looks one up for every structure element and anchor: quadratic in
    pages (808 pages: 46,585 lookups, 15 s of a 39 s write). The PDF written is
    byte for byte the same. If pydyf changes, nothing is patched.
    """
    import pydyf

    original = pydyf.PDF.__dict__.get("page_references")
    if not isinstance(original, property) or original.fget is None:
        yield
        return
    compute = original.fget

    def page_references(pdf) -> tuple[bytes, ...]:
        size = len(pdf.pages["Kids"])
        cached = pdf.__dict__.get("_diaspora_page_references")
        if cached is None or cached[0] != size:
            cached = (size, compute(pdf))
            pdf.__dict__["_diaspora_page_references"] = cached
        return cached[1]

    pydyf.PDF.page_references = property(page_references)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original


@contextmanager
def whole_leaders() -> Iterator[None]:
    """While active, lay each dotted leader out as one run of text, not one per dot.

    WeasyPrint fills a leader (the contents' `leader(". ")`) with a copy of its text
    box per repetition, placed from the line's end; each copy is then drawn as a
    text object of its own. The contents of 200 chapters are 11,688 of them, and
    writing their 12 pages took 1.2 s, on the serial tail of the book in parts.
    After WeasyPrint placed the copies, the hook puts in their place one text box of
    the text repeated as many times, from the first copy, shaped by Pango like any
    text: the same dots within 0.01 pt (a leader whose run is not exactly as wide
    as the copies, or would wrap, keeps its copies).

    Relies on `weasyprint.layout.inline.handle_leader(context, line,
    containing_block)` (looked up through the module by `inline`), on
    `weasyprint.layout.leader.leader_index(line)` returning (index, leader box), on
    a leader box's `children` being its placed text boxes, and on
    `weasyprint.text.line_break.split_first_line`. If WeasyPrint changes, nothing is
    patched and leaders are as WeasyPrint makes them.
    """
    try:
        from weasyprint.layout import inline, leader
        from weasyprint.text.line_break import split_first_line
    except ImportError:
        yield
        return
    original = getattr(inline, "handle_leader", None)
    if not callable(original) or not callable(getattr(leader, "leader_index", None)):
        yield
        return

    def handle_leader(context, line, containing_block) -> None:
        original(context, line, containing_block)
        box = leader.leader_index(line)[1]
        copies = sorted(getattr(box, "children", ()), key=lambda child: child.position_x)
        if len(copies) > 1:
            box.children = _one_run(copies, context, split_first_line) or box.children

    inline.handle_leader = handle_leader
    try:
        yield
    finally:
        inline.handle_leader = original


def _one_run(copies: list, context, split_first_line):
    """Return one text box for a leader's placed `copies` (left to right), or None
    when Pango would not set their text repeated exactly as wide on one line."""
    first = copies[0]
    text = first.text * len(copies)
    layout, _, resume, width, height, _ = split_first_line(
        text, first.style, context, None, first.justification_spacing, is_line_start=False
    )
    if resume is not None or layout.text != text or height != first.height:
        return None
    if abs(width - first.width * len(copies)) > 0.01:
        return None
    run = first.copy_with_text(text)
    run.pango_layout, run.width = layout, width
    return (run,)


# ---- a part of the book ----------------------------------------------------------------

# (module, attribute) pairs `as_book_part` replaces or calls.
_PART_HOOKS = (
    ("weasyprint.layout", "make_all_pages"),
    ("weasyprint.layout", "make_margin_boxes"),
    ("weasyprint.layout", "LayoutContext"),
    ("weasyprint.pdf", "resolve_links"),
)


@dataclass
class _PartState:
    pages: int = 0  # made so far by the current layout
    offset: int | None = None  # pages before the part, once the handshake told


def hooks_available() -> bool:
    """Return whether this WeasyPrint has the functions `as_book_part` wraps."""
    import importlib

    try:
        modules = {name: importlib.import_module(name) for name, _ in _PART_HOOKS}
    except (ImportError, OSError):
        return False
    return all(callable(getattr(modules[m], name, None)) for m, name in _PART_HOOKS) and callable(
        getattr(modules["weasyprint.layout"].LayoutContext, "get_string_set_for", None)
    )


@contextmanager
def as_book_part(handshake: Handshake, outside_anchors: frozenset[str]) -> Iterator[None]:
    """While active, lay a document out as a part of a book whose earlier pages are elsewhere.

    WeasyPrint lays a document out in two steps: it makes every page (the slow
    part), then adds the margin boxes (running heads, folios) page by page. Only
    the second step depends on the pages before the part. Relies on:

    - `weasyprint.layout.make_all_pages(context, root_box, html, pages)`, a
      generator of the pages, run to its end before the first margin box is made;
    - `weasyprint.layout.make_margin_boxes(context, page, page_state)`, where
      `page_state[1]` maps counter names to lists of values (`"page"` is the folio);
    - `context.string_set` (name -> page number -> values set on that page),
      `context.current_page` and `context.get_string_set_for(page, name, keyword)`,
      which `string()` in a margin box calls;
    - what `keeping_links_to` relies on.

    The first margin box calls `handshake` with the pages made and the strings
    the part set last; it returns the part's first page number (pages before it)
    and the strings in force when it opens. `outside_anchors` are ids in other
    parts: links to them are kept (`keeping_links_to`). Any of the above looking
    different raises `HookFailed`.
    """
    if not hooks_available():  # told here too: the press lays out parts unasked
        raise HookFailed("this WeasyPrint cannot lay out a part of a book")
    from weasyprint import layout

    make_all_pages, make_margin_boxes = layout.make_all_pages, layout.make_margin_boxes
    state = _PartState()

    def counting_make_all_pages(context, root_box, html, pages):
        state.pages = 0
        for page in make_all_pages(context, root_box, html, pages):
            state.pages += 1
            yield page

    def numbered_make_margin_boxes(context, page, page_state):
        try:
            if state.offset is None:
                state.offset, carried = handshake(state.pages, _last_strings(context))
                _carry_strings(context, carried)
            counters = dict(page_state[1])
            counters["page"] = [value + state.offset for value in counters.get("page", [])]
            shifted = (page_state[0], counters, *page_state[2:])
        except (AttributeError, TypeError, KeyError, IndexError, ValueError) as exc:
            raise HookFailed(f"layout.make_margin_boxes: {type(exc).__name__}: {exc}") from exc
        return make_margin_boxes(context, page, shifted)

    layout.make_all_pages = counting_make_all_pages
    layout.make_margin_boxes = numbered_make_margin_boxes
    try:
        with keeping_links_to(outside_anchors):
            yield
    finally:
        layout.make_all_pages, layout.make_margin_boxes = make_all_pages, make_margin_boxes


@contextmanager
def keeping_links_to(outside_anchors: frozenset[str]) -> Iterator[None]:
    """While active, a PDF written keeps its links to `outside_anchors`, ids in
    another part of the book: once the parts are joined, the link resolves.

    Relies on `weasyprint.pdf.resolve_links(pages)`, which yields (links, anchors)
    per page and drops links whose target is not in the document; a page's
    `links` are tuples whose first two items are the link's type and target.
    Anything else there raises `HookFailed`.
    """
    import weasyprint.pdf

    resolve_links = weasyprint.pdf.resolve_links

    def resolve_links_keeping_outside(pages):
        for page, resolved in zip(pages, resolve_links(pages), strict=True):
            try:
                links, anchors = resolved
                kept = {id(link) for link in links}
                links = [
                    link
                    for link in page.links
                    if id(link) in kept or (link[0] == "internal" and link[1] in outside_anchors)
                ]
            except (AttributeError, TypeError, IndexError, ValueError) as exc:
                raise HookFailed(f"pdf.resolve_links: {type(exc).__name__}: {exc}") from exc
            yield links, anchors

    weasyprint.pdf.resolve_links = resolve_links_keeping_outside
    try:
        yield
    finally:
        weasyprint.pdf.resolve_links = resolve_links


def _last_strings(context) -> dict[str, str]:
    """Return the last value set for each named string in the document."""
    last: dict[str, str] = {}
    for name, by_page in context.string_set.items():
        if by_page:
            values = by_page[max(by_page)]
            if values:
                last[name] = values[-1]
    return last


def _carry_strings(context, carried: dict[str, str]) -> None:
    """Make `string()` fall back to `carried` before the part sets a string itself.

    In the whole book, `string(name)` on a page where `name` is not set shows the
    most recent value, which may have been set in an earlier part.
    """
    if not carried:
        return
    lookup = context.get_string_set_for

    def get_string_set_for(page, name, keyword="first"):
        found = lookup(page, name, keyword)
        if found or keyword == "all-once" or name not in carried:
            return found
        if any(number <= context.current_page for number in context.string_set[name]):
            return found
        return (carried[name],)

    context.get_string_set_for = get_string_set_for


# ---- two halves written at once ----------------------------------------------------------

# What a half tells the other of each font it drew with: its face, the glyphs' widths,
# their text (in the order first drawn) and whether it met a character no font has.
FontGlyphs = dict[int, tuple[str, dict[int, int], dict[int, str], bool]]


class NotShared(Exception):
    """The two halves cannot embed the same subsets: write the book in one piece."""


@contextmanager
def shared_font_subsets(
    exchange: Callable[[FontGlyphs], FontGlyphs], earlier: bool
) -> Iterator[None]:
    """While active, a PDF written as one of two halves of a book (`halves`) embeds
    the subset of each face the whole book would, the same as the other half's.

    WeasyPrint subsets a face to the glyphs the pages it writes draw. Once a half
    has drawn its pages, `exchange` hands the other half what it drew with and
    returns what the other drew with; each half then adds the other's glyphs to
    every font both drew with, so both embed one program, `/W` array and
    `/ToUnicode` map per face, the ones a whole write embeds (the `earlier` half's
    text for a glyph first, as the whole book meets it first), and joining them
    merges nothing. Raises `NotShared` where the halves' pages would disagree with
    a shared font: a glyph whose width each half rounded differently (its text is
    placed by that width), or a character no font has (WeasyPrint numbers a
    stand-in glyph for it as it meets it, each half from the same number).

    Relies on `weasyprint.pdf.build_fonts_dictionary(pdf, fonts, compress, subset,
    options)`, looked up through `weasyprint.pdf` and called once every page is
    drawn, with `fonts` mapping a key to a Font whose `hash` names its face,
    `widths` maps glyph ids to widths, `to_unicode` glyph ids to text and `missing`
    characters to stand-in glyphs. If WeasyPrint changes, `NotShared` is raised.
    """
    import weasyprint.pdf

    original = getattr(weasyprint.pdf, "build_fonts_dictionary", None)
    if not callable(original):
        raise NotShared("this WeasyPrint writes its fonts differently")

    def build_fonts_dictionary(pdf, fonts, *args, **kwargs):
        try:
            mine = {
                key: (font.hash, dict(font.widths), dict(font.to_unicode), bool(font.missing))
                for key, font in fonts.items()
            }
        except (AttributeError, TypeError) as exc:
            raise NotShared(f"pdf.build_fonts_dictionary: {type(exc).__name__}: {exc}") from exc
        theirs = exchange(mine)
        for key, (face, widths, text, missing) in theirs.items():
            font = fonts.get(key)
            if font is None:
                continue  # drawn in the other half only: no subset to agree on
            if font.hash != face or missing or font.missing:
                raise NotShared(f"a character no font has, or two faces under one key ({face})")
            if any(font.widths.get(gid, width) != width for gid, width in widths.items()):
                raise NotShared(f"glyph widths the halves rounded differently ({face})")
            font.widths.update(widths)
            first, second = (font.to_unicode, text) if earlier else (text, font.to_unicode)
            merged = dict(first)
            for gid, value in second.items():
                merged.setdefault(gid, value)
            font.to_unicode = merged
        return original(pdf, fonts, *args, **kwargs)

    weasyprint.pdf.build_fonts_dictionary = build_fonts_dictionary
    try:
        yield
    finally:
        weasyprint.pdf.build_fonts_dictionary = original
