"""Reading a published release: its descriptor, its CSVs checked against their recorded sha256, and each row
turned into Python values by the resource's Table Schema (Decimal for numbers, so nothing is rounded)."""
from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from pipelines.warehouse.errors import WarehouseError

DEFAULT_TRUE = ("true", "True", "TRUE", "1")
DEFAULT_FALSE = ("false", "False", "FALSE", "0")


@dataclass(frozen=True)
class Release:
    folder: Path
    descriptor: dict
    sha256: dict[str, str]  # resource name -> sha256 of its CSV, as verified on disk

    @property
    def name(self) -> str:
        return self.descriptor["name"]

    @property
    def version(self) -> str:
        return self.descriptor.get("version", "")

    @property
    def created(self) -> str:
        return self.descriptor.get("created", "")

    @property
    def resources(self) -> list[dict]:
        return self.descriptor["resources"]

    def resource(self, name: str) -> dict:
        for resource in self.resources:
            if resource["name"] == name:
                return resource
        raise WarehouseError(f"{self.folder / 'datapackage.json'}: no resource {name!r}")


def read_release(folder: Path, trusted: set[str] = frozenset()) -> Release:
    """Load `datapackage.json` and check every CSV's sha256 against it: the warehouse records what it verified.
    `trusted` resources are taken at the sha256 the descriptor states (a caller that does not read their CSV
    and has them checked elsewhere: sqlite_file.build_sqlite's rows)."""
    folder = Path(folder)
    descriptor_path = folder / "datapackage.json"
    try:
        descriptor = json.loads(descriptor_path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise WarehouseError(f"{descriptor_path}: cannot read the release descriptor: {exc}") from exc
    hashes = {}
    for resource in descriptor.get("resources", []):
        path = folder / resource["path"]
        recorded = resource.get("hash", "")
        if resource["name"] in trusted and recorded:
            hashes[resource["name"]] = recorded.removeprefix("sha256:")
            continue
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            raise WarehouseError(f"{path}: resource {resource['name']!r} is missing: {exc}") from exc
        if recorded and recorded.removeprefix("sha256:") != digest:
            raise WarehouseError(f"{path}: sha256 {digest} differs from datapackage.json's {recorded}")
        hashes[resource["name"]] = digest
    return Release(folder, descriptor, hashes)


def iter_cells(release: Release, name: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header (checked against the schema) and (CSV line number, cells as text) for each data row."""
    resource = release.resource(name)
    fields = {field["name"] for field in resource["schema"]["fields"]}
    path = release.folder / resource["path"]
    handle = open(path, newline="", encoding="utf-8")
    reader = csv.reader(handle)
    header = next(reader, None)
    if header is None or sorted(header) != sorted(fields):
        handle.close()
        raise WarehouseError(f"{path}: header {header} does not match the schema's fields {sorted(fields)}")

    def rows() -> Iterator[tuple[int, list[str]]]:
        with handle:
            for row_number, cells in enumerate(reader, start=2):
                if len(cells) != len(header):
                    raise WarehouseError(f"{path}: row {row_number} has {len(cells)} cells, the header {len(header)}")
                yield row_number, cells

    return header, rows()


CONVERTED_TYPES = {"integer", "year", "number", "boolean", "date", "datetime"}  # the types cell_value turns into Python values


def cell_value(field: dict, text: str):
    """The Python value of one CSV cell by Table Schema type; types SQL has no use for stay text."""
    kind = field.get("type", "string")
    if kind in ("integer", "year"):
        return int(text)
    if kind == "number":
        value = Decimal(text)
        if not value.is_finite():
            raise ValueError("NaN and infinities have no SQL NUMERIC value")
        return value
    if kind == "boolean":
        if text in field.get("trueValues", DEFAULT_TRUE):
            return True
        if text in field.get("falseValues", DEFAULT_FALSE):
            return False
        raise ValueError("not one of the true/false values")
    if kind == "date":
        return date.fromisoformat(text)
    if kind == "datetime":
        return datetime.fromisoformat(text)
    return text
