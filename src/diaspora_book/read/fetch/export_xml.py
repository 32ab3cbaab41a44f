"""A fetched page as a Special:Export file (export-0.11), which the MediaWiki reader reads.

The file is what Special:Export writes for the page's current revision, with two
additions the reader uses and an importer may ignore, in a namespace of their own
(`ATTRIBUTION`):

- `<siteinfo>` keeps the wiki's namespaces (as Special:Export does), and adds its
  namespace aliases and magic words (`meta=siteinfo`), so the reader knows the
  wiki's own words ("Datei:", "#WEITERLEITUNG");
- `<page>` adds `<contributors anonymous="N">`: every registered contributor the
  API lists (`prop=contributors`) and its count of anonymous ones, for the credits
  the text's licence asks for (an export of one revision names only its author).

The same answers give the same bytes: elements in a fixed order, no date of fetching.
"""

from __future__ import annotations

from lxml import etree

from diaspora_book.read.fetch.api import PageRevision, SiteInfo

EXPORT = "http://www.mediawiki.org/xml/export-0.11/"
ATTRIBUTION = "urn:x-diaspora-book:fetch"
_XML = "http://www.w3.org/XML/1998/namespace"


def export_xml(site: SiteInfo, page: PageRevision, people: tuple[tuple[str, ...], int]) -> str:
    """Return the Special:Export XML of `page`, with the wiki's words and all contributors."""
    root = etree.Element(
        _e("mediawiki"),
        nsmap={None: EXPORT, "book": ATTRIBUTION},
        attrib={"version": "0.11", f"{{{_XML}}}lang": str(site.general.get("lang") or "en")},
    )
    root.append(_siteinfo(site))
    element = etree.SubElement(root, _e("page"))
    _leaf(element, "title", page.title)
    _leaf(element, "ns", str(page.namespace))
    _leaf(element, "id", str(page.page_id))
    element.append(_revision(page.revision))
    names, anonymous = people
    credits = etree.SubElement(
        element, f"{{{ATTRIBUTION}}}contributors", anonymous=str(max(anonymous, 0))
    )
    for name in names:
        etree.SubElement(credits, f"{{{ATTRIBUTION}}}username").text = name
    return etree.tostring(root, encoding="unicode", pretty_print=True)


def _siteinfo(site: SiteInfo) -> etree._Element:
    general = site.general
    info = etree.Element(_e("siteinfo"))
    for name in ("sitename", "dbname", "base", "generator", "case"):
        _leaf(info, name, str(general.get(name) or ""))
    spaces = etree.SubElement(info, _e("namespaces"))
    for space in site.namespaces:
        attributes = {"key": str(space.get("id", 0)), "case": str(space.get("case") or "")}
        etree.SubElement(spaces, _e("namespace"), attrib=attributes).text = (
            str(space.get("name") or "") or None
        )
    aliases = etree.SubElement(info, f"{{{ATTRIBUTION}}}namespacealiases")
    for number, alias in site.aliases:
        etree.SubElement(aliases, f"{{{ATTRIBUTION}}}alias", key=str(number)).text = alias
    words = etree.SubElement(info, f"{{{ATTRIBUTION}}}magicwords")
    for word in site.magic_words:
        sensitive = "1" if word.get("case-sensitive") else "0"
        magic = etree.SubElement(
            words, f"{{{ATTRIBUTION}}}magicword", name=str(word["name"]), case=sensitive
        )
        for alias in word.get("aliases") or ():
            etree.SubElement(magic, f"{{{ATTRIBUTION}}}alias").text = str(alias)
    return info


def _revision(revision: dict) -> etree._Element:
    element = etree.Element(_e("revision"))
    _leaf(element, "id", str(revision["revid"]))
    if revision["parentid"]:
        _leaf(element, "parentid", str(revision["parentid"]))
    _leaf(element, "timestamp", revision["timestamp"])
    contributor = etree.SubElement(element, _e("contributor"))
    if revision["anon"]:
        _leaf(contributor, "ip", revision["user"])
    else:
        _leaf(contributor, "username", revision["user"])
        _leaf(contributor, "id", str(revision["userid"]))
    if revision["comment"]:
        _leaf(element, "comment", revision["comment"])
    _leaf(element, "model", revision["model"])
    _leaf(element, "format", revision["format"])
    text = etree.SubElement(
        element,
        _e("text"),
        attrib={
            "bytes": str(len(revision["text"].encode("utf-8"))),
            f"{{{_XML}}}space": "preserve",
        },
    )
    text.text = revision["text"]
    if _base36(revision["sha1"]):
        _leaf(element, "sha1", _base36(revision["sha1"]))
    return element


def _base36(hex_digest: str) -> str:
    """Return a sha1 as Special:Export writes it (base 36, 31 digits); the API gives hex."""
    try:
        number = int(hex_digest, 16)
    except ValueError:
        return ""
    digits = ""
    while number:
        number, digit = divmod(number, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
    return digits.rjust(31, "0")


def _e(name: str) -> str:
    return f"{{{EXPORT}}}{name}"


def _leaf(parent: etree._Element, name: str, text: str) -> None:
    etree.SubElement(parent, _e(name)).text = text
