"""Download files added to every release before it is sealed: a zip of the whole release (data, changelog,
raw archive; byte-stable), and a SQLite database with the package's keys for datasette or any SQL client."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from contextlib import contextmanager
from pathlib import Path

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
def sqlite_building(release_dir: Path, *, scratch: Path):
    """Build <package>-<version>.sqlite (+ .metadata.json for datasette; not a Data Package resource) from
    the release's CSVs in a child process (`python -m pipelines.warehouse sqlite`), so that the rest of the
    release is made meanwhile on the other core. The files are written in `scratch` and moved beside the
    CSVs when the block calls the function it was given; leaving the block stops a build still running and
    removes `scratch`, so a failed release leaves nothing behind (nor a half file in its zip)."""
    stem = release_stem(release_dir)
    scratch.mkdir(parents=True)
    child = subprocess.Popen(
        [sys.executable, "-m", "pipelines.warehouse", "sqlite", str(release_dir), "-o", str(scratch / f"{stem}.sqlite")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )

    def built() -> Path:
        _, errors = child.communicate()
        if child.returncode != 0:
            raise ValueError(f"{release_dir}: the SQLite download could not be built: {errors.strip() or f'exit {child.returncode}'}")
        for name in (f"{stem}.sqlite", f"{stem}.metadata.json"):
            os.replace(scratch / name, release_dir / name)
        return release_dir / f"{stem}.sqlite"

    try:
        yield built
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
        shutil.rmtree(scratch, ignore_errors=True)
