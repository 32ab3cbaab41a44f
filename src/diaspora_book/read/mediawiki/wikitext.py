"""One MediaWiki article (wikitext and its title) -> `Article` and its diagnostics."""

from __future__ import annotations

import re
from pathlib import Path

import mwparserfromhell

from diaspora_book.model import Article, Block, Heading, Infobox, Revision, SourceSpan
from diaspora_book.plumbing.errors import BookError, Diagnostic, Diagnostics
from diaspora_book.plumbing.slug import title_slug
from diaspora_book.read.mediawiki.blocks import BlockReader
from diaspora_book.read.mediawiki.cite_values import literal_references, plain
from diaspora_book.read.mediawiki.context import ReadContext
from diaspora_book.read.mediawiki.inline import tag_attribute
from diaspora_book.read.mediawiki.media import read_file_link, read_gallery
from diaspora_book.read.mediawiki.quotes import close_open_quotes, raw_markup
from diaspora_book.read.mediawiki.references import NOTE_TEMPLATES, REFERENCE_HEADINGS, RefState
from diaspora_book.read.mediawiki.source import Locator
from diaspora_book.read.mediawiki.templates import read_template, template_name
from diaspora_book.read.mediawiki.wiki_words import SiteInfo, page_wikis, wiki_words

# Deeper than this, mwparserfromhell's own recursion would be the limit; such input is hostile.
_MAX_BRACES = 2000
UNKNOWN_TEMPLATE = "unknown-template"
# One chapter's wikitext at most (the longest encyclopedia articles are about half this).
MAX_BYTES = 1024 * 1024


def wiki_title(path: Path) -> str:
    """Return the page title of a `.wiki` file: its name, underscores read as spaces."""
    return " ".join(path.stem.replace("_", " ").split()) or "Untitled"


def read_wikitext(
    text: str,
    path: Path,
    locator: Locator,
    templates: dict[str, str],
    page: tuple[str, Revision | None],
    language: str = "en",
    site: SiteInfo | None = None,
) -> tuple[Article, Diagnostics]:
    """Parse one page's wikitext; `page` is its title and (from an export) its revision.

    `language` is the book's; numbers the converter writes follow it. The wiki's words
    (`[[Dosya:`, `küçükresim`) are those of the book's language, of the export's
    `site`, of the wikis whose File or Category names the page uses, and English's.
    """
    title, revision = page
    diagnostics = Diagnostics()
    start = locator.span(0)
    if not text.strip():
        raise BookError("the article is empty", start)
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise BookError(
            f"the article is {size / 1024 / 1024:.1f} MB of wikitext, more than the 1 MB "
            "a chapter may be",
            start,
            "split it into several articles",
        )
    if text.count("{{") > _MAX_BRACES and _nesting(text) > _MAX_BRACES:
        raise BookError(
            f"templates nested more than {_MAX_BRACES} deep; this is not an article",
            start,
            "remove the nested templates",
        )
    text = _close_tables(text, locator, diagnostics)
    try:
        code = mwparserfromhell.parse(text)
        unread = raw_markup(code)
        if unread:  # a quote left open in a template or a reference (quotes.py)?
            mended = close_open_quotes(text)
            again = mwparserfromhell.parse(mended) if mended != text else code
            if raw_markup(again) < unread:
                text, code = mended, again
                locator = Locator.of(text, locator.path, locator.first_line, locator.first_column)
    except RecursionError:
        raise BookError("markup nested too deeply to read", start) from None
    literal_references(code)
    context = ReadContext(
        locator, diagnostics, templates, RefState(locator.path, language), language
    )
    site = site or SiteInfo()
    context.words = wiki_words(page_wikis(text, language, site.language), site.namespaces)
    context.on_template, context.on_file = read_template, read_file_link
    context.on_gallery = read_gallery
    context.notes.update(named_notes(code))
    first_heading = re.search(r"^=+[^=\n].*=+[ \t]*$", text, re.MULTILINE)
    context.lead_end = first_heading.start() if first_heading else len(text)
    blocks = _without_empty_reference_sections(
        BlockReader(context).read(code, 0), frozenset(context.reference_lines)
    )
    citations = context.refs.citations(diagnostics)
    for name, use in context.unknown.items():
        diagnostics.items.append(_unknown_template(name, use.count, use.first))
    infobox = None
    if context.infobox:
        name, facts, span = context.infobox
        image = context.infobox_image
        infobox = Infobox(tuple(facts), span, name, image) if facts or image else None
    article = Article(
        path=path,
        display_path=locator.path,
        slug=title_slug(title),
        title=title,
        title_span=start,
        infobox=infobox,
        blocks=tuple(blocks),
        revision=revision,
        citations=citations,
    )
    return article, diagnostics


def named_notes(code: mwparserfromhell.wikicode.Wikicode) -> dict[str, str]:
    """Return the text of every named note, so a note may be reused before its definition.

    (`<ref group="note" name="a" />` often comes first, defined in `<references>` below.)
    """
    found: dict[str, str] = {}
    tags = code.filter_tags(matches=lambda n: str(n.tag).strip().lower() in ("ref", "references"))
    for tag in tags:
        if not tag_attribute(tag, "group") or tag.contents is None:
            continue
        inner = tag.contents.filter_tags(recursive=False) if str(tag.tag).strip() != "ref" else []
        for ref in [tag, *inner]:  # a note, or the notes a <references group=...> defines
            name = tag_attribute(ref, "name")
            if name and str(ref.tag).strip().lower() == "ref" and not ref.self_closing:
                text = _note_text(ref.contents) if ref.contents is not None else ""
                if text:
                    found.setdefault(name, text)
    for template in code.filter_templates():
        if template_name(template) in NOTE_TEMPLATES and template.has("name"):
            body = next((p.value for p in template.params if str(p.name).strip() == "1"), None)
            text = _note_text(body) if body is not None else ""
            if text:
                found.setdefault(plain(template.get("name").value), text)
    return found


def _note_text(body: mwparserfromhell.wikicode.Wikicode) -> str:
    """A note's text (without the sources it cites)."""
    copy = mwparserfromhell.parse(str(body))
    for ref in copy.filter_tags(matches=lambda n: str(n.tag).strip().lower() == "ref"):
        try:
            copy.remove(ref)
        except ValueError:  # inside one already removed
            pass
    return plain(copy)


_UNKNOWN = re.compile(r"^template \{\{(.*)\}\} is not interpreted \((\d+) uses?\); dropped$")


def _unknown_template(name: str, count: int, first: SourceSpan | None) -> Diagnostic:
    times = f"{count} uses" if count != 1 else "1 use"
    return Diagnostic(
        "warning",
        first,
        f"template {{{{{name}}}}} is not interpreted ({times}); dropped",
        "map it in book.yml 'templates:' (drop, text or a format)",
        code=UNKNOWN_TEMPLATE,
    )


def merge_template_reports(diagnostics: Diagnostics) -> Diagnostics:
    """Report each unknown template once for the whole book: total count, first place.

    Each article reports its own (so a chapter from the cache replays them); the
    book's report adds them up, in the order the templates were first met.
    """
    merged = Diagnostics()
    totals: dict[str, list] = {}
    for diagnostic in diagnostics:
        found = _UNKNOWN.match(diagnostic.message) if diagnostic.code == UNKNOWN_TEMPLATE else None
        if found is None:
            merged.items.append(diagnostic)
            continue
        name, count = found.group(1), int(found.group(2))
        if name in totals:
            totals[name][0] += count
            continue
        totals[name] = [count, diagnostic.span, len(merged.items)]
        merged.items.append(diagnostic)
    for name, (count, first, index) in totals.items():
        merged.items[index] = _unknown_template(name, count, first)
    return merged


def _without_empty_reference_sections(blocks: list[Block], lists: frozenset[int]) -> list[Block]:
    """Drop a heading with nothing under it but a reference list (or a reference
    section's name: "References", "Kaynakça", "Примечания", "脚注").

    Its `{{reflist}}`/`{{kaynakça}}`/`<references/>` is the book's References, printed
    once at the end. A section whose subsections all went ("脚注" over "注釈" and
    "出典", each a {{reflist}}) goes too.
    """
    kept: list[Block] = []  # the blocks after the one being looked at, already kept
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        if isinstance(block, Heading):
            empty = not kept or (isinstance(kept[0], Heading) and kept[0].level <= block.level)
            if empty and (
                block.text.strip().lower() in REFERENCE_HEADINGS
                or _holds_a_list(blocks, index, lists)
            ):
                continue
        kept.insert(0, block)
    return kept


def _holds_a_list(blocks: list[Block], index: int, lists: frozenset[int]) -> bool:
    """Whether a reference list stands in the section of the heading `blocks[index]`."""
    heading = blocks[index]
    assert isinstance(heading, Heading)
    end = next(
        (
            b.span.line
            for b in blocks[index + 1 :]
            if isinstance(b, Heading) and b.level <= heading.level
        ),
        None,
    )
    return any(heading.span.line < line and (end is None or line < end) for line in lists)


def _close_tables(text: str, locator: Locator, diagnostics: Diagnostics) -> str:
    """Close tables the article leaves open (MediaWiki closes them at the page's end)."""
    open_at: list[int] = []
    offset = 0
    for line in text.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith("{|"):
            open_at.append(offset + len(line) - len(stripped))
        elif stripped.startswith("|}") and open_at:
            open_at.pop()
        offset += len(line) + 1
    for at in open_at:
        diagnostics.warn(locator.span(at), "table is never closed with '|}'; closed at the end")
    return text + "\n|}" * len(open_at)


def _nesting(text: str) -> int:
    depth = deepest = 0
    for index in range(len(text) - 1):
        pair = text[index : index + 2]
        if pair == "{{":
            depth += 1
            deepest = max(deepest, depth)
        elif pair == "}}":
            depth = max(0, depth - 1)
    return deepest
