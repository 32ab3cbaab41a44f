"""An EPUB being finished: the zip's entries in order, its XML documents parsed once.

pandoc writes the EPUB; the finishing steps (cover, fonts, page list, semantics,
package metadata) edit its documents here, and `write` stores the result the way
EPUB requires (`mimetype` first and uncompressed) with fixed timestamps, so the same
input gives the same bytes. It is a small mutable workspace on purpose: the steps
run one after another inside `write_epub` and nothing else sees it.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from diaspora_book.plumbing.errors import ToolError

OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
NCX = "http://www.daisy.org/z3986/2005/ncx/"
CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{OPS}}}type"
NS = {"opf": OPF, "dc": DC, "h": XHTML, "epub": OPS, "ncx": NCX, "c": CONTAINER}

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
# HTML elements that are empty by definition; any other element is written with an
# end tag, so that `<span id="x"></span>` stays harmless to a reader that parses HTML.
_VOID = frozenset(
    f"{{{XHTML}}}{tag}"
    for tag in "area base br col embed hr img input link meta source track wbr".split()
)
_FILE_MODE = 0o100644 << 16  # a regular file, rw-r--r--


def h(tag: str) -> str:
    """Return the namespaced name of an XHTML element."""
    return f"{{{XHTML}}}{tag}"


class EpubArchive:
    """The entries of an EPUB zip, edited by the finishing steps and written once."""

    def __init__(self, path: Path):
        with zipfile.ZipFile(path) as zin:
            names = zin.namelist()
            if not names or names[0] != "mimetype":
                raise ToolError("pandoc's EPUB does not start with 'mimetype'")
            self.date_time = zin.getinfo("mimetype").date_time
            self._data: dict[str, bytes] = {name: zin.read(name) for name in names}
        self._trees: dict[str, etree._Element] = {}
        container = self.xml("META-INF/container.xml")
        self.opf_path: str = container.find(".//c:rootfile", NS).get("full-path")
        self.opf = self.xml(self.opf_path)

    # -- entries -----------------------------------------------------------------

    def names(self) -> list[str]:
        return list(self._data)

    def read(self, name: str) -> bytes:
        if name in self._trees:
            return _serialise(self._trees[name], name)
        if name not in self._data:
            raise ToolError(f"pandoc's EPUB lacks {name}; is pandoc too old?")
        return self._data[name]

    def write(self, name: str, data: bytes) -> None:
        """Add or replace the entry `name` (a path inside the zip)."""
        self._trees.pop(name, None)
        self._data[name] = data

    def xml(self, name: str) -> etree._Element:
        """Return the parsed root of the XML entry `name`; edits are kept."""
        if name not in self._trees:
            data = self.read(name)
            if name.endswith(".opf") and b"opf:" not in data.replace(b"xmlns:opf=", b""):
                # pandoc declares the OPF namespace twice (default and `opf:`); with
                # both in scope lxml would write every new element as `opf:meta`.
                data = data.replace(b' xmlns:opf="http://www.idpf.org/2007/opf"', b"")
            self._trees[name] = etree.fromstring(data, _PARSER)
        return self._trees[name]

    # -- the package document ------------------------------------------------------

    def content_dir(self) -> str:
        """Return the folder of the package document, where pandoc puts the content."""
        return posixpath.dirname(self.opf_path)

    @staticmethod
    def relative(from_entry: str, to_entry: str) -> str:
        """Return the URL of entry `to_entry` as written inside entry `from_entry`."""
        return posixpath.relpath(to_entry, posixpath.dirname(from_entry))

    def href(self, name: str) -> str:
        """Return the href of entry `name` relative to the package document."""
        return posixpath.relpath(name, posixpath.dirname(self.opf_path))

    def entry(self, href: str) -> str:
        """Return the entry name of an href written in the package document."""
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.opf_path), href))

    def manifest_item(self, item_id: str) -> etree._Element:
        return self.opf.find(f"opf:manifest/opf:item[@id='{item_id}']", NS)

    def spine(self) -> list[str]:
        """Return the entry names of the spine's documents, in reading order."""
        manifest = {
            i.get("id"): i.get("href") for i in self.opf.iterfind("opf:manifest/opf:item", NS)
        }
        return [
            self.entry(manifest[ref.get("idref")])
            for ref in self.opf.iterfind("opf:spine/opf:itemref", NS)
        ]

    def nav_name(self) -> str:
        item = self.opf.find("opf:manifest/opf:item[@properties='nav']", NS)
        return self.entry(item.get("href"))

    def add_item(
        self, name: str, data: bytes, item_id: str, media_type: str, properties: str = ""
    ) -> etree._Element:
        """Store `data` as `name` and list it in the manifest."""
        self.write(name, data)
        manifest = self.opf.find("opf:manifest", NS)
        item = etree.SubElement(manifest, f"{{{OPF}}}item")
        item.set("id", item_id)
        item.set("href", self.href(name))
        item.set("media-type", media_type)
        if properties:
            item.set("properties", properties)
        return item

    # -- output ------------------------------------------------------------------

    def save(self, target: Path) -> None:
        """Write the EPUB: `mimetype` first and stored, everything else deflated."""
        with zipfile.ZipFile(target, "w") as zout:
            for name in self._data:
                entry = zipfile.ZipInfo(name, date_time=self.date_time)
                entry.external_attr = _FILE_MODE
                entry.compress_type = (
                    zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
                )
                zout.writestr(entry, self.read(name))


def _serialise(root: etree._Element, name: str) -> bytes:
    doctype = None
    if name.endswith(".xhtml"):
        doctype = "<!DOCTYPE html>"
        for element in root.iter(etree.Element):
            if element.text is None and not len(element) and element.tag not in _VOID:
                element.text = ""
    else:  # package, NCX: no mixed content, so indenting is safe and helps readers
        etree.indent(root, space="  ")
    return etree.tostring(
        root.getroottree(), xml_declaration=True, encoding="UTF-8", doctype=doctype
    )
