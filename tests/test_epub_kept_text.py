"""A rebuild's EPUB writes only the changed chapters' files (`render/epub/kept_text.py`).

What it keeps must be what pandoc's EPUB writer gives for the whole book, entry for
entry: file names, links into other chapters, images named in order of first use,
footnotes, MathML in the package. These tests write real EPUBs with pandoc from
small pieces that hold each of those, edit one, and compare with a whole run.
"""

from __future__ import annotations

import base64
import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from diaspora_book.render.epub import kept_text
from diaspora_book.render.epub.kept_text import KeptText, outline
from diaspora_book.render.html import convert
from diaspora_book.render.kept_ast import ReadPieces

WRITING = [
    "--split-level=1",
    "--toc",
    "--toc-depth=2",
    "--epub-title-page=true",
    "--mathml",
    "--metadata=title:Kept",
    "--metadata=lang:en",
]


def _png(red: int) -> str:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    body = zlib.compress(bytes([0, red, 0, 0]))
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    return "data:image/png;base64," + base64.b64encode(png).decode()


FRONT = "# Copyright {#copyright .unnumbered}\n\nText adapted from Wikipedia.\n"
PIECES = [
    FRONT,
    "# Dungans {#dungans}\n\nThe Hui.[^a] See [the villages](#villages) and $x^2$.\n\n"
    f"![A field]({_png(10)})\n\n## Language {{#dungans-language}}\n\nGansu dialect.\n\n"
    "[^a]: A note with [a link](#uyghurs).\n",
    "# Koreans {#koreans}\n\nKoryo-saram.[^b]\n\n"
    f"![The same field]({_png(10)})\n\n## Villages {{#villages}}\n\n[Ushtobe]{{#ushtobe}} "
    "is a town. $y$\n\n[^b]: Deported in 1937.\n",
    "# Uyghurs {#uyghurs}\n\nBack to [Ushtobe](#ushtobe).\n\n"
    f"![A river]({_png(200)})\n\n```{{=html}}\n<svg width='1' height='1'></svg>\n```\n\n"
    "# Glossary {#glossary .unnumbered}\n\nDungan\n:   [A Hui people](#dungans).\n",
]


def _read(pieces: list[str]) -> ReadPieces:
    texts, version = [], None
    for piece in pieces:
        document = json.loads(convert(piece, "json", [], source="markdown"))
        version = document["pandoc-api-version"]
        texts.append(json.dumps(document["blocks"], ensure_ascii=False, separators=(",", ":")))
    return ReadPieces(version, tuple(str(hash(p)) for p in pieces), tuple(texts))


def _entries(path: Path) -> list:
    with zipfile.ZipFile(path) as epub:
        return [(info.filename, info.date_time, epub.read(info)) for info in epub.infolist()]


def _whole(read: ReadPieces, tmp_path: Path) -> list:
    target = tmp_path / "whole.epub"
    convert(read.document(), "epub3", WRITING, outputfile=target, source="json")
    return _entries(target)


@pytest.fixture
def runs(monkeypatch) -> list[str]:
    """The JSON documents pandoc writes an EPUB of, in order."""
    written: list[str] = []
    real = kept_text.convert

    def spy(text, to, args, outputfile=None, source="md"):
        written.append(text)
        return real(text, to, args, outputfile=outputfile, source=source)

    monkeypatch.setattr(kept_text, "convert", spy)
    return written


def test_an_edit_writes_the_changed_chapter_alone_and_gives_the_whole_books_files(tmp_path, runs):
    kept = KeptText(tmp_path / "kept")
    read = _read(PIECES)
    kept.write(read, WRITING, tmp_path / "cold.epub")
    assert _entries(tmp_path / "cold.epub") == _whole(read, tmp_path)

    edited = [*PIECES]
    edited[2] = edited[2].replace("is a town", "is a town in Almaty Region")
    read = _read(edited)
    runs.clear()
    KeptText(tmp_path / "kept").write(read, WRITING, tmp_path / "warm.epub")
    warm = _entries(tmp_path / "warm.epub")
    assert warm == _whole(read, tmp_path)
    assert any(b"Almaty Region" in data for _, _, data in warm)
    assert len(runs) == 1 and runs != [read.document()]  # outlines and the edited piece


@pytest.mark.parametrize(
    "change",
    [
        (2, "is a town", "is a [town](#dungans-language)"),  # a new link
        (2, "is a town", "is a town ![](" + _png(90) + ")"),  # a new image, named before others
        (2, "## Villages {#villages}", "## Towns {#villages}"),  # the contents change
        (2, "is a town", "is a [town]{#town}"),  # a new id
        (3, "Back to", "Back ($z$) to"),  # the file's first formula: MathML in the package
    ],
)
def test_an_edit_to_what_other_files_depend_on_writes_the_whole_book(tmp_path, runs, change):
    kept = KeptText(tmp_path / "kept")
    kept.write(_read(PIECES), WRITING, tmp_path / "cold.epub")
    index, old, new = change
    edited = [*PIECES]
    edited[index] = edited[index].replace(old, new)
    assert edited != PIECES
    read = _read(edited)
    runs.clear()
    KeptText(tmp_path / "kept").write(read, WRITING, tmp_path / "warm.epub")
    assert _entries(tmp_path / "warm.epub") == _whole(read, tmp_path)
    assert runs == [read.document()]


def test_the_outline_keeps_what_other_files_depend_on():
    blocks = json.loads(convert(PIECES[1], "json", [], source="markdown"))["blocks"]
    kept = json.dumps(outline(blocks))
    assert '"Dungans"' in kept and '"Language"' in kept  # headings, whole
    assert "#villages" in kept and "#uyghurs" in kept  # links, also in notes
    assert "data:image/png" in kept
    assert '"x^2"' in kept  # the first formula under a heading: MathML in the package
    assert "Hui" not in kept and "Gansu" not in kept  # not the text


def test_a_damaged_kept_epub_is_written_whole(tmp_path, runs):
    kept = KeptText(tmp_path / "kept")
    kept.write(_read(PIECES), WRITING, tmp_path / "cold.epub")
    for path in (tmp_path / "kept").iterdir():
        if path.stat().st_size > 5000:
            path.write_bytes(path.read_bytes()[:-100])
    edited = [*PIECES]
    edited[1] = edited[1].replace("The Hui", "The Hui people")
    read = _read(edited)
    runs.clear()
    KeptText(tmp_path / "kept").write(read, WRITING, tmp_path / "warm.epub")
    assert _entries(tmp_path / "warm.epub") == _whole(read, tmp_path)
    assert runs == [read.document()]
