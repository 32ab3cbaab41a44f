"""Article text written as Markdown must come back from pandoc as the same text.

These run the real pandoc reader on what the converter writes and compare the
document it sees with the input: no markup, no lost or changed character.
"""

import json

import pypandoc
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from diaspora_book.chapters.markdown import MARKDOWN_FORMAT, escape_inline, front_matter, tagged
from diaspora_book.languages.book_language import BookLanguage

ENGLISH = BookLanguage()  # an English book with the default script languages

HOSTILE = [
    '<script>alert("x")</script>',
    '<img src="file:///etc/passwd">',
    "![x](file:///etc/passwd) [link](http://example.com)",
    "*emphasis* _under_ **strong** `code` ~~strike~~ ^sup^ ~sub~",
    "$x^2$ and \\(latex\\) \\begin{document} \\input{/etc/passwd}",
    "[@smith2020] and @doe, p. 5",
    "::: {.warning}",
    "--- and ... and \"quotes\" and 'single'",
    "1997. A year at the start",
    "a) letter list",
    "(@) example list",
    "# not a heading",
    "> not a quote",
    "- not a list",
    "+ not a list",
    "| a | b |",
    "% not a title block",
    "&amp; &lt; &#65;",
    "line ends with a backslash \\",
    "{#id .class} [span]{.x}",
    "<!-- comment --> <?php ?> <![CDATA[x]]>",
    "Term\n:   not a definition",
]


def read_back(markdown: str) -> tuple[list, str]:
    """Return pandoc's block list for `markdown` and its text (Str/Space/Span only)."""
    doc = json.loads(pypandoc.convert_text(markdown, "json", format=MARKDOWN_FORMAT))
    return doc["blocks"], "".join(_inline_text(block) for block in doc["blocks"])


def _inline_text(node) -> str:
    kind, content = node["t"], node.get("c")
    if kind in ("Para", "Plain"):
        return "".join(_inline_text(i) for i in content)
    if kind == "Str":
        return content
    if kind in ("Space", "SoftBreak"):
        return " "
    if kind == "Span":
        _, classes, attrs = content[0]
        assert not classes and {k for k, _ in attrs} <= {"lang", "dir"}, content[0]
        return "".join(_inline_text(i) for i in content[1])
    raise AssertionError(f"pandoc read markup: {kind}")


def normal(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_read_back_as_text(text):
    for line in text.split("\n"):
        blocks, got = read_back(tagged(line, ENGLISH, block=True))
        assert [b["t"] for b in blocks] == ["Para"]
        assert got == normal(line)


def test_template_filter_escapes_metadata_text():
    blocks, got = read_back(escape_inline("Title <b>*with*</b> $math$"))
    assert got == "Title <b>*with*</b> $math$"


ALPHABET = st.sampled_from(
    list("abcXYZ019 \t.,;:!?'\"()[]{}<>*_`~^$@#%&|\\/+-=")
    + list("ğūāǎéñ")
    + list("قازاقىستانلىق ئۇيغۇرلار")
    + list("哈萨克斯坦华侨报，。")
    + list("고려인Қазақ")
)


@settings(max_examples=150, deadline=None)
@given(st.text(ALPHABET, min_size=1, max_size=40))
@example("1. x")
@example("#. x")
@example("iv) x")
@example("---")
@example("* * *")
@example("    indented code?")
@example("قازاق 1997. ئۇيغۇر")
def test_any_text_survives_pandoc(text):
    line = normal(text)
    if not line:
        return
    blocks, got = read_back(tagged(line, ENGLISH, block=True))
    assert [b["t"] for b in blocks] == ["Para"]
    assert got == line


def _pyyaml_front_matter(metadata: dict) -> str:
    body = yaml.safe_dump(
        metadata, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False
    )
    return f"---\n{body}---\n"


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=12),
        st.one_of(
            st.text(max_size=60),
            st.lists(st.text(max_size=20), max_size=3),
            st.integers(),
            st.booleans(),
            st.none(),
        ),
        max_size=6,
    )
)
@example({"title": "Уйғурлар 😀", "note": "\x85 next line", "rtl": "ئۇيغۇر", "cjk": "日本語"})
@example({"title": "a: b", "q": "'quoted'", "lines": "one\ntwo", "lead": "  x", "yes": "yes"})
def test_front_matter_is_what_pyyaml_writes(metadata):
    """libyaml writes the chapters' front matter only where it writes what PyYAML does."""
    assert front_matter(metadata) == _pyyaml_front_matter(metadata)
