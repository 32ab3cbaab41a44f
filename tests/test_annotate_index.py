"""index.yml and proper-noun seeding."""

from pathlib import Path

from diaspora_book.annotate.index import load_index, proper_nouns
from diaspora_book.annotate.project import Annotations
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.read.plain_text import parse_text


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


def test_see_to_itself_or_round_a_loop_is_a_warning(tmp_path):
    # Issue 15: "Almaty, see Almaty" was printed without a word.
    from diaspora_book.annotate.index import check_see_loops

    (tmp_path / "index.yml").write_text(
        "- term: Almaty\n  aliases: [Alma-Ata]\n  see: Alma-Ata\n"
        "- term: Hui\n  see: Dungan\n- term: Dungan\n  see: Tungan\n- term: Tungan\n  see: Hui\n"
        "- term: Uyghurs\n- term: Uighurs\n  see: Uyghurs\n",
        encoding="utf-8",
    )
    diagnostics = Diagnostics()
    check_see_loops(load_index(tmp_path, diagnostics), diagnostics)
    hint = "(point 'see' at the entry that lists the pages)"
    assert [str(d) for d in diagnostics] == [
        f"index.yml:1: warning: 'Almaty' refers to itself ('see: Alma-Ata') {hint}",
        f"index.yml:4: warning: the 'see' references 'Hui' -> 'Dungan' -> 'Tungan' -> 'Hui' "
        f"go round in a loop {hint}",
    ]


def test_messages_say_index_entry_in_words(tmp_path):
    from diaspora_book.annotate.candidates import article_candidates
    from diaspora_book.annotate.project import check_annotations

    (tmp_path / "index.yml").write_text(
        "- term: Almaty\n- term: Hui\n  see: Dungan\n", encoding="utf-8"
    )
    diagnostics = Diagnostics()
    notes = Annotations(index=load_index(tmp_path, diagnostics))
    articles = article_candidates([article("Nothing here.")], notes.language)
    check_annotations(articles, [], notes, diagnostics)
    messages = [d.message for d in diagnostics]
    assert "'Hui' refers to 'Dungan', which is not an index entry" in messages
    assert "index entry 'Almaty' is never found in the text" in messages
    assert not any("index_entry" in m for m in messages)
