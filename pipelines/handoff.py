"""The project's IO manager: Dagster's pickle files, with the value handed over in memory within a process.

Every asset value is still pickled to <storage>/<asset key>, so a later run, another process or an auditor
loads it as before. But the in-process executor (the default, docs/operations.md) runs the next step in the
same process, where unpickling a million parsed budget lines took seconds: the value a step just stored is
handed to the first step that reads it, as it is, while the file on disk is still the one this process
wrote. A second reader, or any other process, reads the file.
"""
from __future__ import annotations

import os
from typing import Any

import dagster as dg
from dagster._core.storage.fs_io_manager import PickledObjectFilesystemIOManager

_STORED: dict[str, tuple[tuple[int, int], Any]] = {}  # file -> ((mtime_ns, size) when written, value): one per asset


def _signature(path) -> tuple[int, int]:
    stat = os.stat(str(path))
    return stat.st_mtime_ns, stat.st_size


class HandoffPickleIOManager(PickledObjectFilesystemIOManager):
    def dump_to_path(self, context: dg.OutputContext, obj: Any, path) -> None:
        _STORED.pop(str(path), None)
        super().dump_to_path(context, obj, path)
        _STORED[str(path)] = (_signature(path), obj)

    def load_from_path(self, context: dg.InputContext, path) -> Any:
        stored = _STORED.pop(str(path), None)
        if stored is not None and os.path.exists(str(path)) and _signature(path) == stored[0]:
            return stored[1]
        return super().load_from_path(context, path)


class HandoffIOManager(dg.FilesystemIOManager):
    """FilesystemIOManager (same files, same base_dir setting) that hands values over in memory."""

    def create_io_manager(self, context: dg.InitResourceContext) -> HandoffPickleIOManager:
        return HandoffPickleIOManager(base_dir=self.base_dir or context.instance.storage_directory())
