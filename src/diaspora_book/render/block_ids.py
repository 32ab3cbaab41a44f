"""The pandoc Lua filter that gives every block of the book a stable id.

The print HTML and the EPUB both run it on the same manuscript, so an id names the
same paragraph in both: WeasyPrint reports the page each id starts on, and the EPUB
writer puts the print edition's page-break markers next to those ids. The filter is
named on pandoc's command line, which `--sandbox` allows.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def lua_filter_args() -> list[str]:
    """Return the pandoc arguments that run the block-id filter."""
    path = Path(str(resources.files("diaspora_book") / "filters" / "block_ids.lua"))
    return [f"--lua-filter={path}"]
