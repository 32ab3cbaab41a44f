"""references.bib validation (bibtexparser 2) and citations.yml rules."""

import pytest

from diaspora_book.annotate.citations import check_keys, cites_in, load_bibliography, load_rules
from diaspora_book.annotate.project import Annotations
from diaspora_book.plumbing.errors import Diagnostics

BIB = """\
% a comment
@book{roberts1998,
  author = {Sean Roberts},
  title = {Uyghur Neighborhood},
  publisher = {Press},
  year = {1998},
}

@article{noyear,
  author = {A. Author},
  title = {Untitled},
}

@misc{roberts1998,
  title = {Again},
}
@book{broken, title = {unclosed
@misc{fine, title = {Fine}}
@webpage{odd, title = {Odd}}
"""


def load(tmp_path, bib=None, rules=None):
    if bib is not None:
        (tmp_path / "references.bib").write_text(bib, encoding="utf-8")
    if rules is not None:
        (tmp_path / "citations.yml").write_text(rules, encoding="utf-8")
    diagnostics = Diagnostics()
    bibliography = load_bibliography(tmp_path, diagnostics)
    citation_rules = load_rules(tmp_path, diagnostics)
    return bibliography, citation_rules, diagnostics


def test_bibliography_problems_point_at_their_line(tmp_path, capsys):
    bibliography, _, diagnostics = load(tmp_path, BIB)
    assert capsys.readouterr().err == ""  # bibtexparser's own log stays quiet
    assert [str(d) for d in diagnostics] == [
        "references.bib:9: error: @article{noyear} lacks required fields: journal/journaltitle, "
        "year/date",
        "references.bib:14: error: duplicate key 'roberts1998' (first on line 2)",
        "references.bib:17: error: cannot parse this entry: Unexpected block start: `@misc`. "
        "Was still looking for field-value closing `}`",
        "references.bib:19: warning: @webpage{odd} is not a BibTeX entry type; citeproc will "
        "treat it as a generic document",
    ]
    assert sorted(bibliography.entries) == ["fine", "noyear", "odd", "roberts1998"]


def test_a_clean_bibliography_has_no_diagnostics(tmp_path):
    bibliography, _, diagnostics = load(tmp_path, BIB.split("@misc{roberts1998")[0])
    assert [str(d) for d in diagnostics if "noyear" not in str(d)] == []
    assert bibliography.entries["roberts1998"].span.line == 2


def test_rules_cite_after_their_match_and_unknown_keys_are_errors(tmp_path):
    bibliography, rules, diagnostics = load(
        tmp_path,
        "@misc{census, title = {Census}}\n",
        "sources:\n  a: missing-source\nrules:\n"
        "  - phrase: the 2009 census\n    cite: census\n"
        "  - pattern: '\\d+% of respondents'\n    cite: [census, nowhere]\n    article: b\n",
    )
    assert list(diagnostics) == []
    check_keys(rules, bibliography, diagnostics)
    assert [str(d) for d in diagnostics] == [
        "citations.yml:2: error: unknown citation key 'missing-source' for the source of 'a' "
        "(add it to references.bib)",
        "citations.yml:6: error: unknown citation key 'nowhere' (add it to references.bib)",
    ]
    notes = Annotations(bibliography=bibliography, rules=rules)
    text = "By the 2009 census, 55% of respondents said so."
    assert [(c.position, c.keys) for c in notes.cites(text, "a")] == [(18, ("census",))]
    assert [(c.position, c.keys) for c in notes.cites(text, "b")] == [
        (18, ("census",)),
        (38, ("census", "nowhere")),
    ]


def test_bad_rules_are_reported(tmp_path):
    _, rules, diagnostics = load(
        tmp_path,
        rules="rules:\n  - phrase: x\n  - pattern: '('\n    cite: k\n"
        "  - phrase: a\n    pattern: b\n    cite: k\n  - pattern: 'a*'\n    cite: k\n"
        "extra: 1\n",
    )
    assert [str(d) for d in diagnostics] == [
        "citations.yml:2: error: a rule needs 'cite:' with a citation key or a list of keys",
        "citations.yml:3: error: bad pattern: missing ): ( (patterns are RE2 expressions: "
        "no backreferences, no lookahead or lookbehind)",
        "citations.yml:5: error: a rule needs either 'phrase:' or 'pattern:' (text)",
        "citations.yml:8: warning: the pattern matches empty text, so it would cite everywhere; "
        "the rule is ignored (make it match at least one character)",
        "citations.yml:10: error: unexpected 'extra' (citations.yml has 'sources:' (a mapping) "
        "and 'rules:' (a list))",
    ]
    assert rules.rules == ()


def test_citeproc_reads_the_named_files_inside_the_sandbox(tmp_path):
    bibliography, _, _ = load(tmp_path, "@misc{k, title = {T}}\n")
    args = Annotations(bibliography=bibliography).pandoc_args()
    assert args[0] == "--citeproc"
    assert args[1] == f"--bibliography={tmp_path / 'references.bib'}"
    assert args[2].endswith("/csl/chicago-author-date.csl")
    assert Annotations().pandoc_args() == []


def test_citation_rules_run_once_per_block_and_unmatched_rules_are_reported(
    project_factory, monkeypatch
):
    """The converter records which rules matched; the book check does not match again."""
    from diaspora_book.annotate import project as project_module
    from diaspora_book.build import convert_book
    from diaspora_book.project.config import load_project

    calls: list[str] = []
    real = project_module.cites_in

    def counting(text, slug, rules, used):
        calls.append(text)
        return real(text, slug, rules, used)

    monkeypatch.setattr(project_module, "cites_in", counting)
    root = project_factory(
        {"a.txt": "= A =\n\nThe 2009 census counted them.\n\nA second paragraph.\n\n- an item\n"}
    )
    (root / "references.bib").write_text(
        "@misc{census, title = {Census}}\n@misc{a, title = {A}}\n", encoding="utf-8"
    )
    (root / "citations.yml").write_text(
        "rules:\n  - phrase: 2009 census\n    cite: census\n  - phrase: never said\n    cite: census\n",
        encoding="utf-8",
    )
    diagnostics = Diagnostics()
    book = convert_book(load_project(root), diagnostics)
    assert len(calls) == 3  # two paragraphs and a list item, each once
    assert book.chapters[0].cite_rules == (0,)
    assert [str(d) for d in diagnostics] == [
        "citations.yml:4: warning: this citation rule matches no text"
    ]


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (
            "(a)\\\\1",
            "citations.yml:2: error: bad pattern: invalid escape sequence: \\1 (patterns are RE2 "
            "expressions: no backreferences, no lookahead or lookbehind)",
        ),
        (
            "(?=a)b",
            "citations.yml:2: error: bad pattern: invalid perl operator: (?= (patterns are RE2 "
            "expressions: no backreferences, no lookahead or lookbehind)",
        ),
        (
            "\\\\pL{1000}",
            "citations.yml:2: error: bad pattern: pattern too large - compile failed (patterns are RE2 "
            "expressions: no backreferences, no lookahead or lookbehind)",
        ),
        (
            "\\\\b",
            "citations.yml:2: warning: the pattern matches empty text, so it would cite everywhere; "
            "the rule is ignored (make it match at least one character)",
        ),
    ],
)
def test_patterns_re2_cannot_run_are_reported_at_their_line(tmp_path, pattern, message):
    _, rules, diagnostics = load(tmp_path, rules=f'rules:\n  - pattern: "{pattern}"\n    cite: k\n')
    assert [str(d) for d in diagnostics] == [message]
    assert rules.rules == ()


def test_a_catastrophic_pattern_runs_in_linear_time(tmp_path):
    # With Python's backtracking engine, '(a+)+$' against 40 a's and a '!' runs for
    # hours (the time doubles with each a); RE2 answers at once. No timing is
    # asserted: a hang would stop the suite, and the answers must be right.
    _, rules, diagnostics = load(tmp_path, rules="rules:\n  - pattern: '(a+)+$'\n    cite: k\n")
    assert not diagnostics.items
    used: set[int] = set()
    assert cites_in("a" * 40 + "!", "x", rules, used) == []
    assert [c.position for c in cites_in("b " + "a" * 40, "x", rules, used)] == [42]
    assert used == {0}


def test_string_abbreviations_defined_through_themselves_are_warnings(tmp_path):
    bib = (
        '@string{a = b}\n@string{b = a}\n@string{c = c # " x"}\n@string{d = "fine"}\n'
        '@string{e = d # " too"}\n@misc{k, title = a, author = c, year = 2000}\n'
    )
    _, _, diagnostics = load(tmp_path, bib)
    assert [str(d) for d in diagnostics] == [
        "references.bib:1: warning: @string 'a' is defined through itself (a -> b -> a) "
        "(give it a value of its own)",
        "references.bib:3: warning: @string 'c' is defined through itself (c -> c) "
        "(give it a value of its own)",
    ]
