"""Books in Russian, Kazakh, Uyghur, Chinese and German, read as their readers would.

Each fixture book (tests/fixtures/books) is built once, with `--strict`: its few
genuine foreign terms are in its glossary, so a clean build means the candidate
finder raised none of its ordinary words. The tests then open the PDF, the EPUB and
the handouts and look for English, for boxes, for the order of the index.
"""

from __future__ import annotations

import re
import zipfile

import pikepdf
import pytest
from lxml import etree

from .checkers import ace_violations, epubcheck_messages, run_ace, run_epubcheck
from .language_books import (
    LANGUAGES,
    TECHNICAL,
    article_texts,
    generated_words,
    latin_words,
    source_words,
)
from .readers import (
    EPUB_TYPE,
    NS,
    epub_documents,
    html_text,
    pdf_body_pages,
    pdf_fonts,
    pdf_text,
)

# The back-of-book index, letter by letter, as the EPUB gives it; tricky entries pinned:
# Kazakh ә қ ұ ү һ і in their alphabet's places, Russian ё filed under е, Uyghur
# vowels (written with ئ) in the alphabet's order, Chinese by pinyin, German umlauts
# with their base letters.
INDEXES = {
    "ru": [
        ("А", ["Алматы"]),
        ("Е", ["Ёлкино"]),
        ("Ж", ["Жамбылской области"]),
        ("К", ["кегенлер", "корё-сарам", "Кульджа", "Кульджи"]),
        ("М", ["Масанчи", "мешреп", "мукам"]),
        ("С", ["Семиречье"]),
        ("У", ["Урумчи", "Уштобе"]),
        ("Х", ["хуэйцзу"]),
        ("Я", ["ярлик"]),
    ],
    "kk": [
        ("А", ["Алматы"]),
        ("Ә", ["Әулиеата"]),
        ("Ж", ["Жаркент"]),
        ("Қ", ["Құлжадан"]),
        ("М", ["Масаншы", "мешреп", "Моңғолиядан"]),
        ("О", ["оралман"]),
        ("Т", ["Тараз"]),
        ("Ү", ["Үшарал"]),
        ("Һ", ["Һижра"]),
        ("І", ["Іле"]),
        ("Я", ["ярлик"]),
    ],
    "ug": [
        ("ئا", ["ئالمۇتا"]),
        ("غ", ["غۇلجا"]),
        ("م", ["ماسانچى"]),
        ("ھ", ["ھەرەمبۇلاق"]),
        ("ئۇ", ["ئۇيغۇر ناھىيەسى"]),
        ("ئۈ", ["ئۈرۈمچى"]),
        ("ئى", ["ئىلى ۋادىسى"]),
        ("ي", ["يەرلىك", "يۇنېسكو"]),
        ("M", ["meshrep"]),
    ],
    "zh": [
        ("A", ["阿拉木图"]),
        ("B", ["本地人"]),
        ("D", ["东干人"]),
        ("H", ["霍尔果斯口岸"]),
        ("J", ["江布尔州"]),
        ("M", ["马三奇", "麦西来甫"]),
        ("W", ["乌鲁木齐"]),
        ("Y", ["伊犁"]),
        ("Z", ["中亚"]),
    ],
    "de": [
        ("A", ["Aktöbe", "Almaty"]),
        ("K", ["kandas", "Karaganda"]),
        ("M", ["meshrep", "muqam"]),
        ("O", ["Ölgii", "Omsk", "oralman", "Öskemen"]),
        ("S", ["Siebenstromland"]),
        ("U", ["Usbekistan", "Ust-Kamenogorsk"]),
        ("W", ["Wolga"]),
        ("Y", ["yärlik"]),
    ],
}
GLOSSARIES = {
    "ru": ["кегенлер", "корё-сарам", "мешреп", "мукам", "хуэйцзу", "ярлик"],
    "kk": ["мешреп", "оралман", "ярлик"],
    "ug": ["يەرلىك", "meshrep"],
    "zh": ["本地人", "麦西来甫"],
    "de": ["kandas", "meshrep", "muqam", "oralman", "yärlik"],
}


def epub_section(epub, section_id: str) -> etree._Element:
    """Return the <section> with `section_id` from whichever EPUB document holds it."""
    for name, text in epub_documents(epub).items():
        if name.endswith(".xhtml") and f'id="{section_id}"' in text:
            root = etree.fromstring(text.encode("utf-8"))
            return root.find(f".//h:section[@id='{section_id}']", NS)
    raise AssertionError(f"no section #{section_id}")


def epub_index(epub) -> list[tuple[str, list[str]]]:
    index = epub_section(epub, "index")
    groups = []
    for group in index.iterfind(".//h:div[@class='index-group']", NS):
        letter = "".join(group.find(".//h:span[@class='index-letter']", NS).itertext())
        terms = [
            "".join(span.itertext())
            for span in group.iterfind(".//h:li/h:span", NS)
            if "index-term" in (span.get("class") or "")
        ]
        groups.append((letter, terms))
    return groups


@pytest.mark.parametrize("tag", LANGUAGES)
def test_book_builds_strictly_clean(language_books, tag):
    """`--strict` passes: no ordinary word of the language is taken for a term."""
    assert language_books(tag).diagnostics == ()


@pytest.mark.parametrize("tag", LANGUAGES)
def test_index_and_glossary_sort_in_the_language_order(language_books, tag):
    book = language_books(tag)
    assert epub_index(book.epub) == INDEXES[tag]
    glossary = epub_section(book.epub, "glossary")
    # A term's first span that is not a print page's marker (one may open the entry).
    terms = [
        "".join(
            next(s for s in dt.iterfind("h:span", NS) if s.get(EPUB_TYPE) != "pagebreak").itertext()
        )
        for dt in glossary.iterfind(".//h:dt", NS)
    ]
    assert terms == GLOSSARIES[tag]


def test_index_cross_references_are_in_the_language(language_books):
    index = epub_section(language_books("ru").epub, "index")
    items = [" ".join("".join(li.itertext()).split()) for li in index.iterfind(".//h:li", NS)]
    assert "Кульджи, см. Кульджа" in items
    assert any(re.fullmatch(r"Кульджа: .*; см\. также Семиречье", item) for item in items), items


@pytest.mark.parametrize("tag", LANGUAGES)
def test_no_english_word_in_what_the_book_says(language_books, tag):
    """Every Latin-script word of the PDF, the EPUB (text, navigation, package metadata)
    and the handouts is the articles' or the curated files' own, or the catalogue's."""
    book = language_books(tag)
    allowed = source_words(book) | generated_words(book) | TECHNICAL
    texts = {"PDF": pdf_text(book.pdf)}  # hyphenated words joined again
    for handout in book.handouts:
        texts[handout.name] = pdf_text(handout)
    for name, document in epub_documents(book.epub).items():
        if name.endswith((".xhtml", ".ncx")):
            texts[name] = html_text(document)
        elif name.endswith(".opf"):  # what a reading system shows: titles, the print source...
            opf = etree.fromstring(document.encode("utf-8"))
            shown = [*opf.iterfind(".//dc:*", NS), *opf.iterfind(".//opf:reference", NS)]
            shown += opf.iterfind(".//opf:meta[@property='schema:accessibilitySummary']", NS)
            texts[name] = " ".join((e.text or "") + " " + (e.get("title") or "") for e in shown)
    english = {name: sorted(latin_words(text) - allowed) for name, text in texts.items()}
    assert {name: words for name, words in english.items() if words} == {}
    # ... and what it says is there: the contents heading, in the PDF and the EPUB nav.
    nav = html_text(epub_documents(book.epub)["EPUB/nav.xhtml"])
    contents = {
        "ru": "Содержание",
        "kk": "Мазмұны",
        "ug": "مۇندەرىجە",
        "zh": "目录",
        "de": "Inhalt",
    }
    assert contents[tag] in nav


@pytest.mark.parametrize("tag", LANGUAGES)
def test_no_missing_glyphs(language_books, tag):
    book = language_books(tag)
    for pdf in (book.pdf, *book.handouts):
        fonts = pdf_fonts(pdf)
        for font in fonts:
            assert font.drawn <= font.has, (font.name, sorted(font.drawn - font.has))
    drawn = set().union(*(f.drawn for f in pdf_fonts(book.pdf)))
    source = set("".join(article_texts(book)))
    assert source - set(" \u200c\ufeff") - drawn == set()


@pytest.mark.slow  # EPUBCheck and Ace once per language book: the sample book's run stays fast
@pytest.mark.parametrize("tag", LANGUAGES)
def test_epubcheck_and_ace_pass(language_books, tag, tmp_path):
    book = language_books(tag)
    report = run_epubcheck(book.epub, tmp_path)
    checker = report["checker"]
    counts = (checker["nFatal"], checker["nError"], checker["nWarning"])
    assert counts == (0, 0, 0), epubcheck_messages(report)
    assert ace_violations(run_ace(book.epub, tmp_path)) == []


@pytest.mark.parametrize("tag", LANGUAGES)
def test_language_is_declared_everywhere(language_books, tag):
    book = language_books(tag)
    language = {"zh": "zh-Hans"}.get(tag, tag)
    with pikepdf.open(book.pdf) as pdf:
        assert str(pdf.Root.Lang) == language
        direction = pdf.Root.get("/ViewerPreferences", {}).get("/Direction")
        assert direction == (pikepdf.Name.R2L if tag == "ug" else None)
    with zipfile.ZipFile(book.epub) as epub:
        opf = etree.fromstring(epub.read("EPUB/content.opf"))
        assert opf.find(".//dc:language", NS).text == language
        progression = opf.find("opf:spine", NS).get("page-progression-direction")
        assert progression == ("rtl" if tag == "ug" else None)
        for name in epub.namelist():
            if name.endswith(".xhtml"):
                html = etree.fromstring(epub.read(name))
                assert html.get("lang") == language, name
                assert html.get("dir") == ("rtl" if tag == "ug" else None), name


# What the References and the citations say in Kazakh and Uyghur, from the shipped CSL
# locales (pandoc's citeproc has none): an access date, editors, a translator, a page
# without a date, an edition, a chapter's book; "et al." in the running text.
REFERENCES = {
    "kk": [
        "Қаралған күні 2024 ж. 3 маусым",
        "Кітапта: Қазақстан халықтары, редакторлары: Марат Әбенов және Айгүл Тоқтарова",
        "Аударған: Сәуле Бекова",
        "Әбенов, Марат, ред. 2018",
        "авторлары. ж. жоқ.",
        "2-ші бас.",
    ],
    "ug": [
        "كۆرۈلگەن ۋاقتى 3-ئىيۇن، 2024",
        "كىتابتا: قازاقىستان خەلقلىرى، مۇھەررىرلىرى: مارات ئابباس ۋە ئايگۈل توختى",
        "تەرجىمە قىلغان: سەۋەر بەكرى",
        "ئابباس، مارات، مۇھەررىر. 2018",
        "ئاپتورلىرى. يىلى يوق.",
        "2- نەشرى",
    ],
}
ET_AL = {"kk": "(Қасымов т.б. 2021)", "ug": "(ھوشۇر قاتارلىقلار 2021)"}


@pytest.mark.parametrize("tag", sorted(REFERENCES))
def test_references_are_in_the_book_language(language_books, tag):
    """The References of a Kazakh and a Uyghur book (EPUB and PDF) word every entry in
    the book's language; no English term is left (the test above finds none either)."""
    book = language_books(tag)
    references = " ".join("".join(epub_section(book.epub, "references").itertext()).split())
    for phrase in REFERENCES[tag]:
        assert phrase in references, (phrase, references)
    chapters = " ".join(html_text(t) for n, t in epub_documents(book.epub).items() if "ch" in n)
    assert ET_AL[tag] in " ".join(chapters.split())
    # The PDF keeps the words (its text comes out in visual order in a right-to-left book).
    letters = r"[^\W\d_]+"  # a figure may come out glued to the word beside it
    pdf_words = set(re.findall(letters, pdf_text(book.pdf)))
    for phrase in REFERENCES[tag]:
        assert set(re.findall(letters, phrase)) <= pdf_words, phrase
    english = {"and", "edited", "by", "translated", "Accessed", "June", "ed", "nd", "et", "al"}
    # but the copyright page, whose licence URL says ".../licenses/by-sa/4.0/"
    pages = [page for number, page in enumerate(pdf_body_pages(book.pdf)) if number != 1]
    assert english & (latin_words(references) | latin_words("\n".join(pages))) == set()
