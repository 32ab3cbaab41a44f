"""Text with runs -> pandoc Markdown: styling, links, spans, citations; all else stays text."""

from __future__ import annotations

from diaspora_book.chapters.styled_runs import Links, RichWriter, safe_url
from diaspora_book.languages.book_language import BookLanguage
from diaspora_book.model import Cite, Run

BOOK = BookLanguage("en")
LINKS = Links({"Hui people": "hui-people"})


def write(text: str, runs: list[Run], cites: list[Cite] | None = None) -> str:
    return RichWriter(BOOK, LINKS).write(text, runs, (), cites or [])


def test_styles_nest_as_pandoc_markup():
    runs = [Run(0, 11, "strong"), Run(7, 11, "emphasis"), Run(13, 14, "superscript")]
    assert write("strong emph x2", runs) == "**strong *emph*** x^2^"


def test_a_link_to_a_chapter_is_a_cross_reference_and_others_are_text():
    runs = [
        Run(0, 3, "wikilink", "Hui people#Migration to Central Asia"),
        Run(8, 12, "wikilink", "Gansu"),
    ]
    assert write("Hui and Gansu", runs) == (
        "[Hui](#hui-people--migration-to-central-asia){.xref} and Gansu"
    )


def test_external_links_are_percent_encoded_and_only_web_schemes():
    assert safe_url('https://example.org/a b)"<x>') == "https://example.org/a%20b%29%22%3Cx%3E"
    assert safe_url("javascript:alert(1)") == ""
    runs = [Run(0, 4, "link", "https://example.org/(x)"), Run(5, 8, "link", "file:///etc/passwd")]
    assert write("site bad", runs) == "[site](https://example.org/%28x%29){.external} bad"


def test_language_spans_carry_the_tag_and_direction():
    runs = [Run(0, 6, "lang", "ug"), Run(7, 13, "lang", "ug-Latn"), Run(14, 16, "lang", "zh-Hant")]
    assert write("دۇڭگان Dungan 東干", runs) == (
        '[دۇڭگان]{lang="ug" dir="rtl"} [Dungan]{lang="ug-Latn"} [東干]{lang="zh-Hant"}'
    )


def test_text_inside_runs_stays_text():
    runs = [Run(0, 21, "emphasis")]
    assert write("*not* [@key] <b>x</b>", runs) == "*\\*not\\* \\[\\@key\\] \\<b\\>x\\</b\\>*"


def test_a_citation_at_the_end_of_a_span_goes_after_it_with_a_space():
    runs = [Run(10, 16, "lang", "ug"), Run(21, 32, "strong")]
    cites = [Cite(16, ("tursun2008",)), Cite(32, ("jiang2011",), ("61",))]
    assert write("They say: دۇڭگان and Chuy Region:", runs, cites) == (
        'They say: [دۇڭگان]{lang="ug" dir="rtl"} [@tursun2008] and **Chuy Region** '
        "[@jiang2011, 61]:"
    )


def test_math_is_a_span_the_filter_reads_as_tex_and_breaks_are_hard_breaks():
    runs = [Run(5, 6, "math", "x^2 < \\frac{1}{2}"), Run(7, 7, "break")]
    assert (
        write("Here \ufffc. two", runs)
        == "Here [x\\^2 \\< \\\\frac\\{1\\}\\{2\\}]{.math-tex}.\\\n two"
    )
