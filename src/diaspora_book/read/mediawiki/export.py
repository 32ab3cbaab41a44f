"""Special:Export XML -> its pages: title, wikitext, where the text starts, revision.

An export holds one or many `<page>`s, each with one or more `<revision>`s (a
history export lists them oldest first): the last revision's text is the article,
and every revision's contributor is credited (with, in a file `diaspora-book fetch`
wrote, every registered contributor the wiki's API lists and its count of anonymous
ones). The revision-pinned URL is built from `<siteinfo><base>`. Redirect pages are
not chapters: `read_redirects` gives their titles and targets, so a link to one is a
cross-reference to its target's chapter. Nor is a page outside the articles'
namespace (a talk page, a category, a template): `skipped_pages` names each with the
reason, for a note. The siteinfo's namespace names and wiki (`SiteInfo`) join the
words the pages are read with (`wiki_words.py`).
The XML is read without network, DTDs or entity expansion.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree

from diaspora_book.model import Revision, SourceSpan
from diaspora_book.plumbing.errors import BookError
from diaspora_book.read.mediawiki.wiki_words import SiteInfo, is_redirect_page, wiki_words

# What a page of each namespace is (odd ids are talk pages), for the note that skips it.
_NOT_ARTICLES = {
    -1: "a special page",
    2: "a user page",
    4: "a project page",
    6: "a file description page",
    8: "an interface message",
    10: "a template",
    12: "a help page",
    14: "a category page",
    100: "a portal",
    118: "a draft",
    828: "a module",
}


@dataclass(frozen=True)
class ExportPage:
    title: str
    text: str  # the wikitext
    line: int  # line of the file where the text starts
    column: int  # column of its first character
    revision: Revision
    page_id: str = ""  # the wiki's id of the page (`<page><id>`)


def read_export(data: str, shown: str) -> list[ExportPage]:
    """Return the articles of a Special:Export file, in file order.

    Redirects and pages of other namespaces are left out (`skipped_pages` says why).
    """
    root = _root(data, shown)
    site = _site(root)
    info = _siteinfo(root)
    lines = data.split("\n")
    pages = []
    for page in _children(root, "page"):
        if not _not_article(page, info):
            pages.append(_page(page, site, lines, shown))
    return pages


def skipped_pages(data: str, shown: str) -> list[tuple[SourceSpan, str]]:
    """Return where each page that is not an article is, and a note naming it and why."""
    root = _root(data, shown)
    info = _siteinfo(root)
    notes = []
    for page in _children(root, "page"):
        why = _not_article(page, info)
        if why:
            title = " ".join(_text(page, "title").split())
            where = SourceSpan(shown, page.sourceline or 1)
            notes.append((where, f"page '{title}' is {why}, not an article; skipped"))
    return notes


def read_siteinfo(data: str, shown: str) -> SiteInfo:
    """Return the wiki an export names (`<dbname>`) and its namespace names."""
    return _siteinfo(_root(data, shown))


def _siteinfo(root) -> SiteInfo:
    info = _first(root, "siteinfo")
    if info is None:
        return SiteInfo()
    dbname = _text(info, "dbname")
    language = dbname.removesuffix("wiki") if dbname.endswith("wiki") else ""
    names = []
    spaces = _first(info, "namespaces")
    for space in _children(spaces, "namespace") if spaces is not None else []:
        key, name = space.get("key") or "", " ".join((space.text or "").split())
        if name and key.lstrip("-").isdigit():
            names.append((int(key), name))
    return SiteInfo(language.replace("_", "-"), tuple(names))


def _not_article(page, info: SiteInfo) -> str:
    """Return what a page is when it is not an article ("" for an article)."""
    if _first(page, "redirect") is not None:
        return "a redirect"
    revisions = _children(page, "revision")
    text_element = _first(revisions[-1], "text") if revisions else None
    text = "".join(text_element.itertext()) if text_element is not None else ""
    if is_redirect_page(text):
        return "a redirect"
    number = _text(page, "ns")
    if number.lstrip("-").isdigit():
        space = int(number)
    else:  # an old export (no <ns>): the title's prefix, in the siteinfo's or English words
        head, sep, _ = _text(page, "title").partition(":")
        found = wiki_words((info.language,), info.namespaces).namespace(head) if sep else None
        space = found or 0
    if space == 0:
        return ""
    if space % 2 == 1 and space > 0:
        return "a talk page"
    return _NOT_ARTICLES.get(space, f"in namespace {space}")


def read_redirects(data: str, shown: str) -> tuple[tuple[str, str], ...]:
    """Return (title, target) of each redirect page of an export (`<redirect title=...>`)."""
    found = []
    for page in _children(_root(data, shown), "page"):
        redirect = _first(page, "redirect")
        title = _text(page, "title")
        target = " ".join((redirect.get("title") or "").split()) if redirect is not None else ""
        if title and target:
            found.append((" ".join(title.split()), target))
    return tuple(found)


def _root(data: str, shown: str):
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
    )
    try:
        root = etree.fromstring(data.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        message = exc.msg.split(", line")[0] if exc.msg else "not well-formed XML"
        where = SourceSpan(shown, line)
        raise BookError(f"not a readable MediaWiki export: {message}", where) from None
    if root.getroottree().docinfo.internalDTD is not None:
        # Special:Export never writes one; its entities would be text this reader drops.
        raise BookError(
            "a MediaWiki export may not declare a DTD (<!DOCTYPE ...>); its entities are not read",
            SourceSpan(shown, 1),
            "export the pages again with Special:Export",
        )
    if _local(root.tag) != "mediawiki":
        raise BookError(
            f"not a MediaWiki export: the root element is <{_local(root.tag)}>",
            SourceSpan(shown, root.sourceline or 1),
            "export pages with Special:Export",
        )
    return root


def _page(page, site: str, lines: list[str], shown: str) -> ExportPage:
    revisions = _children(page, "revision")
    title_element = _first(page, "title")
    title = " ".join((title_element.text or "").split()) if title_element is not None else ""
    if not revisions or not title:
        where = SourceSpan(shown, page.sourceline or 1)
        raise BookError("an exported <page> without a <title> or a <revision>", where)
    latest = revisions[-1]
    text_element = _first(latest, "text")
    # All of the element's text (a stray child element or comment must not cut it short).
    text = "".join(text_element.itertext()) if text_element is not None else ""
    line = (text_element.sourceline if text_element is not None else latest.sourceline) or 1
    return ExportPage(
        title,
        text,
        line,
        _text_column(lines, line),
        Revision(
            title=title,
            revision_id=_text(latest, "id"),
            timestamp=_text(latest, "timestamp"),
            contributors=_contributors(revisions) + _listed(page, revisions),
            url=f"{site}/w/index.php?oldid={_text(latest, 'id')}" if site else "",
            anonymous=_anonymous(page),
        ),
        _text(page, "id"),
    )


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _children(element, name: str) -> list:
    return [child for child in element if _local(child.tag) == name]


def _first(element, name: str):
    found = _children(element, name)
    return found[0] if found else None


def _text(element, name: str) -> str:
    child = _first(element, name)
    return (child.text or "").strip() if child is not None else ""


def _site(root) -> str:
    info = _first(root, "siteinfo")
    base = _text(info, "base") if info is not None else ""
    parts = urlsplit(base)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return ""


def _contributors(revisions: list) -> tuple[str, ...]:
    names: list[str] = []
    for revision in revisions:
        contributor = _first(revision, "contributor")
        if contributor is None:
            continue
        name = _text(contributor, "username") or _text(contributor, "ip")
        if name and name not in names:
            names.append(name)
    return tuple(names)


def _listed(page, revisions: list) -> tuple[str, ...]:
    """Return the registered contributors a fetched export lists besides its revisions'
    (`<contributors>` of `diaspora-book fetch`: the API's `prop=contributors`)."""
    listed = _first(page, "contributors")
    if listed is None:
        return ()
    known = set(_contributors(revisions))
    names = [" ".join((c.text or "").split()) for c in _children(listed, "username")]
    return tuple(n for n in dict.fromkeys(names) if n and n not in known)


def _anonymous(page) -> int:
    """Return the count of anonymous contributors a fetched export gives (0: none said)."""
    listed = _first(page, "contributors")
    value = (listed.get("anonymous") or "") if listed is not None else ""
    return int(value) if value.isdigit() else 0


def _text_column(lines: list[str], line: int) -> int:
    """Return the column just after `<text ...>` on `line` (1 when it cannot be found)."""
    if not 0 < line <= len(lines):
        return 1
    raw = lines[line - 1]
    start = raw.find("<text")
    end = raw.find(">", start) if start >= 0 else -1
    return end + 2 if end >= 0 else 1
