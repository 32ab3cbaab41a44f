"""`articles.lock`: what `fetch` fetched, pinned, so that a later build makes the same book.

Committed with the book. Per article: its file, the wiki, the title, the revision
id, the size of that revision's wikitext and the file's sha256; per image: its name
in `media/`, the wiki, its sha1 and its licence. `build` (and `check`) read the lock
and the files only, never the network, and stop at the lock's line when a file it
names is missing or no longer matches:

    articles.lock:4: error: articles/Pear.xml no longer matches the lock (sha256 ...)

A file not named in the lock (an article an editor wrote) is not checked.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import yaml

from diaspora_book.model import SourceSpan
from diaspora_book.plumbing.errors import BookError, Diagnostics
from diaspora_book.plumbing.outputs import write_text
from diaspora_book.plumbing.strict_text import read_text
from diaspora_book.plumbing.yamlfile import MappingNode, SequenceNode, compose, plain, span

LOCK = "articles.lock"
_HEADER = (
    "# What `diaspora-book fetch` fetched, pinned: commit it with the book.\n"
    "# `build` checks each file against it and never uses the network.\n"
)


@dataclass(frozen=True)
class LockedArticle:
    file: str  # relative to the project: "articles/Pear.xml"
    wiki: str  # as `--wiki` or book.yml `wiki:` named it
    title: str
    revision: int
    size: int  # bytes of the revision's wikitext, as the wiki counts them
    sha256: str  # of the file
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True)
class LockedImage:
    name: str  # the file in media/
    wiki: str
    sha1: str  # of the file in media/ (the print-size copy)
    licence: str
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Lock:
    articles: tuple[LockedArticle, ...] = ()
    images: tuple[LockedImage, ...] = ()

    def article(self, wiki: str, title: str) -> LockedArticle | None:
        return next((a for a in self.articles if a.wiki == wiki and a.title == title), None)

    def image(self, name: str) -> LockedImage | None:
        return next((i for i in self.images if i.name == name), None)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def read_lock(root: Path) -> Lock:
    """Return the project's lock (an empty one when there is no articles.lock)."""
    path = root / LOCK
    if not path.is_file():
        return Lock()
    node = compose(read_text(path, LOCK), LOCK)
    if node is None:
        return Lock()
    if not isinstance(node, MappingNode):
        raise BookError("articles.lock must have 'articles:' and 'images:'", span(LOCK, node))
    parts = {str(key.value): value for key, value in node.value}
    unknown = sorted(set(parts) - {"articles", "images"})
    if unknown:
        raise BookError(f"unknown key '{unknown[0]}' in articles.lock", SourceSpan(LOCK, 1))
    articles = tuple(LockedArticle(**e) for e in _entries(parts.get("articles"), LockedArticle))
    images = tuple(LockedImage(**e) for e in _entries(parts.get("images"), LockedImage))
    return Lock(articles, images)


def write_lock(root: Path, lock: Lock) -> None:
    """Write articles.lock (atomically): articles by file, images by name."""
    data = {
        "articles": [_plain(a) for a in sorted(lock.articles, key=lambda a: a.file)],
        "images": [_plain(i) for i in sorted(lock.images, key=lambda i: i.name)],
    }
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    write_text(root / LOCK, _HEADER + text)


def check_lock(root: Path, diagnostics: Diagnostics) -> None:
    """Report, at its line of articles.lock, each locked file that is missing or changed."""
    try:
        lock = read_lock(root)
    except BookError as exc:
        diagnostics.error(exc.span, exc.message, exc.hint)
        return
    for article in lock.articles:
        _check(
            root / article.file, article.file, article.sha256, "sha256", article.span, diagnostics
        )
    for image in lock.images:
        shown = f"media/{image.name}"
        _check(root / "media" / image.name, shown, image.sha1, "sha1", image.span, diagnostics)


def _check(
    path: Path,
    shown: str,
    expected: str,
    kind: str,
    where: SourceSpan | None,
    diagnostics: Diagnostics,
) -> None:
    if not path.is_file():
        diagnostics.error(
            where,
            f"{shown} is pinned here but missing",
            "`diaspora-book fetch` fetches the pinned revision again",
        )
        return
    try:
        actual = file_sha256(path) if kind == "sha256" else file_sha1(path)
    except OSError as exc:
        diagnostics.error(where, f"cannot read {shown}: {exc.strerror}")
        return
    if actual != expected:
        diagnostics.error(
            where,
            f"{shown} no longer matches the lock ({kind} {expected[:12]}..., "
            f"the file's is {actual[:12]}...)",
            "restore the fetched file (git checkout), or remove its entry from "
            "articles.lock to build your own version",
        )


def _entries(node, kind: type) -> list[dict]:
    """Return the checked fields of each entry of one list of the lock (with its span)."""
    if node is None:
        return []
    if not isinstance(node, SequenceNode):
        raise BookError("articles.lock: expected a list of entries", span(LOCK, node))
    names = {f.name: f.type for f in fields(kind) if f.name != "span"}
    found = []
    for item in node.value:
        where = span(LOCK, item)
        value = plain(item)
        if not isinstance(value, dict) or set(map(str, value)) != set(names):
            raise BookError(
                "articles.lock: an entry needs exactly " + ", ".join(names),
                where,
                "articles.lock is written by `diaspora-book fetch`",
            )
        entry: dict = {"span": where}
        for name, kind_name in names.items():
            raw = value[name]
            if kind_name == "int":
                if isinstance(raw, bool) or not isinstance(raw, int):
                    raise BookError(f"articles.lock: '{name}' must be a number", where)
                entry[name] = raw
            else:
                entry[name] = str(raw)
        if "/" in entry.get("name", "") or ".." in entry.get("name", ""):
            raise BookError("articles.lock: an image name may not hold '/' or '..'", where)
        if "file" in entry and not _inside_articles(entry["file"]):
            raise BookError("articles.lock: an article file must be articles/<name>.xml", where)
        found.append(entry)
    return found


def _inside_articles(file: str) -> bool:
    parts = file.split("/")
    return (
        len(parts) == 2
        and parts[0] == "articles"
        and parts[1].endswith(".xml")
        and ".." not in file
    )


def _plain(entry: LockedArticle | LockedImage) -> dict:
    return {k: v for k, v in asdict(entry).items() if k != "span"}
