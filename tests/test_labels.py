"""The message catalogues: complete, well-formed, drawable, and overridable per book."""

import pytest

from diaspora_book.build import convert_project
from diaspora_book.chapters.markdown import escape_inline
from diaspora_book.languages.labels import (
    MESSAGE_NAMES,
    catalogue,
    catalogue_for,
    check_message,
    is_see_also,
    load_labels,
    shipped,
    strict_catalogue,
)
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.project.config import load_project
from diaspora_book.project.fonts import installed_coverage

LANGUAGES = ("en", "ru", "kk", "ug", "zh-Hans", "de", "tr", "fr")
# The languages of the Wikipedias the diaspora reads (issue 20): a book of their
# articles says its own words in their language too.
WIKI_LANGUAGES = ("ky", "uz", "tg", "tt", "ba", "uk", "ja", "ko", "fa", "he", "ur", "ar", "es")


def test_the_issue_s_languages_ship():
    assert set(LANGUAGES) <= set(shipped())
    assert set(WIKI_LANGUAGES) <= set(shipped())


@pytest.mark.parametrize("tag", shipped())
def test_every_catalogue_has_every_message_and_no_other(tag):
    assert set(catalogue(tag)) == MESSAGE_NAMES


@pytest.mark.parametrize("tag", shipped())
def test_the_quick_reader_gives_what_the_strict_reader_gives(tag):
    """The build reads the shipped catalogues with libyaml (strings only); the project
    files' reader refuses duplicate keys and tags, at their line, and reads the same."""
    assert catalogue(tag) == strict_catalogue(tag)


@pytest.mark.parametrize("tag", shipped())
def test_every_message_is_valid_with_the_english_placeholders(tag):
    problems = {name: check_message(name, text) for name, text in catalogue(tag).items()}
    assert {name: p for name, p in problems.items() if p} == {}


@pytest.mark.parametrize("tag", shipped())
def test_every_character_of_a_catalogue_has_a_font(tag):
    covered = installed_coverage()
    assert covered is not None, "fontconfig is missing"
    text = "".join(catalogue(tag).values())
    assert {c for c in text if ord(c) not in covered and not c.isspace()} == set()


@pytest.mark.parametrize(
    ("language", "found"),
    [
        ("ru", "ru"),
        ("kk", "kk"),
        ("kk-Cyrl-KZ", "kk"),
        ("ug", "ug"),
        ("zh", "zh-Hans"),
        ("zh-CN", "zh-Hans"),
        ("de-AT", "de"),
        ("en-GB", "en"),
        ("zh-TW", None),  # Traditional Chinese: no catalogue yet
        ("kk-Latn", None),  # Kazakh in Latin letters: not the Cyrillic catalogue
        ("pt", None),
        ("uz", "uz"),  # Uzbek: Latin letters, as uzwiki writes it
        ("uz-Cyrl", None),
        ("he-IL", "he"),
    ],
)
def test_a_catalogue_is_found_by_language_and_script(language, found):
    assert catalogue_for(language) == found


def test_plural_forms_follow_the_language():
    russian, _ = load_labels("ru", {})
    assert russian.text("a11y_pages", count=21).endswith("(21 страница).")
    assert russian.text("a11y_pages", count=23).endswith("(23 страницы).")
    assert russian.text("a11y_pages", count=25).endswith("(25 страниц).")
    english, _ = load_labels("en", {})
    assert english.text("used_on_pages", count=1, pages="5") == "Used on page 5"
    assert english.text("used_on_pages", count=21, pages="…") == "Used on pages …"


def test_dates_and_language_names_come_from_cldr():
    assert load_labels("de", {})[0].date("2024-05-01") == "1. Mai 2024"
    assert load_labels("zh", {})[0].date("2024-05-01") == "2024年5月1日"
    assert load_labels("en", {})[0].date("Spring 2024") == "Spring 2024"  # not a date: as is
    assert load_labels("ru", {})[0].language_names(["ug", "ug-Latn", "zh"]) == (
        "уйгурский, китайский"
    )
    assert load_labels("ug", {})[0].language_names(["kk", "zh"]) == "قازاقچە، خەنزۇچە"


def test_markdown_escapes_the_message_but_not_its_arguments():
    labels, _ = load_labels("en", {"source_note": "Source* [{citation}]"})
    assert labels.markdown("source_note", escape_inline, citation="@key") == "Source\\* \\[@key\\]"


def test_right_to_left_arguments_are_bidi_isolates():
    labels, _ = load_labels("ug", {})
    text = labels.text("sources", sources="articles/a.txt")
    assert "\u2068articles/a.txt\u2069" in text


def test_handout_footer_is_css_content():
    labels, _ = load_labels("zh", {})
    assert labels.css_content("page_of_pages", page="counter(page)", pages="counter(pages)") == (
        '"第 " counter(page) " 页，共 " counter(pages) " 页"'
    )


def test_see_also_headings_in_every_shipped_language():
    assert all(is_see_also(h) for h in ("See also", "См. также", "Siehe auch", "参见"))
    assert all(is_see_also(h) for h in ("関連項目", "같이 보기", "جستارهای وابسته", "ראו גם"))
    assert not is_see_also("See more")


def test_a_language_without_a_catalogue_falls_back_to_english_and_says_so(project_factory):
    root = project_factory({"a.txt": "= A =\n\nTexto.\n"}, "title: T\nlanguage: pt\n")
    diagnostics = Diagnostics()
    convert_project(load_project(root), diagnostics)
    assert [str(d) for d in diagnostics] == [
        "book.yml:2: warning: no message catalogue for language 'pt': the text the book adds "
        "(contents, glossary, index, copyright page, ...) will be in English "
        f"(translate the {len(MESSAGE_NAMES)} messages under 'labels:' in book.yml "
        "(catalogues ship for: ar, ba, de, en, es, fa, fr, he, ja, kk, ko, ky, ru, tg, tr, tt, ug, uk, "
        "ur, uz, zh-Hans))"
    ]
    labels, found = load_labels("pt", {})
    assert not found and labels.text("contents") == "Contents"


def test_labels_in_book_yml_override_the_catalogue(project_factory):
    every = "\n".join(f"  {name}: x" for name in sorted(MESSAGE_NAMES))
    root = project_factory(
        {"a.txt": "= A =\n\nTexto.\n"}, f"title: T\nlanguage: es\nlabels:\n{every}\n"
    )
    diagnostics = Diagnostics()
    convert_project(load_project(root), diagnostics)
    assert list(diagnostics) == []  # every message translated: nothing falls back
    german = load_project(
        project_factory({"a.txt": "= A =\n"}, "language: de\nlabels:\n  index: Stichwörter\n", "de")
    ).config
    labels, _ = load_labels(german.language, german.labels)
    assert (labels.text("index"), labels.text("glossary")) == ("Stichwörter", "Glossar")
