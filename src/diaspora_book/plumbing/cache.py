"""An incremental build cache keyed by content hashes of each stage's inputs.

Most builds happen in CI on small changes. Each stage records, under a key that
hashes everything it read (article bytes, shared project files, stylesheets,
templates, the tool's own code and the versions of pandoc and WeasyPrint), what it
produced; the next build skips the stage when the key matches and the outputs on
disk still have the recorded hashes. The cache lives in `<project>/.cache/`;
`--no-cache` ignores what is recorded there and records the build it does.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from diaspora_book.model import SourceSpan
from diaspora_book.plumbing.errors import BookError
from diaspora_book.plumbing.outputs import write_text

VERSION = 1  # bump when the layout of cache records changes
# The package's own files that shape what a build makes (code, templates, styles, Lua
# filters, the CSL style and locales, message catalogues, the wikis' own words in
# read/mediawiki/wiki_words.json, the print shops' CMYK profile); anything else
# (caches, bytecode) does not count.
FINGERPRINTED = frozenset(
    {".py", ".css", ".j2", ".html", ".lua", ".csl", ".xml", ".yml", ".json", ".icc"}
)


def digest(*parts: bytes | str) -> str:
    """Return a hex SHA-256 of the parts, each length-prefixed so boundaries count."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def file_digest(path: Path) -> str:
    """Hash a project file; one that cannot be read is a BookError naming it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        shown = path.name
        raise BookError(
            f"cannot read {shown}: {exc.strerror or exc}", SourceSpan(shown, 1)
        ) from None
    return hashlib.sha256(data).hexdigest()


@functools.cache
def tool_fingerprint() -> str:
    """Hash of this package's own files and the versions of the tools it drives.

    Any change to the code, templates, default styles, message catalogues or CSL
    locales, or an upgrade of pandoc, WeasyPrint, ICU or CLDR (Babel), invalidates
    every cached stage.
    """
    package = Path(str(resources.files("diaspora_book")))
    parts: list[str | bytes] = [str(VERSION)]
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in FINGERPRINTED:
            parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    dists = ("pypandoc-binary", "pypandoc_binary", "weasyprint", "pydyf", "fonttools", "pyicu")
    for dist in (*dists, "babel", "pyspellchecker"):
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=none")
    parts.append("SOURCE_DATE_EPOCH=" + os.environ.get("SOURCE_DATE_EPOCH", ""))
    return digest(*parts)


class BuildCache:
    """Records of finished stages: `lookup` before doing the work, `store` after."""

    def __init__(self, root: Path, enabled: bool = True, reuse: bool = True):
        self.directory = root / ".cache" / "diaspora-book"
        self.enabled = enabled  # False: neither read nor write (the library's default)
        self.reuse = reuse  # False (--no-cache): ignore old records, still record this build
        self.hits: list[str] = []  # stages reused in this build, in order
        self.misses: list[str] = []  # stages that had to run

    def _record_path(self, stage: str) -> Path:
        return self.directory / f"{digest(stage)[:24]}.json"

    def lookup(self, stage: str, key: str, outputs: tuple[Path, ...] = ()) -> dict[str, Any] | None:
        """Return the stored data of `stage` if its key and its output files still match."""
        data = self._lookup(stage, key, outputs)
        (self.misses if data is None else self.hits).append(stage)
        return data

    def holds(self, stage: str, key: str, outputs: tuple[Path, ...] = ()) -> bool:
        """Whether `lookup` would find `stage` up to date (not counted as a hit or a miss)."""
        return self._lookup(stage, key, outputs) is not None

    def _lookup(self, stage: str, key: str, outputs: tuple[Path, ...]) -> dict[str, Any] | None:
        if not (self.enabled and self.reuse):
            return None
        path = self._record_path(stage)
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if record.get("key") != key:
            return None
        recorded = record.get("outputs", {})
        for output in outputs:
            if recorded.get(str(output)) is None or not output.is_file():
                return None
            if file_digest(output) != recorded[str(output)]:
                return None
        return record.get("data", {})

    def store(
        self, stage: str, key: str, data: dict[str, Any], outputs: tuple[Path, ...] = ()
    ) -> None:
        """Record that `stage` ran with `key`, producing `outputs` and `data`."""
        if not self.enabled:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        record = {
            "stage": stage,
            "key": key,
            "outputs": {str(output): file_digest(output) for output in outputs},
            "data": data,
        }
        # Atomic: a killed build never leaves half a record.
        write_text(self._record_path(stage), json.dumps(record, ensure_ascii=False), durable=False)


def disabled() -> BuildCache:
    """Return a cache that never hits and stores nothing (the library's default)."""
    return BuildCache(Path("/nonexistent"), enabled=False)
