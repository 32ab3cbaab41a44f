"""Render the e-book manuscript to EPUB 3 with pandoc, then finish the package.

pandoc runs in `--sandbox`, where its EPUB writer may not read files such as
stylesheets. So pandoc writes the EPUB with its built-in stylesheet and `finish`
repackages the zip with the book's own stylesheet layers in its place. The zip is
rewritten as EPUB requires (`mimetype` first, stored) and keeps pandoc's entry
timestamps, which follow SOURCE_DATE_EPOCH, so builds stay reproducible.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from diaspora_book.assemble import Manuscript
from diaspora_book.config import Project
from diaspora_book.errors import ToolError
from diaspora_book.render import pandoc
from diaspora_book.stylesheets import stylesheets

STYLESHEET = "EPUB/styles/stylesheet1.css"


def write_epub(project: Project, manuscript: Manuscript, target: Path) -> Path:
    """Render `manuscript` to the EPUB 3 file `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    args = [
        "--split-level=1",
        "--toc",
        "--toc-depth=2",
        "--epub-title-page=true",
        *pandoc.metadata_args(manuscript.metadata),
        *manuscript.pandoc_args,
    ]
    css = "\n".join(path.read_text(encoding="utf-8") for path in stylesheets(project, "epub"))
    with tempfile.TemporaryDirectory(prefix="diaspora-book-") as tmp:
        raw = Path(tmp) / "pandoc.epub"
        pandoc.convert(manuscript.markdown, "epub3", args, outputfile=raw)
        finish(raw, target, {STYLESHEET: css.encode("utf-8")})
    return target


def finish(source: Path, target: Path, replace: dict[str, bytes]) -> None:
    """Copy the EPUB zip `source` to `target`, replacing the contents of named entries."""
    with zipfile.ZipFile(source) as zin:
        names = zin.namelist()
        missing = set(replace) - set(names)
        if missing:
            raise ToolError(f"pandoc's EPUB lacks {', '.join(sorted(missing))}; is pandoc too old?")
        if names[0] != "mimetype":
            raise ToolError("pandoc's EPUB does not start with 'mimetype'")
        with zipfile.ZipFile(target, "w") as zout:
            for info in zin.infolist():
                data = replace.get(info.filename, zin.read(info))
                entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                entry.external_attr = info.external_attr
                entry.compress_type = (
                    zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
                )
                zout.writestr(entry, data)
