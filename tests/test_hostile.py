"""Hostile article text stays text in both outputs; nothing is fetched or executed."""

import re
import zipfile

from diaspora_book.build import build
from diaspora_book.project.config import load_project

from .readers import epub_documents, epub_text, pdf_text

HOSTILE_ARTICLE = """= <b>Bold</b> *Title* =

Infobox
- Source: <img src="file:///etc/passwd">
- Math: $\\int x$

A <script>alert("pwned")</script> tag and <img src="file:///etc/passwd"> inline.
An image ![passwd](/etc/passwd) and a link [here](http://example.com/x).
Raw LaTeX \\input{/etc/passwd} and a citation [@key] and @key.
<iframe src="http://example.com"></iframe> &amp; entity.

== Section {#id} ==
::: warning
--- dashes ... and "quotes"
- <style>body{display:none}</style>
"""

VISIBLE = [
    '<script>alert("pwned")</script>',
    '<img src="file:///etc/passwd">',
    "![passwd](/etc/passwd)",
    "[here](http://example.com/x)",
    "\\input{/etc/passwd}",
    "[@key] and @key.",
    '<iframe src="http://example.com"></iframe> &amp; entity.',
    "Section {#id}",
    "::: warning",
    '--- dashes ... and "quotes"',
    "<style>body{display:none}</style>",
    "<b>Bold</b> *Title*",
    "$\\int x$",
]


def test_hostile_text_is_printed_literally(project_factory):
    root = project_factory({"evil.txt": HOSTILE_ARTICLE}, "title: Evil\n")
    report = build(load_project(root))
    pdf, epub = report.outputs
    pdf_words = pdf_text(pdf)
    epub_words = epub_text(epub)
    for fragment in VISIBLE:
        assert " ".join(fragment.split()) in pdf_words, fragment
        assert " ".join(fragment.split()) in epub_words, fragment
    with zipfile.ZipFile(epub) as z:
        names = z.namelist()
    assert not [n for n in names if "passwd" in n]
    # The only media is the cover the build drew, and only the cover page shows it.
    assert [n for n in names if n.startswith("EPUB/media")] == ["EPUB/media/cover.png"]
    for name, doc in epub_documents(epub).items():
        if name.endswith(".xhtml"):
            body = doc[doc.index("<body") :]
            if name == "EPUB/text/cover.xhtml":
                body = body.replace('<img src="../media/cover.png"', "", 1)
            assert not re.search(r"<(script|img|iframe|style)\b", body), name
    assert not [d for d in report.diagnostics if d.message.startswith(("refused", "WeasyPrint"))]
