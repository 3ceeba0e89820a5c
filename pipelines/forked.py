"""A function run in a forked child, on the other core, with its bytes result sent back through a pipe.

Why fork: the child starts at once, with the parent's million rows already in memory (copy on write), where
a new interpreter would need them pickled to it. The child pauses the cyclic garbage collector (a collection
would walk, and so copy, every object the parent holds) and ends with os._exit, so none of the parent's exit
handlers, buffers or Dagster state runs twice.
"""
from __future__ import annotations

import gc
import os
import signal
from typing import Callable

_DONE, _FAILED = b"\0", b"\1"


class ChildFailed(Exception):
    """The child raised (the message is its error's), or died."""


class ForkedCall:
    """`function(*args)` (returning bytes, or None for no result) in a forked child; `result()` waits for it."""

    def __init__(self, function: Callable[..., bytes | None], *args):
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child
            os.close(read)
            code = 1
            try:
                gc.disable()
                with os.fdopen(write, "wb") as out:
                    try:
                        data = function(*args)
                        if data is None:
                            data = b""
                        elif not isinstance(data, (bytes, bytearray, memoryview)):
                            raise TypeError(f"{function.__name__} returned {type(data).__name__}, not bytes")
                    except BaseException as exc:  # noqa: BLE001 - sent to the parent, which raises it
                        out.write(_FAILED + (str(exc).strip() or repr(exc)).encode("utf-8", "replace")[:8000])
                    else:
                        out.write(_DONE)
                        out.write(data)
                        code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.pipe = os.fdopen(read, "rb")
        self.status: int | None = None

    def result(self) -> bytes:
        """The child's bytes, read as it writes them; ChildFailed with its message if it failed."""
        try:
            data = self.pipe.read()
        finally:
            self.pipe.close()
            self._reap()
        if self.status == 0 and data[:1] == _DONE:
            return data[1:]
        if data[:1] == _FAILED:
            raise ChildFailed(data[1:].decode("utf-8", "replace"))
        raise ChildFailed(f"the child process ended with status {self.status}")

    def stop(self) -> None:
        """Kill the child if it has not been waited for (the parent gave up on it)."""
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            self.pipe.close()
            self._reap()

    def _reap(self) -> None:
        if self.status is None:
            _, status = os.waitpid(self.pid, 0)
            self.status = os.waitstatus_to_exitcode(status)
