"""A quote left open in a template, a reference or the text (read/mediawiki/quotes.py)."""

from __future__ import annotations

import mwparserfromhell

from diaspora_book.read.mediawiki.quotes import (
    close_open_quotes,
    printed_apostrophes,
    raw_markup,
)

from .test_mediawiki_dropped import read

# As in the English Germany article: the italic opened in the PDFlink's first
# parameter never closes, and a later italic in the same reference makes
# mwparserfromhell read `{{PDFlink|[` as text.
GERMANY = (
    "Détente mattered.<ref>Harrison, Hope. {{PDFlink|[http://www.ghi-dc.org/a.pdf "
    "''The Berlin Wall, Ostpolitik and Détente]|91.1&nbsp;KB}} German historical institute, "
    "2004, ''American détente and German ostpolitik\".</ref> In 1999 it changed.\n\n"
    "== Sources ==\n"
    "* {{Citation\n |last=Lindberg |first=David C.\n"
    " |title=Roger Bacon and the Origins''\n |date=1996\n}}\n\n"
    "After the list.\n"
)


def test_a_template_with_an_open_quote_is_read_as_a_template():
    assert raw_markup(mwparserfromhell.parse(GERMANY)) > 0
    article = read(GERMANY)
    sources = [source for cite in article.citations for source in cite.sources]
    assert ("title", "The Berlin Wall, Ostpolitik and Détente") in sources[0].fields
    assert [s for s in sources if s.template == "citation"][0].fields[0] == (
        "title",
        "Roger Bacon and the Origins",
    )
    texts = [getattr(block, "text", "") for block in article.blocks]
    assert not any("{{" in text or "''" in text or "<ref" in text for text in texts), texts
    # No line was removed: the paragraph after the list is still on line 10.
    last = article.blocks[-1]
    assert (last.text, last.span.line) == ("After the list.", 10)


def test_only_the_unpartnered_run_goes_and_literal_text_stays():
    assert close_open_quotes("{{x|''a'' and ''b}}") == "{{x|''a'' and b}}"
    assert close_open_quotes("{{x|'''bold'''}} ''open") == "{{x|'''bold'''}} ''open"
    assert close_open_quotes("{{x|'''b}}") == "{{x|b}}"
    code = "{{x|<code>it''s</code>}}"
    assert close_open_quotes(code) == code
    assert close_open_quotes("no templates ''here") == "no templates ''here"


def test_quote_markup_left_as_text_never_reaches_the_page():
    """A bold never closed, and the partner of an italic paired across paragraphs,
    print their words without the apostrophes (MediaWiki never prints `''`)."""
    text = (
        "Plain text with an ''open italic.\n\n"
        "A paragraph with '''bold never closed.\n\n"
        "It's a ''fine'' day.\n"
    )
    assert [block.text for block in read(text).blocks] == [
        "Plain text with an open italic.",
        "A paragraph with bold never closed.",
        "It's a fine day.",
    ]
    assert [printed_apostrophes("'" * n) for n in (2, 3, 4, 5, 7)] == ["", "", "'", "", "''"]


def test_a_citation_field_loses_its_open_quote():
    text = (
        "Ready.<ref>{{cite web |url=http://x.org |title=Ready for a ''Bush hug? "
        "|work=The Economist}}</ref>\n"
    )
    [source] = [source for cite in read(text).citations for source in cite.sources]
    assert ("title", "Ready for a Bush hug?") in source.fields
