"""MediaWiki's parser tests as articles: every `!! wikitext` case, and every `!! article`.

The files (`../shared/wikipedia/parser-tests/*.txt`, MediaWiki's own conformance
suite) are read where they lie, as MediaWiki's TestFileReader reads them: a line
`!! name` opens a section (`!!name` too), `!! end` closes a test and `!! endarticle`
an article. Each case is a small, often hostile article nobody wrote for
diaspora-book.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PARSER_TESTS = REPO.parent / "shared" / "wikipedia" / "parser-tests"

_SECTION = re.compile(r"^!!\s*(\S+)")
# A file name may not hold `/` or NUL; keep names well under the 255 bytes a name may have.
_NOT_IN_NAMES = re.compile(r"[/\x00]")
_MAX_NAME_BYTES = 180


@dataclass(frozen=True)
class Case:
    """One snippet: where it is, its test's title, and its wikitext."""

    file: str
    line: int
    title: str
    wikitext: str


def parser_test_files() -> list[Path]:
    """Return the parser-test files, or skip when ../shared is not there."""
    files = sorted(PARSER_TESTS.glob("*.txt"))
    if not files:
        pytest.skip(f"MediaWiki's parser tests are not in {PARSER_TESTS} (../shared is absent)")
    return files


def read_cases(path: Path) -> list[Case]:
    """Return every `!! wikitext` of a test and every `!! article`'s text in one file.

    The files are UTF-8; a byte that is not is read as U+FFFD, as MediaWiki
    normalises its input.
    """
    lines = path.read_bytes().decode("utf-8", errors="replace").split("\n")
    cases: list[Case] = []
    section: str | None = None
    start = 0
    body: list[str] = []
    sections: dict[str, tuple[int, str]] = {}

    def close() -> None:
        if section is not None:
            sections[section] = (start, "\n".join(body))

    for number, line in enumerate(lines, start=1):
        found = _SECTION.match(line)
        if not found:
            if section is not None:
                body.append(line)
            continue
        close()
        name = found.group(1).lower()
        if name == "end":
            if "wikitext" in sections and "test" in sections:
                at, text = sections["wikitext"]
                cases.append(Case(path.name, at, sections["test"][1].strip(), text))
            sections, section = {}, None
        elif name == "endarticle":
            if "article" in sections and "text" in sections:
                at, text = sections["text"]
                cases.append(Case(path.name, at, sections["article"][1].strip(), text))
            sections, section = {}, None
        else:
            section, start, body = name, number + 1, []
    return cases


# What makes a case no article: nothing but white space, or a control character
# (C0 but tab, line feed and carriage return; DEL; C1), which XML cannot hold. The
# reader refuses both with a one-line error (exit 1), as it should.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def is_article(case: Case) -> bool:
    """Return whether the reader should take the case as an article."""
    return bool(case.wikitext.strip()) and not _CONTROL.search(case.wikitext)


def all_cases() -> list[Case]:
    """Return the cases of every parser-test file (skips when ../shared is absent)."""
    return [case for path in parser_test_files() for case in read_cases(path)]


def file_names(cases: list[Case]) -> list[str]:
    """Return a distinct `.wiki` file name for each case: its title, made a legal name."""
    names: list[str] = []
    taken: set[str] = set()
    for case in cases:
        stem = _NOT_IN_NAMES.sub("_", case.title.split("\n")[0]) or "untitled"
        stem = stem.encode("utf-8")[:_MAX_NAME_BYTES].decode("utf-8", errors="ignore")
        name, n = f"{stem}.wiki", 1
        while name.lower() in taken:
            n += 1
            name = f"{stem} ({n}).wiki"
        taken.add(name.lower())
        names.append(name)
    return names
