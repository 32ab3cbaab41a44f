"""Join the PDFs of a book's parts into the book's one PDF.

Each part (front matter, runs of chapters, back matter; see `cut`) is a
complete tagged PDF written by WeasyPrint. Joining keeps everything a reader or a
screen reader uses:

- pages in order, each with its annotations;
- one structure tree: the parts' top-level elements under one Document element,
  and the parent tree renumbered (each part numbers its pages and links from 0);
- one set of named destinations, so a link into another part (a contents entry,
  a citation, a Glossary page number) resolves;
- one outline (bookmarks), the parts' top-level items chained in order.

The first part's catalog is kept (language, metadata, viewer preferences) and so is
its Info dictionary. Each part embeds its own subset of every face it uses; the
subsets of a face are merged into one (`subsets`), so the book names each face once.
The joined book is finished (`Finishing`) before it is saved: the book of 200
articles is saved once, not saved, opened and saved again (0.3 s).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

import pikepdf
from pikepdf import Array, Dictionary, Name

from diaspora_book.plumbing.kept import KeptFiles
from diaspora_book.render.pdf.finish import Finishing, pdf_date
from diaspora_book.render.pdf.parts.subsets import merge_font_subsets
from diaspora_book.render.pdf.structure import parent_tree_entries


def splice(
    parts: Sequence[Path | BinaryIO],
    target: Path,
    finishing: Finishing,
    kept: KeptFiles | None = None,
    created: str | None = None,
) -> int:
    """Join the PDFs `parts` (files, or PDFs in memory; in reading order) into `target`,
    finished with `finishing`; return the blank pages finishing added.

    `kept`: the merged font programs of earlier builds (`subsets.merge_font_subsets`).
    `created`: this build's date for the Info dictionary, which is the first part's:
    a part kept from an earlier build carries that build's date, and a book's every
    rebuild would otherwise lay out its front matter again.
    """
    with pikepdf.open(parts[0]) as book:
        if created is not None:
            for key in (Name.CreationDate, Name.ModDate):
                if key in book.docinfo:
                    book.docinfo[key] = pikepdf.String(pdf_date(created))
        joined = _Joined(book)
        for path in parts[1:]:
            with pikepdf.open(path) as part:
                joined.append(part)
        joined.finish()
        merge_font_subsets(book, kept)
        if kept is not None:
            kept.keep_only_used()
        data, added = finishing.saved(book)
    target.write_bytes(data)
    return added


class _Joined:
    """The first part, growing as later parts are appended."""

    def __init__(self, book: pikepdf.Pdf):
        self.book = book
        root = book.Root.get("/StructTreeRoot")
        self.document = _document_element(root) if isinstance(root, Dictionary) else None
        self.parent_tree = parent_tree_entries(root) if isinstance(root, Dictionary) else {}
        self.next_key = max(self.parent_tree, default=-1) + 1
        self.names = _destinations(book)
        self.outline: list[Any] = _outline_items(book)
        self.outline_count = int(book.Root.get("/Outlines", Dictionary()).get("/Count", 0))

    def append(self, part: pikepdf.Pdf) -> None:
        book, base = self.book, self.next_key
        first_page = len(book.pages)
        with warnings.catch_warnings():  # named destinations are joined below
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            book.pages.extend(part.pages)
        for page in book.pages[first_page:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + base
            for annotation in page.obj.get("/Annots", Array()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + base
        root = part.Root.get("/StructTreeRoot")
        if isinstance(root, Dictionary) and self.document is not None:
            document = _document_element(root)
            kids = document.get("/K", Array())
            for copied in _copied(book, part, list(kids if isinstance(kids, Array) else [kids])):
                if isinstance(copied, Dictionary):
                    copied.P = self.document
                self.document.K.append(copied)
            entries = parent_tree_entries(root)
            values = _copied(book, part, list(entries.values()))
            for key, value in zip(entries, values, strict=True):
                self.parent_tree[key + base] = value
            self.next_key = max(self.parent_tree, default=-1) + 1
        destinations = _destinations(part)
        copies = _copied(book, part, list(destinations.values()))
        for name, destination in zip(destinations, copies, strict=True):
            self.names.setdefault(name, destination)
        self.outline.extend(book.copy_foreign(item) for item in _outline_items(part))
        self.outline_count += int(part.Root.get("/Outlines", Dictionary()).get("/Count", 0))

    def finish(self) -> None:
        """Write the joined parent tree, destinations and outline into the catalog."""
        book = self.book
        root = book.Root.get("/StructTreeRoot")
        if isinstance(root, Dictionary):
            nums = Array()
            for key in sorted(self.parent_tree):
                nums.append(key)
                nums.append(self.parent_tree[key])
            root.ParentTree = book.make_indirect(Dictionary(Nums=nums))
            root.ParentTreeNextKey = self.next_key
        if self.names:
            names = Array()
            for name in sorted(self.names, key=lambda n: n.encode("utf-8")):
                names.append(pikepdf.String(name))
                names.append(self.names[name])
            book.Root.Names = Dictionary(Dests=book.make_indirect(Dictionary(Names=names)))
        if self.outline:
            outlines = book.make_indirect(Dictionary(Count=self.outline_count))
            for previous, item in zip([None, *self.outline], self.outline, strict=False):
                item.Parent = outlines
                if previous is None:
                    if "/Prev" in item:
                        del item.Prev
                else:
                    item.Prev, previous.Next = previous, item
            if "/Next" in self.outline[-1]:
                del self.outline[-1].Next
            outlines.First, outlines.Last = self.outline[0], self.outline[-1]
            book.Root.Outlines = outlines


def _copied(book: pikepdf.Pdf, part: pikepdf.Pdf, values: list[Any]) -> list[Any]:
    """Return `values` of `part` copied into `book`; objects already copied (pages) are reused.

    Copied in one call (held by an array made indirect for it, which nothing in the book
    refers to): the structure tree of a run of chapters is thousands of objects, and
    copying them one by one from Python was a fifth of joining the book.
    """
    if not values:
        return []
    holder = part.make_indirect(Array(values))
    return list(book.copy_foreign(holder))


def _document_element(root: Dictionary) -> Dictionary:
    """Return the structure tree's Document element (WeasyPrint writes exactly one)."""
    kids = root.get("/K")
    element = kids[0] if isinstance(kids, Array) and len(kids) == 1 else kids
    if not isinstance(element, Dictionary) or element.get("/S") != Name.Document:
        raise pikepdf.PdfError("structure tree without one Document element")
    if not isinstance(element.get("/K"), Array):
        element.K = Array([] if element.get("/K") is None else [element.K])
    return element


def _destinations(pdf: pikepdf.Pdf) -> dict[str, Any]:
    names = pdf.Root.get("/Names")
    if not isinstance(names, Dictionary) or "/Dests" not in names:
        return {}
    return {str(k): v for k, v in pikepdf.NameTree(names.Dests).items()}


def _outline_items(pdf: pikepdf.Pdf) -> list[Dictionary]:
    outlines = pdf.Root.get("/Outlines")
    items: list[Dictionary] = []
    item = outlines.get("/First") if isinstance(outlines, Dictionary) else None
    while isinstance(item, Dictionary):
        items.append(item)
        item = item.get("/Next")
    return items
