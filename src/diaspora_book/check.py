"""`check`: every lint the book has, without rendering anything.

Article parse warnings and damaged-text lints, book.yml `accept:` bookkeeping, stale
chapters, characters no installed font covers, and stylesheets that cannot be read.
It is what CI runs first: quick, and precise about where each problem is.
"""

from __future__ import annotations

from diaspora_book.build import BuildFailed, convert_project
from diaspora_book.chapters.convert import stale_chapters
from diaspora_book.plumbing.errors import BookError, Diagnostics
from diaspora_book.plumbing.strict_text import display_path, read_text
from diaspora_book.project.config import Project
from diaspora_book.project.fonts import check_coverage
from diaspora_book.project.stylesheets import stylesheets


def run_checks(project: Project) -> Diagnostics:
    """Return every problem found in the project (errors and warnings)."""
    diagnostics = Diagnostics()
    try:
        chapters = convert_project(project, diagnostics)
    except BuildFailed:
        chapters = None  # the diagnostics say why; chapters cannot be compared
    if chapters is not None:
        diagnostics.items.extend(stale_chapters(chapters, project.chapters_dir, "chapters"))
    texts: dict[str, str] = {}
    for path in project.articles():
        shown = display_path(path, project.root)
        try:
            texts[shown] = read_text(path, shown)
        except BookError:
            continue  # already reported by convert_project
    check_coverage(texts, diagnostics)
    try:  # the project's stylesheets: inside the project and UTF-8
        for fmt in ("pdf", "epub"):
            stylesheets(project, fmt)
    except BookError as exc:
        diagnostics.error(exc.span, exc.message, exc.hint)
    return diagnostics
