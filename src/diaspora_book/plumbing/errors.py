"""Errors and diagnostics that point at the source.

Content problems are `Diagnostic`s, collected and all shown, in the format editors
and CI annotators parse: `articles/x.txt:42:7: warning: message`. Broken input that
stops a stage raises `BookError`, whose text has the same prefix; the CLI prints it
as one line and exits 1.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from diaspora_book.model import SourceSpan

# A note tells what was done and needs nothing done (a skipped talk page of an export).
Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    span: SourceSpan | None
    message: str
    hint: str = ""
    code: str = ""  # a lint rule's name, e.g. "removed-template"; book.yml `accept:` uses it

    def __str__(self) -> str:
        where = f"{self.span}: " if self.span else ""
        text = f"{where}{self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        if self.code:
            text += f" [{self.code}]"
        return text

    def to_json(self) -> dict:
        """Return the diagnostic as plain data for `check --format json`."""
        return {
            "severity": self.severity,
            "path": self.span.path if self.span else None,
            "line": self.span.line if self.span else None,
            "column": self.span.column if self.span else None,
            "message": self.message,
            "hint": self.hint,
            "code": self.code,
        }


def diagnostic_from_json(data: dict) -> Diagnostic:
    """Rebuild a Diagnostic written by `Diagnostic.to_json` (the build cache stores them)."""
    span = SourceSpan(data["path"], data["line"], data["column"]) if data["path"] else None
    return Diagnostic(data["severity"], span, data["message"], data["hint"], data["code"])


class BookError(Exception):
    """A problem with the user's input or setup that stops the build."""

    def __init__(self, message: str, span: SourceSpan | None = None, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.span = span
        self.hint = hint

    def __str__(self) -> str:
        return str(Diagnostic("error", self.span, self.message, self.hint))

    def __reduce__(self):
        """Pickle with the span and hint (a worker process hands the error to the build)."""
        return (type(self), (self.message, self.span, self.hint))


class ToolError(BookError):
    """pandoc, WeasyPrint or another tool failed, or is missing."""


@dataclass
class Diagnostics:
    """Collects diagnostics from every stage so they can all be reported at the end."""

    items: list[Diagnostic] = field(default_factory=list)

    def warn(self, span: SourceSpan | None, message: str, hint: str = "", code: str = "") -> None:
        self.items.append(Diagnostic("warning", span, message, hint, code))

    def note(self, span: SourceSpan | None, message: str, hint: str = "", code: str = "") -> None:
        self.items.append(Diagnostic("note", span, message, hint, code))

    def error(self, span: SourceSpan | None, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic("error", span, message, hint))

    def extend(self, other: Diagnostics) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self):
        return iter(self.items)


def did_you_mean(name: str, known: Iterable[str], otherwise: str) -> str:
    """A hint for a misspelt `name`: the closest of `known`, else `otherwise`."""
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f"did you mean '{close[0]}'?" if close else otherwise
