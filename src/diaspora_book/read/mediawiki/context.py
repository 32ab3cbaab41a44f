"""What reading one article shares: where nodes are, what was found, what to report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from diaspora_book.model import Fact, Figure, SourceSpan
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.read.mediawiki.references import RefState
from diaspora_book.read.mediawiki.source import Locator
from diaspora_book.read.mediawiki.wiki_words import WikiWords, wiki_words

# Deeper template/tag nesting than this is hostile or broken input; its content is dropped.
MAX_DEPTH = 60


@dataclass
class TemplateUse:
    """An uninterpreted template: how often it occurs and where first (for `check`)."""

    count: int
    first: SourceSpan


@dataclass
class ReadContext:
    """Mutable state of reading one article (private to the reader; never leaves it)."""

    locator: Locator
    diagnostics: Diagnostics
    templates: dict[str, str]  # book.yml `templates:`: lowercased name -> drop/text/format
    refs: RefState  # the article's <ref>s and citation templates (references.py)
    language: str = "en"  # the book's (BCP 47): how generated numbers are written
    # The wiki's own words the page is read with (namespaces, image options...).
    words: WikiWords = field(default_factory=lambda: wiki_words(()))
    unknown: dict[str, TemplateUse] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)  # found inline, placed after the block
    infobox: tuple[str, list[Fact], SourceSpan] | None = None
    infobox_image: Figure | None = None  # the infobox's own image (infobox.py)
    lead_end: int = 1 << 62  # offset of the first heading: where an infobox can still be
    notes: dict[str, str] = field(default_factory=dict)  # a named note's name -> its text
    hatnotes: list[tuple[str, SourceSpan]] = field(default_factory=list)
    # Lines where a reference list stands ({{reflist}}, {{kaynakça}}, <references />): a
    # heading over nothing but one is not printed (the book prints its References once).
    reference_lines: list[int] = field(default_factory=list)
    depth: int = 0
    too_deep_reported: bool = False
    # Readers of templates, file links and galleries (templates.py, media.py), set by
    # read.py: inline.py calls them without importing them (they import it).
    on_template: Callable[..., Any] | None = None
    on_file: Callable[..., Any] | None = None
    on_gallery: Callable[..., Any] | None = None

    def span(self, offset: int) -> SourceSpan:
        return self.locator.span(offset)

    def unknown_template(self, name: str, offset: int) -> None:
        use = self.unknown.get(name)
        if use:
            use.count += 1
        else:
            self.unknown[name] = TemplateUse(1, self.span(offset))
