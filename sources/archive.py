"""The raw layer: every fetched document stored once, addressed by the sha256 of its bytes.

Layout under the archive root:
    sha256/ab/abcdef…          the bytes, exactly as received
    sha256/ab/abcdef….json     sidecar: where and when these bytes were first retrieved
    urls/<sha256 of url>.json  the latest response per URL (sha, ETag, Last-Modified) for conditional GET

Storing identical bytes again adds nothing: the first sidecar is kept, so provenance (and every
release built from it) stays stable across re-runs.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from sources.files import sha256_bytes, write_atomic, write_json_atomic


@dataclass(frozen=True)
class Sidecar:
    sha256: str
    source_id: str
    role: str
    url: str
    final_url: str
    retrieved_at: str
    http_status: int
    content_type: str
    etag: str
    last_modified: str
    bytes: int
    sample: bool

    @property
    def archive_path(self) -> str:
        return f"sha256/{self.sha256[:2]}/{self.sha256}"


class RawArchive:
    def __init__(self, root: Path):
        self.root = Path(root)

    def _blob(self, sha: str) -> Path:
        return self.root / "sha256" / sha[:2] / sha

    def _url_state(self, url: str) -> Path:
        return self.root / "urls" / f"{sha256_bytes(url.encode('utf-8'))}.json"

    def put(self, data: bytes, **meta) -> Sidecar:
        """Archive `data` unless its sha256 is already there; return the (first) sidecar either way."""
        sha = sha256_bytes(data)
        existing = self.sidecar(sha)
        if existing is not None:
            return existing
        sidecar = Sidecar(sha256=sha, bytes=len(data), **meta)
        write_atomic(self._blob(sha), data)
        write_json_atomic(self._blob(sha).with_suffix(".json"), asdict(sidecar))
        return sidecar

    def read(self, sha: str) -> bytes:
        data = self._blob(sha).read_bytes()
        if sha256_bytes(data) != sha:
            raise ValueError(f"raw archive: {self._blob(sha)} is corrupt (its bytes no longer hash to {sha})")
        return data

    def sidecar(self, sha: str) -> Sidecar | None:
        path = self._blob(sha).with_suffix(".json")
        if not path.exists() or not self._blob(sha).exists():
            return None
        return Sidecar(**json.loads(path.read_text("utf-8")))

    def path_of(self, sha: str) -> Path:
        return self._blob(sha)

    def last_response(self, url: str) -> dict | None:
        """What this URL returned last time: {sha256, etag, last_modified, final_url}, for conditional GET."""
        path = self._url_state(url)
        if not path.exists():
            return None
        state = json.loads(path.read_text("utf-8"))
        return state if self.sidecar(state["sha256"]) is not None else None

    def remember_response(self, url: str, *, sha256: str, etag: str, last_modified: str, final_url: str) -> None:
        state = {"url": url, "sha256": sha256, "etag": etag, "last_modified": last_modified, "final_url": final_url}
        if self.last_response(url) != state:
            write_json_atomic(self._url_state(url), state)
