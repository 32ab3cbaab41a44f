"""Read only the project's own files: a link that leads out of the project is an error.

A book is built from what is in its folder. A symbolic link in it (`styles/book.css`
-> `/etc/passwd`, `articles/zz.txt` -> a file elsewhere) or a path in book.yml that
climbs out (`csl: ../../outside/evil.csl`) would publish a file the author never
meant to, so every input's real path (links followed) must lie inside the project;
otherwise the build stops with an error naming the link. `cover:` and the print
edition's URL fetcher apply the same rule.
"""

from __future__ import annotations

from pathlib import Path

from diaspora_book.model import SourceSpan
from diaspora_book.plumbing.errors import BookError
from diaspora_book.project.config_values import ARTICLE_SUFFIXES

# The project files read by name, besides the articles, styles/ and templates/.
NAMED_INPUTS = ("book.yml", "glossary.yml", "index.yml", "citations.yml", "references.bib")
ESCAPE_HINT = "copy the file into the project; only the project's own files are read"


def inside(root: Path, path: Path) -> bool:
    """Return whether the real path of `path` (links followed) lies inside `root`."""
    real, top = path.resolve(), root.resolve()
    return real == top or top in real.parents


def shown_path(root: Path, path: Path) -> str:
    """Return `path` as the user wrote it, relative to `root` (links not followed)."""
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return str(path)


def own_file(root: Path, path: Path, where: SourceSpan | None = None) -> Path:
    """Return `path` if it is the project's own; raise a BookError naming the link if not."""
    if inside(root, path):
        return path
    shown = shown_path(root, path)
    raise BookError(
        f"{shown} leads outside the project (to {path.resolve()})",
        where or SourceSpan(shown, 1),
        ESCAPE_HINT,
    )


def check_inputs(root: Path) -> None:
    """Raise a BookError for the first input of the project at `root` that leads outside it.

    The inputs are the named files (book.yml, glossary.yml, ...), the articles and
    everything in styles/ and templates/ (a template may include any file there).
    """
    for name in NAMED_INPUTS:
        if (root / name).is_dir():
            raise BookError(
                f"{name} is a folder; the project's {name} must be a file",
                SourceSpan(name, 1),
                f"rename or remove the folder {name}/",
            )
    candidates = [root / name for name in NAMED_INPUTS]
    candidates += sorted(p for p in (root / "articles").glob("*") if p.suffix in ARTICLE_SUFFIXES)
    for folder in ("styles", "templates"):
        if (root / folder).exists():
            candidates.append(root / folder)
            candidates += sorted((root / folder).rglob("*"))
    for path in candidates:
        if path.exists() or path.is_symlink():
            own_file(root, path)
