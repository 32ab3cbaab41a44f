"""The wiki-text parser: structure, spans, and nothing dropped."""

from pathlib import Path

import pytest

from diaspora_book.model import BulletList, Fact, Heading, Paragraph, SourceSpan
from diaspora_book.plumbing.errors import BookError
from diaspora_book.read.plain_text import parse_text

from .conftest import REPO


def parse(text: str):
    return parse_text(text, Path("x.txt"), "articles/x.txt")


def test_sample_article_structure():
    text = (REPO / "articles" / "uyghurs-in-kazakhstan.txt").read_text(encoding="utf-8")
    article, diagnostics = parse(text)
    assert article.title == "Uyghurs in Kazakhstan"
    assert article.infobox.facts[2] == Fact(
        "Population", "301,584 (2024)", SourceSpan("articles/x.txt", 6, 3)
    )
    headings = [b.text for b in article.blocks if isinstance(b, Heading)]
    assert headings == ["Migration history", "Social integration", "Culture", "See also"]
    see_also = article.blocks[-1]
    assert isinstance(see_also, BulletList) and see_also.see_also
    assert [i.text for i in see_also.items] == ["Kazakh exodus from Xinjiang", "Uyghur Americans"]
    assert not diagnostics


def test_every_block_keeps_its_line():
    article, _ = parse("= T =\n\nfirst\n\n== A ==\nsecond\n- one\n- two\n")
    assert [(type(b).__name__, b.span.line) for b in article.blocks] == [
        ("Paragraph", 3),
        ("Heading", 5),
        ("Paragraph", 6),
        ("BulletList", 7),
    ]
    assert article.blocks[3].items[1].span == SourceSpan("articles/x.txt", 8, 3)


@pytest.mark.parametrize(
    ("line", "level", "text"),
    [
        ("==Heading==", 2, "Heading"),
        ("== Heading ==", 2, "Heading"),
        ("===Sub===", 3, "Sub"),
        ("==== Deep ====  ", 4, "Deep"),
    ],
)
def test_heading_forms(line, level, text):
    article, diagnostics = parse(f"= T =\n{line}\n")
    assert article.blocks == (Heading(level, text, SourceSpan("articles/x.txt", 2)),)
    assert not diagnostics


def test_consecutive_lines_are_separate_paragraphs():
    article, _ = parse("= T =\nOne sentence.\nAnother one.\n")
    assert [b.text for b in article.blocks] == ["One sentence.", "Another one."]


def test_odd_infobox_keys_and_values_are_kept():
    article, diagnostics = parse(
        "= T =\nInfobox\n- Популяция: 5\n- Popplace: Almaty | related-c = Overseas\n- no key here\n- Ratio: 1:2\n"
    )
    assert [(f.key, f.value) for f in article.infobox.facts] == [
        ("Популяция", "5"),
        ("Popplace", "Almaty | related-c = Overseas"),
        ("", "no key here"),
        ("Ratio", "1:2"),
    ]
    assert [str(d) for d in diagnostics] == [
        "articles/x.txt:5:3: warning: infobox line has no 'Key:'; kept as a value"
    ]


def test_what_cannot_be_placed_is_kept_and_reported():
    article, diagnostics = parse("= T =\nInfobox\n\n== Broken\n==Uneven===\n")
    assert article.infobox is None
    assert article.blocks == (
        Paragraph("Infobox", SourceSpan("articles/x.txt", 2)),
        Paragraph("== Broken", SourceSpan("articles/x.txt", 4)),
        Heading(2, "Uneven", SourceSpan("articles/x.txt", 5)),
    )
    assert [str(d) for d in diagnostics] == [
        "articles/x.txt:2: warning: 'Infobox' line with no '- Key: value' lines; kept as text",
        "articles/x.txt:4: warning: cannot read '== Broken' as a heading; kept as text",
        "articles/x.txt:5: warning: unbalanced '=' in heading '==Uneven==='; read as level 2",
    ]


def test_infobox_name_is_kept():
    article, _ = parse("= T =\nInfobox ethnic group\n- Population: 5\n")
    assert article.infobox.name == "ethnic group"
    assert article.infobox.facts[0].key == "Population"


def test_infobox_after_body_is_text():
    article, _ = parse("= T =\nBody first.\nInfobox\n- Key: v\n")
    assert article.infobox is None
    assert isinstance(article.blocks[1], Paragraph) and article.blocks[1].text == "Infobox"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "articles/x.txt:1: error: the article is empty"),
        ("\n\n  \n", "articles/x.txt:1: error: the article is empty"),
        (
            "\nNo title here\n",
            "articles/x.txt:2: error: the article must start with a title line '= Title =', found 'No title here'",
        ),
    ],
)
def test_broken_articles_raise_with_place(text, message):
    with pytest.raises(BookError) as raised:
        parse(text)
    assert str(raised.value) == message


def test_other_scripts_parse_like_latin():
    article, diagnostics = parse(
        "= 카자흐스탄의 고려인 =\nInfobox\n- 인구: 100,000\n\n== История ==\n- 项目\n"
    )
    assert article.title == "카자흐스탄의 고려인"
    assert article.infobox.facts[0].key == "인구"
    assert article.blocks[0].text == "История"
    assert article.blocks[1].items[0].text == "项目"
    assert not diagnostics
