"""Embed the fonts for the book's non-Latin scripts, subset to the characters it uses.

A Kobo or a Kindle may have no Arabic or Han font at all, and a missing glyph is a
box where a word should be. So the faces that `fonts.FACES` gives to foreign-script
runs are embedded, cut down by HarfBuzz's subsetter (`uharfbuzz`, the engine that
subsets the print edition's fonts inside WeasyPrint) to the characters those runs
contain (a few kilobytes instead of megabytes), and declared with `@font-face` under
the same family names, so the shared stylesheet needs no change. Latin text is left to the
reading system's fonts, as readers expect to choose them.

Only the weights the text needs are embedded: bold where a run sits in a heading
or a definition term (which `base.css` sets bold), regular everywhere else.
The subsets keep the fonts' name records, including the copyright and the SIL Open
Font License text that must travel with every copy.

HarfBuzz subsets the Chinese Berlin's 1,215 characters of Noto Serif CJK in 0.03 s,
keeping the same 2,544 glyphs as fontTools did in 3.4 s. A rebuild after an edit
usually needs the same characters again, so with the build's cache on each subset
is still kept under `.cache/diaspora-book/fonts/`, named by a hash of the font file
(path, face, size, modification time), the characters asked for, HarfBuzz's version
and this tool's code: the same bytes as subsetting again.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from diaspora_book.plumbing.cache import digest, tool_fingerprint
from diaspora_book.plumbing.errors import BookError, Diagnostics, ToolError
from diaspora_book.plumbing.outputs import write_bytes
from diaspora_book.project.fonts import FACES, Face, InstalledFont, face_for, installed_font
from diaspora_book.render.epub.archive import XML_LANG, EpubArchive, h

_BOLD_CONTEXTS = frozenset(h(tag) for tag in "h1 h2 h3 h4 h5 h6 dt th strong b".split())
WEIGHTS = {"regular": 400, "bold": 700}


@dataclass(frozen=True)
class EmbeddedFont:
    family: str
    weight: str  # "regular" or "bold"
    entry: str  # zip entry of the subset font
    characters: frozenset[str] = field(repr=False)


@dataclass(frozen=True)
class EmbeddedFonts:
    """The faces embedded, and those the text needs that no installed font could give."""

    fonts: tuple[EmbeddedFont, ...]
    missing: tuple[str, ...]  # e.g. "Noto Naskh Arabic (bold)"


@dataclass(frozen=True)
class SubsetCache:
    """Where the subsets of earlier builds are kept (see the module's docstring)."""

    directory: Path
    reuse: bool = True  # False (--no-cache): subset again, and keep the result

    def subset(self, font: InstalledFont, characters: set[str]) -> tuple[bytes, frozenset[str]]:
        """Return `subset_font(font, characters)`, from the cache when it holds it."""
        try:
            stat = os.stat(font.path)
        except OSError:
            return subset_font(font, characters)
        identity = f"{font.path}|{font.index}|{stat.st_size}|{stat.st_mtime_ns}"
        wanted = "".join(sorted(characters))
        key = digest(identity, _subsetter_version(), tool_fingerprint(), wanted)[:32]
        data_path, kept_path = self.directory / f"{key}.font", self.directory / f"{key}.kept"
        if self.reuse:
            with contextlib.suppress(OSError, UnicodeDecodeError, ValueError):
                check, kept_text = kept_path.read_text(encoding="utf-8").split("\n", 1)
                data = data_path.read_bytes()
                if digest(data) == check:  # else damaged: subset again
                    return data, frozenset(kept_text)
        data, kept = subset_font(font, characters)
        with contextlib.suppress(BookError, OSError):  # a cache that cannot be written: none
            write_bytes(data_path, data, durable=False)
            record = f"{digest(data)}\n{''.join(sorted(kept))}"
            write_bytes(kept_path, record.encode(), durable=False)
        return data, kept


def embed_fonts(
    archive: EpubArchive, diagnostics: Diagnostics, subsets: SubsetCache | None = None
) -> EmbeddedFonts:
    """Subset and store the faces the book's foreign-script runs need; return them."""
    wanted = _characters_by_face(archive)
    embedded: list[EmbeddedFont] = []
    missing: list[str] = []
    for (face, weight), characters in sorted(wanted.items(), key=lambda kv: _order(kv[0])):
        font = installed_font(face.family, weight)
        if font is None:
            missing.append(f"{face.family} ({weight})")
            diagnostics.warn(
                None,
                f"font '{face.family}' ({weight}) is not installed; the EPUB relies on the "
                "reader's fonts for its text",
                "run 'make setup' to install fonts-noto-core and fonts-noto-cjk",
            )
            continue
        data, kept = subsets.subset(font, characters) if subsets else subset_font(font, characters)
        suffix = ".otf" if data[:4] == b"OTTO" else ".ttf"
        name = f"{face.family.replace(' ', '')}-{weight.capitalize()}"
        entry = f"{archive.content_dir()}/fonts/{name}{suffix}"
        media_type = "font/otf" if suffix == ".otf" else "font/ttf"
        archive.add_item(entry, data, f"font-{name}", media_type)
        embedded.append(EmbeddedFont(face.family, weight, entry, kept))
    return EmbeddedFonts(tuple(embedded), tuple(missing))


def font_face_css(archive: EpubArchive, stylesheet: str, fonts: tuple[EmbeddedFont, ...]) -> str:
    """Return the @font-face rules for `fonts`, with URLs relative to `stylesheet`."""
    rules = []
    for font in fonts:
        url = archive.relative(stylesheet, font.entry)
        fmt = "opentype" if font.entry.endswith(".otf") else "truetype"
        rules.append(
            "@font-face {\n"
            f'  font-family: "{font.family}";\n'
            f"  font-weight: {WEIGHTS[font.weight]};\n"
            "  font-style: normal;\n"
            f'  src: url("{url}") format("{fmt}");\n'
            "}\n"
        )
    if not rules:
        return ""
    return (
        "/* Fonts embedded by diaspora-book for the book's non-Latin text, subset to the\n"
        "   characters it uses (SIL Open Font License; see each font's name table). */\n"
        + "".join(rules)
        + "\n"
    )


def subset_font(font: InstalledFont, characters: set[str]) -> tuple[bytes, frozenset[str]]:
    """Return the font cut down to `characters` (those it has), and the characters kept.

    Every layout feature is kept (Arabic joining, ligatures, marks), and every name
    record (the copyright and the licence); hinting is dropped (e-readers render
    unhinted, and it is most of a TrueType file) and CFF is desubroutinized (it
    compresses better in the zip).
    """
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(font.path), font.index)
    has = set(face.unicodes)
    kept = frozenset(c for c in characters if ord(c) in has)
    wanted = hb.SubsetInput()
    wanted.unicode_set.update(sorted(ord(c) for c in kept))
    for every in (
        hb.SubsetInputSets.LAYOUT_FEATURE_TAG,
        hb.SubsetInputSets.NAME_ID,
        hb.SubsetInputSets.NAME_LANG_ID,
    ):
        kept_set = wanted.sets(every)
        kept_set.clear()  # HarfBuzz's defaults (a few features, names 0-6, English) ...
        kept_set.invert()  # ... cleared and inverted: all of them
    wanted.flags = (
        hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.DESUBROUTINIZE | hb.SubsetFlags.NOTDEF_OUTLINE
    )
    subset = hb.subset(face, wanted)
    if subset is None:  # HarfBuzz could not read the installed font
        raise ToolError(
            f"cannot subset the font {font.path} (face {font.index}) for the EPUB",
            hint="run 'make setup' to reinstall fonts-noto-core and fonts-noto-cjk",
        )
    return subset.blob.data, kept


def _subsetter_version() -> str:
    import uharfbuzz as hb

    return f"uharfbuzz {hb.__version__}"


def _order(key: tuple[Face, str]) -> tuple[int, str]:
    return FACES.index(key[0]), key[1]


def _characters_by_face(archive: EpubArchive) -> dict[tuple[Face, str], set[str]]:
    """Collect, per face and weight, the characters of the text in that face's languages."""
    wanted: dict[tuple[Face, str], set[str]] = {}
    for entry in archive.spine():
        root = archive.xml(entry)
        body = root.find(h("body"))
        _collect(body, _lang_of(root), False, wanted)
    return wanted


def _collect(
    element: etree._Element, lang: str, bold: bool, wanted: dict[tuple[Face, str], set[str]]
) -> None:
    lang = element.get(XML_LANG) or element.get("lang") or lang
    bold = bold or element.tag in _BOLD_CONTEXTS
    face = face_for(lang)
    key = (face, "bold" if bold else "regular") if face else None
    if key and element.text:
        wanted.setdefault(key, set()).update(_letters(element.text))
    for child in element.iterchildren(etree.Element):
        _collect(child, lang, bold, wanted)
        if key and child.tail:
            wanted.setdefault(key, set()).update(_letters(child.tail))


def _letters(text: str) -> set[str]:
    return set(_SPACE.sub(" ", text))


_SPACE = re.compile(r"\s+")


def _lang_of(root: etree._Element) -> str:
    return root.get(XML_LANG) or root.get("lang") or ""
