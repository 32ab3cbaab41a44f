"""Render the e-book manuscript to EPUB 3 with pandoc, then finish the package.

pandoc runs in `--sandbox`, where its EPUB writer may not read files such as
stylesheets, fonts or a cover image. So pandoc writes the text, the table of
contents and the package, and `finish_epub` does the rest on the unpacked zip:
the book's stylesheet layers, a cover, embedded subset fonts for non-Latin text,
the print edition's page numbers, landmarks, section semantics and accessibility
metadata. The zip is rewritten as EPUB requires (`mimetype` first, stored) with
fixed timestamps, so builds stay reproducible.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from diaspora_book.assemble import Manuscript
from diaspora_book.config import Project
from diaspora_book.errors import Diagnostics
from diaspora_book.labels import Labels, book_labels
from diaspora_book.language import book_script, direction_of
from diaspora_book.outputs import replacing
from diaspora_book.render import pandoc
from diaspora_book.render.block_ids import lua_filter_args
from diaspora_book.render.cover import Cover, book_cover
from diaspora_book.render.epub_archive import NS, OPF, EpubArchive, h
from diaspora_book.render.epub_fonts import EmbeddedFont, embed_fonts, font_face_css
from diaspora_book.render.epub_nav import find_landmarks, write_navigation
from diaspora_book.render.epub_package import (
    PrintSource,
    accessibility_features,
    add_cover_to_spine,
    foreign_languages,
    put_contents_after_copyright,
    write_metadata,
)
from diaspora_book.render.epub_pages import mark_print_pages
from diaspora_book.render.epub_semantics import add_semantics, epub_types
from diaspora_book.render.pdf import RenderedPdf
from diaspora_book.stylesheets import stylesheets

STYLESHEET = "styles/stylesheet1.css"  # pandoc's, inside the content folder


@dataclass
class DraftEpub:
    """An EPUB finished except for what needs the print edition's pages."""

    archive: EpubArchive
    fonts: list[EmbeddedFont]  # embedded for the foreign-script runs


def write_epub(
    project: Project,
    manuscript: Manuscript,
    target: Path,
    print_edition: RenderedPdf | None,
    diagnostics: Diagnostics,
) -> Path:
    """Render `manuscript` to the EPUB 3 file `target`, paginated like `print_edition`."""
    draft = draft_epub(project, manuscript, diagnostics)
    return complete_epub(draft, project, manuscript, print_edition, target)


def draft_epub(project: Project, manuscript: Manuscript, diagnostics: Diagnostics) -> DraftEpub:
    """Run pandoc and every finishing step that does not need the print edition's pages.

    The print edition's layout is the slow part of a build; this half of the EPUB
    can run beside it (see `epub_beside`).
    """
    args = [
        "--split-level=1",
        "--toc",
        "--toc-depth=2",
        "--epub-title-page=true",
        f"--metadata=toc-title:{book_labels(project.config).text('contents')}",
        *lua_filter_args(),
        *pandoc.metadata_args(manuscript.metadata),
        *manuscript.pandoc_args,
    ]
    with tempfile.TemporaryDirectory(prefix="diaspora-book-") as tmp:
        raw = Path(tmp) / "pandoc.epub"
        pandoc.convert(manuscript.markdown, "epub3", args, outputfile=raw)
        archive = EpubArchive(raw)
    return DraftEpub(archive, finish_text(archive, project, diagnostics))


def complete_epub(
    draft: DraftEpub,
    project: Project,
    manuscript: Manuscript,
    print_edition: RenderedPdf | None,
    target: Path,
) -> Path:
    """Add the print edition's pages, navigation and metadata to `draft`; save it as `target`."""
    source = _print_source(project, manuscript, print_edition)
    finish_pages(draft, project, source)
    with replacing(target) as scratch:
        draft.archive.save(scratch)
    return target


def _print_source(
    project: Project, manuscript: Manuscript, print_edition: RenderedPdf | None
) -> PrintSource | None:
    if print_edition is None:
        return None
    config = project.config
    pages = print_edition.page_count
    description = book_labels(config).text(
        "print_edition",
        title=config.title,
        size=config.page_size,
        date=manuscript.metadata["date"],
        count=pages,
    )
    return PrintSource(description, pages, print_edition.anchor_pages)


def finish_text(
    archive: EpubArchive, project: Project, diagnostics: Diagnostics
) -> list[EmbeddedFont]:
    """Turn pandoc's EPUB into the book's, but for the print pages; return the fonts embedded.

    Every step edits `archive` in place. The page markers added later carry no text,
    so the fonts subset here already cover everything.
    """
    language = project.config.language
    labels = book_labels(project.config)
    _add_cover(archive, book_cover(project), language, labels)
    add_semantics(archive, language)
    put_contents_after_copyright(archive, _copyright_page(archive))
    fonts = embed_fonts(archive, diagnostics)
    stylesheet = f"{archive.content_dir()}/{STYLESHEET}"
    archive.read(stylesheet)  # fails clearly if pandoc no longer writes it there
    css = font_face_css(archive, stylesheet, fonts) + "\n".join(
        path.read_text(encoding="utf-8") for path in stylesheets(project, "epub")
    )
    archive.write(stylesheet, css.encode("utf-8"))
    return fonts


def finish_pages(draft: DraftEpub, project: Project, source: PrintSource | None) -> None:
    """Add the print edition's page markers and page list, the landmarks and the metadata."""
    archive, fonts, language = draft.archive, draft.fonts, project.config.language
    labels = book_labels(project.config)
    pages = mark_print_pages(archive, source.anchor_pages, source.page_count) if source else []
    write_navigation(archive, find_landmarks(archive, labels), pages, labels)
    features = accessibility_features(archive, has_page_list=bool(pages))
    modes = ["textual", "visual"] if _has_images(archive) else ["textual"]
    languages = foreign_languages(archive, language)
    summary = accessibility_summary(archive, source, fonts, languages, labels)
    write_metadata(archive, source, features, summary, modes)


def _add_cover(archive: EpubArchive, cover: Cover, language: str, labels: Labels) -> None:
    """Store the cover image and a cover page, first in the reading order."""
    content = archive.content_dir()
    image = f"{content}/media/cover{cover.suffix}"
    page = f"{content}/text/cover.xhtml"
    archive.add_item(image, cover.data, "cover-image", cover.media_type, "cover-image")
    archive.add_item(
        page,
        _cover_page(
            archive.relative(page, image),
            archive.relative(page, f"{content}/{STYLESHEET}"),
            cover.alt,
            language,
            labels,
        ),
        "cover",
        "application/xhtml+xml",
    )
    add_cover_to_spine(archive, page, "cover", labels.text("cover"))
    metadata = archive.opf.find("opf:metadata", NS)
    legacy = metadata.makeelement(f"{{{OPF}}}meta", {"name": "cover", "content": "cover-image"})
    metadata.append(legacy)  # EPUB 2 readers and Kindle conversion find the cover by this


def _cover_page(image: str, css: str, alt: str, language: str, labels: Labels) -> bytes:
    lang = quoteattr(language)
    direction = ' dir="rtl"' if direction_of(language) == "rtl" else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" \
lang={lang} xml:lang={lang}{direction}>
<head>
  <meta charset="utf-8" />
  <title>{escape(labels.text("cover"))}</title>
  <link rel="stylesheet" type="text/css" href={quoteattr(css)} />
</head>
<body epub:type="frontmatter" class="cover-page">
<section epub:type="cover" id="cover">
<img src={quoteattr(image)} alt={quoteattr(alt)} role="doc-cover" />
</section>
</body>
</html>
""".encode()


def _copyright_page(archive: EpubArchive) -> str | None:
    for entry in archive.spine():
        for section in archive.xml(entry).iter(h("section")):
            if "copyright-page" in epub_types(section):
                return entry
    return None


def _has_images(archive: EpubArchive) -> bool:
    return any(next(archive.xml(e).iter(h("img")), None) is not None for e in archive.spine())


def accessibility_summary(
    archive: EpubArchive,
    source: PrintSource | None,
    fonts: list[EmbeddedFont],
    languages: list[str],
    labels: Labels,
) -> str:
    """Describe, in a sentence or five, what a reader with a disability can rely on."""
    parts = [labels.text("a11y_conformance"), labels.text("a11y_navigation")]
    if source is not None:
        parts.append(labels.text("a11y_pages", count=source.page_count))
    if languages:
        names = labels.language_names(languages)
        parts.append(labels.text("a11y_languages", languages=names))
        if fonts:
            parts.append(labels.text("a11y_fonts"))
    images = sum(len(list(archive.xml(e).iter(h("img")))) for e in archive.spine())
    if images == 1 and _has_cover_image(archive):
        parts.append(labels.text("a11y_cover_only"))
    elif images:
        parts.append(labels.text("a11y_images"))
    parts.append(labels.text("a11y_hazards"))
    # Chinese and Japanese sentences end in a full stop that needs no space after it.
    return ("" if book_script(labels.language) in ("han", "kana") else " ").join(parts)


def _has_cover_image(archive: EpubArchive) -> bool:
    return archive.opf.find("opf:manifest/opf:item[@properties='cover-image']", NS) is not None
