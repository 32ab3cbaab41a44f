"""Content checks on parsed articles: things that parse but look damaged.

Encyclopedia exports lose their templates, and what is left behind reads badly in
print: `however, , only 213` (a removed date), `Almaty | related-c = Overseas
Chinese` (a template parameter), `()` (a removed pronunciation). Each finding is a
warning at the exact `path:line:column`; the text itself is never changed.
"""

from __future__ import annotations

from collections.abc import Iterator

from diaspora_book.model import Article, BulletList, Figure, Heading, Paragraph, SourceSpan, Table
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.project.lint_rules import RULES
from diaspora_book.project.media import media_dir, media_files, media_key


def _texts(article: Article) -> Iterator[tuple[str, SourceSpan]]:
    if article.infobox:
        for fact in article.infobox.facts:
            # The value starts after "Key: " on the fact's line.
            offset = len(fact.key) + 2 if fact.key else 0
            yield fact.value, fact.span if fact.runs or fact.span.places else fact.span.at(offset)
    for block in article.blocks:
        if isinstance(block, Paragraph) and block.kind == "code":
            continue  # code is what it is: not prose to lint
        if isinstance(block, (Paragraph, Heading)):
            yield block.text, block.span
        elif isinstance(block, BulletList):
            for item in block.items:
                yield item.text, item.span
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    yield cell.text, cell.span
        elif isinstance(block, Figure):
            yield block.caption.text, block.caption.span


def lint_article(article: Article, diagnostics: Diagnostics) -> None:
    """Add a warning for each suspicious fragment in the article's text."""
    for text, span in _texts(article):
        for code, pattern, message in RULES:
            for match in pattern.finditer(text):
                where = span.at(match.start())
                diagnostics.warn(where, message.format(match=match.group()), code=code)


def lint_figures(article: Article, diagnostics: Diagnostics) -> None:
    """Warn about each figure whose image is not in the project's media/ folder."""
    available = media_files(media_dir(article.path))
    for block in article.blocks:
        if isinstance(block, Figure) and media_key(block.file) not in available:
            diagnostics.warn(
                block.span,
                f"image '{block.file}' is not in media/; its caption is printed as text",
                f"add media/{block.file.replace(' ', '_')} to show the figure",
                code="missing-media",
            )


def apply_accepted(diagnostics: Diagnostics, accepted) -> Diagnostics:
    """Drop warnings an editor accepted in book.yml; warn about entries that match nothing.

    `accepted` is the config's tuple of `Accepted` entries. Accepting is per file and
    rule, so a new kind of problem in the same file is still reported.
    """
    kept = Diagnostics()
    used: set[tuple[str, str]] = set()
    keys = {(entry.path, entry.code) for entry in accepted}
    for diagnostic in diagnostics:
        key = (diagnostic.span.path if diagnostic.span else "", diagnostic.code)
        if diagnostic.severity == "warning" and diagnostic.code and key in keys:
            used.add(key)
            continue
        kept.items.append(diagnostic)
    for entry in accepted:
        if (entry.path, entry.code) not in used:
            kept.warn(
                entry.span,
                f"accept entry '{entry.path}: {entry.code}' matches no warning",
                "remove it from book.yml",
            )
    return kept
