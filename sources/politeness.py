"""How hard Ashyq may lean on a site: a request rate and a concurrency per host, and how long to back off.

Government sites are small and slow; a crawler that hammers them gets blocked, or worse, takes them
down for the citizens who need them. The catalog's `politeness` (rate_per_second, concurrency) is
enforced here per host, across threads; a 429/503's Retry-After pushes the host's next slot back
for every caller, not only the one that was told.
"""
from __future__ import annotations

import contextlib
import email.utils
import random
import threading
import time
from datetime import datetime, timezone
from typing import Callable, Iterator


class HostGate:
    """At most `concurrency` requests in flight per host, starting at least `interval` seconds apart."""

    def __init__(self, interval: float, concurrency: int = 1, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic):
        self.interval, self.concurrency = max(0.0, interval), max(1, int(concurrency))
        self._sleep, self._clock = sleep, clock
        self._next: dict[str, float] = {}
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.BoundedSemaphore(self.concurrency))
        semaphore.acquire()
        try:
            with self._lock:
                now = self._clock()
                start = max(now, self._next.get(host, now))
                self._next[host] = start + self.interval
            if start > now:
                self._sleep(start - now)
            yield
        finally:
            semaphore.release()

    def defer(self, host: str, seconds: float) -> None:
        """No request to `host` starts within `seconds` from now (a server asked us to wait)."""
        with self._lock:
            until = self._clock() + max(0.0, seconds)
            self._next[host] = max(self._next.get(host, 0.0), until)


def backoff_delay(attempt: int, *, base: float, cap: float, rng: Callable[[], float] = random.random) -> float:
    """Exponential backoff with jitter: base·2^attempt (capped), scaled by a random factor in [0.5, 1)."""
    return min(cap, base * 2**attempt) * (0.5 + rng() / 2)


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP-date); None when absent or unreadable."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())
