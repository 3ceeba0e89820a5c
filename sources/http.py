"""Fetching over real HTTP: one `requests` session, polite per host, conditional, guarded, archived.

Every response body lands in the raw archive before anyone parses it. A 304 answer to a conditional
GET (If-None-Match / If-Modified-Since from the URL's last response) reuses the archived bytes, so an
unchanged site costs one small request per page and adds nothing to the archive.

Sites go down, rate-limit, change and sometimes turn hostile, so every request is also:
- polite: per-host rate and concurrency (sources/politeness.py), retries with exponential backoff and
  jitter on 5xx, 429, timeouts and resets, honouring Retry-After (capped);
- confined: redirects are followed here, hop by hop (at most `max_redirects`, loops refused), and every
  hop is checked in real-URL space: http(s) only, a host on the source's allow-list, no internal
  address (sources/safety/net.py); connections themselves refuse internal addresses (no DNS rebinding);
- bounded: the body is read in chunks, decompressed as it comes, and refused as soon as it passes
  `max_bytes` (a gzip bomb is never inflated whole) or takes longer than `total_timeout`;
- typed: a listing/detail must be HTML, an API page JSON, an attachment a document of the declared or
  linked kind (sources/safety/media.py).
Every failure is a FetchError naming the URL and the reason.
"""
from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable
from urllib.parse import urldefrag, urljoin, urlsplit

import requests
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError

from sources.archive import RawArchive, Sidecar
from sources.politeness import HostGate, backoff_delay, retry_after_seconds
from sources.safety.media import mismatch
from sources.safety.net import AddressRefused, Refused, UrlPolicy, host_of, origin
from sources.safety.transport import guarded_adapter
from sources.urls import UrlMap

USER_AGENT = "Ashyq/0.1 (open-data crawler of published social-investment documents; polite: 1 request/s per host)"
RETRY_STATUSES = {429, 500, 502, 503, 504}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
CHUNK = 1 << 16
LOOPBACK_HOSTS = ("127.", "localhost", "[::1]", "::1")


class FetchError(Exception):
    """A URL could not be fetched; the message names the URL and the reason."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason = url, reason

    def __reduce__(self):  # picklable across process pools
        return (type(self), (self.url, self.reason))


class _Retryable(Exception):
    """One attempt failed in a way worth another try (timeout, reset, truncated or too slow a body)."""


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


def source_hosts(source) -> tuple[str, ...]:
    """A source's allow-list: the hosts of its base URL and start URLs, plus the catalog's `allowed_hosts`."""
    urls = (source.base_url, *source.start_urls)
    return tuple(sorted({host_of(u).lower() for u in urls if host_of(u)} | {h.lower() for h in getattr(source, "allowed_hosts", ()) or ()}))


def is_loopback(base: str | None) -> bool:
    """Politeness protects other people's servers; a mirror on this machine needs none."""
    host = urlsplit(base).netloc if base else ""
    return host.startswith(LOOPBACK_HOSTS)


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
        allowed_hosts: Iterable[str] | None = None,
        concurrency: int = 1,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        retry_after_cap: float = 60.0,
        max_redirects: int = 10,
        total_timeout: float = 300.0,
        resolver=socket.getaddrinfo,
        check_types: bool = True,
    ):
        """`allowed_hosts=None` means no allow-list (internal addresses are refused all the same);
        `Fetcher.for_source` sets it, and the rate and concurrency, from the catalog."""
        self.archive, self.source_id, self.sample = archive, source_id, sample
        self.url_map = url_map or UrlMap(None)
        self.timeout, self.retries, self.max_bytes = timeout, retries, max_bytes
        self.backoff_base, self.backoff_cap, self.retry_after_cap = backoff_base, backoff_cap, retry_after_cap
        self.max_redirects, self.total_timeout, self.check_types = max_redirects, total_timeout, check_types
        self.sleep = time.sleep  # replaceable in tests: every wait (rate, backoff, Retry-After) goes through it
        self.gate = HostGate(min_interval, concurrency, sleep=lambda seconds: self.sleep(seconds))
        mirror = self.url_map.mirror_base
        self.policy = UrlPolicy(allowed_hosts, trusted=[mirror] if mirror else [])
        trusted = [(o[1], o[2]) for o in [origin(mirror)] if o] if mirror else []
        self.session = session or requests.Session()
        self.session.trust_env = False  # no environment proxies: a proxy would connect past the address checks
        self.session.headers["User-Agent"] = USER_AGENT
        adapter = guarded_adapter(trusted, resolver)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.requests_made = 0
        self.fetched: list[Sidecar] = []  # every document this fetcher returned, for the crawl manifest

    @classmethod
    def for_source(cls, archive: RawArchive, source, *, url_map: UrlMap | None = None, sample: bool = False,
                   polite: bool | None = None, **options) -> "Fetcher":
        """A fetcher confined to `source`'s hosts at its catalog politeness (none against a loopback mirror)."""
        url_map = url_map or UrlMap(None)
        polite = not is_loopback(url_map.mirror_base) if polite is None else polite
        rate = source.politeness.rate_per_second
        options.setdefault("min_interval", 1.0 / rate if polite and rate > 0 else 0.0)
        options.setdefault("concurrency", source.politeness.concurrency)
        options.setdefault("allowed_hosts", source_hosts(source))
        return cls(archive, source_id=source.id, url_map=url_map, sample=sample, **options)

    def get(self, url: str, *, role: str, expect: str | tuple[str, ...] | None = None) -> Fetched:
        """GET a real URL (through the mirror when one is set) and archive the body.

        `expect` names the document kind(s) an adapter requires ("pdf", "xlsx", ...); without it a listing
        or detail must be HTML, an API page JSON, and an attachment what its URL's extension says."""
        previous = self.archive.last_response(url)
        headers = {}
        if previous:
            if previous["etag"]:
                headers["If-None-Match"] = previous["etag"]
            if previous["last_modified"]:
                headers["If-Modified-Since"] = previous["last_modified"]
        response, data, final_url, attempts = self._follow(url, headers)
        if response.status_code == 304 and previous:
            sidecar = self.archive.sidecar(previous["sha256"])
            self.fetched.append(sidecar)
            return Fetched(url, previous["final_url"], self.archive.read(sidecar.sha256), sidecar, True)
        if response.status_code != 200:
            tries = f" (after {attempts} attempts)" if attempts > 1 else ""
            raise FetchError(url, f"HTTP {response.status_code} {response.reason}{tries}")
        content_type = response.headers.get("Content-Type", "")
        problem = mismatch(role, final_url, content_type, data, expect) if self.check_types else None
        if problem:
            raise FetchError(url, problem)
        sidecar = self.archive.put(
            data,
            source_id=self.source_id,
            role=role,
            url=url,
            final_url=final_url,
            retrieved_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            http_status=response.status_code,
            content_type=content_type,
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

    # ---------------------------------------------------------------- redirects, one checked hop at a time

    def _follow(self, url: str, headers: dict) -> tuple[requests.Response, bytes | None, str, int]:
        chain = [url]
        while True:
            current = chain[-1]
            try:
                self.policy.check(current)
            except Refused as refusal:
                raise FetchError(url, str(refusal) if current == url else f"redirect to {current} refused: {refusal}") from None
            response, body, attempts = self._request(url, current, headers)
            if response.status_code not in REDIRECT_STATUSES:
                return response, body, current, attempts
            location = (response.headers.get("Location") or "").strip()
            if not location:
                raise FetchError(url, f"HTTP {response.status_code} redirect without a Location header")
            try:
                target = urldefrag(self.url_map.to_real(urljoin(response.url, location)))[0]
            except ValueError:
                raise FetchError(url, f"redirect to a malformed URL {location!r}") from None
            if target in chain:
                raise FetchError(url, "redirect loop: " + " -> ".join(chain + [target]))
            if len(chain) > self.max_redirects:
                raise FetchError(url, f"more than {self.max_redirects} redirects (last to {target})")
            chain.append(target)

    # ---------------------------------------------------------------- one hop, retried

    def _request(self, url: str, current: str, headers: dict) -> tuple[requests.Response, bytes | None, int]:
        wire = self.url_map.to_wire(current)
        host = host_of(current)
        for attempt in range(self.retries + 1):
            try:
                response, body = self._attempt(url, current, wire, host, headers)
            except _Retryable as problem:
                if attempt == self.retries:
                    raise FetchError(url, f"{problem} (after {attempt + 1} attempts)") from None
                self.gate.defer(host, self._delay(attempt, None))
                continue
            if response.status_code in RETRY_STATUSES and attempt < self.retries:
                self.gate.defer(host, self._delay(attempt, response.headers.get("Retry-After")))
                continue
            return response, body, attempt + 1
        raise AssertionError("unreachable")

    def _attempt(self, url: str, current: str, wire: str, host: str, headers: dict) -> tuple[requests.Response, bytes | None]:
        with self.gate.slot(host):
            self.requests_made += 1
            try:
                response = self.session.get(wire, headers=headers, timeout=self.timeout, stream=True, allow_redirects=False)
            except (requests.ConnectionError, requests.Timeout) as error:
                refusal = _address_refusal(error)
                if refusal:
                    where = "" if current == url else f"redirect to {current} refused: "
                    raise FetchError(url, f"{where}{refusal}") from None
                raise _Retryable(_describe(error)) from None
            except requests.RequestException as error:
                raise FetchError(url, f"{type(error).__name__}: {error}") from None
            if response.status_code != 200:
                response.close()
                return response, None
            return response, self._read_body(url, response)

    def _read_body(self, url: str, response: requests.Response) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            response.close()
            raise FetchError(url, f"body larger than {self.max_bytes} bytes (Content-Length {declared})")
        deadline = time.monotonic() + self.total_timeout
        chunks, size = [], 0
        try:
            while chunk := response.raw.read1(CHUNK, decode_content=True):
                size += len(chunk)
                if size > self.max_bytes:  # counted after decompression: a gzip bomb stops here
                    raise FetchError(url, f"body larger than {self.max_bytes} bytes (after decompression)")
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise _Retryable(f"body not received within {self.total_timeout:g} s")
        except (ProtocolError, ReadTimeoutError, requests.ConnectionError, requests.Timeout, OSError) as error:
            response.close()
            raise _Retryable(_describe(error)) from None
        except DecodeError as error:
            response.close()
            raise FetchError(url, f"body could not be decoded (Content-Encoding {response.headers.get('Content-Encoding')!r}: {error})") from None
        except BaseException:
            response.close()
            raise
        return b"".join(chunks)

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        asked = retry_after_seconds(retry_after)
        if asked is not None:
            return min(asked, self.retry_after_cap)
        return backoff_delay(attempt, base=self.backoff_base, cap=self.backoff_cap)


def _address_refusal(error: BaseException) -> str | None:
    """The AddressRefused somewhere in an exception's chain (requests → urllib3 → ours), as text."""
    seen = set()
    stack = [error]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, AddressRefused):
            return str(current)
        stack += [current.__cause__, current.__context__, *[a for a in getattr(current, "args", ()) if isinstance(a, BaseException)]]
        reason = getattr(current, "reason", None)
        if isinstance(reason, BaseException):
            stack.append(reason)
    return None


def _describe(error: BaseException) -> str:
    text = str(error)
    if isinstance(error, (requests.Timeout, ReadTimeoutError, socket.timeout)) or "timed out" in text.lower():
        return f"timed out ({type(error).__name__})"
    if "reset" in text.lower() or "aborted" in text.lower():
        return f"connection reset ({type(error).__name__})"
    if "IncompleteRead" in text or "incomplete" in text.lower() or "Connection broken" in text:
        return f"body truncated: connection closed before Content-Length was received ({type(error).__name__})"
    return f"{type(error).__name__}: {text[:200]}"
