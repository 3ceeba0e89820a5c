"""Serve a mirror tree (sources/mirror/HOST/PATH) over real HTTP on loopback.

It behaves like a small, well-mannered web server so the crawl exercises the real HTTP path:
ETag and Last-Modified with 304 answers to conditional requests, redirects listed in HOST/_redirects,
404 for anything absent, and no way out of the tree.
"""
from __future__ import annotations

import contextlib
import email.utils
import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
}


def content_type_for(path: str, data: bytes = b"") -> str:
    """By the extension of the last path segment; extension-less files are JSON if they look like it, else HTML."""
    name = path.split("@", 1)[0].rsplit("/", 1)[-1]
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if not suffix and data.lstrip()[:1] in (b"{", b"["):
        return "application/json"
    return CONTENT_TYPES.get(suffix, "text/html; charset=utf-8")


def _redirects(root: Path, host: str) -> dict[str, tuple[str, int]]:
    table = root / host / "_redirects"
    if not table.is_file():
        return {}
    rules = {}
    for line in table.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            source, target, status = line.split()
            rules[source] = (target, int(status))
    return rules


class _Handler(BaseHTTPRequestHandler):
    root: Path
    server_version = "AshyqMirror/1"

    def log_message(self, *args):  # quiet: the crawler logs what matters
        pass

    def do_HEAD(self):
        self._serve(send_body=False)

    def do_GET(self):
        self._serve(send_body=True)

    def _serve(self, send_body: bool):
        parts = urlsplit(self.path)
        host, _, rest = unquote(parts.path).lstrip("/").partition("/")
        local = "/" + rest + (f"?{parts.query}" if parts.query else "")
        redirect = _redirects(self.root, host).get(local)
        if redirect:
            target, status = redirect
            self.send_response(status)
            self.send_header("Location", f"/{host}{target}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        file = self._file(host, rest, parts.query)
        if file is None:
            self.send_error(404)
            return
        data = file.read_bytes()
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        mtime = int(file.stat().st_mtime)
        last_modified = email.utils.formatdate(mtime, usegmt=True)
        if self._not_modified(etag, mtime):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type_for(file.name, data))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", last_modified)
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def _file(self, host: str, rest: str, query: str) -> Path | None:
        relative = f"{host}/{rest}"
        if relative.endswith("/") or not rest:
            relative = relative.rstrip("/") + "/index.html"
        if query:
            relative += f"@{query}"
        candidate = (self.root / relative).resolve()
        if not host or self.root.resolve() not in candidate.parents or not candidate.is_file():
            return None
        return candidate

    def _not_modified(self, etag: str, mtime: int) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            parsed = email.utils.parsedate_to_datetime(since)
            return parsed is not None and mtime <= parsed.timestamp()
        return False


@contextlib.contextmanager
def serve_mirror(root: Path, host: str = "127.0.0.1", port: int = 0):
    """Serve `root` on loopback for the duration of the block; yields the base URL (no trailing slash)."""
    handler = type("MirrorHandler", (_Handler,), {"root": Path(root)})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="ashyq-mirror", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
