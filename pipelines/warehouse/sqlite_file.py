"""A release as one SQLite file (keys declared and enforced) plus a datasette metadata file beside it.

`datasette <file>.sqlite -m <file>.metadata.json` or `sqlite3 <file>.sqlite` open it. The file is built in a
temporary name and renamed into place, so a reader never sees half of one.

Determinism: the same release gives the same bytes with the same SQLite library (fixed load order, no clock:
`releases.loaded_at` is the release's own `created`). Different SQLite versions may lay pages out
differently and stamp their version number in the header (bytes 96-99), so the file is not byte-stable across
machines; the CSVs remain the reference, the SQLite file a convenience derived from them.
"""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.warehouse.errors import WarehouseError
from pipelines.warehouse.load import engine_for, write_release
from pipelines.warehouse.release_files import Release, read_release
from pipelines.warehouse.tables import COLUMNS_TABLE, RELEASES_TABLE, release_tables
from sources.files import fsyncing

if TYPE_CHECKING:
    from pipelines.schemas import CsvColumns

LABEL_COLUMNS = ("title", "name_en", "name_ru", "project_name", "url")


def build_sqlite(release_dir: Path, out_path: Path, metadata_path: Path | None = None,
                 columns: dict[str, CsvColumns] | None = None) -> Path:
    """Write `out_path` (SQLite) and `metadata_path` (default <stem>.metadata.json beside it); returns out_path.

    `columns`: for some resources, the cells their CSV was written from (schemas.csv_with_columns; publishing
    has them from validation): read instead of the CSV, the same values, and the CSV is not hashed again here
    (the release's own check, after this build, verifies every file against datapackage.json)."""
    release = read_release(release_dir, trusted=set(columns or ()))
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        engine = engine_for(f"sqlite:///{temporary}", scratch=True)
        try:
            with engine.begin() as connection:
                write_release(connection, release, release_tables(release.descriptor), loaded_at=release.created, columns=columns)
        finally:
            engine.dispose()
        # the file reaches the disk while SQLite checks it (both leave the GIL); the release's own fsync of
        # every file, later, then has nothing left to write, and reports any failure
        syncing = fsyncing([temporary])
        try:
            _check(temporary)
        finally:
            syncing.join()
        os.replace(temporary, out_path)
    finally:
        temporary.unlink(missing_ok=True)
    metadata_path = Path(metadata_path) if metadata_path else out_path.with_name(f"{out_path.stem}.metadata.json")
    text = json.dumps(datasette_metadata(release, out_path.stem), ensure_ascii=False, indent=2) + "\n"
    metadata_path.write_text(text, "utf-8")
    return out_path


def _check(path: Path) -> None:
    """SQLite's own integrity check of the finished file (its foreign keys were checked inside the load).
    No VACUUM: a file built once, in key order, by inserts alone has no free pages to reclaim, and at a
    million budget lines VACUUM took 6.6 s to make it 1.6% smaller."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise WarehouseError(f"{path}: SQLite integrity check failed")
    finally:
        connection.close()


def datasette_metadata(release: Release | Path, database: str) -> dict:
    """Datasette metadata: title, licence, source, and each table's and column's description."""
    if not isinstance(release, Release):
        release = read_release(release)
    descriptor = release.descriptor
    licence = (descriptor.get("licenses") or [{}])[0]
    tables = {}
    for resource in descriptor["resources"]:
        fields = resource["schema"]["fields"]
        names = [field["name"] for field in fields]
        table = {
            "title": resource.get("title", resource["name"]),
            "description": resource.get("description", ""),
            "columns": {field["name"]: field.get("description", "") for field in fields},
        }
        label = next((name for name in LABEL_COLUMNS if name in names), None)
        if label:
            table["label_column"] = label
        tables[resource["name"]] = table
    tables[COLUMNS_TABLE] = {"title": "Columns", "description": "Every published column with its type and description."}
    tables[RELEASES_TABLE] = {"title": "Releases", "description": "The release these tables were loaded from, with each CSV's sha256."}
    source = f"{descriptor['name']} {release.version}".strip()
    return {
        "title": descriptor.get("title", descriptor["name"]),
        "description": descriptor.get("description", ""),
        "license": licence.get("name", ""),
        "license_url": licence.get("path", ""),
        "source": f"Data Package {source}",
        "source_url": descriptor.get("homepage", ""),
        "databases": {database: {"title": descriptor.get("title", database), "tables": tables}},
    }
