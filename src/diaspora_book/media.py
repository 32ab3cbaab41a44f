"""The project's `media/` folder: which image files an article's figures can use.

MediaWiki file names are matched as the wiki matches them: underscores are spaces
and the first letter's case does not matter ("example.jpg" is "Example.jpg").
"""

from __future__ import annotations

from pathlib import Path

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
