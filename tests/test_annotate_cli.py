"""check, build --strict and the suggest commands on annotated projects."""

import pytest
import yaml

from diaspora_book.build import BuildFailed, BuildRequest, build
from diaspora_book.cli import main
from diaspora_book.project.config import load_project

ARTICLE = (
    "= Herders =\n\n"
    'The earliest, the yärlik ("locals"), live near Almaty, according to the 2009 census.\n'
)
GLOSSARY = "- term: yärlik\n  gloss: locals\n- term: kolkhoz\n  gloss: collective farm\n"
BIB = "@misc{herders, title = {Herders}}\n\n@misc{census, title = {Census}}\n"
RULES = "rules:\n  - phrase: according to the 2009 census\n    cite: census\n"


def run(capsys, *args):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def project(project_factory, **files):
    root = project_factory({"herders.txt": ARTICLE})
    for name, text in files.items():
        (root / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return root


def test_check_reports_each_annotation_problem_at_its_line(project_factory, capsys):
    root = project(
        project_factory,
        glossary_yml="- term: kolkhoz\n  gloss: collective farm\n",
        references_bib=BIB + "\n@misc{census, title = {Again}}\n",
        citations_yml=RULES + "  - phrase: Almaty\n    cite: nowhere\n",
    )
    code, _, err = run(capsys, "check", "--project", root)
    assert code == 1
    assert err.splitlines() == [
        "references.bib:5: error: duplicate key 'census' (first on line 3)",
        "glossary.yml:1: warning: glossary term 'kolkhoz' is never used",
        "citations.yml:4: error: unknown citation key 'nowhere' (add it to references.bib)",
        # The glossary candidates, a review list, end the report.
        "articles/herders.txt:3:19: note: 'yärlik' is defined here but is not in glossary.yml"
        " (run 'diaspora-book glossary suggest' to add it for review) [glossary-candidate]",
    ]


def test_a_clean_annotated_project_checks_and_builds_strictly(project_factory, capsys):
    root = project(
        project_factory,
        glossary_yml="- term: yärlik\n  gloss: locals\n  language: ug-Latn\n",
        index_yml="- term: Almaty\n  kind: place\n",
        references_bib=BIB,
        citations_yml=RULES,
    )
    assert run(capsys, "convert", "--project", root)[0] == 0
    chapter = (root / "chapters" / "01-herders.md").read_text(encoding="utf-8")
    assert (
        "The earliest, the [yärlik](#glossary-yarlik){#herders--yarlik-1 .glossref lang=ug-Latn}"
        ' ("locals"), live near [Almaty]{#herders--almaty-1 .indexed}, according to the 2009'
        " census [@census].\n\n::: {.source-note}\nSource: @herders.\n:::\n"
    ) in chapter
    assert run(capsys, "check", "--project", root) == (0, "", "")
    report = build(load_project(root), BuildRequest(formats=("epub",), strict=True))
    assert report.outputs[0].is_file()


def test_build_strict_fails_on_an_unused_glossary_term(project_factory):
    root = project(project_factory, glossary_yml=GLOSSARY)
    with pytest.raises(BuildFailed) as failed:
        build(load_project(root), BuildRequest(formats=("epub",), strict=True))
    assert [str(d) for d in failed.value.diagnostics] == [
        "glossary.yml:3: error: glossary term 'kolkhoz' is never used"
    ]


def test_glossary_suggest_appends_candidates_once(project_factory, capsys):
    root = project(project_factory, glossary_yml="# curated by hand\n- term: kolkhoz\n")
    code, out, _ = run(capsys, "glossary", "suggest", "--project", root)
    assert (code, out) == (
        0,
        "articles/herders.txt:3:19: 'yärlik' (\"locals\")\nglossary.yml: added 1 candidate\n",
    )
    assert (root / "glossary.yml").read_text(encoding="utf-8") == (
        "# curated by hand\n- term: kolkhoz\n\n"
        '# articles/herders.txt:3:19: yärlik ("locals")\n'
        "- term: yärlik\n  gloss: locals\n  definition: ''\n  language: ''\n"
        "  chapter: herders\n  status: candidate\n"
    )
    assert run(capsys, "glossary", "suggest", "--project", root)[1] == "glossary.yml: nothing new\n"
    code, _, err = run(capsys, "check", "--project", root)
    assert "glossary.yml:5: warning: glossary candidate 'yärlik' awaits review" in err


@pytest.mark.parametrize("command", ["glossary", "index"])
def test_suggest_appends_before_an_end_of_document_marker(project_factory, capsys, command):
    # Issue #15, defect 4: entries appended after `...` made the file unreadable.
    name = f"{command}.yml"
    text = "# curated\n- term: kolkhoz\n...\n# kept after the marker\n"
    root = project(project_factory, **{name.replace(".", "_"): text})
    code, out, err = run(capsys, command, "suggest", "--project", root)
    assert code == 0, err
    written = (root / name).read_text(encoding="utf-8")
    assert written.startswith("# curated\n- term: kolkhoz\n\n# articles/herders.txt:3:")
    assert written.endswith("...\n# kept after the marker\n")
    terms = [entry["term"] for entry in yaml.safe_load(written)]
    assert terms == ["kolkhoz", "yärlik" if command == "glossary" else "Almaty"]


def test_suggest_into_a_file_that_is_not_a_list_names_its_line(project_factory, capsys):
    root = project(project_factory, glossary_yml="# notes\nterms: {}\n")
    code, _, err = run(capsys, "glossary", "suggest", "--project", root)
    assert code == 1
    assert "glossary.yml:2: error:" in err and "Traceback" not in err
    assert (root / "glossary.yml").read_text(encoding="utf-8") == "# notes\nterms: {}\n"


def test_index_suggest_seeds_proper_nouns(project_factory, capsys):
    root = project(project_factory)
    code, out, _ = run(capsys, "index", "suggest", "--project", root)
    assert (code, out) == (0, "articles/herders.txt:3:48: 'Almaty'\nindex.yml: added 1 entry\n")
    assert (
        (root / "index.yml")
        .read_text(encoding="utf-8")
        .endswith("\n# articles/herders.txt:3:48\n- term: Almaty\n")
    )


def test_suggest_commands_have_help(capsys):
    for command in ("glossary", "index"):
        with pytest.raises(SystemExit) as raised:
            main([command, "suggest", "--help"])
        assert raised.value.code == 0
        assert "--project" in capsys.readouterr().out


def test_a_missing_csl_style_is_a_book_yml_error(project_factory, capsys):
    root = project(project_factory, book_yml="title: T\ncsl: styles/apa.csl\n")
    code, _, err = run(capsys, "check", "--project", root)
    assert (code, err) == (
        1,
        "book.yml:2: error: the citation style styles/apa.csl does not exist (give a path "
        "relative to the project, or leave 'csl' out for the packaged Chicago author-date)\n",
    )


@pytest.mark.parametrize("name", ["glossary.yml", "index.yml", "citations.yml"])
def test_a_yaml_syntax_error_names_its_file_and_line(project_factory, capsys, name):
    """One message for every YAML file of the project, as book.yml's."""
    root = project(project_factory, **{name.replace(".", "_"): "- term: [unclosed\n"})
    code, _, err = run(capsys, "check", "--project", root)
    assert code == 1
    assert f"{name}:2: error: cannot read {name}: expected ',' or ']'" in err
