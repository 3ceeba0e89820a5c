"""The project's IO manager: Dagster's pickle files, with the value handed over in memory within a process.

Every asset value is still pickled to <storage>/<asset key>, so a later run, another process or an auditor
loads it as before. But the in-process executor (the default, docs/operations.md) runs the next step in the
same process, where unpickling a million parsed budget lines took seconds: the value a step just stored is
handed to the first step that reads it, as it is, while the file on disk is still the one this process
wrote. A second reader, or any other process, reads the file.

A large value (a million parsed rows: five seconds of pickling) is written by a forked child instead, on the
other core, while this process goes on to validate it: the child pickles the value as it was at the fork
(copy-on-write), to a temporary name renamed into place, and the file under the asset's name is removed
first, so no older value can be read as this one. This process waits for its writers before it exits
(`ashyq refresh` waits after each run and reports a file that could not be written); reading such a file
within the process waits for it too.
"""
from __future__ import annotations

import atexit
import os
import pickle
import sys
from typing import Any

import dagster as dg
from dagster._core.storage.fs_io_manager import PICKLE_PROTOCOL, PickledObjectFilesystemIOManager

from pipelines.forked import ChildFailed, ForkedCall

_STORED: dict[str, tuple[tuple[int, int] | None, Any]] = {}  # file -> ((mtime_ns, size) when written, or None while a child writes it; value)
_WRITERS: dict[str, ForkedCall] = {}  # file -> the child writing it
LARGE_ITEMS = 100_000  # a list this long is written by a child
LARGE_BYTES = 64 * 2**20  # and bytes this long


def _signature(path) -> tuple[int, int]:
    stat = os.stat(str(path))
    return stat.st_mtime_ns, stat.st_size


def _large(obj: Any) -> bool:
    return (isinstance(obj, list) and len(obj) >= LARGE_ITEMS) or (isinstance(obj, bytes) and len(obj) >= LARGE_BYTES)


def _pickled_to(obj: Any, path: str) -> None:
    """In the writing child (pipelines/forked.py): the value as it was at the fork, to a temporary name
    renamed into place, so a reader never meets half a file."""
    os.nice(10)  # the run's own work (validating what was just parsed) comes first; this one has until exit
    temporary = f"{path}.{os.getpid()}.writing"
    try:
        with open(temporary, "wb") as handle:
            pickle.dump(obj, handle, PICKLE_PROTOCOL)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _finish(path: str) -> bool:
    """Wait for the child writing `path`, if any; False when it failed (its reason on stderr)."""
    writer = _WRITERS.pop(path, None)
    if writer is None:
        return True
    try:
        writer.result()
    except ChildFailed as error:
        print(f"ashyq: writing {path} failed: {error}", file=sys.stderr)
        return False
    return True


def wait_for_writers() -> list[str]:
    """Wait until every file a child was writing is written; the files that could not be."""
    return [path for path in sorted(_WRITERS) if not _finish(path)]


@atexit.register
def _wait_at_exit() -> None:
    for path in wait_for_writers():
        print(f"ashyq: Dagster's stored value {path} could not be written (see the error above); "
              "a run reading it from storage will fail until the asset is materialized again", file=sys.stderr)


class HandoffPickleIOManager(PickledObjectFilesystemIOManager):
    def dump_to_path(self, context: dg.OutputContext, obj: Any, path) -> None:
        key = str(path)
        _STORED.pop(key, None)
        if not _finish(key):
            context.log.warning(f"an earlier value of {key} could not be written")
        if _large(obj):
            try:
                os.unlink(key)
            except FileNotFoundError:
                pass
            _WRITERS[key] = ForkedCall(_pickled_to, obj, key)
            _STORED[key] = (None, obj)
            return
        super().dump_to_path(context, obj, path)
        _STORED[key] = (_signature(path), obj)

    def load_from_path(self, context: dg.InputContext, path) -> Any:
        key = str(path)
        stored = _STORED.pop(key, None)
        if stored is not None and (key in _WRITERS or (os.path.exists(key) and _signature(path) == stored[0])):
            return stored[1]
        if not _finish(key):
            raise dg.DagsterInvariantViolationError(f"{key} could not be written by this process (see the error above)")
        return super().load_from_path(context, path)


class HandoffIOManager(dg.FilesystemIOManager):
    """FilesystemIOManager (same files, same base_dir setting) that hands values over in memory."""

    def create_io_manager(self, context: dg.InitResourceContext) -> HandoffPickleIOManager:
        return HandoffPickleIOManager(base_dir=self.base_dir or context.instance.storage_directory())
