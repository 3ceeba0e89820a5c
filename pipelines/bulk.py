"""Working with millions of row dicts: pause Python's cyclic garbage collector meanwhile.

Rows are dicts of strings, numbers and Decimals: they hold no reference cycles, and reference counting
frees them. The cyclic collector still walks every live container each time enough new ones pile up,
so building a million rows walks the rows built before them again and again (measured: about 3.5 s of
a 1M-line `ashyq ingest`). Paused, nothing leaks: any cycle made meanwhile is collected on resume.
"""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager


_holders = 0
_was_enabled = False
_lock = threading.Lock()


@contextmanager
def cyclic_gc_paused():
    """Run the block with the cyclic collector off, then restore it as it was. Counted: nested uses, and uses on
    two threads at once (tablecheck replays a small table beside a big one), turn it back on only when the
    last one ends."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
