"""Find the stylesheets: the package's defaults, each replaceable by the project's own.

Layers: `base.css` (shared by print and e-book, so both look like one book), then
`print.css` for the PDF or `epub.css` for the EPUB, then (a right-to-left book)
`print-rtl.css` and `rtl.css`, then the project's optional `book.css` on top. A
file in the project's `styles/` replaces the package file of the same name.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from diaspora_book.plumbing.strict_text import read_text
from diaspora_book.project.config import Project
from diaspora_book.project.own_files import own_file, shown_path

LAYERS = {
    "pdf": ("base.css", "print.css"),
    "epub": ("base.css", "epub.css"),
    "handout": ("base.css", "print.css", "handout.css"),  # a chapter printed on its own
}
# A right-to-left book's layers: its pages (after print.css), and its text direction
# (after every other packaged layer).
RTL_LAYERS = {
    "pdf": ("base.css", "print.css", "print-rtl.css", "rtl.css"),
    "epub": ("base.css", "epub.css", "rtl.css"),
    "handout": ("base.css", "print.css", "print-rtl.css", "handout.css", "rtl.css"),
}


def package_styles_dir() -> Path:
    return Path(str(resources.files("diaspora_book") / "styles"))


def stylesheets(project: Project, fmt: str) -> list[Path]:
    """Return the stylesheet files for `fmt`, in cascade order.

    The project's own are checked first: inside the project (a link out is an
    error), readable and UTF-8, so that every reader of them can simply read them.
    """
    found: list[Path] = []
    layers = RTL_LAYERS if project.config.book_language.direction == "rtl" else LAYERS
    for name in layers[fmt]:
        own = project.styles_dir / name
        found.append(_checked(project, own) if own.is_file() else package_styles_dir() / name)
    extra = project.styles_dir / "book.css"
    if extra.is_file():
        found.append(_checked(project, extra))
    return found


def _checked(project: Project, path: Path) -> Path:
    own_file(project.root, path)
    read_text(path, shown_path(project.root, path))  # a BookError at the bad byte's line
    return path
