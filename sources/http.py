"""Fetching over real HTTP: one `requests` session, polite per host, conditional, archived.

Every response body lands in the raw archive before anyone parses it. A 304 answer to a conditional
GET (If-None-Match / If-Modified-Since from the URL's last response) reuses the archived bytes, so an
unchanged site costs one small request per page and adds nothing to the archive.
"""
from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

import requests

from sources.archive import RawArchive, Sidecar
from sources.urls import UrlMap

USER_AGENT = "Ashyq/0.1 (open-data crawler; +https://github.com/ashyq/ashyq)"
RETRY_STATUSES = {429, 500, 502, 503, 504}


class FetchError(Exception):
    """A URL could not be fetched; the message names the URL and the reason."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason = url, reason


@dataclass(frozen=True)
class Fetched:
    url: str
    final_url: str
    data: bytes
    sidecar: Sidecar
    not_modified: bool

    @property
    def sha256(self) -> str:
        return self.sidecar.sha256

    @property
    def content_type(self) -> str:
        return self.sidecar.content_type


class HostThrottle:
    """At most one request per `interval` seconds to each host (shared across threads)."""

    def __init__(self, interval: float):
        self.interval = interval
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


class Fetcher:
    def __init__(
        self,
        archive: RawArchive,
        *,
        source_id: str,
        url_map: UrlMap | None = None,
        sample: bool = False,
        min_interval: float = 1.0,
        timeout: float = 30.0,
        retries: int = 3,
        max_bytes: int = 100 * 1024 * 1024,
        session: requests.Session | None = None,
    ):
        self.archive, self.source_id, self.sample = archive, source_id, sample
        self.url_map = url_map or UrlMap(None)
        self.throttle = HostThrottle(min_interval)
        self.timeout, self.retries, self.max_bytes = timeout, retries, max_bytes
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.requests_made = 0
        self.fetched: list[Sidecar] = []  # every document this fetcher returned, for the crawl manifest

    def get(self, url: str, *, role: str) -> Fetched:
        """GET a real URL (through the mirror when one is set) and archive the body."""
        previous = self.archive.last_response(url)
        headers = {}
        if previous:
            if previous["etag"]:
                headers["If-None-Match"] = previous["etag"]
            if previous["last_modified"]:
                headers["If-Modified-Since"] = previous["last_modified"]
        response = self._request(url, headers)
        final_url = self.url_map.to_real(response.url)
        if response.status_code == 304 and previous:
            sidecar = self.archive.sidecar(previous["sha256"])
            self.fetched.append(sidecar)
            return Fetched(url, previous["final_url"], self.archive.read(sidecar.sha256), sidecar, True)
        if response.status_code != 200:
            raise FetchError(url, f"HTTP {response.status_code} {response.reason}")
        data = response.content
        sidecar = self.archive.put(
            data,
            source_id=self.source_id,
            role=role,
            url=url,
            final_url=final_url,
            retrieved_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            http_status=response.status_code,
            content_type=response.headers.get("Content-Type", ""),
            etag=response.headers.get("ETag", ""),
            last_modified=response.headers.get("Last-Modified", ""),
            sample=self.sample,
        )
        self.archive.remember_response(
            url,
            sha256=sidecar.sha256,
            etag=response.headers.get("ETag", ""),
            last_modified=response.headers.get("Last-Modified", ""),
            final_url=final_url,
        )
        self.fetched.append(sidecar)
        return Fetched(url, final_url, data, sidecar, False)

    def _request(self, url: str, headers: dict) -> requests.Response:
        wire = self.url_map.to_wire(url)
        host = urlsplit(url).netloc
        for attempt in range(self.retries + 1):
            self.throttle.wait(host)
            self.requests_made += 1
            try:
                response = self.session.get(wire, headers=headers, timeout=self.timeout, stream=True)
                body = response.raw.read(self.max_bytes + 1, decode_content=True)
                if len(body) > self.max_bytes:
                    response.close()
                    raise FetchError(url, f"body larger than {self.max_bytes} bytes")
                response._content = body
            except requests.TooManyRedirects:
                raise FetchError(url, "too many redirects") from None
            except (requests.ConnectionError, requests.Timeout) as error:
                if attempt == self.retries:
                    raise FetchError(url, f"{type(error).__name__}: {error}") from None
                time.sleep(self._backoff(attempt, None))
                continue
            if response.status_code in RETRY_STATUSES and attempt < self.retries:
                time.sleep(self._backoff(attempt, response.headers.get("Retry-After")))
                continue
            return response
        raise AssertionError("unreachable")

    @staticmethod
    def _backoff(attempt: int, retry_after: str | None) -> float:
        if retry_after and retry_after.isdigit():
            return min(float(retry_after), 60.0)
        return min(0.5 * 2**attempt, 30.0) * (0.5 + random.random() / 2)
