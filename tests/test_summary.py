"""Warnings a user can act on: long lists of one kind printed as one line each."""

from __future__ import annotations

import json

from diaspora_book.cli import main
from diaspora_book.model import SourceSpan
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.plumbing.summary import summarised

ARTICLE = (
    "The ''yärlik'', the ''shanyrak'' and the ''dastarkhan'' {{Foo}} {{Bar|x}}.\n\n"
    "[[File:One.jpg|thumb|First]]\n[[File:Two.jpg|thumb|Second]]\n"
    "<gallery>\nThree.png|Third\n</gallery>\n"
)


def _project(project_factory):
    other = ARTICLE.replace("{{Bar|x}}", "{{Baz}}").replace("yärlik", "kymyz")
    other = other.replace("shanyrak", "zhailau").replace("dastarkhan", "beshbarmak")
    return project_factory({"A.wiki": ARTICLE, "B.wiki": other})


def test_each_kind_is_one_line_per_article_or_per_book(project_factory, capsys):
    root = _project(project_factory)
    assert main(["--project", str(root), "convert"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if line.startswith("articles/A.wiki") and "[g" in line] == [
        "articles/A.wiki:1:7: note: 3 glossary candidates (terms not in glossary.yml): "
        "yärlik, shanyrak, dastarkhan (run 'diaspora-book glossary suggest' to add them for "
        "review; --verbose lists each) [glossary-candidate]",
    ]
    assert [line for line in err if line.startswith("articles/A.wiki") and "[m" in line] == [
        "articles/A.wiki:3: warning: 3 images are not in media/: 'One.jpg', 'Two.jpg', 'Three.png'; "
        "their captions are printed as text (add them to media/ to show the figures; "
        "--verbose lists where each is) [missing-media]",
    ]
    templates = [line for line in err if "templates" in line]
    assert templates == [
        "articles/A.wiki:1:57: warning: 3 templates are not interpreted and were dropped: "
        "{{foo}}, {{bar}}, {{baz}} (map them in book.yml 'templates:' (drop, text or a "
        "format); 'diaspora-book check' lists each with its uses) [unknown-template]"
    ]
    sources = [line for line in err if "[unknown-source]" in line]
    assert sources == [
        "articles/A.wiki:1: warning: the sources of 2 articles are unknown; their licence "
        "requires naming each and its contributors: A.wiki, B.wiki (add each under 'sources:' "
        "in book.yml: NAME.wiki: title, url, revision, date, contributors) [unknown-source]"
    ]
    # 1 warning per article (its images), 2 per book; the candidates are notes to review
    assert len([line for line in err if ": warning: " in line]) == 4
    assert len([line for line in err if ": note: " in line]) == 2


def test_damaged_text_is_one_line_per_rule_and_article_in_build_and_each_place_in_check(
    project_factory, capsys
):
    root = project_factory({"A.wiki": "One, , two.\n\nThree () four.\n\nFive, , six ( )."})
    assert main(["--project", str(root), "convert"]) == 0
    err = capsys.readouterr().err
    assert (
        "articles/A.wiki:1:4: warning: 2 places look like a removed template: line 1, line 5 "
        "(read them with --verbose; fix the article, or accept the rule for this file in "
        "book.yml 'accept:') [removed-template]"
    ) in err
    assert err.count("[empty-parentheses]") == 1
    assert main(["--project", str(root), "check"]) == 1
    err = capsys.readouterr().err
    assert err.count("[removed-template]") == 2 and err.count("[empty-parentheses]") == 2


def test_verbose_and_json_list_every_warning_and_check_every_template(project_factory, capsys):
    root = _project(project_factory)
    assert main(["--project", str(root), "--quiet", "convert"]) == 0
    capsys.readouterr()
    assert main(["--project", str(root), "--verbose", "check"]) == 1
    verbose = capsys.readouterr().err
    assert verbose.count("but is not in glossary.yml") == 6
    assert verbose.count("is not in media/; its caption is printed as text") == 6
    assert main(["--project", str(root), "check"]) == 1
    err = capsys.readouterr().err
    assert err.count("[glossary-candidate]") == 2 and err.count("[missing-media]") == 2
    assert err.count("is not interpreted (") == 3  # check keeps one line per template
    assert main(["--project", str(root), "check", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    codes = [d["code"] for d in report["diagnostics"]]
    assert codes.count("glossary-candidate") == 6 and codes.count("missing-media") == 6


def test_a_group_of_one_prints_as_it_is_and_errors_are_never_grouped():
    found = Diagnostics()
    found.warn(SourceSpan("a.wiki", 3), "image 'X.jpg' is not in media/", code="missing-media")
    found.error(SourceSpan("a.wiki", 4), "broken")
    found.error(SourceSpan("a.wiki", 5), "broken too")
    assert [str(d) for d in summarised(found)] == [str(d) for d in found]


def test_the_same_warning_again_in_one_article_is_one_line_with_its_places():
    found = Diagnostics()
    for line in (3, 9, 12):
        found.warn(SourceSpan("a.wiki", line, 4), "this <ref> holds no text; it is dropped")
    found.warn(SourceSpan("b.wiki", 2), "this <ref> holds no text; it is dropped")
    found.warn(SourceSpan("a.wiki", 5), '<ref name="x" /> is never defined')
    assert [str(d) for d in summarised(found)] == [
        "a.wiki:3:4: warning: this <ref> holds no text; it is dropped (3 places: line 3, "
        "line 9, line 12) (--verbose lists each)",
        "b.wiki:2: warning: this <ref> holds no text; it is dropped",
        'a.wiki:5: warning: <ref name="x" /> is never defined',
    ]
