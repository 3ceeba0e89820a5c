"""Small file helpers shared by the archive and the publisher: writes that are never seen half-done."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, fsync, then rename: readers see old or new, never a torn file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def fsyncing(paths: list[Path]) -> threading.Thread:
    """fsync `paths` on a thread, so the disk writes them back while the caller goes on. A failure stops it
    quietly: the caller joins it and syncs the files again itself, which reports what failed."""
    def sync() -> None:
        try:
            for path in paths:
                fsync_file(path)
        except OSError:
            return

    thread = threading.Thread(target=sync, name="fsync", daemon=True)
    thread.start()
    return thread


def dump_json(obj, sort_keys: bool = True) -> bytes:
    """Stable JSON bytes: UTF-8, two-space indent, trailing newline; keys sorted unless the caller's order matters."""
    return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\n").encode("utf-8")


def write_json_atomic(path: Path, obj) -> None:
    write_atomic(path, dump_json(obj))
