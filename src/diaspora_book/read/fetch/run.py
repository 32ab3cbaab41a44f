"""`diaspora-book fetch`: articles, their images and credits from a wiki, pinned in the lock.

What happens, for each title (or each article of `--category`):

1. If the lock has it and its file still matches, nothing is asked (resumable: a
   second run fetches only what is missing). A locked file that is missing is
   fetched again at its pinned revision. A locked file an editor changed is left
   as it is, with a warning.
2. Otherwise its newest revision (a redirect followed and said, a disambiguation
   page warned), its contributors and the wiki's words are written to
   `articles/<name>.xml` as a Special:Export file.
3. The files it shows are asked for at the width print needs (the page's width at
   300 dpi; SVG as SVG), with their credits; a file under a licence that is not
   free, or none, is not downloaded, and a warning names it.
4. The lock and `media/credits.yml` are written after each file, so an interrupted
   run keeps all it finished.

`--update` asks for each locked article's newest revision and fetches those that
changed, saying what changed (title, old -> new revision, size). Without it,
nothing that was fetched changes. Every write is atomic (plumbing/outputs.py).
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.plumbing.outputs import write_bytes
from diaspora_book.plumbing.progress import SILENT, Progress
from diaspora_book.project.config import Project
from diaspora_book.project.image_credits import ImageCredit, read_credits, write_credits
from diaspora_book.project.media import IMAGE_SUFFIXES
from diaspora_book.read.fetch import api
from diaspora_book.read.fetch.export_xml import export_xml
from diaspora_book.read.fetch.http import MAX_IN_FLIGHT, FetchError, WikiClient, api_url
from diaspora_book.read.fetch.images import credit_of, licence_problem, safe_name, used_files
from diaspora_book.read.fetch.lock import (
    Lock,
    LockedArticle,
    LockedImage,
    file_sha1,
    file_sha256,
    read_lock,
    write_lock,
)

# The page's width in inches, per book.yml `page_size` (A4 210 mm, A5 148 mm...).
PAGE_WIDTH = {"A4": 210 / 25.4, "A5": 148 / 25.4, "Letter": 8.5, "6in 9in": 6.0}
DPI = 300


@dataclass(frozen=True)
class FetchRequest:
    """What to fetch, and from where."""

    titles: tuple[str, ...] = ()
    wiki: str = ""  # a host or an api.php URL; "" -> book.yml `wiki:`
    category: str = ""
    depth: int = 0  # levels of subcategories under `category`
    update: bool = False  # fetch newer revisions of what the lock pins


@dataclass(frozen=True)
class FetchReport:
    written: tuple[str, ...]  # files written, relative to the project
    changes: tuple[str, ...]  # `--update`: "Pear: revision 1 -> 2 (3,000 -> 3,100 bytes)"
    up_to_date: int  # articles the lock already had, unchanged
    diagnostics: Diagnostics = field(default_factory=Diagnostics)

    def summary(self) -> str:
        """One line: "fetched 2 articles and 5 images; 3 up to date"."""
        articles = sum(1 for p in self.written if p.startswith("articles/"))
        images = len(self.written) - articles
        counted = [
            f"{n} {noun if n == 1 else noun + 's'}"
            for n, noun in ((articles, "article"), (images, "image"))
        ]
        late = f"; {self.up_to_date} up to date" if self.up_to_date else ""
        return f"fetched {counted[0]} and {counted[1]}{late}"


def usage_problem(request: FetchRequest, project_dir: Path) -> str:
    """Return what is wrong with how `fetch` was called ("" when nothing is): with no
    title, category or --update it restores a clone from articles.lock, if there is one."""
    asked = request.titles or request.category or request.update
    if not asked and not (project_dir / "articles.lock").is_file():
        return "give TITLEs, --category NAME or --update"
    if request.depth and not request.category:
        return "--depth goes with --category"
    return ""


@dataclass(frozen=True)
class _Job:
    """One article to fetch: by title (newest revision) or at a pinned revision."""

    wiki: str
    title: str
    revision: int = 0  # a pinned revision to fetch again; 0: the newest
    old: LockedArticle | None = None  # what the lock had (an update)


def print_width(project: Project) -> int:
    """Return the pixel width images are fetched at: the page's width at 300 dpi."""
    return round(PAGE_WIDTH.get(project.config.page_size, PAGE_WIDTH["A4"]) * DPI)


def fetch(
    project: Project,
    request: FetchRequest,
    progress: Progress = SILENT,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchReport:
    """Fetch what `request` asks into `project`; raise FetchError (or BookError) on a fault."""
    read_credits(project.root)  # a broken credits.yml stops here, before anything is fetched
    state = _State(project, read_lock(project.root), progress)
    wiki = request.wiki or project.config.wiki or ""
    if not wiki and (request.titles or request.category):
        raise FetchError(
            "which wiki? give --wiki (en.wikipedia.org, or an api.php URL)",
            hint="or set 'wiki:' in book.yml",
        )
    sessions = _Sessions(transport, sleep)
    try:
        jobs = _jobs(state, sessions, request, wiki)
        with progress.counting("fetch", len(jobs)) as done:
            _run(state, sessions, jobs, done)
        if not request.update:
            _missing_images(state, sessions)
    finally:
        sessions.close()
    return FetchReport(
        tuple(state.written), tuple(state.changes), state.up_to_date, state.diagnostics
    )


class _Sessions:
    """One client and siteinfo per wiki, made when first needed."""

    def __init__(
        self, transport: httpx.BaseTransport | None, sleep: Callable[[float], None]
    ) -> None:
        self.transport, self.sleep = transport, sleep
        self.open: dict[str, tuple[WikiClient, api.SiteInfo]] = {}
        self._guard = threading.Lock()

    def get(self, wiki: str) -> tuple[WikiClient, api.SiteInfo]:
        with self._guard:
            if wiki not in self.open:
                client = WikiClient(api_url(wiki), self.transport, self.sleep)
                site = api.site_info(client)
                client.allow_hosts(site.repositories)
                self.open[wiki] = (client, site)
            return self.open[wiki]

    def close(self) -> None:
        for client, _ in self.open.values():
            client.close()


class _State:
    """The lock and credits as they grow, written after each file (one writer at a time)."""

    def __init__(self, project: Project, lock: Lock, progress: Progress) -> None:
        self.project, self.root, self.progress = project, project.root, progress
        self.lock = lock
        self.written: list[str] = []
        self.changes: list[str] = []
        self.up_to_date = 0
        self.claimed: set[tuple[str, str]] = set()  # (wiki, title) of pages being fetched
        self.diagnostics = Diagnostics()
        self.guard = threading.Lock()

    def warn(self, message: str, hint: str = "") -> None:
        with self.guard:
            self.diagnostics.warn(None, message, hint)

    def pin_article(self, entry: LockedArticle) -> None:
        with self.guard:
            others = tuple(a for a in self.lock.articles if a.file != entry.file)
            self.lock = replace(self.lock, articles=(*others, entry))
            write_lock(self.root, self.lock)
            self.written.append(entry.file)

    def pin_image(self, entry: LockedImage, credit: ImageCredit) -> None:
        with self.guard:
            others = tuple(i for i in self.lock.images if i.name != entry.name)
            self.lock = replace(self.lock, images=(*others, entry))
            write_credits(self.root, [credit])  # the credits first: an image never lacks them
            write_lock(self.root, self.lock)
            self.written.append(f"media/{entry.name}")


def _jobs(state: _State, sessions: _Sessions, request: FetchRequest, wiki: str) -> list[_Job]:
    """Decide which articles need fetching: new titles, missing files, newer revisions."""
    titles = list(dict.fromkeys(" ".join(t.replace("_", " ").split()) for t in request.titles))
    if request.category:
        client, _ = sessions.get(wiki)
        name = request.category if ":" in request.category else f"Category:{request.category}"
        members = api.category_members(client, name, request.depth)
        if not members:
            raise FetchError(f"{client.site}: '{name}' holds no articles")
        titles += [t for t in members if t not in titles]
    jobs: list[_Job] = []
    locked = list(state.lock.articles)
    asked = {(wiki, t) for t in titles}
    if request.update:
        targets = [a for a in locked if not titles or (a.wiki, a.title) in asked]
        jobs += _newer(state, sessions, targets)
    for title in titles:
        entry = state.lock.article(wiki, title)
        if entry is None:
            jobs.append(_Job(wiki, title))
        elif not request.update:
            jobs += _restore(state, entry)
    if not request.update:  # resume: whatever the lock pins and is missing
        for entry in locked:
            if (entry.wiki, entry.title) not in asked:
                jobs += _restore(state, entry, quiet=True)
    return jobs


def _restore(state: _State, entry: LockedArticle, quiet: bool = False) -> list[_Job]:
    """A locked article: nothing to do if its file matches, its pinned revision if missing."""
    path = state.root / entry.file
    if not path.is_file():
        return [_Job(entry.wiki, entry.title, entry.revision, entry)]
    if file_sha256(path) != entry.sha256:
        state.warn(
            f"{entry.file} was changed since it was fetched; it is left as it is",
            "`build` stops on it until it matches articles.lock again",
        )
    elif not quiet:
        state.up_to_date += 1
    return []


def _newer(state: _State, sessions: _Sessions, locked: list[LockedArticle]) -> list[_Job]:
    """Ask each wiki for its locked articles' newest revisions; a job for each that changed."""
    jobs = []
    for wiki in dict.fromkeys(a.wiki for a in locked):
        client, _ = sessions.get(wiki)
        mine = [a for a in locked if a.wiki == wiki]
        newest = api.latest_revisions(client, [a.title for a in mine])
        for entry in mine:
            found = newest.get(entry.title)
            if found is None:
                state.warn(f"{entry.title}: no longer on {client.site}; {entry.file} is kept")
            elif found["revid"] != entry.revision:
                jobs.append(_Job(wiki, entry.title, 0, entry))
            elif (state.root / entry.file).is_file():
                state.up_to_date += 1
            else:
                jobs.append(_Job(wiki, entry.title, entry.revision, entry))
    return jobs


def _run(state: _State, sessions: _Sessions, jobs: list[_Job], done: Callable[[str], None]) -> None:
    """Fetch the jobs, two at a time; the first fault stops the rest and is raised."""
    if not jobs:
        return
    with ThreadPoolExecutor(max_workers=MAX_IN_FLIGHT) as pool:
        futures = {pool.submit(_article, state, sessions, job): job for job in jobs}
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in finished:
                if future.exception() is not None:
                    for other in pending:
                        other.cancel()
                    raise future.exception()  # type: ignore[misc]
                done(futures[future].title)


def _article(state: _State, sessions: _Sessions, job: _Job) -> None:
    """Fetch one article, then its images; pin each in the lock when written."""
    client, site = sessions.get(job.wiki)
    if job.revision:
        page = api.page_revision(client, revision=str(job.revision))
    else:
        page = api.page_revision(client, title=job.title)
    if page.redirected_from:
        state.progress.note(f"{page.redirected_from}: a redirect to '{page.title}', followed")
    if page.disambiguation:
        state.warn(
            f"'{page.title}' is a disambiguation page (a list of articles, not an article)",
            "fetch the article you meant instead",
        )
    with state.guard:  # two titles for one page (a redirect and its target): fetched once
        again = (job.wiki, page.title) in state.claimed or (
            job.old is None and job.title != page.title and state.lock.article(job.wiki, page.title)
        )
        state.claimed.add((job.wiki, page.title))
        if again:
            state.up_to_date += 1
            return
    file = f"articles/{article_file_name(page.title)}.xml"
    clash = next((a for a in state.lock.articles if a.file == file and a.title != page.title), None)
    if clash is not None:
        raise FetchError(f"'{page.title}' would be written to {file}, which holds '{clash.title}'")
    people = api.contributors(client, page.page_id)
    try:
        data = export_xml(site, page, people).encode("utf-8")
    except ValueError as exc:  # characters XML cannot hold
        raise FetchError(f"{client.site}: '{page.title}' cannot be written as XML: {exc}") from None
    _images(state, sessions, job.wiki, page)
    write_bytes(state.root / file, data)
    revision = page.revision
    entry = LockedArticle(
        file,
        job.wiki,
        page.title,
        revision["revid"],
        revision["size"],
        hashlib.sha256(data).hexdigest(),
    )
    if job.old is not None and job.old.revision == entry.revision:
        if job.old.sha256 != entry.sha256:  # restored: same text, the credits grew since
            state.warn(
                f"{file}: fetched again at its pinned revision {entry.revision}, but the "
                "file differs from the pinned one (the wiki's list of contributors changed); "
                "articles.lock now pins this one"
            )
    elif job.old is not None:
        with state.guard:
            state.changes.append(
                f"{page.title}: revision {job.old.revision} -> {entry.revision} "
                f"({job.old.size:,} -> {entry.size:,} bytes)"
            )
    state.pin_article(entry)


def _images(state: _State, sessions: _Sessions, wiki: str, page: api.PageRevision) -> None:
    """Fetch the files the article shows that the lock does not hold yet."""
    _, site = sessions.get(wiki)
    wanted = []
    for name in used_files(page.revision["text"], site.namespace_words(6)):
        local = safe_name(name)
        if not local:
            state.warn(f"{page.title}: the file name {name!r} could leave media/; not fetched")
            continue
        if Path(local).suffix.lower() not in IMAGE_SUFFIXES:
            state.warn(f"{page.title}: '{name}' is not an image the book can print; not fetched")
            continue
        pinned = state.lock.image(local)
        path = state.root / "media" / local
        if pinned is not None and path.is_file():
            if file_sha1(path) != pinned.sha1:
                state.warn(f"media/{local} was changed since it was fetched; it is left as it is")
            continue
        wanted.append(local)
    _download(state, sessions, wiki, wanted, page.title)


def _missing_images(state: _State, sessions: _Sessions) -> None:
    """Fetch again the pinned images whose files are missing (a resumed or restored book)."""
    missing = [i for i in state.lock.images if not (state.root / "media" / i.name).is_file()]
    for wiki in dict.fromkeys(i.wiki for i in missing):
        names = [i.name for i in missing if i.wiki == wiki]
        _download(state, sessions, wiki, names, "media/")


def _download(state: _State, sessions: _Sessions, wiki: str, names: list[str], where: str) -> None:
    """Ask for the files' imageinfo at print width; download those under a free licence."""
    if not names:
        return
    client, _ = sessions.get(wiki)
    infos = api.image_infos(client, [f"File:{n}" for n in names], print_width(state.project))
    for local in names:
        info = infos.get(f"File:{local}") or {"missing": True}
        if info.get("missing") or not info.get("url"):
            state.warn(f"{where}: the file '{local}' is not on {client.site}; not fetched")
            continue
        problem = licence_problem(info)
        if problem:
            state.warn(f"{where}: the image '{local}' is not fetched: {problem}")
            continue
        url = _image_url(local, info)
        if not client.allowed(url):
            state.warn(
                f"{where}: the image '{local}' is not fetched: its URL {url!r} is not "
                f"http(s) on the wiki's hosts ({', '.join(sorted(client.hosts))})"
            )
            continue
        data = client.download(url)
        if url == _absolute(str(info["url"])) and info.get("sha1"):
            if hashlib.sha1(data).hexdigest() != str(info["sha1"]).lower():
                raise FetchError(
                    f"{client.site}: '{local}' arrived damaged or cut short (its sha1 differs)",
                    hint="try again; what was already fetched is kept",
                )
        if not data:
            raise FetchError(f"{client.site}: '{local}' arrived empty")
        write_bytes(state.root / "media" / local, data)
        credit = credit_of(local, info)
        entry = LockedImage(local, wiki, hashlib.sha1(data).hexdigest(), credit.licence)
        pinned = state.lock.image(local)
        if pinned is not None and pinned.sha1 != entry.sha1:
            state.warn(
                f"media/{local}: the wiki's copy differs from the pinned one (sha1 "
                f"{pinned.sha1[:12]}..., now {entry.sha1[:12]}...); articles.lock now pins it"
            )
        state.pin_image(entry, credit)


def _image_url(name: str, info: dict[str, Any]) -> str:
    """The URL of a file at print size: its thumbnail at the asked width; an SVG whole."""
    svg = str(info.get("mime") or "") == "image/svg+xml" or name.lower().endswith(".svg")
    thumb = str(info.get("thumburl") or "")
    return _absolute(str(info["url"]) if svg or not thumb else thumb)


def _absolute(url: str) -> str:
    return "https:" + url if url.startswith("//") else url


_UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f]')


def article_file_name(title: str) -> str:
    """Return the file name (without .xml) an article is written under: its title,
    underscores for spaces, characters no file name may hold replaced by "_"."""
    name = _UNSAFE.sub("_", unicodedata.normalize("NFC", title).replace(" ", "_"))
    name = name.lstrip(".") or "article"
    return name[:200]
