"""The EPUB's cover: the image book.yml names, or one made from the title page text.

Every storefront and library shelf shows a cover; a book without one shows a grey
placeholder. The generated cover is a PNG (the one image format every reading
system and Send to Kindle accept), 1600 x 2560 pixels as the stores ask, with the
title, subtitle and authors set in the book's own Noto faces. Pillow lays the text
out with Raqm (HarfBuzz and FriBiDi), so an Arabic-script or Chinese title is
shaped and ordered as it is in the book. The same input gives the same bytes.
"""

from __future__ import annotations

import functools
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diaspora_book.languages.book_language import RTL_SCRIPTS, script_of, script_runs
from diaspora_book.languages.labels import book_labels
from diaspora_book.plumbing.cache import digest, tool_fingerprint
from diaspora_book.plumbing.errors import BookError, ToolError
from diaspora_book.plumbing.kept import KeptFiles
from diaspora_book.project.config import Project
from diaspora_book.project.fonts import families_for_script, font_characters, installed_font

WIDTH, HEIGHT = 1600, 2560
MARGIN = 150
BACKGROUND = (43, 58, 74)  # the heading colour of the book's stylesheet
INK = (255, 255, 255)
RULE = (196, 170, 110)
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


@dataclass(frozen=True)
class Cover:
    data: bytes
    suffix: str  # ".png" or ".jpg"
    media_type: str
    alt: str  # the text a screen reader speaks for the image


def book_cover(project: Project, kept: Path | None = None, reuse: bool = True) -> Cover:
    """Return the cover named in book.yml, or make one from the title, subtitle and authors.

    A cover made is kept in the folder `kept` (None: nowhere) under a key of its text,
    the installed fonts and the tools: drawing and compressing it takes 0.4 s, on
    every build. `reuse` False (--no-cache): draw it again, and keep it.
    """
    config = project.config
    labels = book_labels(config)
    if config.cover:
        path = project.root / config.cover
        suffix = path.suffix.lower()
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise BookError(f"cannot read the cover {config.cover}: {exc.strerror}") from None
        return Cover(data, suffix, MEDIA_TYPES[suffix], labels.text("cover_of", title=config.title))
    lines = [config.title, config.subtitle, ", ".join(config.authors)]
    alt = labels.text("cover_text", text=". ".join(text for text in lines if text))
    data = _kept_cover(config.title, config.subtitle, config.authors, kept, reuse)
    return Cover(data, ".png", "image/png", alt)


def _kept_cover(
    title: str, subtitle: str, authors: tuple[str, ...], kept: Path | None, reuse: bool
) -> bytes:
    """Return `draw_cover(title, subtitle, authors)`, from `kept` when it holds it."""
    from diaspora_book.project.fonts import installed_fonts_digest

    fonts = installed_fonts_digest()
    if kept is None:
        return _drawn(title, subtitle, authors, fonts)
    import PIL

    parts = (title, subtitle, *authors, fonts, tool_fingerprint(), PIL.__version__)
    key = digest(json.dumps(parts, ensure_ascii=False))[:32]
    covers = KeptFiles(kept, ".cover", reuse)
    data = covers.read(key)
    if data is None:
        data = covers.keep(key, _drawn(title, subtitle, authors, fonts))
    else:
        covers.use([key])
    covers.keep_only_used()  # a book has one cover: an earlier title's goes
    return data


@functools.lru_cache(maxsize=8)
def _drawn(title: str, subtitle: str, authors: tuple[str, ...], fonts: str) -> bytes:
    """`draw_cover`, once in a process for the same text and installed fonts (`fonts`):
    a process that builds a book again (`watch`, a catalogue, the tests) draws its
    cover once, with or without the cache."""
    return draw_cover(title, subtitle, authors)


def draw_cover(title: str, subtitle: str, authors: tuple[str, ...]) -> bytes:
    """Draw the cover image and return it as PNG bytes."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    y = int(HEIGHT * 0.22)
    y = _paragraph(draw, title, y, Style(size=150, min_size=80, bold=True, max_lines=6))
    y += 70
    draw.rectangle((WIDTH // 2 - 160, y, WIDTH // 2 + 160, y + 8), fill=RULE)
    y += 90
    if subtitle:
        _paragraph(draw, subtitle, y, Style(size=76, min_size=48, bold=False, max_lines=4))
    if authors:
        names = ", ".join(authors)
        _paragraph(draw, names, int(HEIGHT * 0.84), Style(size=64, min_size=40, max_lines=5))
    out = io.BytesIO()
    # A small palette keeps the file small; the text's anti-aliasing survives it.
    image.quantize(colors=16, dither=Image.Dither.NONE).save(out, "PNG", optimize=True)
    return out.getvalue()


@dataclass(frozen=True)
class Style:
    """How one paragraph of the cover is set."""

    size: int  # the type size it starts at
    min_size: int  # the smallest it may shrink to, to fit in four lines
    bold: bool = False
    max_lines: int = 4  # more than this, at the smallest size, ends in an ellipsis


def _paragraph(draw, text: str, y: int, style: Style) -> int:
    """Draw `text` centred and wrapped from `y`, shrinking it to fit; return the y below it.

    Text that does not fit in `style.max_lines` even at the smallest size is cut
    with an ellipsis (the cover's alt text and the title page keep all of it), so
    a hundred authors cannot run off the cover or over the title.
    """
    size, bold = style.size, style.bold
    while True:
        lines = _wrap(text, size, bold)
        fits = all(_width(line, size, bold) <= WIDTH - 2 * MARGIN for line in lines)
        if (fits and len(lines) <= 4) or size <= style.min_size:
            break
        size = max(style.min_size, int(size * 0.9))
    if len(lines) > style.max_lines:
        lines = [*lines[: style.max_lines - 1], _ellipsized(lines[style.max_lines - 1], size, bold)]
    rtl = _mostly_rtl(text)
    for line in lines:
        runs = _runs(line, size, bold)
        x = (WIDTH - sum(font.getlength(run) for run, font in runs)) / 2
        # Runs of one script are shaped and ordered by Raqm; between runs, the line's
        # main direction decides the order (the bidi algorithm's result for a title).
        for run, font in reversed(runs) if rtl else runs:
            draw.text((x, y), run, font=font, fill=INK, anchor="la")
            x += font.getlength(run)
        y += int(size * 1.3)
    return y


def _wrap(text: str, size: int, bold: bool) -> list[str]:
    """Break `text` into lines that fit the cover, between words (or characters, for Han)."""
    spaced = " " in text.strip()
    units = text.split() if spaced else list(text)
    lines: list[str] = []
    line = ""
    for unit in units:
        candidate = (f"{line} {unit}" if spaced else line + unit) if line else unit
        if line and _width(candidate, size, bold) > WIDTH - 2 * MARGIN:
            lines.append(line)
            line = unit
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def _ellipsized(line: str, size: int, bold: bool) -> str:
    """Return `line` with an ellipsis at its end, shortened by words until it fits."""
    words = line.split(" ")
    while len(words) > 1 and _width(" ".join(words) + " …", size, bold) > WIDTH - 2 * MARGIN:
        words.pop()
    return " ".join(words).rstrip(",;") + " …"


def _width(line: str, size: int, bold: bool) -> float:
    return sum(font.getlength(run) for run, font in _runs(line, size, bold))


def _mostly_rtl(text: str) -> bool:
    scripts = [script for script in map(script_of, text) if script]
    latin = sum(1 for c in text if c.isalpha() and script_of(c) is None)
    return sum(1 for s in scripts if s in RTL_SCRIPTS) > latin + len(scripts) / 2


def _runs(line: str, size: int, bold: bool) -> list[tuple[str, Any]]:
    """Split a line into runs of one script, each with a font that has all its letters."""
    return [(run.text, _font(run.text, run.script, size, bold)) for run in script_runs(line)]


def _font(text: str, script: str | None, size: int, bold: bool):
    letters = frozenset(c for c in text if not c.isspace())
    for family in families_for_script(script):
        found = installed_font(family, "bold" if bold else "regular")
        if found is not None and letters <= font_characters(found):
            return _load(found.path, found.index, size)
    raise ToolError(
        f"no installed font has every character of {text!r} for the cover",
        hint="run 'make setup' to install the Noto fonts, or name a cover image in book.yml",
    )


@functools.lru_cache(maxsize=64)
def _load(path: str, index: int, size: int):
    from PIL import ImageFont

    return ImageFont.truetype(path, size, index=index, layout_engine=ImageFont.Layout.RAQM)
