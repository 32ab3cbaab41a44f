"""Write files so that a failure never replaces a good one with a broken one.

Every file the tool writes (the PDF, the EPUB, handouts, `chapters/`, the entries
`glossary suggest` and `index suggest` append, cache records) is first written in
full to a hidden scratch file in the same folder, then renamed over its target. A
rename within one folder is atomic: a reader, or the next build, sees the old file
or the new one, never half of one. A write that fails (a full disk, a read-only
folder, a file where a folder should be) is a `BookError` naming the target, and the
scratch file is removed. What the user keeps (the outputs, `chapters/`, their own
files) is flushed to disk before the rename and the rename after it, so a power cut
leaves the old file or the new one; the caches' files are not (`durable=False`):
each is checked when read back (a digest, a record that must parse) and a damaged
one made again, and flushing them cost 0.6 s of a 200-article build.

`OutputRecord` remembers which files in a shared folder the tool wrote, so that a
clean-up removes only those and never a file of the user's that happens to look
like one of them.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from diaspora_book.plumbing.errors import BookError


def cannot_write(path: Path, exc: OSError) -> BookError:
    """Return the one-line error for an OS fault while writing `path`."""
    reason = exc.strerror or str(exc)
    return BookError(f"cannot write {path}: {reason}")


@contextlib.contextmanager
def replacing(target: Path, durable: bool = True) -> Iterator[Path]:
    """Yield a scratch path beside `target`; rename it over `target` if the block succeeds.

    The scratch file exists (empty) when the block starts, with the permissions a new
    file gets. On any failure it is removed and `target` is left as it was; an OS
    fault while writing the scratch file or renaming it becomes a BookError naming
    `target`. `durable=False`: neither is flushed to disk (a cache's file, checked
    when read back).
    """
    scratch = _create_scratch(target)
    try:
        yield scratch
        if durable:
            _flush_to_disk(scratch)
        os.replace(scratch, target)
        if durable:
            _flush_directory(target.parent)
    except OSError as exc:
        if exc.filename not in (None, str(scratch), str(target)):
            raise  # about another file: the caller knows what it was reading
        raise cannot_write(target, exc) from None
    finally:
        with contextlib.suppress(OSError):
            scratch.unlink(missing_ok=True)


def write_bytes(target: Path, data: bytes, durable: bool = True) -> None:
    """Write `data` to `target` atomically (see `replacing`)."""
    with replacing(target, durable) as scratch:
        scratch.write_bytes(data)


def write_text(target: Path, text: str, durable: bool = True) -> None:
    """Write `text` as UTF-8 to `target` atomically (see `replacing`)."""
    write_bytes(target, text.encode("utf-8"), durable)


def remove_scratch(target: Path) -> None:
    """Remove scratch files for `target` left by a writer that was killed mid-write.

    A writer that fails removes its own; one killed (a worker stopped by Ctrl-C)
    cannot, so the process that stopped it calls this.
    """
    with contextlib.suppress(OSError):
        for scratch in target.parent.glob(f".{glob.escape(target.name)}.*.part"):
            scratch.unlink(missing_ok=True)


def _create_scratch(target: Path) -> Path:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        folders = [target.parent, *target.parent.parents]
        blocker = next((p for p in folders if p.exists() and not p.is_dir()), None)
        if blocker is not None:
            raise BookError(f"cannot write {target}: {blocker} is a file, not a folder") from None
        raise cannot_write(target.parent, exc) from None
    while True:
        scratch = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            with open(scratch, "xb"):  # O_EXCL: never another process's scratch file
                return scratch
        except FileExistsError:
            continue
        except OSError as exc:
            raise cannot_write(target, exc) from None


def _flush_to_disk(path: Path) -> None:
    with open(path, "rb+") as stream:
        os.fsync(stream.fileno())


def _flush_directory(directory: Path) -> None:
    """Make the rename itself durable (a no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError):
        handle = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


class OutputRecord:
    """The names of the files the tool wrote in a folder, kept in a hidden file there.

    A folder such as `--out` may hold the user's own files beside the tool's; only
    files named in the record are ever removed by a clean-up.
    """

    def __init__(self, directory: Path, name: str):
        self.path = directory / name

    def names(self) -> set[str]:
        """Return the recorded file names (none when there is no readable record)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return set()
        files = data.get("files") if isinstance(data, dict) else None
        if not isinstance(files, list):
            return set()
        # Plain names only: a record can never point outside its folder.
        return {n for n in files if isinstance(n, str) and n == Path(n).name and n[:1] != "."}

    def save(self, names: set[str]) -> None:
        """Record exactly `names` as the tool's files in the folder."""
        data = {"written-by": "diaspora-book", "files": sorted(names)}
        write_text(self.path, json.dumps(data, indent=1) + "\n")
