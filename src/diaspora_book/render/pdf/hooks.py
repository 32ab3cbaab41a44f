"""Lay out one part of a book as if the pages before it were there.

WeasyPrint lays a document out in two steps: it makes every page (the slow part),
then adds the margin boxes (running heads, folios) page by page. Only the second
step depends on what came before the part: the folio needs the page number the
part starts at, and a running head may show a string set in an earlier part (the
book's title, set on the title page). `as_book_part()` hooks in between the two
steps: it reports how many pages the part made and the strings it set last, waits
for the part's first page number and the strings in force when it opens, and
then lets WeasyPrint make the margin boxes with those.

This reaches into WeasyPrint's layout module (`make_all_pages`, `make_margin_boxes`
and `resolve_links`, and the layout context's string lookup): `hooks_available()`
says whether this WeasyPrint has them, and the caller lays the book out whole
when it does not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

Handshake = Callable[[int, dict[str, str]], tuple[int, dict[str, str]]]
"""(pages made, last value of each named string) -> (pages before the part, strings in force)."""


@dataclass
class _PartState:
    pages: int = 0  # made so far by the current layout
    offset: int | None = None  # pages before the part, once the handshake told


def hooks_available() -> bool:
    """Return whether this WeasyPrint has the functions `as_book_part` wraps."""
    try:
        from weasyprint import layout
        from weasyprint.pdf import anchors
    except (ImportError, OSError):
        return False
    return all(
        callable(getattr(module, name, None))
        for module, name in (
            (layout, "make_all_pages"),
            (layout, "make_margin_boxes"),
            (layout.LayoutContext, "get_string_set_for"),
            (anchors, "resolve_links"),
        )
    ) and hasattr(_pdf_module(), "resolve_links")


@contextmanager
def as_book_part(handshake: Handshake, outside_anchors: set[str]) -> Iterator[None]:
    """While active, lay documents out as a part of a book (see the module docstring).

    `outside_anchors` are ids in other parts: links to them are kept (the parts are
    joined later, and the link then resolves) instead of being dropped as broken.
    """
    from weasyprint import layout

    pdf = _pdf_module()
    make_all_pages, make_margin_boxes = layout.make_all_pages, layout.make_margin_boxes
    resolve_links = pdf.resolve_links
    state = _PartState()

    def counting_make_all_pages(context, root_box, html, pages):
        state.pages = 0
        for page in make_all_pages(context, root_box, html, pages):
            state.pages += 1
            yield page

    def numbered_make_margin_boxes(context, page, page_state):
        if state.offset is None:
            state.offset, carried = handshake(state.pages, _last_strings(context))
            _carry_strings(context, carried)
        counters = dict(page_state[1])
        counters["page"] = [value + state.offset for value in counters.get("page", [])]
        return make_margin_boxes(context, page, (page_state[0], counters, *page_state[2:]))

    def resolve_links_keeping_outside(pages):
        for page, (links, anchors) in zip(pages, resolve_links(pages), strict=True):
            kept = {id(link) for link in links}
            yield (
                [
                    link
                    for link in page.links
                    if id(link) in kept or (link[0] == "internal" and link[1] in outside_anchors)
                ],
                anchors,
            )

    layout.make_all_pages = counting_make_all_pages
    layout.make_margin_boxes = numbered_make_margin_boxes
    pdf.resolve_links = resolve_links_keeping_outside
    try:
        yield
    finally:
        layout.make_all_pages, layout.make_margin_boxes = make_all_pages, make_margin_boxes
        pdf.resolve_links = resolve_links


def _pdf_module():
    import weasyprint.pdf

    return weasyprint.pdf


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
