"""Gzip-compressed CSVs (`budget.csv.gz`, as portals often serve them): checked as a decompressed copy.

Frictionless reads such a file through gzip and reports the compressed file's md5, sha256 and bytes (so a
declared `hash` or `bytes` is the download's). Here the file is decompressed once into scratch space, hashing
the compressed bytes as they are read; the copy is checked like any CSV, but not hashed again: its
Resource carries those stats into its task.
A file gzip cannot read, or one that would fill the disk, goes to Frictionless, which reads it as a stream
and reports it its own way.
"""
from __future__ import annotations

import gzip
import hashlib
import shutil
import tempfile
import zlib
from dataclasses import replace
from pathlib import Path

from pipelines.tablecheck.schema import Unsupported

SUFFIX = ".gz"
KEEP_FREE = 512 << 20  # bytes of the scratch disk a decompressed copy leaves free


def is_gzipped(path: str) -> bool:
    return str(path).lower().endswith(SUFFIX)


def inner_path(path: str) -> str:
    """The path with its compression suffix dropped (`lines.csv.gz` -> `lines.csv`): the format and the
    resource name come from it, as Frictionless infers them."""
    return str(path)[: -len(SUFFIX)] if is_gzipped(path) else str(path)


class _Hashing:
    """A binary file whose bytes are hashed and counted as gzip reads them."""

    def __init__(self, handle):
        self.handle, self.md5, self.sha256, self.bytes = handle, hashlib.md5(), hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.md5.update(data)
        self.sha256.update(data)
        self.bytes += len(data)
        return data


class Scratch:
    """Decompressed copies of a check's gzipped resources, removed when the check ends (a context manager)."""

    def __init__(self):
        self._folder: tempfile.TemporaryDirectory | None = None
        self._copies = 0

    def __enter__(self) -> Scratch:
        return self

    def __exit__(self, *exc) -> None:
        if self._folder is not None:
            self._folder.cleanup()

    def plain(self, resource):
        """`resource` reading a decompressed copy, with the compressed file's stats; a plain file's as it is."""
        if not is_gzipped(resource.path):
            return resource
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="tablecheck-gunzip-")
        self._copies += 1  # one package may hold two files of one name, in different folders
        copy = Path(self._folder.name) / f"{self._copies}-{Path(inner_path(resource.path)).name}"
        room = shutil.disk_usage(self._folder.name).free - KEEP_FREE
        with open(resource.path, "rb") as raw, open(copy, "wb") as out:
            hashing, written = _Hashing(raw), 0
            try:
                with gzip.GzipFile(fileobj=hashing, mode="rb") as unzipped:
                    while chunk := unzipped.read(1 << 20):
                        written += len(chunk)
                        if written > room:  # Frictionless reads it as a stream instead
                            raise Unsupported(f"{resource.place}: a decompressed copy would leave less than {KEEP_FREE >> 20} MiB of disk free")
                        out.write(chunk)
            except (OSError, EOFError, zlib.error) as error:  # not gzip, truncated, corrupt
                raise Unsupported(f"{resource.place}: gzip cannot read it ({error})") from None
            while hashing.read(1 << 20):  # bytes past the last member gzip had no need to read
                pass
        stats = {"md5": hashing.md5.hexdigest(), "sha256": hashing.sha256.hexdigest(), "bytes": hashing.bytes}
        return replace(resource, path=str(copy), stats=stats)
