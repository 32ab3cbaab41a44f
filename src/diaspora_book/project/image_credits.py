"""`media/credits.yml`: who made each image in `media/`, and under which licence.

`fetch` writes it from each file's description page; an editor may add the credits
of images of their own in the same form. The attribution appendix ("Image sources,
licences and contributors") and the copyright page's list of licences read it:

    Pear 01.jpg:
      description: https://commons.wikimedia.org/wiki/File:Pear_01.jpg
      author: Jane Doe
      credit: Own work
      licence: CC BY-SA 4.0
      licence_url: https://creativecommons.org/licenses/by-sa/4.0

A problem in it is an error at its `media/credits.yml:line`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from diaspora_book.model import SourceSpan
from diaspora_book.plumbing.errors import BookError
from diaspora_book.plumbing.outputs import write_text
from diaspora_book.plumbing.strict_text import read_text
from diaspora_book.plumbing.yamlfile import MappingNode, compose, plain, span

CREDITS = "media/credits.yml"
_HEADER = (
    "# The credits of the images in media/: written by `diaspora-book fetch` from each\n"
    "# file's description page; add your own images' credits in the same form.\n"
)


@dataclass(frozen=True)
class ImageCredit:
    """What the book must say about one image it prints."""

    name: str  # the file name in media/ ("Pear 01.jpg")
    description: str = ""  # the description page's URL
    author: str = ""  # plain text
    credit: str = ""  # plain text ("Own work", a source)
    licence: str = ""  # short name ("CC BY-SA 4.0")
    licence_url: str = ""  # "" when the licence has none (public domain)
    span: SourceSpan | None = field(default=None, compare=False)  # its credits.yml entry


_KEYS = tuple(f.name for f in fields(ImageCredit) if f.name not in ("name", "span"))


def read_credits(root: Path) -> dict[str, ImageCredit]:
    """Return file name -> credit from the project's media/credits.yml (none: {})."""
    path = root / CREDITS
    if not path.is_file():
        return {}
    node = compose(read_text(path, CREDITS), CREDITS)
    if node is None:
        return {}
    if not isinstance(node, MappingNode):
        raise BookError(
            "credits.yml must map image file names to their credits", span(CREDITS, node)
        )
    found: dict[str, ImageCredit] = {}
    for key, value in node.value:
        where = span(CREDITS, key)
        entry = plain(value)
        if not isinstance(entry, dict):
            raise BookError(f"the credit of '{key.value}' must have {', '.join(_KEYS)}", where)
        unknown = sorted(set(map(str, entry)) - set(_KEYS))
        if unknown:
            raise BookError(
                f"unknown key '{unknown[0]}' in the credit of '{key.value}'",
                where,
                "a credit has: " + ", ".join(_KEYS),
            )
        values = {k: str(entry.get(k) or "").strip() for k in _KEYS}
        found[str(key.value)] = ImageCredit(str(key.value), span=where, **values)
    return found


def write_credits(root: Path, credits: Sequence[ImageCredit]) -> None:
    """Add or replace the entries of `credits` in media/credits.yml (atomically).

    Everything else an editor wrote there stays as it was, comments and order
    included (a round trip through ruamel.yaml); a new file starts with a header.
    """
    path = root / CREDITS
    text = read_text(path, CREDITS) if path.is_file() else _HEADER
    yaml = YAML(typ="rt")
    yaml.width = 1000
    document = yaml.load(text)
    prefix = ""
    if document is None:  # no file yet, or only comments: they stay on top
        document, prefix = CommentedMap(), text
    if not isinstance(document, CommentedMap):
        raise BookError(
            "credits.yml must map image file names to their credits", SourceSpan(CREDITS, 1)
        )
    for credit in credits:
        entry = CommentedMap((k, v) for k, v in asdict(credit).items() if k in _KEYS)
        if credit.name in document:
            document[credit.name] = entry
        else:  # in order of file name among the others: the same file whatever came first
            keys = [str(k) for k in document]
            place = next((i for i, k in enumerate(keys) if k > credit.name), len(keys))
            document.insert(place, credit.name, entry)
    out = io.StringIO()
    yaml.dump(document, out)
    write_text(path, prefix + out.getvalue())
