"""The bare baseline: the same articles as one Markdown file, rendered by the raw tools.

This is what someone without the pipeline would do: turn the wiki text into Markdown
with a few line rules (no escaping, no language tags, no title page or template),
then `pandoc -s --toc --section-divs --css` to HTML, WeasyPrint to PDF, and `pandoc` to EPUB. It
uses the book's own stylesheet layers, so both sides typeset the same pages with
the same CSS and the comparison measures the pipeline, not a different design
(`--section-divs` gives the `section.level1` that starts each chapter on a new page).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from diaspora_book.project.config import load_project
from diaspora_book.project.stylesheets import stylesheets

_TITLE = re.compile(r"^=\s*(.*?)\s*=$")
_HEADING = re.compile(r"^(==+)\s*(.*?)\s*=+$")
_ITEM = re.compile(r"^[-*]\s+")


def article_markdown(text: str) -> str:
    """Convert one wiki-text article to Markdown with line rules only."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.lower() == "infobox":
            continue
        if heading := _HEADING.match(line):
            out += ["", f"{'#' * len(heading.group(1))} {heading.group(2)}", ""]
        elif title := _TITLE.match(line):
            out += ["", f"# {title.group(1)}", ""]
        elif _ITEM.match(line):
            out.append(line)
        else:
            out += ["", line, ""]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def write_inputs(project_dir: Path, target: Path) -> dict[str, Path]:
    """Write the baseline's inputs (book.md, print.css, epub.css) for a generated project."""
    project = load_project(project_dir)
    target.mkdir(parents=True, exist_ok=True)
    config = project.config
    header = {"title": config.title, "lang": config.language}
    if config.subtitle:
        header["subtitle"] = config.subtitle
    if config.authors:
        header["author"] = list(config.authors)
    front = yaml.safe_dump(header, allow_unicode=True, sort_keys=False).strip()
    chapters = [article_markdown(path.read_text(encoding="utf-8")) for path in project.articles()]
    (target / "book.md").write_text(
        f"---\n{front}\n---\n\n" + "\n".join(chapters), encoding="utf-8"
    )
    for fmt in ("pdf", "epub"):
        css = "\n".join(p.read_text(encoding="utf-8") for p in stylesheets(project, fmt))
        (target / f"{fmt}.css").write_text(css, encoding="utf-8")
    return {
        "markdown": target / "book.md",
        "pdf_css": target / "pdf.css",
        "epub_css": target / "epub.css",
    }
