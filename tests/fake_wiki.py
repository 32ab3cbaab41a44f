"""A MediaWiki Action API served on 127.0.0.1 by the test itself, for the fetch tests.

It answers as api.php does with `format=json&formatversion=2` (API:Query,
API:Revisions, API:Contributors, API:Imageinfo, API:Categorymembers, API:Siteinfo):
pages are built from real Special:Export files (../shared/wikipedia/xml), files are
small images drawn here, and they are served by a second server, the wiki's "upload
host" that siteinfo's `repos` names. Faults can be queued (429, 503, maxlag, a
truncated answer, a slow one). Every request is recorded with its headers, and the
most requests in flight at once is measured.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from lxml import etree
from PIL import Image

SHARED_XML = Path(__file__).resolve().parents[1].parent / "shared" / "wikipedia" / "xml"


@dataclass
class Page:
    title: str
    page_id: int
    revisions: list[dict]  # oldest first: revid, parentid, timestamp, user, userid, anon, text
    contributors: list[str] = field(default_factory=list)
    anonymous: int = 0
    disambiguation: bool = False


@dataclass
class File:
    name: str
    data: bytes
    mime: str
    licence: dict  # extmetadata fields: License, LicenseShortName, LicenseUrl, NonFree...
    artist: str = "Jane Doe"
    credit: str = "Own work"
    url: str = ""  # where the API says the original is (default: the upload host)


def export_page(path: Path) -> Page:
    """Return the first page of a Special:Export file, its revisions as the API gives them."""
    root = etree.parse(str(path)).getroot()

    def local(element) -> str:
        return etree.QName(element).localname

    def child(element, name):
        return next((c for c in element if local(c) == name), None)

    page = next(c for c in root if local(c) == "page")
    revisions = []
    for revision in (c for c in page if local(c) == "revision"):
        contributor = child(revision, "contributor")
        user = child(contributor, "username")
        ip = child(contributor, "ip")
        user_id = child(contributor, "id")
        revisions.append(
            {
                "revid": int(child(revision, "id").text),
                "parentid": int(getattr(child(revision, "parentid"), "text", 0) or 0),
                "timestamp": child(revision, "timestamp").text,
                "user": (user if user is not None else ip).text,
                "userid": int(user_id.text) if user_id is not None else 0,
                "anon": ip is not None,
                "comment": getattr(child(revision, "comment"), "text", "") or "",
                "text": child(revision, "text").text or "",
            }
        )
    return Page(child(page, "title").text, int(child(page, "id").text), revisions)


def drawn_image(kind: str, width: int = 64, height: int = 48, colour=(180, 200, 90)) -> bytes:
    """A small image drawn here: 'JPEG', 'PNG' or 'GIF'."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, kind)
    return buffer.getvalue()


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30">'
    b'<rect width="40" height="30" fill="#8a3"/></svg>'
)
CC_BY_SA = {
    "License": "cc-by-sa-4.0",
    "LicenseShortName": "CC BY-SA 4.0",
    "LicenseUrl": "https://creativecommons.org/licenses/by-sa/4.0",
}
PUBLIC_DOMAIN = {"License": "pd", "LicenseShortName": "Public domain"}


class FakeWiki:
    """The wiki (api.php) and its upload host, each a server on 127.0.0.1."""

    def __init__(self, lang: str = "en", file_word: str = "File"):
        self.lang, self.file_word = lang, file_word
        self.pages: dict[str, Page] = {}
        self.redirects: dict[str, str] = {}
        self.files: dict[str, File] = {}
        self.categories: dict[str, list[str]] = {}
        self.faults: deque[tuple[str, str]] = deque()  # (server, kind)
        self.requests: list[tuple[str, dict, dict]] = []  # (path, params, headers)
        self.in_flight = 0
        self.most_in_flight = 0
        self.delay = 0.0  # seconds each answer takes
        self._guard = threading.Lock()
        self._connections: set = set()  # the sockets of requests being served
        self.api = self._serve("api")
        self.upload = self._serve("upload")

    # -- what the wiki holds -------------------------------------------------------

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api.server_port}/w/api.php"

    @property
    def upload_url(self) -> str:
        return f"http://127.0.0.1:{self.upload.server_port}/images"

    def add_page(self, page: Page) -> Page:
        self.pages[page.title] = page
        return page

    def add_file(self, file: File) -> None:
        self.files[file.name] = file

    def edit(self, title: str, text: str, user: str = "Editor") -> dict:
        """Save a new revision of `title`; return it."""
        page = self.pages[title]
        last = page.revisions[-1]
        revision = {
            **last,
            "revid": last["revid"] + 1000,
            "parentid": last["revid"],
            "timestamp": "2025-01-02T03:04:05Z",
            "user": user,
            "userid": 42,
            "anon": False,
            "comment": "an edit",
            "text": text,
        }
        page.revisions.append(revision)
        return revision

    def fail(self, kind: str, times: int = 1, server: str = "api") -> None:
        """Answer the next `times` requests to `server` with a fault: 429, 503, maxlag,
        truncate, slow."""
        self.faults.extend([(server, kind)] * times)

    def close(self) -> None:
        """Stop both servers and every thread serving a request: a kept-alive
        connection's thread would otherwise outlive the test, and a later test in the
        same process would see a second thread (the build forks nothing then)."""
        for server in (self.api, self.upload):
            server.shutdown()
        with self._guard:
            connections = list(self._connections)
        for connection in connections:  # a thread waiting for the next request ends
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        for server in (self.api, self.upload):
            server.server_close()  # joins the request threads (`block_on_close`)

    def api_requests(self) -> list[dict]:
        return [params for path, params, _ in self.requests if path.endswith("api.php")]

    # -- serving -----------------------------------------------------------------

    def _serve(self, name: str) -> ThreadingHTTPServer:
        wiki = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def setup(self):
                super().setup()
                with wiki._guard:
                    wiki._connections.add(self.connection)

            def finish(self):
                with wiki._guard:
                    wiki._connections.discard(self.connection)
                super().finish()

            def do_GET(self):
                wiki._handle(self, name)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = False  # `close` joins them
        server.block_on_close = True
        # shutdown() waits for the loop's next poll: 0.5 s by default, per server per test.
        serve = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
        serve.start()
        return server

    def _handle(self, handler: BaseHTTPRequestHandler, server: str) -> None:
        parts = urlsplit(handler.path)
        params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        with self._guard:
            self.requests.append((parts.path, params, dict(handler.headers)))
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            fault = None
            if self.faults and self.faults[0][0] == server:
                fault = self.faults.popleft()[1]
        try:
            time.sleep(self.delay)
            if fault == "slow":
                time.sleep(2.0)
            if fault in ("429", "503"):
                self._send(handler, int(fault), b"busy", "text/plain", {"Retry-After": "3"})
            elif fault == "maxlag":
                body = {"error": {"code": "maxlag", "info": "Waiting for db1: 7 seconds lagged"}}
                self._send(
                    handler,
                    200,
                    json.dumps(body).encode(),
                    "application/json",
                    {"Retry-After": "5"},
                )
            elif fault == "truncate":
                handler.send_response(200)
                handler.send_header("Content-Type", "application/json")
                handler.send_header("Content-Length", "5000")
                handler.end_headers()
                handler.wfile.write(b'{"batchcomplete":true,"query":{"pages":[')
                handler.close_connection = True
            elif server == "api":
                answer = self._answer(params)
                self._send(handler, 200, json.dumps(answer).encode(), "application/json")
            else:
                self._file(handler, unquote(parts.path))
        finally:
            with self._guard:
                self.in_flight -= 1

    def _send(self, handler, status: int, body: bytes, kind: str, headers: dict | None = None):
        handler.send_response(status)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(body)

    def _file(self, handler, path: str) -> None:
        prefix = "/images/"
        name = path[len(prefix) :] if path.startswith(prefix) else ""
        width = 0
        if name.startswith("thumb/"):
            size, _, name = name[len("thumb/") :].partition("px-")
            width = int(size)
        file = self.files.get(name)
        if file is None:
            self._send(handler, 404, b"no such file", "text/plain")
            return
        data = file.data
        if width and file.mime != "image/svg+xml":
            image = Image.open(io.BytesIO(file.data))
            height = max(1, round(image.height * width / image.width))
            buffer = io.BytesIO()
            image.resize((width, height)).save(buffer, image.format)
            data = buffer.getvalue()
        self._send(handler, 200, data, file.mime)

    # -- api.php -------------------------------------------------------------------

    def _answer(self, params: dict) -> dict:
        if params.get("format") != "json" or params.get("formatversion") != "2":
            return {"error": {"code": "badformat", "info": "ask for format=json&formatversion=2"}}
        if params.get("action") != "query":
            return {"error": {"code": "badvalue", "info": "only action=query here"}}
        if params.get("meta") == "siteinfo":
            return {"batchcomplete": True, "query": self._siteinfo()}
        if params.get("list") == "categorymembers":
            return self._category(params)
        prop = params.get("prop", "")
        if prop == "contributors":
            return self._contributors(params)
        if prop == "imageinfo":
            return self._imageinfo(params)
        if "revisions" in prop:
            return self._revisions(params)
        return {"error": {"code": "badvalue", "info": f"not served here: {params}"}}

    def _siteinfo(self) -> dict:
        port = self.api.server_port
        local = {"en": ("File", "Category"), "ru": ("Файл", "Категория"), "kk": ("Сурет", "Санат")}
        file_name, category_name = local.get(self.lang, ("File", "Category"))
        spaces = {
            "-2": {"id": -2, "case": "first-letter", "name": "Media", "canonical": "Media"},
            "0": {"id": 0, "case": "first-letter", "name": "", "content": True},
            "6": {"id": 6, "case": "first-letter", "name": file_name, "canonical": "File"},
            "14": {
                "id": 14,
                "case": "first-letter",
                "name": category_name,
                "canonical": "Category",
            },
        }
        return {
            "general": {
                "mainpage": "Main Page",
                "base": f"http://127.0.0.1:{port}/wiki/Main_Page",
                "sitename": "Wikipedia",
                "dbname": f"{self.lang}wiki",
                "generator": "MediaWiki 1.43.0",
                "case": "first-letter",
                "lang": self.lang,
            },
            "namespaces": spaces,
            "namespacealiases": [{"id": 6, "alias": "Image"}],
            "magicwords": [
                {"name": "redirect", "aliases": ["#REDIRECT"], "case-sensitive": False},
                {"name": "disambiguation", "aliases": ["__DISAMBIG__"], "case-sensitive": True},
            ],
            "repos": [
                {
                    "name": "local",
                    "displayname": "Wikimedia Commons",
                    "url": self.upload_url,
                    "thumbUrl": self.upload_url + "/thumb",
                    "local": True,
                }
            ],
        }

    def _normalized(self, titles: list[str]) -> tuple[list[dict], dict[str, str]]:
        changes, now = [], {}
        for title in titles:
            fixed = " ".join(title.replace("_", " ").split())
            fixed = fixed[:1].upper() + fixed[1:]
            if ":" in fixed:
                space, _, rest = fixed.partition(":")
                fixed = f"{space}:{rest[:1].upper()}{rest[1:]}"
            if fixed != title:
                changes.append({"fromencoded": False, "from": title, "to": fixed})
            now[title] = fixed
        return changes, now

    def _revisions(self, params: dict) -> dict:
        content = "content" in params.get("rvprop", "")
        query: dict = {}
        pages = []
        if "revids" in params:
            wanted = int(params["revids"])
            found = [
                (page, revision)
                for page in self.pages.values()
                for revision in page.revisions
                if revision["revid"] == wanted
            ]
            if not found:
                return {
                    "batchcomplete": True,
                    "query": {"badrevids": {str(wanted): {"revid": wanted, "missing": True}}},
                }
            pages.append(self._page(*found[0], content))
        else:
            titles = params.get("titles", "").split("|")
            changes, now = self._normalized(titles)
            if changes:
                query["normalized"] = changes
            redirects = []
            for title in titles:
                target = now[title]
                if target in self.redirects and params.get("redirects"):
                    redirects.append({"from": target, "to": self.redirects[target]})
                    target = self.redirects[target]
                page = self.pages.get(target)
                if page is None:
                    pages.append({"ns": 0, "title": target, "missing": True})
                else:
                    pages.append(self._page(page, page.revisions[-1], content))
            if redirects:
                query["redirects"] = redirects
        query["pages"] = pages
        return {"batchcomplete": True, "query": query}

    def _page(self, page: Page, revision: dict, content: bool) -> dict:
        text = revision["text"]
        answer = {
            "revid": revision["revid"],
            "parentid": revision["parentid"],
            "user": revision["user"],
            "timestamp": revision["timestamp"],
            "size": len(text.encode("utf-8")),
            "sha1": hashlib.sha1(text.encode("utf-8")).hexdigest(),
            "comment": revision["comment"],
        }
        if revision["anon"]:
            answer["anon"] = True
        else:
            answer["userid"] = revision["userid"]
        if content:
            answer["slots"] = {
                "main": {
                    "contentmodel": "wikitext",
                    "contentformat": "text/x-wiki",
                    "content": text,
                }
            }
        found = {
            "pageid": page.page_id,
            "ns": 0,
            "title": page.title,
            "contentmodel": "wikitext",
            "lastrevid": page.revisions[-1]["revid"],
            "length": len(page.revisions[-1]["text"].encode("utf-8")),
            "revisions": [answer],
        }
        if page.disambiguation:
            found["pageprops"] = {"disambiguation": ""}
        return found

    def _contributors(self, params: dict) -> dict:
        page = next(p for p in self.pages.values() if str(p.page_id) == params["pageids"])
        start = int(params.get("pccontinue", "0") or 0)
        half = max(1, len(page.contributors) // 2)
        part = page.contributors[start : start + half]
        answer: dict = {
            "query": {
                "pages": [
                    {
                        "pageid": page.page_id,
                        "ns": 0,
                        "title": page.title,
                        "anoncontributors": page.anonymous,
                        "contributors": [
                            {"userid": 100 + i, "name": name} for i, name in enumerate(part)
                        ],
                    }
                ]
            }
        }
        if start + half < len(page.contributors):
            answer["continue"] = {"pccontinue": str(start + half), "continue": "||"}
        else:
            answer["batchcomplete"] = True
        return answer

    def _category(self, params: dict) -> dict:
        name = params["cmtitle"]
        members = []
        for title in self.categories.get(name, []):
            if title.startswith("Category:"):
                members.append({"pageid": 9000 + len(members), "ns": 14, "title": title})
            elif title in self.pages:
                members.append({"pageid": self.pages[title].page_id, "ns": 0, "title": title})
        return {"batchcomplete": True, "query": {"categorymembers": members}}

    def _imageinfo(self, params: dict) -> dict:
        titles = params.get("titles", "").split("|")
        changes, now = self._normalized(titles)
        width = int(params.get("iiurlwidth", "0") or 0)
        pages = []
        for title in titles:
            target = now[title]
            name = target.partition(":")[2]
            file = self.files.get(name)
            if file is None:
                pages.append({"ns": 6, "title": target, "missing": True, "known": False})
                continue
            url = file.url or f"{self.upload_url}/{quote(name)}"
            info = {
                "size": len(file.data),
                "width": 64,  # (not read by fetch)
                "height": 48,
                "url": url,
                "descriptionurl": f"https://commons.wikimedia.org/wiki/File:{quote(name.replace(' ', '_'))}",
                "descriptionshorturl": "https://commons.wikimedia.org/w/index.php?curid=1",
                "sha1": hashlib.sha1(file.data).hexdigest(),
                "mime": file.mime,
                "extmetadata": {
                    key: {"value": value, "source": "commons-desc-page"}
                    for key, value in {
                        **file.licence,
                        "Artist": file.artist,
                        "Credit": file.credit,
                    }.items()
                },
            }
            svg = file.mime == "image/svg+xml"  # its thumbnail is a PNG drawing of it
            original = 10**6 if svg else Image.open(io.BytesIO(file.data)).width
            if width and width >= original:  # no thumbnail larger than the file: the file
                info["thumburl"], info["thumbwidth"] = url, original
            elif width:
                png = ".png" if svg else ""
                info["thumburl"] = f"{self.upload_url}/thumb/{width}px-{quote(name)}{png}"
                info["thumbwidth"] = width
                info["thumbheight"] = round(48 * width / 64)
            pages.append(
                {"ns": 6, "title": target, "imagerepository": "shared", "imageinfo": [info]}
            )
        query: dict = {"pages": pages}
        if changes:
            query["normalized"] = changes
        return {"batchcomplete": True, "query": query}
