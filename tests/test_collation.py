"""Glossary and index order in the book's language (ICU collation, CLDR tailorings)."""

import pytest

from diaspora_book.languages.collation import Collation


@pytest.mark.parametrize(
    ("language", "words"),
    [
        # Turkish: ç ğ ı ö ş ü are letters of their own; dotless ı comes before i.
        ("tr", ["cam", "çay", "dağ", "ılık", "Işık", "iç", "İstanbul", "oz", "öz", "su", "şeker"]),
        # German: umlauts file with their base letters; ß as ss.
        (
            "de",
            ["Aachen", "Affe", "Ärger", "Ofen", "Öl", "Omsk", "Strasse", "Straße", "Über", "Uhr"],
        ),
        # Kazakh: ә after а, ғ after г, қ after к, ң after н, ө after о, ұ ү after у, һ after х, і after ы.
        (
            "kk",
            [
                "ағаш",
                "адам",
                "ақ",
                "әке",
                "гүл",
                "ғылым",
                "кітап",
                "қала",
                "нан",
                "ңа",
                "оқу",
                "өмір",
                "уй",
                "ұлт",
                "үй",
                "хат",
                "һижра",
                "ыс",
                "іні",
            ],
        ),
        # Russian: ё with е (by code point it would follow я).
        ("ru", ["ёж", "ежевика", "ель", "жук", "як"]),
        # Chinese: by pinyin.
        ("zh", ["阿拉木图", "北京", "东干", "哈萨克斯坦", "上海", "中国"]),
        # Uyghur: vowels written with the hamza carrier file under their vowel.
        (
            "ug",
            [
                "ئالمۇتا",
                "ئەل",
                "بالا",
                "غۇلجا",
                "قازاق",
                "ھايات",
                "ئوقۇش",
                "ئۇيغۇر",
                "ئۆي",
                "ئۈرۈمچى",
                "ۋەتەن",
                "ئېتىز",
                "ئىلى",
                "يەر",
            ],
        ),
    ],
)
def test_words_sort_in_the_language_s_order(language, words):
    collation = Collation.for_language(language)
    assert sorted(reversed(words), key=collation.key) == words


@pytest.mark.parametrize(
    ("language", "word", "letter"),
    [
        ("tr", "ılık", "I"),
        ("tr", "iç", "İ"),
        ("tr", "şeker", "Ş"),
        ("de", "Österreich", "O"),
        ("kk", "ұлт", "Ұ"),
        ("kk", "іні", "І"),
        ("ru", "Ёлкино", "Е"),
        ("zh", "霍尔果斯", "H"),
        ("ug", "ئۇيغۇر", "ئۇ"),
        ("ug", "بالا", "ب"),
        ("ru", "Almaty", "A"),  # a Latin entry in a Cyrillic book: the English letters
        ("en", "1917", "1"),  # not a letter: its first character
    ],
)
def test_entries_are_filed_under_the_language_s_letters(language, word, letter):
    assert Collation.for_language(language).letter(word) == letter
