"""The MediaWiki Action API questions `fetch` asks, and their answers as plain data.

Every answer is read as `formatversion=2` JSON (API:Query, API:Revisions,
API:Contributors, API:Imageinfo, API:Categorymembers, API:Siteinfo) and checked for
the shape it must have: what the wiki says is outside input, and an answer without
a field the code needs is a clear error, never a KeyError.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from diaspora_book.read.fetch.http import FetchError, WikiClient

BATCH = 50  # titles per question: the API's limit for clients without apihighlimits
# The description page fields a credit needs (imageinfo `extmetadata`).
EXTMETADATA = "Artist|Credit|LicenseShortName|License|LicenseUrl|NonFree|UsageTerms|Copyrighted"
_T = TypeVar("_T")


def _checked(question: Callable[..., _T]) -> Callable[..., _T]:
    """Turn an answer of the wrong shape (a number that is text, a list that is a map)
    into a FetchError naming the wiki, never a traceback."""

    @functools.wraps(question)
    def asking(client: WikiClient, *args: Any, **kwargs: Any) -> _T:
        try:
            return question(client, *args, **kwargs)
        except (TypeError, ValueError, KeyError, AttributeError, IndexError) as exc:
            raise FetchError(
                f"{client.site}: the API's answer to {question.__name__} has an unexpected "
                f"shape ({type(exc).__name__}: {exc})",
                hint="is this a MediaWiki api.php?",
            ) from None

    return asking


@dataclass(frozen=True)
class SiteInfo:
    """What `meta=siteinfo` says about the wiki: its names, namespaces and magic words."""

    general: dict[str, Any]  # sitename, dbname, base, generator, case, lang...
    namespaces: tuple[dict[str, Any], ...]  # id, case, name, canonical (by id)
    aliases: tuple[tuple[int, str], ...]  # (namespace id, alias)
    magic_words: tuple[dict[str, Any], ...]  # name, aliases, case-sensitive
    repositories: tuple[str, ...]  # URLs of its file repositories (url, thumbUrl)

    def namespace_words(self, number: int) -> tuple[str, ...]:
        """Every name of namespace `number`: local, canonical and aliases ("Datei", "File")."""
        words = [
            str(space.get(key) or "")
            for space in self.namespaces
            if space.get("id") == number
            for key in ("name", "canonical")
        ]
        words += [alias for space, alias in self.aliases if space == number]
        return tuple(dict.fromkeys(w for w in words if w))


@dataclass(frozen=True)
class PageRevision:
    """One page at one revision, with what its attribution needs."""

    page_id: int
    namespace: int
    title: str
    revision: dict[str, Any]  # revid, parentid, timestamp, user, anon, comment, size, sha1, text
    redirected_from: str = ""  # the title asked for, when it was a redirect
    disambiguation: bool = False


@_checked
def site_info(client: WikiClient) -> SiteInfo:
    """Ask the wiki's names, namespaces, aliases, magic words and file repositories."""
    data = _query(
        client,
        meta="siteinfo",
        siprop="general|namespaces|namespacealiases|magicwords|repos",
    )
    general = data.get("general")
    if not isinstance(general, dict):
        raise FetchError(f"{client.site}: siteinfo has no 'general' part: not a MediaWiki API?")
    spaces = data.get("namespaces") or {}
    namespaces = tuple(
        sorted(
            (s for s in (spaces.values() if isinstance(spaces, dict) else spaces) if _is_map(s)),
            key=lambda s: int(s.get("id", 0)),
        )
    )
    aliases = tuple(
        (int(a["id"]), str(a["alias"]))
        for a in data.get("namespacealiases") or ()
        if _is_map(a) and "id" in a and a.get("alias")
    )
    magic = tuple(m for m in data.get("magicwords") or () if _is_map(m) and m.get("name"))
    repositories = tuple(
        str(repo[key])
        for repo in data.get("repos") or ()
        if _is_map(repo)
        for key in ("url", "thumbUrl")
        if isinstance(repo.get(key), str)
    )
    return SiteInfo(general, namespaces, aliases, magic, repositories)


@_checked
def page_revision(client: WikiClient, title: str = "", revision: str = "") -> PageRevision:
    """Return a page's latest revision (by `title`) or a given one (by `revision` id).

    A redirect is followed (`redirected_from` says from where); a missing page or
    revision is a FetchError.
    """
    asked = {"titles": title} if title else {"revids": revision}
    data = _query(
        client,
        prop="revisions|pageprops|info",
        rvprop="ids|timestamp|user|userid|comment|content|size|sha1",
        rvslots="main",
        ppprop="disambiguation",
        redirects="1",
        **asked,
    )
    if revision and data.get("badrevids"):
        raise FetchError(f"{client.site}: there is no revision {revision}")
    pages = [p for p in data.get("pages") or () if _is_map(p)]
    if len(pages) != 1:
        raise FetchError(f"{client.site}: expected one page for '{title or revision}'")
    page = pages[0]
    if page.get("missing") or page.get("invalid"):
        why = page.get("invalidreason") or "there is no such page"
        raise FetchError(f"{client.site}: '{page.get('title', title)}': {why}")
    revisions = page.get("revisions") or ()
    if not revisions or not _is_map(revisions[0]):
        raise FetchError(f"{client.site}: '{page.get('title')}' came without its revision")
    found = revisions[0]
    slot = (found.get("slots") or {}).get("main") or {}
    if "content" not in slot or slot.get("texthidden"):
        raise FetchError(f"{client.site}: the text of '{page.get('title')}' is hidden or missing")
    redirects = [r for r in data.get("redirects") or () if _is_map(r)]
    return PageRevision(
        page_id=int(page.get("pageid") or 0),
        namespace=int(page.get("ns") or 0),
        title=str(page.get("title") or title),
        revision={
            "revid": int(found.get("revid") or 0),
            "parentid": int(found.get("parentid") or 0),
            "timestamp": str(found.get("timestamp") or ""),
            "user": str(found.get("user") or ""),
            "userid": int(found.get("userid") or 0),
            "anon": bool(found.get("anon")),
            "comment": str(found.get("comment") or ""),
            "size": int(found.get("size") or 0),
            "sha1": str(found.get("sha1") or ""),
            "model": str(slot.get("contentmodel") or "wikitext"),
            "format": str(slot.get("contentformat") or "text/x-wiki"),
            "text": str(slot["content"]),
        },
        redirected_from=str(redirects[0].get("from") or "") if redirects else "",
        disambiguation="disambiguation" in (page.get("pageprops") or {}),
    )


@_checked
def contributors(client: WikiClient, page_id: int) -> tuple[tuple[str, ...], int]:
    """Return the page's registered contributors and its count of anonymous ones.

    The API lists registered users (by name) and only counts anonymous contributors
    (`anoncontributors`); both are kept as it reports them, over every continuation.
    """
    names: list[str] = []
    anonymous = 0
    for data in _continued(client, prop="contributors", pageids=str(page_id), pclimit="max"):
        for page in data.get("pages") or ():
            if not _is_map(page):
                continue
            anonymous = max(anonymous, int(page.get("anoncontributors") or 0))
            names += [
                str(c["name"])
                for c in page.get("contributors") or ()
                if _is_map(c) and c.get("name")
            ]
    return tuple(dict.fromkeys(names)), anonymous


@_checked
def latest_revisions(client: WikiClient, titles: list[str]) -> dict[str, dict[str, Any]]:
    """Return title asked -> {title, revid, size, timestamp} of each page's newest revision."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(titles), BATCH):
        batch = titles[start : start + BATCH]
        data = _query(
            client,
            titles="|".join(batch),
            prop="revisions",
            rvprop="ids|size|timestamp",
            redirects="1",
        )
        pages = _pages(data)
        for asked, now in _renamed(batch, data, ("normalized", "redirects")).items():
            page = pages.get(now) or {}
            revisions = page.get("revisions") or ()
            if revisions and _is_map(revisions[0]):
                revision = revisions[0]
                found[asked] = {
                    "title": now,
                    "revid": int(revision.get("revid") or 0),
                    "size": int(revision.get("size") or 0),
                    "timestamp": str(revision.get("timestamp") or ""),
                }
    return found


@_checked
def category_members(client: WikiClient, category: str, depth: int) -> list[str]:
    """Return the titles of a category's articles, and its subcategories' to `depth` levels."""
    titles: list[str] = []
    seen: set[str] = set()
    level = [category]
    for _ in range(depth + 1):
        subcategories = []
        for name in level:
            if name in seen:
                continue
            seen.add(name)
            for data in _continued(
                client,
                list="categorymembers",
                cmtitle=name,
                cmtype="page|subcat",
                cmnamespace="0|14",
                cmlimit="max",
            ):
                for member in data.get("categorymembers") or ():
                    if not _is_map(member) or not member.get("title"):
                        continue
                    if int(member.get("ns") or 0) == 14:
                        subcategories.append(str(member["title"]))
                    elif str(member["title"]) not in titles:
                        titles.append(str(member["title"]))
        level = subcategories
    return titles


@_checked
def image_infos(client: WikiClient, files: list[str], width: int) -> dict[str, dict[str, Any]]:
    """Return `File:` title asked -> its imageinfo (url, thumburl at `width` px, sha1, mime,
    descriptionurl, extmetadata), or {"missing": True}."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(files), BATCH):
        batch = files[start : start + BATCH]
        data = _query(
            client,
            titles="|".join(batch),
            prop="imageinfo",
            iiprop="url|sha1|size|mime|extmetadata",
            iiurlwidth=str(width),
            iiextmetadatafilter=EXTMETADATA,  # only what the credits need: smaller answers
        )
        pages = _pages(data)
        for asked, now in _renamed(batch, data, ("normalized",)).items():
            page = pages.get(now) or {}
            infos = page.get("imageinfo") or ()
            if infos and _is_map(infos[0]):
                found[asked] = {"title": now, **infos[0]}
            else:
                found[asked] = {"title": now, "missing": True}
    return found


def _query(client: WikiClient, **params: str) -> dict[str, Any]:
    data = client.query(action="query", **params)
    query = data.get("query")
    if not isinstance(query, dict):
        raise FetchError(f"{client.site}: the API's answer has no 'query' part")
    return query


def _continued(client: WikiClient, **params: str) -> Iterator[dict[str, Any]]:
    """Yield each part of an answer the API gives in several (`continue`), at most 1,000."""
    following: dict[str, str] = {}
    for _ in range(1000):
        data = client.query(action="query", **params, **following)
        query = data.get("query")
        if isinstance(query, dict):
            yield query
        more = data.get("continue")
        if not isinstance(more, dict):
            return
        following = {str(k): str(v) for k, v in more.items()}
    raise FetchError(f"{client.site}: the answer does not end (1,000 parts)")


def _is_map(value: object) -> bool:
    return isinstance(value, dict)


def _renamed(batch: list[str], data: dict, steps: tuple[str, ...]) -> dict[str, str]:
    """Each title asked for -> the page's title after the API's `steps` (its
    `normalized` spelling, the target of a followed redirect)."""
    renamed = {title: title for title in batch}
    for step in steps:
        for change in data.get(step) or ():
            if _is_map(change):
                for asked, now in renamed.items():
                    if now == change.get("from"):
                        renamed[asked] = str(change.get("to"))
    return renamed


def _pages(data: dict) -> dict[str, dict]:
    """The answer's pages by title (a malformed entry is left out)."""
    return {str(p.get("title")): p for p in data.get("pages") or () if _is_map(p)}
