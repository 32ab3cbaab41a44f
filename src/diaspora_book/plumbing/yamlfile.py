"""Read the project's YAML files: book.yml, glossary.yml, index.yml, citations.yml, catalogues.

One reader for all of them, so each gets the same rules and the same messages.
ruamel.yaml parses YAML 1.2 (`no` is the text "no", not false) into nodes that keep
their line and column. What a YAML reader would accept but a book project never
means is an error at its `path:line`, never a traceback:

- a tag other than YAML's standard ones (`!foo`, `!!python/object:...`, `!!binary`):
  a reader that honoured it could build arbitrary objects;
- a key that is not plain text (a list or a mapping used as a key);
- a key given twice in one mapping (otherwise the second silently wins).

Values are converted here, not by a YAML constructor, so that text that only looks
like a date (`2024-13-45`) stays text for the caller to judge at its line, and so
that aliases share one value instead of multiplying (a "billion laughs" file stays
small).
"""

from __future__ import annotations

import math
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import DocumentEndEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from diaspora_book.model import SourceSpan
from diaspora_book.plumbing.errors import BookError

__all__ = [
    "MappingNode",
    "Node",
    "ScalarNode",
    "SequenceNode",
    "compose",
    "document_end",
    "plain",
    "span",
]

_STANDARD = "tag:yaml.org,2002:"
# The tags a plain YAML 1.2 document resolves to (timestamp: text that looks like a date).
_ALLOWED = {_STANDARD + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
_ALLOWED |= {_STANDARD + "seq", _STANDARD + "map"}
_KIND = {MappingNode: "a mapping", SequenceNode: "a list"}


def _reader() -> YAML:
    return YAML(typ="safe", pure=True)


def compose(text: str, shown: str, doing: str = "") -> Node | None:
    """Parse `text` (the file `shown`) into checked nodes; None when it holds no document.

    A syntax error, a tag, a key that is not text or a duplicate key is a BookError
    at its line. `doing` prefixes a syntax error (default: "cannot read <shown>").
    """
    try:
        node = _reader().compose(text)
    except YAMLError as exc:
        raise _syntax_error(exc, shown, doing or f"cannot read {shown}") from None
    except RecursionError:  # thousands of nested lists: no project file is like that
        raise BookError(
            f"{doing or f'cannot read {shown}'}: lists or mappings nested too deeply",
            SourceSpan(shown, 1),
        ) from None
    if node is not None:
        _check(node, shown)
    return node


def document_end(text: str, shown: str, doing: str) -> int | None:
    """Return where an explicit end-of-document marker (`...`) starts in `text`, if any."""
    try:
        for event in _reader().parse(text):
            if isinstance(event, DocumentEndEvent) and event.explicit and event.start_mark:
                return int(event.start_mark.index)
    except YAMLError as exc:
        raise _syntax_error(exc, shown, doing) from None
    return None


def span(shown: str, node: Node, column: bool = False) -> SourceSpan:
    """Return where `node` starts in the file `shown` (with its column if asked)."""
    mark = node.start_mark
    return SourceSpan(shown, mark.line + 1, mark.column + 1 if column else 1)


def plain(node: Node) -> Any:
    """Return the plain value of a checked node: str, int, float, bool, None, list, dict.

    Dates stay text. A node reached twice through an alias gives the same object.
    """
    return _Plain().value(node)


class _Plain:
    """Converts nodes to values once each (aliases share the value they point at)."""

    def __init__(self) -> None:
        self.done: dict[int, Any] = {}

    def value(self, node: Node) -> Any:
        if id(node) in self.done:
            return self.done[id(node)]
        if isinstance(node, SequenceNode):
            items: list[Any] = []
            self.done[id(node)] = items
            items.extend(self.value(item) for item in node.value)
            return items
        if isinstance(node, MappingNode):
            mapping: dict[Any, Any] = {}
            self.done[id(node)] = mapping
            for key, value in node.value:
                mapping[str(key.value)] = self.value(value)
            return mapping
        result = _scalar(node)
        self.done[id(node)] = result
        return result


def _scalar(node: Node) -> Any:
    text = str(node.value)
    kind = str(node.tag).removeprefix(_STANDARD)
    if kind == "null":
        return None
    if kind == "bool":
        return text.lower() == "true"
    if kind == "int":
        digits = text.replace("_", "")
        for base in (0, 10):
            try:
                return int(digits, base)
            except ValueError:
                continue
        return text
    if kind == "float":
        special = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}
        if text.lower() in special:
            return special[text.lower()]
        try:
            return float(text.replace("_", ""))
        except ValueError:
            return text
    return text  # str, and timestamp: a date is text until its reader checks it


def _check(root: Node, shown: str) -> None:
    """Raise a BookError at the first tag, non-text key or duplicate key under `root`."""
    seen: set[int] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        tag = str(node.tag)
        if tag not in _ALLOWED:
            shown_tag = "!!" + tag.removeprefix(_STANDARD) if tag.startswith(_STANDARD) else tag
            raise BookError(
                f"YAML tag '{shown_tag}' is not allowed",
                span(shown, node, column=True),
                "remove the tag; values are plain text, numbers, lists and mappings",
            )
        if isinstance(node, SequenceNode):
            pending.extend(reversed(node.value))
        elif isinstance(node, MappingNode):
            _check_keys(node, shown)
            for key, value in reversed(node.value):
                pending.extend((value, key))


def _check_keys(node: MappingNode, shown: str) -> None:
    first: dict[str, int] = {}
    for key, _value in node.value:
        if not isinstance(key, ScalarNode):
            raise BookError(
                f"a key must be text, not {_KIND.get(type(key), 'a structure')}",
                span(shown, key, column=True),
            )
        name = str(key.value)
        if name in first:
            raise BookError(
                f"duplicate key '{name}' (first on line {first[name]})",
                span(shown, key, column=True),
                "keep one of them",
            )
        first[name] = key.start_mark.line + 1


def _syntax_error(exc: YAMLError, shown: str, doing: str) -> BookError:
    """Return the one-line error for a YAML syntax error: `doing: problem` at its line.

    ruamel names its input "<unicode string>" in its own text; only the problem is
    kept, with the file's name and line from the mark.
    """
    mark = None
    problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or problem
    line = mark.line + 1 if mark is not None else 1
    return BookError(f"{doing}: {problem}", SourceSpan(shown, line))
