"""Download files added to every release before it is sealed: a zip of the whole release (data, changelog,
raw archive; byte-stable), and a SQLite database with the package's keys for datasette or any SQL client."""
from __future__ import annotations

import json
import os
import shutil
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.forked import ChildFailed, ForkedCall

if TYPE_CHECKING:
    from pipelines.schemas import CsvColumns

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip's epoch: no build time leaks into the bytes


def release_stem(release_dir: Path) -> str:
    descriptor = json.loads((release_dir / "datapackage.json").read_text("utf-8"))
    return f"{descriptor['name']}-{descriptor['version']}"


def write_zip(release_dir: Path) -> Path:
    target = release_dir / f"{release_stem(release_dir)}.zip"
    files = sorted(p for p in release_dir.rglob("*") if p.is_file() and p.suffix not in (".zip", ".sqlite"))
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(f"{release_stem(release_dir)}/{path.relative_to(release_dir).as_posix()}", FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return target


@contextmanager
def sqlite_building(release_dir: Path, *, scratch: Path, columns: dict[str, CsvColumns] | None = None):
    """Build <package>-<version>.sqlite (+ .metadata.json for datasette; not a Data Package resource) from
    the release in a forked child process (pipelines/forked.py), so that the rest of the release is made
    meanwhile on the other core. `columns`: the cells some CSVs were written from (schemas.csv_with_columns),
    which the child has at the fork (copy on write) and reads instead of those CSVs (warehouse.build_sqlite). The files are
    written in `scratch` and moved beside the CSVs when the block calls the function it was given; leaving
    the block stops a build still running and removes `scratch`, so a failed release leaves nothing behind
    (nor a half file in its zip)."""
    stem = release_stem(release_dir)
    scratch.mkdir(parents=True)
    child = ForkedCall(_build_sqlite, release_dir, scratch / f"{stem}.sqlite", columns)

    def built() -> Path:
        try:
            child.result()
        except ChildFailed as error:
            raise ValueError(f"{release_dir}: the SQLite download could not be built: {error}") from None
        for name in (f"{stem}.sqlite", f"{stem}.metadata.json"):
            os.replace(scratch / name, release_dir / name)
        return release_dir / f"{stem}.sqlite"

    try:
        yield built
    finally:
        child.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def _build_sqlite(release_dir: Path, out: Path, columns: dict[str, CsvColumns] | None) -> None:
    from pipelines.warehouse.sqlite_file import build_sqlite

    build_sqlite(release_dir, out, columns=columns)
