"""Reading one release folder: its datapackage.json and CSVs, as published (text cells, never re-typed).

Only files the descriptor names (plain names inside the folder) are opened.
"""
from __future__ import annotations

import csv
import json
import re
from functools import cached_property
from pathlib import Path

DOWNLOAD_SUFFIXES = ((".zip", "Zip archive of the whole release (CSV files and datapackage.json)"),
                     (".sqlite", "SQLite database with one table per CSV"))
VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def version_key(version: str) -> tuple[int, int, int] | None:
    match = VERSION.match(version or "")
    return tuple(int(part) for part in match.groups()) if match else None


class ReleaseData:
    """One published (or staged) version of a package."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.descriptor = json.loads((self.folder / "datapackage.json").read_text("utf-8"))
        self._rows: dict[str, list[dict]] = {}

    @property
    def name(self) -> str:
        return str(self.descriptor.get("name", ""))

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    @property
    def title(self) -> str:
        return str(self.descriptor.get("title") or self.name)

    @property
    def created(self) -> str:
        return str(self.descriptor.get("created", ""))

    @property
    def created_text(self) -> str:
        """'2026-11-22T15:19:44Z' -> '2026-11-22 15:19 UTC' (other forms shown as given)."""
        match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(\.\d+)?)?Z", self.created)
        return f"{match.group(1)} {match.group(2)} UTC" if match else self.created

    @property
    def sample(self) -> bool:
        return self.descriptor.get("sample") is True

    @property
    def resources(self) -> list[dict]:
        return [r for r in self.descriptor.get("resources", []) if isinstance(r, dict) and self._path(r)]

    def resource(self, name: str) -> dict | None:
        return next((r for r in self.resources if r.get("name") == name), None)

    def fields(self, name: str) -> list[dict]:
        resource = self.resource(name)
        return list(resource.get("schema", {}).get("fields", [])) if resource else []

    def primary_key(self, name: str) -> list[str]:
        resource = self.resource(name)
        key = resource.get("schema", {}).get("primaryKey", []) if resource else []
        return [key] if isinstance(key, str) else list(key)

    def _path(self, resource: dict) -> Path | None:
        path = resource.get("path")
        if not isinstance(path, str) or "/" in path or "\\" in path or path.startswith(".") or not path:
            return None
        return self.folder / path

    def file_name(self, name: str) -> str | None:
        resource = self.resource(name)
        return resource["path"] if resource else None

    def rows(self, name: str) -> list[dict]:
        """Every row of a resource as {column: text}; [] when the release has no such resource."""
        if name not in self._rows:
            self._rows[name] = list(self.iter_rows(name))
        return self._rows[name]

    def iter_rows(self, name: str):
        resource = self.resource(name)
        path = self._path(resource) if resource else None
        if path is None or not path.is_file():
            return
        with open(path, encoding="utf-8", newline="") as handle:
            yield from csv.DictReader(handle)

    def head(self, name: str, limit: int) -> tuple[list[str], list[list[str]]]:
        """Header and the first `limit` rows, for previews (reads no further)."""
        resource = self.resource(name)
        path = self._path(resource) if resource else None
        if path is None or not path.is_file():
            return [], []
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            rows = []
            for row in reader:
                if len(rows) >= limit:
                    break
                rows.append(row)
        return header, rows

    @cached_property
    def row_counts(self) -> dict[str, int]:
        """Data rows per resource, counted as CSV records (a quoted cell may hold a newline), not as dicts."""
        counts = {}
        for resource in self.resources:
            path = self._path(resource)
            if path is None or not path.is_file():
                counts[resource["name"]] = 0
                continue
            counts[resource["name"]] = max(count_records(path.read_bytes()) - 1, 0)
        return counts

    def downloads(self) -> list[tuple[str, str]]:
        """(file name, what it is) of the whole-release downloads present beside the CSVs."""
        found = []
        for suffix, what in DOWNLOAD_SUFFIXES:
            name = f"{self.name}-{self.version}{suffix}"
            if (self.folder / name).is_file():
                found.append((name, what))
        return found

    def file_size(self, file_name: str) -> int | None:
        path = self.folder / file_name
        return path.stat().st_size if path.is_file() else None

    def changelog(self) -> str | None:
        path = self.folder / "CHANGELOG.md"
        return path.read_text("utf-8", errors="replace") if path.is_file() else None

    def has_page(self) -> bool:
        return (self.folder / "index.html").is_file()


def count_records(data: bytes, *, chunk_size: int = 1 << 24) -> int:
    """CSV records (header included) in bytes written as to_csv_bytes writes them (any cell holding a CR or LF
    quoted; lines ending in LF or CRLF): line breaks outside quoted cells, plus an
    unterminated last line. Quotes open and close a cell and a doubled quote inside one is two of them, so
    a line break is inside a cell when an odd number of quotes comes before it. As csv.reader counts, but
    with numpy over the bytes (the quotes before each line break, by binary search): a million-row resource
    in a fifth of a second instead of two."""
    if not data:
        return 0
    if b'"' not in data:
        breaks = data.count(b"\n")
    else:
        import numpy as np

        view = np.frombuffer(data, dtype=np.uint8)
        breaks = inside = 0  # inside: quotes so far, mod 2
        for start in range(0, len(view), chunk_size):
            part = view[start:start + chunk_size]
            quotes = np.flatnonzero(part == 34)
            before = np.searchsorted(quotes, np.flatnonzero(part == 10)) + inside  # quotes before each line break
            breaks += int(np.count_nonzero(before % 2 == 0))
            inside = (inside + len(quotes)) % 2
    return breaks + (0 if data.endswith(b"\n") else 1)
