"""Glossary: glossary.yml, candidates from the articles' definitions, marks, collation."""

from pathlib import Path

from diaspora_book.annotate.candidates import find_candidates
from diaspora_book.annotate.glossary import load_glossary
from diaspora_book.annotate.project import Annotations
from diaspora_book.languages.collation import Collation
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.read.plain_text import parse_file, parse_text

from .conftest import REPO


def article(text: str, name: str = "a.txt"):
    return parse_text(f"= A =\n\n{text}\n", Path(name), f"articles/{name}")[0]


def sample_articles():
    names = ("uyghurs-in-kazakhstan.txt", "chinese-people-in-kazakhstan.txt")  # book order
    return [parse_file(REPO / "articles" / n, f"articles/{n}")[0] for n in names]


def test_candidates_in_the_sample_articles_are_exactly_these():
    found = {c.term: (c.gloss, c.aliases, str(c.span)) for c in find_candidates(sample_articles())}
    assert found == {
        "yärlik": ("locals", (), "articles/uyghurs-in-kazakhstan.txt:16:131"),
        "kegänlär": ("newcomers", (), "articles/uyghurs-in-kazakhstan.txt:16:460"),
        "kitailik": ("Chinese", (), "articles/uyghurs-in-kazakhstan.txt:16:518"),
        "köchäp kegän": ("", (), "articles/uyghurs-in-kazakhstan.txt:16:587"),
        "wätändin": ("people from the homeland", (), "articles/uyghurs-in-kazakhstan.txt:16:728"),
        "Dungan": (
            "Hui",
            ("Dungan people", "Dungans"),
            "articles/uyghurs-in-kazakhstan.txt:21:688",
        ),
        "meshrep": ("", (), "articles/uyghurs-in-kazakhstan.txt:27:180"),
        "oralmans": ("", (), "articles/chinese-people-in-kazakhstan.txt:41:112"),
    }
    line = (REPO / "articles" / "uyghurs-in-kazakhstan.txt").read_text().split("\n")[15]
    assert line[130:].startswith("yärlik") and line[586:].startswith("köchäp kegän")


def test_definition_patterns():
    text = (
        'The herders, the jaylau ("summer pastures"), moved. They say tört, meaning "four". '
        "The hall is known as the qonaqüy; elders are called aqsaqals."
    )
    assert [(c.term, c.gloss) for c in find_candidates([article(text)])] == [
        ("jaylau", "summer pastures"),
        ("tört", "four"),
        ("qonaqüy", ""),
        ("aqsaqals", ""),
    ]


def test_names_and_english_are_not_candidates():
    text = (
        'the Hāsàkèsītǎn Huáqiáo Bào (哈萨克斯坦华侨报, literally "Kazakhstan Chinese Newspaper"), '
        "Uyghurs in Kazakhstan (Qazaqstandağy ūiğyrlar), militarised labourers in the "
        'neighbouring organisation, known as the "Big House", called Almaty; short-term visas.'
    )
    assert find_candidates([article(text)]) == []


def test_a_russian_text_raises_only_its_foreign_terms():
    """Russian words in any form are the book's own (Hunspell knows `поэзией`); what
    is left is the term the text defines and a transliterated word."""
    text = (
        "Уйгурская поэзия славится мукамами. Вечером поэты собираются на мешреп "
        "(«собрание»), где поэзией и музыкой встречают гостей; говорят и о сабаке."
    )
    found = [(c.term, c.gloss, c.defined) for c in find_candidates([article(text)], "ru")]
    assert found == [("мешреп", "собрание", True), ("мукамами", "", False), ("сабаке", "", False)]


def test_without_a_lexicon_only_words_in_another_script_are_candidates():
    """Kazakh has no usable lexicon here: its own words are never candidates (no
    flood), but a Latin-script term in a Kazakh book is."""
    text = "Ұйғырлар жиынын мешреп деп атайды, латынша meshrep деп жазылады."
    assert [c.term for c in find_candidates([article(text)], "kk")] == ["meshrep"]
    chinese = "维吾尔人的聚会叫麦西来甫（meshrep），ү五个字母。"
    assert [c.term for c in find_candidates([article(chinese)], "zh")] == ["meshrep"]


def test_a_term_never_takes_letters_of_another_script():
    text = 'Ұйғырлар мешрепmeshrep ("gathering") деп жазады.'  # a lost space
    assert [(c.term, c.gloss) for c in find_candidates([article(text)], "kk")] == [
        ("meshrep", "gathering")
    ]


def glossary_project(tmp_path, text):
    (tmp_path / "glossary.yml").write_text(text, encoding="utf-8")
    diagnostics = Diagnostics()
    return load_glossary(tmp_path, diagnostics), [str(d) for d in diagnostics]


def test_glossary_yml_problems_point_at_their_line(tmp_path):
    _, messages = glossary_project(
        tmp_path,
        "- term: yärlik\n  gloss: locals\n  glos: typo\n- gloss: no term\n"
        "- term: kitailik\n  aliases: [yärlik]\n  language: not a tag\n  status: maybe\n",
    )
    assert messages == [
        "glossary.yml:3: error: unknown key 'glos' (did you mean 'gloss'?)",
        "glossary.yml:4: error: glossary entry without a 'term'",
        "glossary.yml:7: error: 'not a tag' is not a language tag (use a BCP 47 tag such as "
        "'ug-Latn', 'kk' or 'zh')",
        "glossary.yml:8: error: unknown status 'maybe' (use 'candidate' (awaiting review) or "
        "'rejected' (not an entry); leave it out for an entry that is in the book)",
        "glossary.yml:5: error: 'yärlik' is already a glossary term or alias (line 1)",
    ]


def test_terms_are_marked_diacritic_exact_with_a_capital_at_sentence_start(tmp_path):
    glossary, messages = glossary_project(
        tmp_path,
        "- term: yärlik\n  language: ug-Latn\n  aliases: [yärliklar]\n"
        "- term: meshrep\n- term: köchäp kegän\n  status: candidate\n",
    )
    assert messages == []
    notes = Annotations(glossary=glossary)
    text = "Yärlik and yarlik, yärliklar, meshreps, meshrep. Köchäp kegän."
    marked = [(text[m.start : m.end], m.entry, m.lang) for m in notes.marks(text)]
    assert marked == [
        ("Yärlik", "glossary-yarlik", "ug-Latn"),
        ("yärliklar", "glossary-yarlik", "ug-Latn"),
        ("meshrep", "glossary-meshrep", ""),
    ]


def test_decomposed_article_text_still_matches(tmp_path):
    glossary, _ = glossary_project(tmp_path, "- term: wätändin\n")
    text = "the wa\u0308tändin came"
    (mark,) = Annotations(glossary=glossary).marks(text)
    assert text[mark.start : mark.end] == "wa\u0308tändin"


def test_collation_sorts_letters_with_diacritics_with_their_base_letter():
    english = Collation.for_language("en")
    collation_key, initial = english.key, english.letter
    words = ["zebra", "Ürümqi", "ğaz", "öz", "gül", "oba", "ä", "b", "Uyghur", "ab", "ur"]
    assert sorted(words, key=collation_key) == [
        "ä", "ab", "b", "ğaz", "gül", "oba", "öz", "ur", "Ürümqi", "Uyghur", "zebra",
    ]  # fmt: skip
    assert sorted(["öz", "oz", "Oz"], key=collation_key) == ["oz", "Oz", "öz"]
    assert [initial(w) for w in ("Ürümqi", "ğaz", "ıssı", "哈")] == ["U", "G", "I", "哈"]
