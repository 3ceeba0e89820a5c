"""Real URLs versus the URLs actually requested.

Crawlers always work with the real site's URLs (so links resolve, ids are stable and sidecars name the
real page). Only at the wire is a URL rewritten to a mirror: `https://HOST/PATH?Q` becomes
`MIRROR/HOST/PATH?Q`, and a mirror response's URL is mapped back the same way.
"""
from __future__ import annotations

from urllib.parse import urlsplit


def mirror_file(url: str) -> str:
    """Relative file path of a real URL in a mirror tree: HOST/PATH, index.html for directories, '@QUERY' appended."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if path.endswith("/"):
        path += "index.html"
    name = f"{parts.netloc}{path}"
    return f"{name}@{parts.query}" if parts.query else name


class UrlMap:
    """Rewrites real URLs to a mirror base (or leaves them alone when there is no mirror)."""

    def __init__(self, mirror_base: str | None):
        self.mirror_base = mirror_base.rstrip("/") if mirror_base else None
        self._schemes: dict[str, str] = {}

    def to_wire(self, url: str) -> str:
        if not self.mirror_base:
            return url
        parts = urlsplit(url)
        self._schemes[parts.netloc] = parts.scheme
        query = f"?{parts.query}" if parts.query else ""
        return f"{self.mirror_base}/{parts.netloc}{parts.path or '/'}{query}"

    def to_real(self, wire_url: str) -> str:
        if not self.mirror_base or not wire_url.startswith(self.mirror_base + "/"):
            return wire_url
        host, _, rest = wire_url[len(self.mirror_base) + 1 :].partition("/")
        return f"{self._schemes.get(host, 'https')}://{host}/{rest}"
