"""Read and extend the editor's curated lists: `glossary.yml` and `index.yml`.

Both are YAML lists of mappings, one entry per item, so that `suggest` can append
candidates at the end without touching what an editor wrote (comments included).
Every entry and key keeps its `path:line`, for messages such as
`glossary.yml:12: warning: glossary term 'kolkhoz' is never used`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from diaspora_book.model import SourceSpan
from diaspora_book.plumbing.errors import BookError, Diagnostics, did_you_mean
from diaspora_book.plumbing.outputs import write_text
from diaspora_book.plumbing.strict_text import read_text
from diaspora_book.plumbing.yamlfile import (
    MappingNode,
    Node,
    SequenceNode,
    compose,
    document_end,
    plain,
)

STATUSES = ("candidate", "rejected")  # no status: the entry is in the book


@dataclass(frozen=True)
class Record:
    """One entry of a curated list: its plain values and where each came from."""

    values: dict[str, Any]
    span: SourceSpan  # the entry's first line
    spans: dict[str, SourceSpan]  # each key's line

    def where(self, key: str) -> SourceSpan:
        return self.spans.get(key, self.span)

    def text(self, key: str, diagnostics: Diagnostics) -> str:
        """Return the value of `key` as text ("" when absent); report other types."""
        value = self.values.get(key)
        if value is None:
            return ""
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value).strip()
        diagnostics.error(self.where(key), f"'{key}' must be text")
        return ""

    def texts(self, key: str, diagnostics: Diagnostics) -> tuple[str, ...]:
        """Return the value of `key` as a list of texts (a single text is a list of one)."""
        value = self.values.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
            return tuple(v.strip() for v in value)
        diagnostics.error(self.where(key), f"'{key}' must be a list of texts")
        return ()

    def status(self, diagnostics: Diagnostics) -> str:
        status = self.text("status", diagnostics)
        if status and status not in STATUSES:
            diagnostics.error(
                self.where("status"),
                f"unknown status '{status}'",
                "use 'candidate' (awaiting review) or 'rejected' (not an entry); "
                "leave it out for an entry that is in the book",
            )
        return status


def load_records(
    path: Path, shown: str, keys: Sequence[str], diagnostics: Diagnostics
) -> list[Record]:
    """Read the list at `path` (none if the file does not exist); report bad entries."""
    if not path.is_file():
        return []
    try:
        node = compose(read_text(path, shown), shown)
    except BookError as exc:
        diagnostics.error(exc.span, exc.message, exc.hint)
        return []
    if node is None:
        return []
    if not isinstance(node, SequenceNode):
        diagnostics.error(_span(shown, node), f"{shown} must be a list of entries ('- term: ...')")
        return []
    records: list[Record] = []
    for item in node.value:
        if not isinstance(item, MappingNode):
            diagnostics.error(_span(shown, item), "an entry must be a mapping such as 'term: ...'")
            continue
        values: dict[str, Any] = {}
        spans: dict[str, SourceSpan] = {}
        for key_node, value_node in item.value:
            key = str(key_node.value)
            if key not in keys:
                hint = did_you_mean(key, keys, "known keys: " + ", ".join(keys))
                diagnostics.error(_span(shown, key_node), f"unknown key '{key}'", hint)
                continue
            values[key] = plain(value_node)
            spans[key] = _span(shown, key_node)
        records.append(Record(values, _span(shown, item), spans))
    return records


def append_records(path: Path, entries: Sequence[tuple[str, dict[str, Any]]], header: str) -> None:
    """Append (comment, entry) pairs to the list at `path`, creating it with `header`.

    The file is extended as text, so the editor's comments and layout stay as they are.
    """
    if path.exists():
        text = read_text(path, path.name)
        end = _end_of_list(text, path.name)
    else:
        text = header
        end = len(text)
    head, tail = text[:end], text[end:]
    if head and not head.endswith("\n"):
        head += "\n"
    for comment, entry in entries:
        block = yaml.safe_dump(
            [entry], allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False
        )
        lines = [f"# {line}".rstrip() for line in comment.splitlines()]
        head += "\n" + "\n".join(lines) + "\n" + block
    write_text(path, head + tail)


def _end_of_list(text: str, shown: str) -> int:
    """Return where appended entries go in `text`, a block list of entries.

    That is the end of the text, or the start of an explicit end-of-document marker
    (`...`): an entry after the marker would begin a second document, which no
    reader of the file accepts.
    """
    doing = f"cannot append to {shown}"
    node = compose(text, shown, doing)
    if node is not None and not (isinstance(node, SequenceNode) and not node.flow_style):
        raise BookError(
            f"{doing}: it is not a list of '- ' entries",
            SourceSpan(shown, node.start_mark.line + 1),
        )
    end = document_end(text, shown, doing)
    return end if end is not None else len(text)


def _span(shown: str, node: Node) -> SourceSpan:
    return SourceSpan(shown, node.start_mark.line + 1)
