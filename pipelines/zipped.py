"""What `ashyq validate` checks inside a zip: the Data Package a release's zip holds, or a zipped CSV.

A release's zip keeps its package in one top folder (`ashyq-social-investments-1.0.0/datapackage.json`),
where `frictionless validate` does not look: it reports such a zip valid as a plain file. Here the package
found at the top or in one folder is unpacked to a temporary folder and checked like any other, so an
auditor can validate the download as it is; a zip of one CSV (as budget portals serve them) is that CSV.
Member names that would land outside the folder are refused, and the declared sizes must fit on disk
(`zipfile` never inflates an entry past its declared size).
"""
from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

MAX_ENTRIES = 100_000
TABLES = (".csv", ".tsv")


def is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip"


@contextmanager
def unzipped(path: Path, *, table: bool) -> Iterator[tuple[Path, Path]]:
    """(the unpacked file to check, the folder it was unpacked into): a datapackage.json at the top or in one
    folder, or, with `table` (a --schema was given) or without a package, the zip's only CSV/TSV."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise ValueError(f"{path}: not a readable zip archive ({error})") from None
    with archive, tempfile.TemporaryDirectory(prefix="ashyq-unzipped-") as folder:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) > MAX_ENTRIES:
            raise ValueError(f"{path}: {len(members):,} entries in the zip (at most {MAX_ENTRIES:,} are unpacked)")
        target = _target(path, members, table=table)
        wanted = [info for info in members if _inside(target.filename, info.filename)]
        _unpack(path, archive, wanted, Path(folder))
        yield Path(folder, *PurePosixPath(target.filename).parts), Path(folder)


def _target(path: Path, members: list[zipfile.ZipInfo], *, table: bool) -> zipfile.ZipInfo:
    packages = [info for info in members if PurePosixPath(info.filename).name == "datapackage.json" and len(PurePosixPath(info.filename).parts) <= 2]
    tables = [info for info in members if PurePosixPath(info.filename).suffix.lower() in TABLES]
    if packages and not table:
        if len(packages) > 1:
            raise ValueError(f"{path}: {len(packages)} datapackage.json files in the zip ({', '.join(info.filename for info in packages)}): unzip it and validate one")
        return packages[0]
    if len(tables) == 1:
        return tables[0]
    found = f"{len(tables)} CSV files" if tables else "no CSV file"
    wanted = "one CSV file for --schema" if table else "a datapackage.json at its top or in one folder, or one CSV file"
    raise ValueError(f"{path}: the zip holds {found}; ashyq validate needs {wanted}")


def _inside(target: str, name: str) -> bool:
    """Whether member `name` belongs with `target`: its package's folder (a package), or itself (a CSV)."""
    if not target.endswith("datapackage.json"):
        return name == target
    folder = PurePosixPath(target).parent
    return folder == PurePosixPath(".") or PurePosixPath(name).is_relative_to(folder)


def _unpack(path: Path, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], folder: Path) -> None:
    for info in members:
        parts = PurePosixPath(info.filename).parts
        if info.filename.startswith("/") or "\\" in info.filename or ".." in parts or (parts and ":" in parts[0]):
            raise ValueError(f"{path}: zip member {info.filename!r} would be unpacked outside its folder")
    needed = sum(info.file_size for info in members)
    free = shutil.disk_usage(folder).free
    if needed > free:
        raise ValueError(f"{path}: unpacking needs {needed:,} bytes; {free:,} are free in {folder.parent}")
    for info in members:
        destination = folder.joinpath(*PurePosixPath(info.filename).parts)
        try:
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source, open(destination, "wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError) as error:  # damaged, encrypted, disk full
            raise ValueError(f"{path}: zip member {info.filename!r} could not be unpacked ({type(error).__name__}: {error})") from None
