"""One line per source and per step on stderr, so a long refresh shows where it is (ASHYQ_QUIET=1 silences it)."""
from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager


def say(layer: str, name: str, message: str) -> None:
    if os.environ.get("ASHYQ_QUIET") not in ("1", "true"):
        print(f"  {layer:<9} {name}: {message}", file=sys.stderr, flush=True)


@contextmanager
def step(layer: str, name: str):
    """Yields a dict; whatever the block puts under "message" is printed with the elapsed time."""
    started, report = time.monotonic(), {"message": "done"}
    yield report
    say(layer, name, f"{report['message']} ({time.monotonic() - started:.1f} s)")
