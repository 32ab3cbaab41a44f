"""Marked-up chapter text (glossary links, index spans, citations) must still be text.

The real pandoc reader reads what `annotated` writes: every character of the article
comes back unchanged, marks come back as links/spans with the anchors asked for, and
citations as pandoc citations, never as anything else.
"""

import json

import pypandoc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diaspora_book.chapters.markdown import MARKDOWN_FORMAT, annotated, citation, settle_citation
from diaspora_book.languages.book_language import BookLanguage
from diaspora_book.model import Cite, Mark

from .test_markdown import ALPHABET, HOSTILE, normal

ENGLISH = BookLanguage()  # an English book with the default script languages

CITE = "\x00"  # stands for a citation in the read-back text


def read_back(markdown: str) -> tuple[str, list[tuple[str, str, str]], list[list[str]]]:
    """Return pandoc's text, the marks it saw (kind, anchor, text) and the cited keys."""
    doc = json.loads(pypandoc.convert_text(markdown, "json", format=MARKDOWN_FORMAT))
    assert [b["t"] for b in doc["blocks"]] == ["Para"], doc["blocks"]
    marks: list[tuple[str, str, str]] = []
    cites: list[list[str]] = []

    def text(nodes) -> str:
        out = []
        for node in nodes:
            kind, content = node["t"], node.get("c")
            if kind == "Str":
                out.append(content)
            elif kind in ("Space", "SoftBreak"):
                out.append(" ")
            elif kind == "Span":
                (anchor, classes, attrs), inner = content
                if classes == ["indexed"]:
                    marks.append(("index", anchor, text(inner)))
                else:
                    assert not anchor and not classes and {k for k, _ in attrs} <= {"lang", "dir"}
                    out.append(text(inner))
                    continue
                out.append(marks[-1][2])
            elif kind == "Link":
                (anchor, classes, attrs), inner, (target, _) = content
                assert classes == ["glossref"] and target.startswith("#glossary-"), content
                inner_text = text(inner)
                marks.append(("glossary", anchor, inner_text))
                out.append(inner_text)
            elif kind == "Cite":
                cites.append([c["citationId"] for c in content[0]])
                out.append(CITE)
            else:
                raise AssertionError(f"pandoc read markup: {kind}")
        return "".join(out)

    return text(doc["blocks"][0]["c"]), marks, cites


def expected_text(text: str, cites: dict[int, list[str]]) -> str:
    """The text with a citation marker where each citation goes (after a space)."""
    out, position = [], 0
    for cut in sorted(cites):
        out.append(text[position:cut])
        if cut == 0:
            out.append(CITE + " ")
        else:
            out.append(("" if text[cut - 1].isspace() else " ") + CITE)
        position = cut
    out.append(text[position:])
    return "".join(out)


def test_marks_and_citations_read_back():
    text = 'The earliest, the yärlik ("locals"), live in Almaty, says the 2009 census.'
    start = text.index("yärlik")
    city = text.index("Almaty")
    marks = [
        (Mark(start, start + 6, "glossary", "glossary-yarlik", "ug-Latn"), "ch--yarlik-1"),
        (Mark(city, city + 6, "index", "index-almaty"), "ch--almaty-1"),
    ]
    markdown = annotated(text, ENGLISH, marks, [Cite(len(text) - 1, ("census-2009",))], block=True)
    assert markdown == (
        "The earliest, the [yärlik](#glossary-yarlik){#ch--yarlik-1 .glossref lang=ug-Latn}"
        ' ("locals"), live in [Almaty]{#ch--almaty-1 .indexed}, says the 2009 census'
        " [@census-2009]."
    )
    got, seen, cited = read_back(markdown)
    assert got == expected_text(text, {len(text) - 1: ["census-2009"]})
    assert seen == [("glossary", "ch--yarlik-1", "yärlik"), ("index", "ch--almaty-1", "Almaty")]
    assert cited == [["census-2009"]]


def test_citation_inside_a_mark_moves_past_it():
    text = "the Ghulja Incident led"
    mark = Mark(4, 19, "index", "index-ghulja-incident")
    markdown = annotated(text, ENGLISH, [(mark, "a")], [Cite(10, ("k",))], block=True)
    assert markdown == "the [Ghulja Incident]{#a .indexed} [@k] led"


def test_citations_settle_after_words_and_outside_marks():
    text = "in 2009 (census) was [x] done"
    assert settle_citation(text, 4, []) == 7  # not inside "2009"
    assert settle_citation(text, 7, []) == 7
    assert settle_citation(text, 8, []) == 15  # not before "(": `[@k](` is a link
    assert settle_citation(text, 21, []) == 23  # "[x" then the citation, then "]"
    assert settle_citation(text, 99, []) == len(text)
    mark = Mark(3, 7, "index", "index-y")
    assert settle_citation(text, 3, [mark]) == 7
    assert settle_citation(text, 5, [mark]) == 7


def test_white_space_stays_outside_a_mark():
    marks = [(Mark(0, 3, "index", "index-a"), "a")]
    assert annotated("ab c", ENGLISH, marks, block=True) == "[ab]{#a .indexed} c"


def test_odd_keys_are_braced_and_impossible_ones_refused():
    assert citation(["smith2020", "doe:1999", "x.y."]) == "[@smith2020; @doe:1999; @{x.y.}]"
    with pytest.raises(ValueError):
        citation(["bad}key"])


def test_overlapping_marks_are_refused():
    marks = [(Mark(0, 4, "index", "index-a"), "a"), (Mark(2, 6, "index", "index-b"), "b")]
    with pytest.raises(ValueError):
        annotated("abcdefgh", ENGLISH, marks)


@pytest.mark.parametrize("text", [h for h in HOSTILE if "\n" not in h])
def test_hostile_text_inside_marks_stays_text(text):
    line = normal(text)
    marks = [(Mark(0, len(line), "glossary", "glossary-x"), "m1")]
    got, seen, _ = read_back(annotated(line, ENGLISH, marks, block=True))
    assert got == line
    assert seen == [("glossary", "m1", line)]


@st.composite
def marked_text(draw):
    line = normal(draw(st.text(ALPHABET, min_size=1, max_size=40)))
    if not line:
        line = "x"
    cuts = sorted(draw(st.sets(st.integers(0, len(line)), max_size=6)))
    marks = []
    for n, (start, end) in enumerate(zip(cuts[::2], cuts[1::2], strict=False)):
        content = line[start:end]
        if content.strip():
            start += len(content) - len(content.lstrip())  # as terms are found: no edge spaces
            end = start + len(content.strip())
            kind = draw(st.sampled_from(["glossary", "index"]))
            marks.append((Mark(start, end, kind, f"{kind}-e{n}"), f"m{n}"))
    cites = [
        Cite(p, (draw(st.sampled_from(["a1", "b-2", "c.d", "x.y."])),))
        for p in draw(st.sets(st.integers(0, len(line)), max_size=2))
    ]
    return line, marks, cites


@settings(max_examples=120, deadline=None)
@given(marked_text())
def test_any_marked_text_survives_pandoc(case):
    line, marks, cites = case
    got, seen, cited = read_back(annotated(line, ENGLISH, marks, cites, block=True))
    positions: dict[int, list[str]] = {}
    for cite in cites:
        position = settle_citation(line, cite.position, [m for m, _ in marks])
        keys = positions.setdefault(position, [])
        keys += [key for key in cite.keys if key not in keys]
    # pandoc reads runs of spaces as one: compare with white space normalised.
    assert normal(got) == normal(expected_text(line, positions))
    assert [(kind, anchor) for kind, anchor, _ in seen] == [
        (mark.kind, anchor) for mark, anchor in marks
    ]
    for (_, _, inner), (mark, _) in zip(seen, marks, strict=True):
        assert normal(inner) == normal(line[mark.start : mark.end])
    assert cited == [positions[p] for p in sorted(positions)]
