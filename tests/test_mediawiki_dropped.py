"""Templates that carry words keep them; the rest leave no trace (no `()`, `(, )`, `, ,`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from diaspora_book.model import BulletList, Heading, Paragraph
from diaspora_book.read.mediawiki.dropped import DROP, removals
from diaspora_book.read.mediawiki.source import Locator
from diaspora_book.read.mediawiki.wikitext import read_wikitext, wiki_title


def read(text: str, language: str = "en"):
    path = Path("/p/articles/Page.wiki")
    locator = Locator.of(text, "articles/Page.wiki")
    return read_wikitext(text, path, locator, {}, (wiki_title(path), None), language)[0]


def texts(text: str, language: str = "en") -> list[str]:
    found = []
    for block in read(text, language).blocks:
        if isinstance(block, BulletList):
            found += [f"• {item.text}" for item in block.items]
        elif isinstance(block, Heading):
            found.append(f"# {block.text}")
        elif isinstance(block, Paragraph):
            found.append(block.text)
    return found


@pytest.mark.parametrize(
    ("wikitext", "shown"),
    [
        ("Germany ({{IPA-de|ˈdɔʏtʃlant}}), officially", "Germany, officially"),
        (
            "Germany (Bundesrepublik Deutschland, {{IPA-de|ˈbʊndəsʁepuˌbliːk|lang}}), is",
            "Germany (Bundesrepublik Deutschland), is",
        ),
        (
            "The Senate ({{lang-ur|ایوانِ بالا}} ''Aiwān'', {{IPA-ur|x}}), is",
            "The Senate (ایوانِ بالا Aiwān), is",
        ),
        (
            "Julia Kristeva ({{IPA-fr|kʁisteva}}; Юлия Кръстева; born",
            "Julia Kristeva (Юлия Кръстева; born",
        ),
        (
            "[[PML-N]] ({{PakSen|PMLN}}) and [[PPP]] ({{PakSen|PPP}}) sit",
            "PML-N and PPP sit",
        ),
        ("London {{respell|LUN|dən}}, the capital", "London, the capital"),
        ("Red {{color box|#f00}}, green {{color box|#0f0}}.", "Red, green."),
        (
            "In French the comma (,) is the separator ()",
            "In French the comma (,) is the separator ()",
        ),
    ],
)
def test_dropped_templates_leave_no_empty_brackets_or_stray_commas(wikitext, shown):
    assert texts(wikitext) == [shown]


def test_a_short_citation_in_brackets_loses_them_as_citeproc_prints_its_own():
    article = read(
        "Alhazen.{{sfn|Vernet|1996}} As shown ({{harvnb|Vernet|1996|p=788}}), he wrote.\n\n"
        "* {{cite book|last=Vernet|year=1996|title=Optics}}"
    )
    (block,) = article.blocks
    assert block.text == "Alhazen. As shown, he wrote."
    assert [(r.start, r.kind) for r in block.runs] == [(8, "cite"), (17, "cite")]


def test_removals_touch_only_punctuation_next_to_a_mark():
    text = f"A ({DROP}, {DROP}), b, {DROP}, c"
    kept = "".join(c for i, c in enumerate(text) if i not in removals(text))
    assert kept == "A, b, c"


def test_flags_give_the_country_name_or_nothing_never_an_emptied_item():
    found = texts(
        "* 1967 {{flag|Germany}}\n"
        "* 1968 {{flagicon|FRA}} [[Paris]]\n"
        "* 1969 {{Прапорець|USA}} '''[[Los Angeles]]'''\n"
        "* 1970: {{flagicon|ESP}}, {{flagicon|ITA}}\n"
        "* {{USA}} [[Los Angeles]] (1967)\n"
        "* {{Флаг России}} [[Москва]]\n"
        "* 1971: {{flagcountry|Poland}}\n",
    )
    assert found == [
        "• 1967 Germany",
        "• 1968 Paris",
        "• 1969 Los Angeles",
        "• United States Los Angeles (1967)",
        "• Москва",
        "• 1971: Poland",
    ]


def test_country_codes_and_names_print_in_the_books_language():
    assert texts("* {{flag|DEU}} Berlin\n* {{GER}} Köln\n", "de") == [
        "• Deutschland Berlin",
        "• Deutschland Köln",
    ]
    assert texts("* {{Flag|Germany}}\n", "ja") == ["• ドイツ"]
    assert texts("* {{Франция}} [[Париж]]\n", "ru") == ["• Франция Париж"]
    assert texts("* {{علم مصر}} [[القاهرة]]\n", "ar") == ["• مصر القاهرة"]
    assert texts("* {{flag|Germany|name=Federal Republic}}\n") == ["• Federal Republic"]


def test_an_unknown_template_that_empties_a_list_item_gives_its_words():
    found = texts(
        "* 1993: {{kardeş şehir|Cakarta|Endonezya}}\n"
        "* 1994: {{עיר תאומה|לוס אנג'לס|ארצות הברית|מתאריך=1967}}\n"
        "* {{cite book|title=A Book|year=1999}}.\n"
        "* Text {{unknown thing|Paris}}.\n"
    )
    assert found == [
        "• 1993: Cakarta, Endonezya",
        "• 1994: לוס אנג'לס, ארצות הברית",
        "• Text.",
    ]


def test_a_heading_over_nothing_but_a_reference_list_is_not_printed():
    found = texts(
        "Text.<ref>{{Web kaynağı |url=https://a.tr |başlık=Başlık}}</ref>\n\n"
        "== Kardeş şehirler ==\n* Paris\n\n"
        "== Kaynakça ==\n{{kaynakça}}\n\n"
        "== Özel başlık ==\n{{Kaynak listesi|2}}\n\n"
        '== 脚注 ==\n=== 注釈 ===\n{{Reflist|group="注"}}\n=== 出典 ===\n{{Reflist|2}}\n\n'
        "== Bibliography ==\n* {{cite book|title=A Book|year=1999}}\n\n"
        "== Dış bağlantılar ==\n* [https://berlin.de Berlin.de]\n",
        "tr",
    )
    assert found == ["Text.", "# Kardeş şehirler", "• Paris", "# Dış bağlantılar", "• Berlin.de"]


@pytest.mark.parametrize(
    ("wikitext", "shown"),
    [
        ("{{convert|16|m|ft}} high", "16 m (52 ft) high"),
        ("{{lang-de|Berlin}} is", "Berlin is"),
        ("{{nihongo|Tokyo|東京|Tōkyō}} is", "Tokyo (東京, Tōkyō) is"),
        (
            "A{{citation needed|date=May 2020}} b{{Нет АИ|1|2|2020}} c{{kaynak belirtilmeli}}.",
            "A b c.",
        ),
        ("Text{{Belege fehlen}} {{要出典|date=2020}}.", "Text."),
        (
            "{{нп5|Берлин-Митте|Митте|de|Berlin-Mitte}} and {{仮リンク|ミッテ|de|Mitte}}",
            "Митте and ミッテ",
        ),
    ],
)
def test_templates_that_carry_words_keep_them(wikitext, shown):
    assert texts(wikitext) == [shown]


def test_hatnotes_of_other_wikis_keep_their_titles():
    """The targets are the article's; the words before them are the book's own."""
    source = "{{Основная статья|История Берлина}}\n\n{{ana madde|Berlin tarihi}}"
    assert texts(source) == [
        "Main article: История Берлина",
        "Main article: Berlin tarihi",
    ]
    assert texts(source, "ru") == [
        "Основная статья: История Берлина",
        "Основная статья: Berlin tarihi",
    ]
    assert texts("{{Ayrıca bakınız|Berlin Duvarı}}", "tr") == ["Ayrıca bakınız: Berlin Duvarı"]


def test_quotes_and_column_lists_keep_their_text():
    found = texts(
        "{{quote|To be or not to be.|Shakespeare}}\n"
        "{{Цитата|Быть или не быть.|Шекспир}}\n"
        "{{div col|colwidth=20em}}\n* One\n* Two\n{{div col end}}\n"
        "{{columns-list|colwidth=10em|\n* Three\n* Four\n}}\n"
        "{{refbegin}}\n* Five\n{{refend}}\n"
        "{{טורים\n| רוחב =\n| תוכן = * Six\n* Seven\n}}\n"
    )
    assert found == [
        "To be or not to be.",
        "— Shakespeare",
        "Быть или не быть.",
        "— Шекспир",
        "• One",
        "• Two",
        "• Three",
        "• Four",
        "• Five",
        "• Six",
        "• Seven",
    ]


def test_an_imagemap_gives_its_image_and_caption_never_its_coordinates():
    article = read(
        "Text.\n\n<imagemap>\nImage:Berlin map.png|thumb|300px|The districts of Berlin\n"
        "poly 10 20 30 40 [[Mitte]]\nrect 0 0 50 50 [[Pankow]]\ndesc bottom-left\n</imagemap>\n"
    )
    figure = article.blocks[-1]
    assert figure.file == "Berlin map.png"
    assert figure.caption.text == "The districts of Berlin"
    assert all("poly" not in getattr(b, "text", "") for b in article.blocks)


def test_a_column_list_s_width_is_not_its_list():
    """Ibn al-Haytham's Sources: `{{Refbegin|30em}}` printed "30em" before the list."""
    assert texts("{{Refbegin|30em}}\n* One\n* Two\n{{Refend}}") == ["• One", "• Two"]
