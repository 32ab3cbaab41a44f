"""index.yml and proper-noun seeding."""

from pathlib import Path

from diaspora_book.annotate.index import load_index, proper_nouns
from diaspora_book.annotate.project import Annotations
from diaspora_book.errors import Diagnostics
from diaspora_book.parse import parse_text


def article(text: str):
    return parse_text(f"= A =\n\n{text}\n", Path("a.txt"), "articles/a.txt")[0]


def test_proper_nouns_are_runs_of_capitalised_words():
    text = (
        "The National Security Committee of Kazakhstan met in Almaty. During the Spring of "
        "2000, China's Xinhua News Agency wrote. China–Kazakhstan talks followed the "
        "Sino-Soviet split. A Xinjiang-based paper. Most came from China."
    )
    seeds = proper_nouns([article(text)], skip={"Kazakhstan"})
    assert [s.term for s in seeds] == [
        "National Security Committee of Kazakhstan",
        "Almaty",
        "China",
        "Xinhua News Agency",
        "China–Kazakhstan",
        "Sino-Soviet",
        "Xinjiang",
    ]
    assert str(seeds[1].span) == "articles/a.txt:3:54"


def test_index_entries_mark_longest_first_and_see_entries_mark_nothing(tmp_path):
    (tmp_path / "index.yml").write_text(
        "- term: Almaty\n- term: Almaty Province\n- term: Hui\n  see: Dungan\n"
        "- term: Spring\n  status: rejected\n- term: Almaty\n",
        encoding="utf-8",
    )
    diagnostics = Diagnostics()
    index = load_index(tmp_path, diagnostics)
    assert [str(d) for d in diagnostics] == [
        "index.yml:7: error: 'Almaty' is already an index entry (line 1)"
    ]
    text = "Almaty Province, Almaty, Hui, Spring"
    marks = Annotations(index=index).marks(text)
    assert [(text[m.start : m.end], m.entry) for m in marks] == [
        ("Almaty Province", "index-almaty-province"),
        ("Almaty", "index-almaty"),
    ]
