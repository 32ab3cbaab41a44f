"""Property tests: for any article text, parse + convert never raises anything but the
tool's own error, and every word of the input reaches the chapter Markdown."""

import json
from pathlib import Path

import pypandoc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diaspora_book.chapters.convert import convert_article
from diaspora_book.chapters.markdown import MARKDOWN_FORMAT
from diaspora_book.plumbing.errors import BookError
from diaspora_book.plumbing.strict_text import decode
from diaspora_book.project.config import BookConfig
from diaspora_book.read.plain_text import parse_text

LINE_STARTS = ["", "= ", "== ", "=== ", "- ", "* ", "Infobox", "1. ", "> ", "::: ", "| ", "#"]
CHARS = st.sampled_from(
    list("abcXYZ 019.,;:!?'\"()[]{}<>*_`~^$@#%&|\\/+-=\t")
    + list("ğūäöü")
    + list("ئۇيغۇر")
    + list("哈萨克")
    + list("고려Қазақ")
)
LINE = st.builds(
    lambda start, rest: start + rest, st.sampled_from(LINE_STARTS), st.text(CHARS, max_size=30)
)
ARTICLE = st.builds(
    lambda title, lines: f"= {title} =\n" + "\n".join(lines),
    st.text(CHARS, min_size=1, max_size=20).filter(lambda t: t.strip() and "=" not in t),
    st.lists(LINE, max_size=12),
)


def converted(text: str):
    article, _ = parse_text(text, Path("p.txt"), "articles/p.txt")
    return convert_article(article, 1, BookConfig(title="P"))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_parse_or_raise_book_error(data):
    try:
        converted(decode(data, "articles/p.txt"))
    except BookError as error:
        assert str(error).startswith("articles/p.txt:")


def reader_text(markdown: str) -> str:
    """The chapter's text as pandoc reads it: Str and Span content, spaces, block breaks."""
    parts: list[str] = []

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
            return
        kind, content = node["t"], node.get("c")
        if kind == "Str":
            parts.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind == "Header":
            parts.append("\n")
            walk(content[2])  # not the attributes ({#id .class})
        elif kind in ("Span", "Div"):
            walk(content[1])
        elif kind in ("Para", "Plain", "BulletList", "DefinitionList"):
            parts.append("\n")
            walk(content)
        elif isinstance(content, list):
            walk([c for c in content if isinstance(c, (list, dict))])

    walk(json.loads(pypandoc.convert_text(markdown, "json", format=MARKDOWN_FORMAT))["blocks"])
    return " ".join("".join(parts).split())


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ARTICLE)
def test_every_word_reaches_the_chapter(text):
    seen = reader_text(converted(text).body)
    position = 0
    for line in text.split("\n"):
        for word in line.split():
            word = word.strip("=") if line.lstrip().startswith("=") else word
            if not word or (word in {"-", "*"} and line.lstrip().startswith(word)):
                continue  # the article format's own markup
            if line.strip().lower().startswith("infobox") and word.lower().startswith("infobox"):
                continue  # the infobox marker (kept as text when no facts follow it)
            found = seen.find(word, position)
            if ":" in word:
                # "- Key: value" (or "- Key:value") in an infobox: the first colon is markup
                # between the fact's two cells, whose words come in turn. The earlier of
                # the two readings counts: the word as it is may stand later in the text.
                key, value = word.split(":", 1)
                cells = seen.find(key, position) if key else position
                if cells >= 0 and value:
                    cells = seen.find(value, cells + len(key))
                if cells >= 0 and (found < 0 or cells < found):
                    found = cells
            assert found >= 0, (word, seen)
            position = found
