"""The images an article shows: their names, whether their licence lets a book use them,
their credits in plain text, and a file name that stays in `media/`.

Only the files the book prints are fetched: those of `[[File:...]]` links and
`<gallery>` lines (what the reader makes figures of), not every icon a navbox
template pulls in. Each name is looked for under all of the wiki's words for its
file namespace (siteinfo: "Datei", "Файл", "Image"...).

An image is used only under a free licence the book can honour by crediting it
(public domain, CC0, CC BY, CC BY-SA, GFDL, GPL, FAL...). A non-free file
(`NonFree`), a licence that forbids changes or commercial use (`-nd`, `-nc`), or one
the description page does not name, is not downloaded: a warning names it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import mwparserfromhell
from lxml import html
from mwparserfromhell.nodes import Tag, Wikilink

from diaspora_book.project.image_credits import ImageCredit
from diaspora_book.read.mediawiki.inline import FILE_NAMESPACES

# Licence codes (extmetadata `License`, lower case) a book may use with credit.
_FREE = re.compile(
    r"^(pd|pd-.*|public[- ]?domain|cc0|cc-zero|cc-pd.*|cc-by(-sa)?(-\d(\.\d)?)?(-[a-z]{2})?"
    r"|cc-by(-sa)?-\d\.\d-.*|gfdl.*|gpl.*|lgpl.*|fal|free ?art.*|mit|bsd.*|apache.*|attribution"
    r"|copyrighted free use)$"
)
_NOT_FREE = re.compile(r"(^|-)(nc|nd)(-|$)|non-?free|fair ?use", re.IGNORECASE)


def used_files(wikitext: str, file_words: tuple[str, ...]) -> list[str]:
    """Return the file names an article's links and galleries show, in order, each once."""
    words = {w.lower() for w in file_words} | FILE_NAMESPACES
    names: list[str] = []
    try:
        code = mwparserfromhell.parse(wikitext)
    except RecursionError:
        return names
    for node in code.ifilter(recursive=True):
        if isinstance(node, Wikilink):
            space, sep, rest = str(node.title).strip().partition(":")
            if sep and space.strip().lower() in words:
                names.append(_spaced(rest))
        elif isinstance(node, Tag) and str(node.tag).strip().lower() == "gallery":
            for line in str(node.contents or "").split("\n"):
                name = line.partition("|")[0].strip()
                space, sep, rest = name.partition(":")
                if sep and space.strip().lower() in words:
                    names.append(_spaced(rest))
                elif name and not sep:
                    names.append(_spaced(name))
    return list(dict.fromkeys(n for n in names if n))


def licence_problem(info: dict[str, Any]) -> str:
    """Return why a file may not be used ("" when its licence is free and named)."""
    meta = info.get("extmetadata") or {}
    if _meta(meta, "NonFree").lower() in ("true", "1", "yes"):
        return "it is not free (NonFree)"
    code = _meta(meta, "License").lower()
    short = _meta(meta, "LicenseShortName")
    if _NOT_FREE.search(code) or _NOT_FREE.search(short):
        return f"its licence ({short or code}) forbids changes or commercial use"
    if not code and not short:
        return "its description page names no licence"
    if code and _FREE.match(code):
        return ""
    if not code and _FREE.match(short.lower().replace(" ", "-")):
        return ""
    return f"its licence ({short or code}) is not one known to be free"


def credit_of(name: str, info: dict[str, Any]) -> ImageCredit:
    """Return the credit of a file from its imageinfo (`extmetadata`), as plain text."""
    meta = info.get("extmetadata") or {}
    url = _meta(meta, "LicenseUrl")
    short = plain_text(_meta(meta, "LicenseShortName")) or _meta(meta, "License")
    return ImageCredit(
        name=name,
        description=_http(str(info.get("descriptionurl") or "")),
        author=plain_text(_meta(meta, "Artist")),
        credit=plain_text(_meta(meta, "Credit")),
        licence=short,
        licence_url=_http(url),
    )


def plain_text(markup: str) -> str:
    """Return the text of an HTML fragment (a description page's Artist, Credit): no tags,
    no scripts, whitespace collapsed. Nothing of it is ever read as markup again."""
    if not markup.strip():
        return ""
    try:
        fragment = html.fragment_fromstring(markup, create_parent="div")
    except Exception:  # lxml raises several kinds on hostile input; the text is what is wanted
        return " ".join(re.sub(r"<[^>]*>", " ", markup).split())
    for bad in fragment.xpath(".//script|.//style"):
        bad.drop_tree()
    text = "".join(fragment.itertext())
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf") or c in "\n\t")
    return " ".join(text.split())


def safe_name(name: str) -> str:
    """Return `name` as a file name in media/, or "" when it could leave media/.

    A name with a slash, a backslash, a control character, `..` or a leading dot is
    refused rather than mended: the wiki never names a file so.
    """
    name = " ".join(name.replace("_", " ").split())
    if (
        not name
        or name in (".", "..")
        or ".." in name
        or name.startswith(".")
        or any(c in name for c in "/\\\x00")
        or any(unicodedata.category(c) in ("Cc", "Cf") for c in name)
        or len(name.encode("utf-8")) > 240
    ):
        return ""
    return name[:1].upper() + name[1:]


def _spaced(name: str) -> str:
    return " ".join(name.replace("_", " ").split())


def _meta(meta: Any, key: str) -> str:
    value = meta.get(key) if isinstance(meta, dict) else None
    if isinstance(value, dict):
        value = value.get("value")
    return str(value).strip() if isinstance(value, (str, int, float)) else ""


def _http(url: str) -> str:
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    ok = url.lower().startswith(("http://", "https://")) and not any(c in url for c in ' <>"\\`')
    return url if ok else ""
