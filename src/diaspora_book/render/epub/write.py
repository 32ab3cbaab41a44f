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

from diaspora_book.assemble.manuscript import Manuscript
from diaspora_book.languages.book_language import direction_of
from diaspora_book.languages.labels import Labels, book_labels
from diaspora_book.model import Pagination
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.plumbing.outputs import replacing
from diaspora_book.plumbing.strict_text import display_path
from diaspora_book.project.config import Project
from diaspora_book.project.fonts import font_css
from diaspora_book.project.media import embed_media
from diaspora_book.project.stylesheets import stylesheets
from diaspora_book.render import html as pandoc
from diaspora_book.render.epub import accessibility
from diaspora_book.render.epub.accessibility import Verified, verify
from diaspora_book.render.epub.archive import NS, OPF, EpubArchive, h
from diaspora_book.render.epub.contained_css import contained_css
from diaspora_book.render.epub.cover import Cover, book_cover
from diaspora_book.render.epub.fonts import (
    EmbeddedFont,
    EmbeddedFonts,
    SubsetCache,
    embed_fonts,
    font_face_css,
)
from diaspora_book.render.epub.kept_text import KeptText
from diaspora_book.render.epub.nav import find_landmarks, write_navigation
from diaspora_book.render.epub.package import (
    PrintSource,
    add_article_sources,
    add_cover_to_spine,
    foreign_languages,
    put_contents_after_copyright,
    write_metadata,
)
from diaspora_book.render.epub.pages import mark_print_pages, unwrap_block_ids
from diaspora_book.render.epub.semantics import add_semantics, epub_types
from diaspora_book.render.kept_ast import KeptAst, ReadPieces

STYLESHEET = "styles/stylesheet1.css"  # pandoc's, inside the content folder


@dataclass
class DraftEpub:
    """An EPUB finished except for what needs the print edition's pages."""

    archive: EpubArchive
    fonts: tuple[EmbeddedFont, ...]  # embedded for the foreign-script runs
    verified: Verified  # the accessibility checks, run on the finished text


def write_epub(
    project: Project,
    manuscript: Manuscript,
    target: Path,
    print_edition: Pagination | None,
    diagnostics: Diagnostics,
    subsets: SubsetCache | None = None,
    kept: KeptAst | None = None,
) -> Path:
    """Render `manuscript` to the EPUB 3 file `target`, paginated like `print_edition`."""
    draft = draft_epub(project, manuscript, diagnostics, subsets, kept)
    return complete_epub(draft, project, manuscript, print_edition, target)


def draft_epub(
    project: Project,
    manuscript: Manuscript,
    diagnostics: Diagnostics,
    subsets: SubsetCache | None = None,
    kept: KeptAst | None = None,
) -> DraftEpub:
    """Run pandoc and every finishing step that does not need the print edition's pages.

    The print edition's layout is the slow part of a build; this half of the EPUB
    can run beside it (see `beside`). With `kept`, pandoc's reading of the chapters
    that did not change is taken from an earlier build (`kept_ast`).
    """
    with tempfile.TemporaryDirectory(prefix="diaspora-book-") as tmp:
        raw = pandoc_epub(project, manuscript, Path(tmp) / "pandoc.epub", kept)
        archive = EpubArchive(raw)
    fonts = finish_text(archive, project, diagnostics, subsets)
    verified = verify(archive, project, fonts.missing)
    if not verified.conforms:
        diagnostics.warn(
            None,
            "the EPUB claims no conformance to EPUB Accessibility 1.1 / WCAG 2.1 AA: "
            + "; ".join(verified.failures),
        )
    return DraftEpub(archive, fonts.fonts, verified)


@dataclass(frozen=True)
class EpubArgs:
    """pandoc's arguments for an EPUB, as one run takes them or as reading and writing."""

    epub: tuple[str, ...]  # the EPUB writer's own (split level, contents)
    metadata: tuple[str, ...]  # `--metadata`: the language, which `cjk_runs.lua` reads
    citeproc: tuple[str, ...]  # the manuscript's (citeproc with its bibliography), or none

    def whole(self, markdown: str) -> list[str]:
        """One run over the whole manuscript."""
        return [
            *pandoc.lua_filter_args(markdown),
            *self.epub,
            *self.metadata,
            *self.citeproc,
            *pandoc.last_filter_args(),
        ]

    def reading(self, markdown: str) -> list[str]:
        """Reading a piece: the filters before citeproc, and after it when there is none
        (then the filters run in the same order as in one run)."""
        if self.citeproc:
            return pandoc.lua_filter_args(markdown)
        return [*pandoc.lua_filter_args(markdown), *self.metadata, *pandoc.last_filter_args()]

    def writing(self) -> list[str]:
        """Writing the joined document: citeproc and the filters after it, if any."""
        return [*self.epub, *self.metadata, *self.citeproc, *self._after_citeproc()]

    def _after_citeproc(self) -> list[str]:
        return pandoc.last_filter_args() if self.citeproc else []


def pandoc_epub(
    project: Project, manuscript: Manuscript, target: Path, kept: KeptAst | None = None
) -> Path:
    """Write pandoc's EPUB of `manuscript` (the text, contents and package) to `target`."""
    args = EpubArgs(
        (
            "--split-level=1",
            "--toc",
            "--toc-depth=2",
            "--epub-title-page=true",
            f"--metadata=toc-title:{book_labels(project.config).text('contents')}",
            "--mathml",
        ),
        tuple(pandoc.metadata_args(manuscript.metadata)),
        manuscript.pandoc_args,
    )
    markdown = embed_media(manuscript.markdown, project.root)
    read = kept.read(markdown, manuscript.chapter_ids, args.reading) if kept else None
    if read is None:
        pandoc.convert(markdown, "epub3", args.whole(markdown), outputfile=target)
    elif isinstance(read, ReadPieces) and not args.citeproc and kept is not None:
        # Written piece by piece: the files of the pieces that did not change are kept.
        KeptText(kept.directory.parent / "epub-text", kept.texts.reuse).write(
            read, args.writing(), target
        )
    else:
        document = read.document() if isinstance(read, ReadPieces) else read
        pandoc.convert(document, "epub3", args.writing(), outputfile=target, source="json")
    return target


def complete_epub(
    draft: DraftEpub,
    project: Project,
    manuscript: Manuscript,
    print_edition: Pagination | None,
    target: Path,
) -> Path:
    """Add the print edition's pages, navigation and metadata to `draft`; save it as `target`."""
    source = _print_source(project, manuscript, print_edition)
    finish_pages(draft, project, source)
    add_article_sources(draft.archive, manuscript.article_sources)
    with replacing(target) as scratch:
        draft.archive.save(scratch)
    return target


def _print_source(
    project: Project, manuscript: Manuscript, print_edition: Pagination | None
) -> PrintSource | None:
    if print_edition is None:
        return None
    config = project.config
    pages = print_edition.page_count
    description = book_labels(config).text(
        "print_edition",
        title=config.title,
        size=config.page_size,
        date=manuscript.description.date,
        count=pages,
    )
    return PrintSource(description, print_edition)


def finish_text(
    archive: EpubArchive,
    project: Project,
    diagnostics: Diagnostics,
    subsets: SubsetCache | None = None,
) -> EmbeddedFonts:
    """Turn pandoc's EPUB into the book's, but for the print pages; return the fonts embedded.

    Every step edits `archive` in place. The page markers added later carry no text,
    so the fonts subset here already cover everything, and the accessibility checks
    see the finished text.
    """
    language = project.config.language
    labels = book_labels(project.config)
    unwrap_block_ids(archive)
    # A cover drawn is kept beside the font subsets: the same cache, the same --no-cache.
    kept = subsets.directory.parent / "cover" if subsets is not None else None
    reuse = subsets.reuse if subsets is not None else True
    _add_cover(archive, book_cover(project, kept, reuse), language, labels)
    add_semantics(archive, language)
    put_contents_after_copyright(archive, _copyright_page(archive))
    fonts = embed_fonts(archive, diagnostics, subsets)
    stylesheet = f"{archive.content_dir()}/{STYLESHEET}"
    archive.read(stylesheet)  # fails clearly if pandoc no longer writes it there
    own = [
        contained_css(
            path.read_text(encoding="utf-8"), display_path(path, project.root), diagnostics
        )
        for path in stylesheets(project, "epub")
    ]
    css = font_face_css(archive, stylesheet, fonts.fonts) + "\n".join([font_css(), *own])
    archive.write(stylesheet, css.encode("utf-8"))
    return fonts


def finish_pages(draft: DraftEpub, project: Project, source: PrintSource | None) -> None:
    """Add the print edition's page markers and page list, the landmarks and the metadata."""
    archive, language = draft.archive, project.config.language
    labels = book_labels(project.config)
    pages = mark_print_pages(archive, source.pagination) if source else []
    write_navigation(archive, find_landmarks(archive, labels), pages, labels)
    page_count = source.pagination.page_count if source else None
    languages = foreign_languages(archive, language)
    summary = accessibility.summary(
        archive, draft.verified, page_count, bool(draft.fonts), languages, labels
    )
    write_metadata(
        archive,
        source,
        accessibility.features(archive, has_page_list=bool(pages)),
        summary,
        ["textual", "visual"] if accessibility.has_images(archive) else ["textual"],
        accessibility.CONFORMS_TO if draft.verified.conforms else "",
    )


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
