"""Shared fixtures: a throwaway mirror tree served over real HTTP on loopback, and isolated state dirs."""
from __future__ import annotations

import signal
from contextlib import contextmanager

import pytest

from sources.archive import RawArchive
from sources.mirror_server import serve_mirror


@pytest.fixture
def mirror_tree(tmp_path):
    root = tmp_path / "mirror"
    root.mkdir()
    return root


@pytest.fixture
def served(mirror_tree):
    with serve_mirror(mirror_tree) as base:
        yield base


@pytest.fixture
def archive(tmp_path):
    return RawArchive(tmp_path / "raw")


def write(root, relative: str, content: str | bytes):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


@contextmanager
def time_limit(seconds: float):
    """A hang guard for parsers fed hostile input (SIGALRM): not a speed goal, those live in `make bench`."""

    def expire(*_):
        raise TimeoutError(f"still running after {seconds} s: a hang on hostile input")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def duckdb_for_small_files(monkeypatch):
    """tablecheck checks files under small.SMALL_FILE_BYTES in Python alone; tests of its DuckDB paths use
    tiny files too, so they lower the threshold to nothing."""
    from pipelines.tablecheck import small

    monkeypatch.setattr(small, "SMALL_FILE_BYTES", 0)
