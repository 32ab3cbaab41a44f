"""Share a catalogue's work among CI jobs: `--shard I/N` picks a deterministic, balanced share.

A school with thousands of handouts, or a publisher with many books in one
repository, outgrows one machine; the CI system it already has runs N jobs at once
(a matrix). Each job runs the same command with its own `--shard I/N` and renders
its share; together the N jobs render every file exactly once, because every job
computes the same assignment from the same inputs.

Shares are balanced by estimated pages, not by count: one long chapter (or book)
weighs as much as several short ones. Items are placed longest first, each on the
shard with the fewest pages so far (ties: the lowest shard, then the input order),
which depends only on the inputs' sizes and order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml

from diaspora_book.plumbing.errors import BookError
from diaspora_book.plumbing.strict_text import display_path

T = TypeVar("T")
BYTES_PER_PAGE = 3000  # article text on a printed page, roughly (sample book: 2.9-3.3 KB)


@dataclass(frozen=True)
class Shard:
    """Share `index` (from 1) of `count`."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """Read `I/N` (1 <= I <= N); raise ValueError saying what is expected."""
        index, slash, count = text.partition("/")
        if not (slash and index.isdigit() and count.isdigit()):
            raise ValueError(f"expected I/N, such as 1/4, got {text!r}")
        shard = cls(int(index), int(count))
        if not 1 <= shard.index <= shard.count:
            raise ValueError(f"expected I/N with 1 <= I <= N, got {text!r}")
        return shard


def estimated_pages(articles: Sequence[Path]) -> float:
    """Estimate the printed pages of these articles (each chapter opens a new page)."""
    return sum(1 + path.stat().st_size / BYTES_PER_PAGE for path in articles)


def share(items: Sequence[T], pages: Sequence[float], shard: Shard) -> list[T]:
    """Return the items of `shard`, in input order; `pages` are the items' estimated pages."""
    loads = [0.0] * shard.count
    mine: set[int] = set()
    for position in sorted(range(len(items)), key=lambda i: (-pages[i], i)):
        chosen = min(range(shard.count), key=lambda s: (loads[s], s))
        loads[chosen] += pages[position]
        if chosen == shard.index - 1:
            mine.add(position)
    return [item for position, item in enumerate(items) if position in mine]


def read_catalogue(path: Path) -> list[Path]:
    """Return the project folders a catalogue lists (relative to the catalogue's folder).

    The file is a YAML list of folders, or a mapping with a `projects:` list.
    """
    shown = display_path(path, Path.cwd())
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BookError(f"{shown}: cannot read the catalogue: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 1
        raise BookError(f"{shown}:{line}: not valid YAML") from None
    if isinstance(node, yaml.MappingNode):
        node = next((v for k, v in node.value if k.value == "projects"), None)
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise BookError(f"{shown}:1: expected a list of project folders (or 'projects:' and one)")
    folders: list[Path] = []
    for item in node.value:
        folder = path.parent / str(item.value)
        if not isinstance(item, yaml.ScalarNode) or not folder.is_dir():
            raise BookError(f"{shown}:{item.start_mark.line + 1}: no project folder {item.value!r}")
        folders.append(folder)
    return folders
