"""Read text from outside: strict UTF-8, with errors that name `path:line:col`.

Articles come from outside, so decoding is strict. A byte-order mark and CRLF/CR line
ends are accepted and normalised; bytes that are not UTF-8 and control characters
(which cannot appear in XHTML) are errors that point at the exact place, never a
traceback and never a silently replaced character.
"""

from __future__ import annotations

import re
from pathlib import Path

from diaspora_book.model import SourceSpan
from diaspora_book.plumbing.errors import BookError

# C0 controls other than TAB/LF/CR, DEL and C1 controls: not allowed in XML 1.0 text
# (C0) or "discouraged" (C1), and never meant in an encyclopedia article.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(1, 17))
    + "]"
)


def display_path(path: Path, root: Path) -> str:
    """Return `path` relative to `root` when it lies inside, else as given."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _save_as_utf8(shown: str) -> str:
    return "save the article as UTF-8" if shown.endswith(".txt") else "save the file as UTF-8"


def decode(data: bytes, shown: str) -> str:
    """Decode article bytes as UTF-8 and normalise line ends; raise BookError on bad input."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BookError(
            "file is UTF-16, not UTF-8",
            SourceSpan(shown, 1),
            _save_as_utf8(shown),
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8")
        line, column = _position(good, len(good))
        raise BookError(
            f"bytes that are not UTF-8 ({data[exc.start : exc.end].hex(' ')})",
            SourceSpan(shown, line, column),
            _save_as_utf8(shown),
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _FORBIDDEN.search(text)
    if bad:
        line, column = _position(text, bad.start())
        raise BookError(
            f"control character U+{ord(bad.group()):04X} in the text",
            SourceSpan(shown, line, column),
            "remove it; it cannot be printed",
        )
    return text


def read_text(path: Path, shown: str) -> str:
    """Read and decode one article file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BookError(f"cannot read file: {exc.strerror}", SourceSpan(shown, 1)) from None
    return decode(data, shown)
