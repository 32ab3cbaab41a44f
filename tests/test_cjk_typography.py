"""Chinese, Japanese and Korean text in print: never slanted, Japanese Han in the Japanese face.

The Japanese book title in the References is written by citeproc, after the converter
tagged the chapters' runs: `filters/cjk_runs.lua` tags it.
"""

from __future__ import annotations

import re

import pytest

from diaspora_book.build import BuildRequest, build
from diaspora_book.project.config import load_project
from diaspora_book.project.fonts import font_css, running_head_css

from .conftest import make_project
from .readers import pdf_fonts

ARTICLE = """A Japanese passage follows, with emphasis on a Han word.

ベルリンはドイツの首都です。Berlin ''都市州''である。人口は'''多い'''。<ref>{{cite book |last=Tanaka |title=ベルリンの歴史 |year=2001 |publisher=Iwanami}}</ref>

A Chinese word in English text, emphasised: ''北京''.
"""
_HAN = re.compile("[\u4e00-\u9fff]")


def test_cjk_runs_are_upright_and_their_emphasis_bold():
    css = font_css()
    upright = re.search(r"^(.*)\{ font-style: normal !important; \}$", css, re.M)
    assert upright is not None
    for tag in ("zh", "ja", "ko"):
        assert f":lang({tag})" in upright.group(1)
    assert "em:lang(ja), em :lang(ja)" in css and "{ font-weight: 700; }" in css


def test_running_heads_of_a_cjk_book_or_chapter_are_upright():
    assert "font-style: normal !important" in running_head_css("ja")
    assert "font-style: normal !important" not in running_head_css("en")
    assert "section.head-ja { page: head-ja; }" in running_head_css("en")


@pytest.fixture(scope="module")
def japanese(tmp_path_factory):
    root = make_project(
        tmp_path_factory.mktemp("cjk") / "book",
        {"ベルリン.wiki": ARTICLE},
        "title: CJK\nsources:\n  ベルリン.wiki: {title: Berlin, url: 'https://ja.wikipedia.org/wiki/B'}\n",
    )
    report = build(load_project(root), BuildRequest(formats=("pdf",)))
    return next(p for p in report.outputs if p.suffix == ".pdf")


def test_no_synthetic_oblique_for_han_or_kana(japanese):
    for font in pdf_fonts(japanese):
        if "CJK" in font.name:
            assert "Oblique" not in font.name and "Italic" not in font.name, font.name


def test_han_in_japanese_text_is_drawn_with_the_japanese_face(japanese):
    drawn = {font.name.split("+")[-1]: font.drawn for font in pdf_fonts(japanese)}
    japanese_han = set("首都市州人口多歴史")  # 歴史: in a title citeproc sets in italics
    jp = set().union(*(chars for name, chars in drawn.items() if "CJK-JP" in name))
    sc = set().union(*(chars for name, chars in drawn.items() if "CJK-SC" in name))
    assert japanese_han <= jp
    assert not japanese_han & sc
    assert set("北京") <= sc  # Chinese in English text keeps the Chinese face
