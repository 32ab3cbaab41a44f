"""Every link that leaves the book, made a valid URL (RFC 3986) or refused.

An article's addresses are written for browsers, which forgive: spaces, `|`, `<`
`>` (Wiley's SICI DOIs such as `10.1002/1439-7633(20021104)3:11<1135::AID-
CBIC1135>3.0.CO;2-M`), a second `#`, letters of any script, a host in Cyrillic.
An EPUB's reading systems and EPUBCheck do not. `web_href` is the one place an
href is made: it percent-encodes what RFC 3986 does not allow (as UTF-8), writes an
internationalised host in punycode (IDNA), and refuses (returns "") what cannot be
a link: another scheme (`javascript:`, `file:`), no host (`http://`), a bad port.
Callers print a refused address as text.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

# Schemes a link may leave the book by.
SCHEMES = ("http", "https", "ftp", "mailto")
# Left as they are in a path, query or fragment: RFC 3986's unreserved and
# sub-delims, `:` `@` `/` `?`, and `%` of an escape already made. `(` `)` are
# escaped too, so the address can stand in a Markdown link.
_SAFE = "/:?@!$&'*+,;=%~.-_"
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
# Letters, digits, `-` and `_` (which browsers accept in a name, as in `my_blog.example.org`).
_HOST = re.compile(r"^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$")
_IPV6 = re.compile(r"^\[[0-9a-f:.]+\]$")


def web_href(url: str) -> str:
    """Return `url` as a valid URL for an href, or "" when it cannot be one."""
    url = url.strip()
    if url.startswith("//"):  # protocol-relative, as MediaWiki allows: Wikipedia serves https
        url = "https:" + url
    scheme, colon, rest = url.partition(":")
    if not colon or scheme.lower() not in SCHEMES:
        return ""
    if scheme.lower() == "mailto":
        address = _escaped(rest)
        return f"mailto:{address}" if "@" in address.split("?")[0] else ""
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname or ""
    except ValueError:  # an unclosed `[`, a port that is not a number
        return ""
    host = _ascii_host(host)
    if not host:
        return ""
    netloc = host if port is None else f"{host}:{port}"
    if parts.username is not None:
        user = _escaped(parts.username)
        password = f":{_escaped(parts.password)}" if parts.password is not None else ""
        netloc = f"{user}{password}@{netloc}"
    href = f"{parts.scheme.lower()}://{netloc}{_escaped(parts.path)}"
    if parts.query or url.split("#")[0].endswith("?"):
        href += "?" + _escaped(parts.query)
    if parts.fragment or "#" in url:
        href += "#" + _escaped(parts.fragment)
    return href


def _escaped(text: str) -> str:
    """Percent-encode what may not stand in a URL (a stray `%`, a second `#` too)."""
    return quote(_BAD_ESCAPE.sub("%25", text), safe=_SAFE)


def _ascii_host(host: str) -> str:
    """Return the host in ASCII (punycode for an internationalised name); "" if invalid."""
    if _IPV6.match(host.lower()) or (":" in host and _IPV6.match(f"[{host.lower()}]")):
        return f"[{host.lower()}]"
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return ""
    return ascii_host if _HOST.match(ascii_host) else ""


def doi_path(doi: str) -> str:
    """Return a DOI as it stands in a `https://doi.org/` URL: `<` `>` `#` `?` escaped.

    citeproc makes the link (and prints it) from the DOI as given, so the
    bibliography is given it in this form.
    """
    return quote(_BAD_ESCAPE.sub("%25", doi.strip()), safe=_SAFE.replace("?", "") + "()")
