"""Which characters the installed fonts can draw, as fontconfig (and so WeasyPrint) sees it.

A character no installed font covers prints as a box. `check` finds such characters
before anything is rendered and names the first place each one occurs.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import subprocess

from diaspora_book.errors import Diagnostics
from diaspora_book.model import SourceSpan

# Characters that are never drawn, so need no glyph.
_INVISIBLE = frozenset("\n\t \u200b\u200c\u200d\u200e\u200f\u2060\ufeff")


@functools.cache
def installed_coverage() -> frozenset[int] | None:
    """Return every code point some installed font covers; None if fontconfig is missing."""
    if not shutil.which("fc-list"):
        return None
    listing = subprocess.run(
        ["fc-list", "--format", "%{charset}\n"], capture_output=True, text=True, check=False
    ).stdout
    covered: set[int] = set()
    for line in listing.splitlines():
        for part in line.split():
            first, _, last = part.partition("-")
            covered.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(covered)


@functools.cache
def installed_fonts_digest() -> str:
    """Return a hash of the installed font files' names: new fonts can change rendering."""
    if not shutil.which("fc-list"):
        return "no-fontconfig"
    listing = subprocess.run(
        ["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, check=False
    ).stdout
    return hashlib.sha256("\n".join(sorted(set(listing.splitlines()))).encode()).hexdigest()


def check_coverage(texts: dict[str, str], diagnostics: Diagnostics) -> None:
    """Report each character of `texts` (display path -> text) that no installed font covers."""
    covered = installed_coverage()
    if covered is None:
        diagnostics.warn(
            None, "cannot check fonts: fc-list not found", "install fontconfig with make setup"
        )
        return
    reported: set[str] = set()
    for shown, text in texts.items():
        for line_number, line in enumerate(text.split("\n"), start=1):
            for column, char in enumerate(line, start=1):
                if char in reported or char in _INVISIBLE or ord(char) in covered:
                    continue
                reported.add(char)
                diagnostics.warn(
                    SourceSpan(shown, line_number, column),
                    f"no installed font has a glyph for U+{ord(char):04X} {char!r}; "
                    "it would print as a box",
                    "install a font that covers it; scripts/setup.sh lists the font packages",
                )
