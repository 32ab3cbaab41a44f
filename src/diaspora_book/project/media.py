"""The project's `media/` folder: which image files an article's figures can use.

MediaWiki file names are matched as the wiki matches them: underscores are spaces
and the first letter's case does not matter ("example.jpg" is "Example.jpg").
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from urllib.parse import unquote

# What every reading system and WeasyPrint show.
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp"}


def media_dir(article_path: Path) -> Path:
    """Return the `media/` folder of the project an article file belongs to."""
    return article_path.parent.parent / "media"


def media_key(name: str) -> str:
    """Return the form file names are compared in."""
    name = " ".join(name.replace("_", " ").split())
    return name[:1].upper() + name[1:]


def media_files(folder: Path) -> dict[str, str]:
    """Return compared name -> actual file name, for the images in `folder`."""
    if not folder.is_dir():
        return {}
    return {
        media_key(path.name): path.name
        for path in sorted(folder.iterdir())
        if path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES
    }


_FIGURE = re.compile(r"\]\(media/([^()\s/\\]+)\)\{\.figure\}")
_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}


def embed_media(markdown: str, root: Path) -> str:
    """Return `markdown` with its `media/` figures as data: URIs.

    pandoc runs with `--sandbox` and may read no file the command line does not name,
    so the EPUB gets each image inline; its writer stores it as a file of the book.
    The print edition reads `media/` through WeasyPrint's project-only fetcher.
    """
    folder = (root / "media").resolve()

    def inline(match: re.Match[str]) -> str:
        path = (folder / unquote(match.group(1))).resolve()
        kind = _TYPES.get(path.suffix.lower())
        if kind is None or path.parent != folder or not path.is_file():
            return match.group(0)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"](data:{kind};base64,{data}){{.figure}}"

    return _FIGURE.sub(inline, markdown)
