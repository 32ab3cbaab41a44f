"""HTTP to one MediaWiki site, as a good citizen of it (Wikimedia's API etiquette).

Every request carries a User-Agent naming the tool, its version and where to reach
its makers (Wikimedia's User-Agent policy); API requests ask `maxlag=5`, so a busy
wiki says "later" instead of being loaded further. At most two requests are in
flight at once, whatever the caller's threads do. A 429 or 503 (and the API's
`maxlag` error, which comes with HTTP 200) is retried after the `Retry-After` the
server asks for, or a doubling pause, a bounded number of times. No credentials are
ever sent. What the wiki answers is outside input: only http(s) URLs on the wiki's
own host, or the file repositories' hosts its API names, are followed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import httpx

from diaspora_book import __version__
from diaspora_book.plumbing.errors import BookError

# Where the people running the wiki can reach the tool's makers (Wikimedia's policy).
CONTACT_URL = "https://github.com/diaspora-book/diaspora-book"
USER_AGENT = f"diaspora-book/{__version__} ({CONTACT_URL}) httpx/{httpx.__version__}"
MAX_IN_FLIGHT = 2  # requests at once (API:Etiquette asks for serial or few)
MAXLAG = "5"  # seconds of replication lag above which the wiki should refuse us
ATTEMPTS = 5  # tries of one request before a 429/503/maxlag is an error
LONGEST_PAUSE = 60.0  # seconds: a Retry-After above this is cut to it
TIMEOUT = 30.0  # seconds without an answer: the request fails


# Shared by every client: at most MAX_IN_FLIGHT requests at once from this process,
# to one wiki or to several.
_IN_FLIGHT = threading.BoundedSemaphore(MAX_IN_FLIGHT)


class FetchError(BookError):
    """The wiki could not be asked, or answered something unusable."""


def api_url(wiki: str) -> str:
    """Return the api.php URL of `wiki`: a host ("en.wikipedia.org") or an api.php URL."""
    wiki = wiki.strip()
    if "://" not in wiki:
        if not wiki or "/" in wiki or any(c.isspace() for c in wiki):
            raise FetchError(f"'{wiki}' is neither a wiki's host name nor an api.php URL")
        return f"https://{wiki}/w/api.php"
    parts = urlsplit(wiki)
    if "@" in parts.netloc:
        raise FetchError(f"'{wiki}' holds a user name or password; fetch sends no credentials")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"'{wiki}' is not an http(s) URL of a wiki's api.php")
    if not parts.path.endswith("api.php"):
        raise FetchError(
            f"'{wiki}' does not end in api.php", hint="give the host, or the URL of its api.php"
        )
    return wiki


def host_of(url: str) -> str:
    """Return the host (and port) of an http(s) URL, lower case; "" for any other URL
    (and for one with a user name or password in it)."""
    try:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
            return ""  # a user name or password in a URL is a credential: never sent
        return parts.netloc.lower()
    except ValueError:
        return ""


class WikiClient:
    """One wiki's API and file hosts (with every client, at most `MAX_IN_FLIGHT` requests
    at a time)."""

    def __init__(
        self,
        api: str,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.api = api
        self.site = host_of(api)
        self.hosts = {self.site}  # the file repositories' hosts are added from siteinfo
        self._sleep = sleep
        self._paused_until = 0.0  # monotonic time before which no request is sent
        self._pause_guard = threading.Lock()
        self._thread = threading.local()  # the pause each thread has already waited out
        self._client = httpx.Client(
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"},
            timeout=TIMEOUT,
            follow_redirects=False,  # each hop is checked against the allowed hosts
            transport=transport,
            trust_env=False,  # no proxy credentials or .netrc from the environment
        )

    def close(self) -> None:
        self._client.close()

    def allow_hosts(self, urls: Iterable[str]) -> None:
        """Also follow URLs on the hosts of `urls` (the file repositories siteinfo names)."""
        self.hosts |= {host for url in urls if (host := host_of(url))}

    def allowed(self, url: str) -> bool:
        """Whether `url` is http(s) on the wiki's own host or a file repository's."""
        return bool(host_of(url)) and host_of(url) in self.hosts

    def query(self, **params: str) -> dict[str, Any]:
        """Return one answer of the API (`format=json`, `formatversion=2`, `maxlag=5`)."""
        full = {"format": "json", "formatversion": "2", "maxlag": MAXLAG, **params}
        for attempt in range(1, ATTEMPTS + 1):
            response = self._get(self.api, full)
            try:
                data = response.json()
            except ValueError:
                raise FetchError(
                    f"{self.site}: the API's answer is cut short or not JSON "
                    f"({len(response.content)} bytes)",
                    hint="try again later",
                ) from None
            error = data.get("error") if isinstance(data, dict) else None
            if isinstance(error, dict) and error.get("code") == "maxlag":
                self._wait(response, attempt, "the wiki's databases lag (maxlag)")
                continue
            if isinstance(error, dict):
                raise FetchError(
                    f"{self.site}: the API refused the request: "
                    f"{error.get('code', '?')}: {error.get('info', '')}".rstrip(": ")
                )
            if not isinstance(data, dict):
                raise FetchError(f"{self.site}: the API's answer is not a JSON object")
            return data
        raise AssertionError("unreachable: _wait raises after the last attempt")

    def download(self, url: str) -> bytes:
        """Return the bytes at `url`, which must be on an allowed host."""
        if not self.allowed(url):
            raise FetchError(
                f"{self.site}: not following {url!r}: not an http(s) URL on the wiki's hosts "
                f"({', '.join(sorted(self.hosts))})"
            )
        return self._get(url, None).content

    def _get(self, url: str, params: dict[str, str] | None) -> httpx.Response:
        """GET with the retries a 429 or 503 asks for; any other failure is a FetchError."""
        for attempt in range(1, ATTEMPTS + 1):
            self._hold()
            with _IN_FLIGHT:
                response = self._send(url, params)
            if response.status_code in (429, 503):
                self._wait(response, attempt, f"HTTP {response.status_code}")
                continue
            if response.is_redirect or response.status_code >= 400:
                what = "moved" if response.is_redirect else "failed"
                raise FetchError(
                    f"{host_of(url) or url}: {what}: HTTP {response.status_code} for {_short(url)}"
                )
            return response
        raise AssertionError("unreachable: _wait raises after the last attempt")

    def _send(self, url: str, params: dict[str, str] | None) -> httpx.Response:
        host = host_of(url) or url
        try:
            return self._client.get(url, params=params)
        except httpx.TimeoutException:
            raise FetchError(
                f"{host}: no answer within {TIMEOUT:g} s (timeout) for {_short(url)}",
                hint="try again later; what was already fetched is kept",
            ) from None
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise FetchError(
                f"{host}: the answer for {_short(url)} was cut short ({exc})",
                hint="try again; what was already fetched is kept",
            ) from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{host}: cannot connect: {exc}") from None

    def _wait(self, response: httpx.Response, attempt: int, why: str) -> None:
        """Pause as the server asks (Retry-After), else 2, 4, 8... s; give up at the last try.

        Every other request to the wiki waits for the same pause (`_hold`): a 429 is
        an answer to this client, not to one thread of it.
        """
        if attempt >= ATTEMPTS:
            raise FetchError(
                f"{self.site}: still refused after {ATTEMPTS} tries ({why})",
                hint="the wiki is busy: try again later; what was already fetched is kept",
            )
        pause = min(_retry_after(response) or 2.0**attempt, LONGEST_PAUSE)
        with self._pause_guard:
            self._paused_until = max(self._paused_until, time.monotonic() + pause)
            self._thread.waited = self._paused_until
        self._sleep(pause)

    def _hold(self) -> None:
        """Wait out a pause the wiki asked for while another thread was talking to it."""
        with self._pause_guard:
            until = self._paused_until
        if until > getattr(self._thread, "waited", 0.0):
            self._thread.waited = until
            ahead = until - time.monotonic()
            if ahead > 0:
                self._sleep(ahead)


def _retry_after(response: httpx.Response) -> float | None:
    """Return the seconds a `Retry-After: N` header asks for (None when absent or a date)."""
    value = response.headers.get("Retry-After", "").strip()
    try:
        return max(float(value), 0.0) if value else None
    except ValueError:
        return None


def _short(url: str) -> str:
    return url if len(url) <= 120 else url[:117] + "..."
