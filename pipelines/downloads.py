"""Download files added to every release before it is sealed: a zip of the whole release (data, changelog,
raw archive; byte-stable), and a SQLite database with the package's keys for datasette or any SQL client."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip's epoch: no build time leaks into the bytes


def release_stem(release_dir: Path) -> str:
    descriptor = json.loads((release_dir / "datapackage.json").read_text("utf-8"))
    return f"{descriptor['name']}-{descriptor['version']}"


def write_zip(release_dir: Path, previous_release_dir: Path | None = None) -> Path:
    target = release_dir / f"{release_stem(release_dir)}.zip"
    files = sorted(p for p in release_dir.rglob("*") if p.is_file() and p.suffix not in (".zip", ".sqlite"))
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(f"{release_stem(release_dir)}/{path.relative_to(release_dir).as_posix()}", FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return target


def write_sqlite(release_dir: Path, previous_release_dir: Path | None = None) -> Path:
    """<package>-<version>.sqlite (+ .metadata.json for datasette) beside the CSVs; not a Data Package resource."""
    from pipelines.warehouse import build_sqlite

    return build_sqlite(release_dir, release_dir / f"{release_stem(release_dir)}.sqlite")
