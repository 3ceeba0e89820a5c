"""Named pause points for crash tests: with ASHYQ_PAUSE_AT=<point>, the process stops there and waits to be killed.

The crash-safety tests kill -9 a real refresh at each point (tests/test_crash_safety.py). Points:
`raw-crawled` (documents archived, nothing parsed), `release-staged` (a release fully written in its
staging folder, not yet renamed), `release-renamed` (the version is in place, latest.json not yet moved).
"""
from __future__ import annotations

import os
import sys
import time

POINTS = ("raw-crawled", "release-staged", "release-renamed")


def pause_point(name: str) -> None:
    if os.environ.get("ASHYQ_PAUSE_AT") == name:
        print(f"ashyq: paused at {name} (pid {os.getpid()})", file=sys.stderr, flush=True)
        time.sleep(float(os.environ.get("ASHYQ_PAUSE_SECONDS", "120")))
