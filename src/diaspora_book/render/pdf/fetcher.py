"""A WeasyPrint URL fetcher that serves only the project's own files.

Article text is escaped, so no `<img>` or `url()` from an article can reach the HTML;
this fetcher is the second wall. It refuses the network and any `file:` URL outside
the allowed folders, and records what it refused so the build can report it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher


class ProjectFetcher(URLFetcher):
    """Fetch `file:` URLs inside `roots`; refuse everything else."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=False)
        self.roots = [root.resolve() for root in roots]
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if any(path == root or root in path.parents for root in self.roots):
                return super().fetch(url, headers)
        elif parts.scheme == "data":
            return super().fetch(url, headers)
        self.refused.append(url)
        raise ValueError(f"refused to fetch {url}: only the project's own files may be read")
