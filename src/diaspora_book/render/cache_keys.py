"""The keys the render stages are cached under: what a chapter or a render depends on
besides its own input (shared project files, styles, fonts, the tool itself)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from diaspora_book.annotate.lexicon import lexicon_for
from diaspora_book.plumbing.cache import digest, file_digest, tool_fingerprint
from diaspora_book.project.fonts import installed_fonts_digest
from diaspora_book.project.stylesheets import stylesheets

if TYPE_CHECKING:
    from diaspora_book.assemble.manuscript import Manuscript
    from diaspora_book.project.config import Project


def shared_digest(project: Project) -> str:
    """Hash what every chapter depends on besides its article: the shared project files
    (book.yml, glossary, index, citation rules, bibliography, a project CSL style) and
    the tool itself, and the lexicon that tells the book language's words from terms
    (a Hunspell dictionary installed or removed changes the candidates)."""
    csl = project.root / project.config.csl if project.config.csl else None
    files = [*project.shared_inputs(), *([csl] if csl and csl.is_file() else [])]
    lexicon = lexicon_for(project.config.language).kind
    return digest(*(file_digest(p) for p in files), tool_fingerprint(), lexicon)


def render_key(project: Project, manuscript: Manuscript, shared: str) -> str:
    """Hash everything a render reads: manuscript, metadata, styles, fonts, tools.

    `shared` is `shared_digest(project)`, computed once per build: citeproc reads the
    bibliography and the CSL style. The caller adds what else the render depends on
    (its output path, the print edition's pages).
    """
    return digest(
        manuscript.format,
        manuscript.markdown,
        json.dumps(manuscript.metadata, sort_keys=True, ensure_ascii=False),
        *(file_digest(path) for path in stylesheets(project, manuscript.format)),
        installed_fonts_digest(),
        shared,
        # citeproc's inputs besides the project's files: the generated bibliography and
        # `nocite` list (their names carry hashes of their text)
        *manuscript.pandoc_args,
    )
