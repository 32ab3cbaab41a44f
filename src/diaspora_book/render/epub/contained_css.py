"""Keep the EPUB's stylesheet to what the EPUB itself contains.

An e-book is a closed package: a reading system resolves `@import` and `url()`
inside it, or fails (EPUBCheck RSC-006, RSC-007, RSC-030), or, worse, fetches from
the network or the reader's own disk. The project's stylesheets are written for the
print edition too, where WeasyPrint's fetcher serves the project's files; in the
EPUB such a rule could only point out of the book. So every `@import` rule and every
declaration with a `url()` other than a `data:` URL is dropped from the EPUB's
stylesheet, each with a warning naming the stylesheet's line. The rest of the text
is kept byte for byte (tinycss2 serialises the tokens it read).
"""

from __future__ import annotations

from collections.abc import Iterable

import tinycss2
from tinycss2 import ast

from diaspora_book.model import SourceSpan
from diaspora_book.plumbing.errors import Diagnostics

# At-rules whose block holds rules (the others hold declarations, or both).
_RULE_BLOCKS = frozenset({"media", "supports", "document", "layer", "container", "scope"})
_HINT = "an e-book can use only what it contains"


def contained_css(text: str, shown: str, diagnostics: Diagnostics) -> str:
    """Return `text` without what would reach outside the EPUB; warn about each drop."""
    nodes = tinycss2.parse_stylesheet(text, skip_comments=False, skip_whitespace=False)
    kept = _rules(nodes, shown, diagnostics)
    return text if kept is None else tinycss2.serialize(kept)


def _rules(nodes: list, shown: str, diagnostics: Diagnostics) -> list | None:
    """Return the rules or declarations to keep, or None when nothing had to be dropped."""
    changed = False
    kept: list = []
    for node in nodes:
        if _leaves_the_book(node):
            _warn(node, shown, diagnostics)
            changed = True
            continue
        if isinstance(node, (ast.AtRule, ast.QualifiedRule)) and node.content is not None:
            content = _block(node, shown, diagnostics)
            if content is not None:
                node.content = content
                changed = True
        kept.append(node)
    return kept if changed else None


def _block(node, shown: str, diagnostics: Diagnostics) -> list | None:
    """Return the new content of a rule's block, or None when it is unchanged."""
    if isinstance(node, ast.AtRule) and node.lower_at_keyword in _RULE_BLOCKS:
        inner = tinycss2.parse_rule_list(node.content, skip_comments=False, skip_whitespace=False)
    else:
        inner = tinycss2.parse_blocks_contents(
            node.content, skip_comments=False, skip_whitespace=False
        )
    return _rules(inner, shown, diagnostics)


def _leaves_the_book(node) -> bool:
    """Return whether `node` is an `@import` or a declaration with an outward `url()`."""
    if isinstance(node, ast.AtRule) and node.lower_at_keyword == "import":
        return True
    return isinstance(node, ast.Declaration) and _reaches_out(node.value)


def _reaches_out(tokens: Iterable) -> bool:
    """Return whether `tokens` hold a `url()` that is not a `data:` URL."""
    for token in tokens:
        if isinstance(token, ast.URLToken):
            if not token.value.strip().lower().startswith("data:"):
                return True
        elif isinstance(token, ast.FunctionBlock):
            if token.lower_name in ("url", "src"):
                strings = [t for t in token.arguments if isinstance(t, ast.StringToken)]
                if not strings or not strings[0].value.strip().lower().startswith("data:"):
                    return True
            elif _reaches_out(token.arguments):
                return True
        elif isinstance(token, (ast.ParenthesesBlock, ast.SquareBracketsBlock)):
            if _reaches_out(token.content):
                return True
    return False


def _warn(node, shown: str, diagnostics: Diagnostics) -> None:
    text = " ".join(tinycss2.serialize([node]).split()).rstrip(";").rstrip()
    if len(text) > 80:
        text = text[:77] + "..."
    diagnostics.warn(
        SourceSpan(shown, node.source_line),
        f"dropped from the EPUB's stylesheet: {text}",
        _HINT,
    )
