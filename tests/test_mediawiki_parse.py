"""MediaWiki reading: wikitext and exports -> Articles with runs and `path:line` spans."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diaspora_book.model import (
    BulletList,
    Figure,
    Heading,
    Paragraph,
    Revision,
    Run,
    SourceSpan,
    Table,
)
from diaspora_book.plumbing.errors import BookError
from diaspora_book.read.mediawiki.export import read_export, read_redirects
from diaspora_book.read.mediawiki.source import Locator
from diaspora_book.read.mediawiki.wikitext import read_wikitext, wiki_title

FIXTURES = Path(__file__).parent / "fixtures" / "mediawiki"


def read(text: str, templates: dict[str, str] | None = None, name: str = "Some_page.wiki"):
    path = Path("/p/articles") / name
    locator = Locator.of(text, f"articles/{name}")
    return read_wikitext(text, path, locator, templates or {}, (wiki_title(path), None))


def blocks(text: str, **kwargs):
    return read(text, **kwargs)[0].blocks


def runs_of(block, kind: str) -> list[str]:
    return [block.text[r.start : r.end] for r in block.runs if r.kind == kind]


def test_title_comes_from_the_file_name_with_underscores_as_spaces():
    article, _ = read("Text.", name="Dungans_in_Kyrgyzstan.wiki")
    assert article.title == "Dungans in Kyrgyzstan"
    assert article.slug == "dungans-in-kyrgyzstan"


def test_headings_and_paragraphs_keep_their_lines():
    found = blocks("Intro line\nsame paragraph.\n\n== History ==\nText.\n=== Sub ===\nMore.")
    assert found[0] == Paragraph(
        "Intro line same paragraph.", SourceSpan("articles/Some_page.wiki", 1)
    )
    assert found[1] == Heading(2, "History", SourceSpan("articles/Some_page.wiki", 4))
    assert found[3] == Heading(3, "Sub", SourceSpan("articles/Some_page.wiki", 6))
    assert found[4].span.line == 7


def test_bold_italic_sup_sub_and_breaks_are_runs_over_plain_text():
    (block,) = blocks("''a'' '''b''' '''''c''''' H<sub>2</sub>O x<sup>2</sup> one<br/>two")
    assert block.text == "a b c H2O x2 one two"
    assert runs_of(block, "emphasis") == ["a", "c"]
    assert runs_of(block, "strong") == ["b", "c"]
    assert runs_of(block, "subscript") == ["2"]
    assert runs_of(block, "superscript") == ["2"]
    assert [r for r in block.runs if r.kind == "break"] == [Run(16, 16, "break")]


def test_entities_become_characters():
    (block,) = blocks("G&ouml;del&nbsp;and 5&#8239;km &amp; more")
    assert block.text == "Gödel\u00a0and 5\u202fkm & more"


def test_furniture_is_dropped_silently():
    article, found = read(
        "{{Short description|x}}\n{{Use dmy dates|date=May 2020}}\n__NOTOC__\n"
        "Body<!-- hidden --> text.\n\n[[Category:Things]]\n{{Authority control}}\n"
        "{{Navbox Ethnic groups}}\n[[de:Seite]]"
    )
    assert [b.text for b in article.blocks if isinstance(b, Paragraph)] == ["Body text."]
    assert list(found) == []


def test_nested_and_definition_lists_keep_their_markers():
    (listed,) = blocks("* one\n** one point one\n*# numbered inside\n# first\n;term\n:definition")
    assert isinstance(listed, BulletList)
    assert [(i.marker, i.text) for i in listed.items] == [
        ("*", "one"),
        ("**", "one point one"),
        ("*#", "numbered inside"),
        ("#", "first"),
        (";", "term"),
        (":", "definition"),
    ]
    assert listed.items[1].span == SourceSpan("articles/Some_page.wiki", 2, 3)


def test_blockquote_and_indent_are_quotes_and_a_lone_formula_is_display_math():
    found = blocks("<blockquote>\nQuoted words.\n</blockquote>\n\n: Indented.\n\n:<math>x^2</math>")
    assert [(b.kind, b.text) for b in found] == [
        ("quote", "Quoted words."),
        ("quote", "Indented."),
        ("math", "\ufffc"),
    ]
    assert found[2].runs == (Run(0, 1, "math", "x^2"),)


def test_links_keep_their_target_and_external_links_their_url():
    (block,) = blocks(
        "[[Hui people|Hui]] and [[Karakol]]s, [[Page#Part|a part]], "
        "[https://example.org/a site] [javascript:alert(1) bad]"
    )
    assert block.text.startswith("Hui and Karakols, a part, site")
    assert [(block.text[r.start : r.end], r.value) for r in block.runs] == [
        ("Hui", "Hui people"),
        ("Karakol", "Karakol"),
        ("a part", "Page#Part"),
        ("site", "https://example.org/a"),
    ]


def test_language_templates_give_the_exact_tags():
    (block,) = blocks(
        "{{lang|dng|Хуэйзў}} {{lang-ug|ئۇيغۇر}} {{transl|ug|Uyghur}} "
        "{{zh|s=东干|t=東干|p=Dōnggān}} {{nihongo|Tokyo|東京|Tōkyō}}"
    )
    tagged = [(block.text[r.start : r.end], r.value) for r in block.runs if r.kind == "lang"]
    assert tagged == [
        ("Хуэйзў", "dng"),
        ("ئۇيغۇر", "ug"),
        ("Uyghur", "ug-Latn"),
        ("東干", "zh-Hant"),
        ("东干", "zh-Hans"),
        ("Dōnggān", "zh-Latn-pinyin"),
        ("東京", "ja"),
        ("Tōkyō", "ja-Latn"),
    ]


def test_a_language_tag_that_is_not_one_tags_nothing():
    (block,) = blocks('{{lang|"><script>|text}}')
    assert block.text == "text"
    assert block.runs == ()


def test_core_templates_are_interpreted():
    found = blocks(
        "{{main|Dungan revolt}}\n"
        "Height {{convert|16|m|ft}}, {{convert|1.5|km}}, {{nowrap|Bai Yanhu}}, {{circa|1878}}, "
        "{{as of|2021}}, {{IPA|[ˈdʊŋɡɑːn]}}."
    )
    assert (found[0].kind, found[0].text) == ("hatnote", "Main article: Dungan revolt")
    assert found[1].text == (
        "Height 16 m (52 ft), 1.5 km (0.9 mi), Bai Yanhu, c. 1878, As of 2021, [ˈdʊŋɡɑːn]."
    )


@pytest.mark.parametrize(
    "language, hatnote, text",
    [
        ("ja", "詳細：ベルリンの歴史、壁", "約 1878, 2021現在."),
        ("ru", "Основная статья: ベルリンの歴史, 壁", "ок. 1878, По состоянию на 2021."),
        ("de", "Hauptartikel: ベルリンの歴史, 壁", "ca. 1878, Stand: 2021."),
    ],
)
def test_the_words_templates_add_are_the_book_s(language, hatnote, text):
    """{{main}}, {{circa}}, {{as of}} in a Japanese book say it in Japanese, not English."""
    path = Path("/p/articles/a.wiki")
    source = "{{main|ベルリンの歴史|壁}}\n{{circa|1878}}, {{as of|2021}}."
    article, _ = read_wikitext(
        source, path, Locator.of(source, "articles/a.wiki"), {}, ("A", None), language
    )
    assert [b.text for b in article.blocks] == [hatnote, text]


def test_an_infobox_becomes_the_fact_box_with_values_cleaned():
    article, _ = read(
        "{{Infobox ethnic group\n| group = Dungans\n| population = 76,000 ({{as of|2021}})\n"
        "| popplace = [[Chuy Region]], ''Bishkek''\n| image = x.jpg\n}}\nText."
    )
    assert article.infobox is not None
    assert article.infobox.name == ""  # no caption: the template's name is furniture
    # A curated infobox: its facts under the book's labels; the group's name is the
    # title, the image is the box's image, not a row.
    assert [(f.key, f.value) for f in article.infobox.facts] == [
        ("Population", "76,000 (As of 2021)"),
        ("Regions", "Chuy Region, Bishkek"),
    ]
    assert article.infobox.facts[0].span.line == 3
    assert article.infobox.image is not None and article.infobox.image.file == "x.jpg"


def test_unknown_templates_are_reported_once_with_count_and_first_line():
    _, found = read("A {{foo|x}}.\n\nB {{Foo|y}} {{bar}}.")
    messages = [str(d) for d in found]
    assert messages == [
        "articles/Some_page.wiki:1:3: warning: template {{foo}} is not interpreted (2 uses); "
        "dropped (map it in book.yml 'templates:' (drop, text or a format)) [unknown-template]",
        "articles/Some_page.wiki:3:13: warning: template {{bar}} is not interpreted (1 use); "
        "dropped (map it in book.yml 'templates:' (drop, text or a format)) [unknown-template]",
    ]


def test_book_yml_templates_map_drop_text_and_formats():
    rules = {"foo": "text", "bar": "drop", "pair": "{1} ({2})", "named": "{name}!"}
    (block,) = blocks("{{foo|one}} {{bar|two}} {{pair|a|''b''}} {{named|name=N}}", templates=rules)
    assert block.text == "one a (b) N!"
    assert runs_of(block, "emphasis") == ["b"]


def test_tables_keep_caption_header_cells_and_spans():
    (table,) = blocks(
        '{| class="wikitable"\n|+ Census\n! rowspan="2" | Year !! colspan="2" | People\n|-\n'
        "! Number !! Share\n|-\n| 1926 || 6,004 || ''0.6%''\n|}"
    )
    assert isinstance(table, Table)
    assert table.caption is not None and table.caption.text == "Census"
    assert [[(c.text, c.header, c.colspan, c.rowspan) for c in row] for row in table.rows] == [
        [("Year", True, 1, 2), ("People", True, 2, 1)],
        [("Number", True, 1, 1), ("Share", True, 1, 1)],
        [("1926", False, 1, 1), ("6,004", False, 1, 1), ("0.6%", False, 1, 1)],
    ]
    assert table.rows[2][2].runs == (Run(0, 4, "emphasis"),)
    assert table.span.line == 1 and table.rows[2][0].span.line == 7


def test_files_and_galleries_become_figures_with_captions():
    found = blocks(
        "Text.\n[[File:A_b.jpg|thumb|right|200px|The ''caption'']]\n"
        "<gallery>\nFile:C.png|Second\nD.jpg|Third|alt=x\n</gallery>\n[[Datei:E.jpg|mini|Bild]]"
    )
    figures = [b for b in found if isinstance(b, Figure)]
    assert [(f.file, f.caption.text, f.span.line) for f in figures] == [
        ("A b.jpg", "The caption", 2),
        ("C.png", "Second", 4),
        ("D.jpg", "Third", 5),
        ("E.jpg", "Bild", 7),
    ]


def test_math_keeps_its_tex_out_of_the_text():
    (block,) = blocks("Here is <math>x=\\frac{y^\\pi}{z}</math>.")
    assert block.text == "Here is \ufffc."
    assert block.runs == (Run(8, 9, "math", "x=\\frac{y^\\pi}{z}"),)


def test_hostile_tags_are_dropped_with_a_warning():
    article, found = read(
        'A <script>alert(1)</script> b <img src=x onerror="alert(1)"> c {{#invoke:M|f}}.'
    )
    (block,) = article.blocks
    assert block.text == "A b c."  # the dropped template leaves no space before the stop
    assert [d.message for d in found] == [
        "<script> is not allowed in an article; dropped with its content",
        "<img> is not allowed in an article; dropped with its content",
        "{{#invoke:...}} runs a wiki's Lua module; dropped",
    ]


def test_an_empty_article_is_an_error_at_its_first_line():
    with pytest.raises(BookError) as caught:
        read("\n\n")
    assert str(caught.value) == "articles/Some_page.wiki:1: error: the article is empty"


def test_an_export_names_its_redirect_pages_and_their_targets():
    text = (FIXTURES / "export.xml").read_text(encoding="utf-8")
    assert read_redirects(text, "articles/export.xml") == (("Huizu", "Hui people"),)


def test_an_export_gives_its_pages_in_order_with_revisions_and_lines():
    text = (FIXTURES / "export.xml").read_text(encoding="utf-8")
    pages = read_export(text, "articles/export.xml")
    assert [p.title for p in pages] == ["Dungans in Kazakhstan", "Hui people"]  # redirect skipped
    assert pages[1].revision == Revision(
        title="Hui people",
        revision_id="1202222222",
        timestamp="2024-03-05T12:30:00Z",
        contributors=("Ma Lin", "192.0.2.7"),
        url="https://en.wikipedia.org/w/index.php?oldid=1202222222",
    )
    assert pages[1].text.startswith("The '''Hui people''' ({{zh|")  # the latest revision
    first_line = text.split("\n")[pages[0].line - 1]
    assert first_line.endswith(
        "xml:space=\"preserve\">'''Dungans in Kazakhstan''' are a [[Hui "
        "people|Hui]] community of about 72,000 people."
    )


def test_a_block_in_an_export_points_at_its_line_in_the_xml_file():
    text = (FIXTURES / "export.xml").read_text(encoding="utf-8")
    page = read_export(text, "articles/export.xml")[0]
    locator = Locator.of(page.text, "articles/export.xml", page.line, page.column)
    article, _ = read_wikitext(
        page.text, Path("/p/articles/export.xml"), locator, {}, (page.title, page.revision)
    )
    heading = next(b for b in article.blocks if isinstance(b, Heading))
    assert text.split("\n")[heading.span.line - 1].strip() == "== Villages =="
    assert article.blocks[0].span.column == page.column


def test_a_broken_export_is_one_error_with_its_line():
    with pytest.raises(BookError) as caught:
        read_export("<mediawiki>\n<page>\n<title>x</title>\n</mediawiki>", "articles/x.xml")
    assert str(caught.value).startswith(
        "articles/x.xml:4: error: not a readable MediaWiki export: Opening and ending tag mismatch"
    )


FRAGMENTS = [
    "\n",
    "\n\n",
    " ",
    "text",
    "''",
    "'''",
    "[[",
    "]]",
    "|",
    "{{",
    "}}",
    "{{lang|ug|",
    "{|",
    "|}",
    "|-",
    "!",
    "||",
    "*",
    "#",
    ":",
    ";",
    "<ref>",
    "</ref>",
    "<ref name=a/>",
    "<math>",
    "</math>",
    "<gallery>",
    "</gallery>",
    "[[File:a.jpg|",
    "[http://x.org ",
    "]",
    "<br/>",
    "&amp;",
    "&#0;",
    "<!--",
    "-->",
    "==",
    "<nowiki>",
    "</nowiki>",
    "{{{",
    "}}}",
    "<sup>",
    "</sup>",
    "ئۇيغۇر",
    "{{convert|",
    "{{Infobox x|a=",
    "<blockquote>",
    "</blockquote>",
    "<script>",
    "{{#invoke:",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=60))
def test_any_wikitext_reads_and_converts_without_a_traceback(pieces):
    from diaspora_book.chapters.convert import convert_article
    from diaspora_book.project.config import BookConfig

    text = "".join(pieces)
    try:
        article, _ = read(text)
    except BookError:
        return  # a clear, one-line error (an empty article)
    chapter = convert_article(article, 1, BookConfig(title="T"), links={"Text": "text"})
    # Any "<" left is escaped text, or inside code, which pandoc prints as text.
    assert re.search(r"(?<!\\)<", _outside_code(chapter.body)) is None


def _outside_code(body: str) -> str:
    """Return a chapter's Markdown without its code blocks and code spans."""
    body = re.sub(r"^(`{3,}) \{\.code[^}]*\}\n.*?\n\1$", "", body, flags=re.S | re.M)
    return re.sub(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)", "", body)


def test_every_character_of_a_block_points_back_at_its_place_in_the_source():
    source = "Intro '''bold''' and {{lang|ug|يەرلىك}} here,\nsecond line , , end."
    (block,) = blocks(source)
    assert block.text == "Intro bold and يەرلىك here, second line , , end."
    assert str(block.span) == "articles/Some_page.wiki:1"
    assert block.span.at(block.text.index("bold")).column == source.index("bold") + 1
    assert block.span.at(block.text.index("يەرلىك")).column == source.index("يەرلىك") + 1
    second = block.span.at(block.text.index("second"))
    assert (second.line, second.column) == (2, 1)
    comma = block.span.at(block.text.index(", ,"))
    assert (comma.line, comma.column) == (2, source.split("\n")[1].index(", ,") + 1)


def test_convert_writes_numbers_as_the_book_language_does():
    from diaspora_book.read.mediawiki.units import convert_text

    assert convert_text(["3500", "m", "ft"], "de") == "3500 m (11.483 ft)"
    assert convert_text(["3500", "m", "ft"]) == "3500 m (11,483 ft)"
    assert convert_text(["10", "-", "20", "km"]) == "10–20 km (6–12 mi)"
    assert convert_text(["5", "parsec"]) == "5 parsec"  # an unknown unit as written


def test_an_export_with_a_dtd_is_refused_and_nothing_is_expanded_or_read():
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE mediawiki [\n <!ENTITY lol "lol">\n'
        ' <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
        "<mediawiki><page><title>L</title><revision><id>1</id>"
        "<text>A &lol; &xxe; end.</text></revision></page></mediawiki>"
    )
    with pytest.raises(BookError) as caught:
        read_export(text, "articles/lol.xml")
    assert str(caught.value) == (
        "articles/lol.xml:1: error: a MediaWiki export may not declare a DTD (<!DOCTYPE ...>); "
        "its entities are not read (export the pages again with Special:Export)"
    )


def test_explanatory_notes_are_note_runs_and_a_missing_one_is_reported():
    article, diagnostics = read(
        'A.<ref group="note" name="x"/> B.{{efn|name=y}} C.{{efn}}\n'
        '<references group="note"><ref name="x">Defined below.</ref></references>'
    )
    (para,) = article.blocks
    assert [(r.start, r.value) for r in para.runs if r.kind == "note"] == [(2, "Defined below.")]
    assert [str(d) for d in diagnostics] == [
        'articles/Some_page.wiki:1:34: warning: the note "y" is never defined; it is dropped',
        "articles/Some_page.wiki:1:51: warning: an empty note says nothing; it is dropped",
    ]
    assert article.citations == ()


def test_preformatted_lines_pre_and_syntaxhighlight_are_code_blocks_as_written():
    found = blocks(
        "Use <code>a  *b*</code> here.\n\n"
        " def f(x):\n     return '''x'''  # [[kept]]\n\n"
        "<pre>\n<b>raw</b> {{tpl}}\n  indented\n</pre>\n"
        '<syntaxhighlight lang="python">\nprint("```")\n</syntaxhighlight>\n'
        " {{Infobox x}}\n"
    )
    assert [(b.text, b.kind) for b in found] == [
        ("Use a *b* here.", ""),
        ("def f(x):\n    return x  # kept", "code"),
        ("<b>raw</b> {{tpl}}\n  indented", "code"),
        ('print("```")', "code"),
    ]
    assert runs_of(found[0], "code") == ["a *b*"]


def test_html_lists_are_lists_with_their_nesting():
    (before, items, after) = blocks(
        "Before.\n<ol>\n<li>First ''styled''</li>\n<li>Second\n"
        "<ul><li>Inner a</li><li>Inner b</li></ul>\n</li>\n<li>Third</li>\n</ol>\nAfter."
    )
    assert [(i.text, i.marker) for i in items.items] == [
        ("First styled", "#"),
        ("Second", "#"),
        ("Inner a", "#*"),
        ("Inner b", "#*"),
        ("Third", "#"),
    ]
    assert (before.text, after.text) == ("Before.", "After.")
    assert runs_of(items.items[0], "emphasis") == ["styled"]


def test_a_chart_drawn_from_data_is_dropped_with_a_note():
    """<timeline> (EasyTimeline, in the Russian Berlin) and the like draw a picture from a
    script; the script's words (`ImageSize = width:455`) never reach the page."""
    text = "Before.\n\n<timeline>\nImageSize = width:455 height:373\n</timeline>\n\nAfter."
    article, found = read(text)
    assert [b.text for b in article.blocks] == ["Before.", "After."]
    assert [str(d) for d in found] == [
        "articles/Some_page.wiki:3: note: <timeline> draws a timeline chart, which a book "
        "cannot show; dropped"
    ]


def test_a_table_cell_keeps_the_words_of_templates_the_reader_does_not_know():
    """The RNLI list's station column is `{{Lbs|Hunstanton}}`, a link template: a cell it
    would leave without a word gets its parameters' words; dates keep theirs."""
    source = (
        '{| class="wikitable"\n! Station !! Type !! Since\n|-\n| {{Lbs|Hunstanton}}\n'
        "| {{Lbb|Atlantic 85}}<br>{{Lbc|H}}\n| {{dts|1869|3|5}}\n|}\n"
    )
    (table,) = blocks(source)
    assert [[cell.text for cell in row] for row in table.rows] == [
        ["Station", "Type", "Since"],
        ["Hunstanton", "Atlantic 85 H", "March 5, 1869"],
    ]


def test_a_number_the_wiki_computes_is_never_printed_as_markup():
    """jawiki's Berlin: `{{formatnum:{{#expr:{{Population GER-BE|Berlin}}/10000}}}}`."""
    (block,) = blocks("約{{formatnum:{{#expr:{{Population GER-BE|Berlin}}/10000 round -1}}}}万人。")
    assert "{" not in block.text and "expr" not in block.text
    assert block.text.startswith("約") and block.text.endswith("万人。")
