"""The published layer: immutable, checksummed, versioned Data Package releases.

published/<package>/<version>/   datapackage.json, one CSV per resource, CHANGELOG.md, and archive/:
                                 the raw documents (archive/sha256/..) and crawl manifests it was built from
published/<package>/latest.json  {"version": ...}, replaced atomically after the version is in place

A release is built in a hidden staging folder beside its final place, validated there (Frictionless's
checks, by pipelines/tablecheck; bytes the validated layer already checked under the same schema are
verified by hash, check_release), then renamed into place in one step: a crash leaves at most a stale staging folder
(cleared by the next run), never a partial version. Versions follow the Data Package pattern:
major when a schema changes, minor when data is added or changed, patch when only metadata is
corrected. Identical content publishes nothing.
"""
from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import shutil
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pipelines.diff import MAX_LISTED, changelog, diff_releases, summary_line
from pipelines.faults import pause_point
from pipelines.site import render_catalog
from pipelines.schemas import CsvColumns, package_metadata, schema, to_csv_bytes
from pipelines.settings import REPO_ROOT
from sources.archive import RawArchive
from sources.files import dump_json, fsync_file, fsyncing, sha256_bytes, sha256_file, write_json_atomic

STAGING_PREFIX = ".staging-"


class PublishLocked(Exception):
    """Another process is publishing this package right now."""


@dataclass(frozen=True)
class ReleaseOutcome:
    package: str
    version: str
    path: Path
    published: bool
    reason: str
    summary: str = "no changes"


def package_dir(published_dir: Path) -> Path:
    """Where the package's releases and latest.json live under a published folder."""
    return Path(published_dir) / package_metadata()["name"]


class NoRelease(ValueError):
    """The version asked for is not published; the message lists those that are."""


def published_release(package_dir: Path, version: str | None = None) -> Path:
    """The folder of `version` (default: the latest) under `package_dir`, for the commands that read a
    release (verify, diff, trace); one wording when it is not there, naming what is."""
    version = version or latest_version(package_dir)
    if version and (package_dir / version / "datapackage.json").exists():
        return package_dir / version
    versions = published_versions(package_dir)
    there = f"published: {', '.join(versions)}" if versions else "none published yet"
    raise NoRelease(f"{package_dir}: no release {version or ''}".rstrip() + f" ({there})")


def latest_version(package_dir: Path) -> str | None:
    pointer = package_dir / "latest.json"
    if not pointer.exists():
        return None
    return json.loads(pointer.read_text("utf-8"))["version"]


def bump(previous: str | None, change: str) -> str:
    if previous is None:
        return "1.0.0"
    major, minor, patch = (int(part) for part in previous.split("."))
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}[change]


def _fingerprint(descriptor: dict) -> dict:
    """What a release *is*, for comparison: schemas, data hashes, and the remaining metadata.

    Provenance (`ashyq`: code version, manifests) is left out: new code that yields the same data
    publishes nothing.
    """
    resources = descriptor["resources"]
    return {
        "schemas": {r["name"]: r["schema"] for r in resources},
        "data": {r["name"]: r["hash"] for r in resources},
        "metadata": {k: v for k, v in descriptor.items() if k not in ("resources", "version", "created", "ashyq")},
    }


def classify_change(previous: dict | None, current: dict) -> str | None:
    if previous is None:
        return "major"
    old, new = _fingerprint(previous), _fingerprint(current)
    if old["schemas"] != new["schemas"]:
        return "major"
    if old["data"] != new["data"]:
        return "minor"
    if old["metadata"] != new["metadata"]:
        return "patch"
    return None


def descriptor_for(tables: dict[str, list[dict]], *, sample: bool, sources: list[dict], only: list[str] | None = None,
                   written: dict[str, bytes] | None = None, digests: dict[str, str] | None = None) -> tuple[dict, dict[str, bytes]]:
    """datapackage.json (without version/created) and the CSV bytes of every resource (or of `only` those).
    `written`: CSV bytes already made from these same tables (validation's, `Validated.csv`), reused as they
    are; `digests`: the sha256 of some of those bytes, as validation's check read them (`Validated.sha256`):
    a 400 MB table is not hashed again here (the release's check hashes the files written, as always)."""
    meta = package_metadata()
    files, resources = {}, []
    for entry in meta["resources"]:
        name = entry["name"]
        if only is not None and name not in only:
            continue
        data = (written or {}).get(name)
        digest = (digests or {}).get(name) if data is not None else None
        if data is None:
            data = to_csv_bytes(name, tables.get(name, []))
        files[f"{name}.csv"] = data
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "title": entry["title"],
                "description": entry["description"],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(data),
                "hash": f"sha256:{digest or sha256_bytes(data)}",
                "schema": schema(name),
            }
        )
    title = meta["title"]
    description = meta["description"].strip()
    if sample:
        title = f"SAMPLE (fictional data): {title}"
        description = f"{meta['sample_notice'].strip()}\n\n{description}"
    descriptor = {
        "profile": "tabular-data-package",
        "name": meta["name"],
        "title": title,
        "description": description,
        "sample": sample,
        **({"homepage": meta["homepage"]} if meta.get("homepage") else {}),
        "licenses": meta["licenses"],
        "contributors": meta["contributors"],
        "sources": sources,
        "resources": resources,
    }
    return descriptor, files


@contextmanager
def publish_lock(package_dir: Path):
    package_dir.mkdir(parents=True, exist_ok=True)
    with open(package_dir / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishLocked(f"{package_dir}: another ashyq process is publishing; try again when it finishes") from None
        yield


def publish(
    tables: dict[str, list[dict]],
    published_dir: Path,
    *,
    sample: bool,
    sources: list[dict],
    manifests: dict[str, dict] | None = None,
    archive: RawArchive | None = None,
    now: datetime | None = None,
    written: dict[str, bytes] | None = None,
    validated: dict[str, dict] | None = None,
    columns: dict[str, CsvColumns] | None = None,
    digests: dict[str, str] | None = None,
) -> ReleaseOutcome:
    """Publish `tables` as the next version unless they equal the latest release.

    `written`: resources already made into CSV (validation's bytes), published as they are; `tables` need
    not hold those; `validated`: the schemas the validated layer checked those bytes against (check_release);
    `columns`: the cells some of those bytes were written from, for the SQLite download (downloads.sqlite_building);
    `digests`: the sha256 of some of those bytes (descriptor_for).
    With `archive` and `manifests`, the release carries the raw documents its `documents`
    table lists and the crawl manifests, so `ashyq verify` can re-derive it without the web.
    """
    descriptor, files = descriptor_for(tables, sample=sample, sources=sources, written=written, digests=digests)
    package_dir = Path(published_dir) / descriptor["name"]
    with publish_lock(package_dir):
        _clear_stale_staging(package_dir)
        _adopt_interrupted_release(package_dir)
        previous_version = latest_version(package_dir)
        previous = None
        if previous_version:
            previous = json.loads((package_dir / previous_version / "datapackage.json").read_text("utf-8"))
        change = classify_change(previous, descriptor)
        if change is None:
            return ReleaseOutcome(descriptor["name"], previous_version, package_dir / previous_version, False, f"unchanged since {previous_version}")
        version = bump(previous_version, change)
        created = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
        descriptor = {**descriptor, "version": version, "created": created, "ashyq": provenance(manifests or {})}
        final = package_dir / version
        if final.exists():
            raise FileExistsError(f"{final} already exists: a published version is never rewritten")
        previous_dir = package_dir / previous_version if previous_version else None
        summary: list[str] = []

        def complete(staging: Path) -> dict:
            """The rest of the release, around its CSVs and datapackage.json: the SQLite download is built
            in a child process meanwhile (the longest part, and it needs only those), then the release page
            that links the downloads. Returns the CSVs' digests (file_digests) for the release's check."""
            from pipelines.downloads import sqlite_building, write_zip
            from pipelines.site import render_release_site
            from pipelines.site.release_data import ReleaseData

            with sqlite_building(staging, scratch=package_dir / f"{STAGING_PREFIX}sqlite-{version}-{os.getpid()}",
                                 columns=columns) as sqlite_built:
                if archive is not None:
                    ship_documents(staging, column_values(files.get("documents.csv"), "sha256"), archive, previous_dir)
                    for source_id, manifest in sorted((manifests or {}).items()):
                        (staging / "archive" / "manifests").mkdir(parents=True, exist_ok=True)
                        (staging / "archive" / "manifests" / f"{source_id}.json").write_bytes(dump_json(manifest))
                report = diff_releases(previous_dir, staging, listed=MAX_LISTED)
                summary.append(summary_line(report))
                (staging / "CHANGELOG.md").write_text(changelog(report, version=version, previous=previous_version, created=created, change=change), "utf-8")
                write_zip(staging)
                # while the SQLite child works (this core is idle until it ends): what reads the CSVs again, the
                # page's row counts and the release check's hashes, each a pass over a 400 MB budget table
                page = ReleaseData(staging)
                page.row_counts
                on_disk = file_digests(staging)
                sqlite_built()
            render_release_site(staging, previous_release_dir=previous_dir, data=page)
            return on_disk

        write_package(final, descriptor, files, complete=complete, validated=validated)
        pause_point("release-renamed")
        write_json_atomic(package_dir / "latest.json", {"version": version})
        render_catalog(Path(published_dir))
        return ReleaseOutcome(descriptor["name"], version, final, True, f"{change} change" if previous_version else "first release", summary[0])


def column_values(data: bytes | None, column: str) -> list[str]:
    """One column of a CSV made by to_csv_bytes (none when there is no file)."""
    if not data:
        return []
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    position = next(reader).index(column)
    return [row[position] for row in reader]


def provenance(manifests: dict[str, dict]) -> dict:
    return {"code_version": code_version(), "manifests": [f"archive/manifests/{source_id}.json" for source_id in sorted(manifests)]}


def code_version() -> str:
    """`ashyq <version>+<git commit>` (with `.dirty` when the checkout has uncommitted changes)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        base = f"ashyq {version('ashyq')}"
    except PackageNotFoundError:
        base = "ashyq (not installed)"
    try:
        commit = subprocess.run(["git", "-C", str(REPO_ROOT), "describe", "--always", "--dirty=.dirty", "--abbrev=12"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return base
    return f"{base}+{commit.stdout.strip()}" if commit.returncode == 0 and commit.stdout.strip() else base


def ship_documents(staging: Path, shas: list[str], archive: RawArchive, previous_dir: Path | None) -> None:
    """Put each raw document and its sidecar under archive/sha256/ (hard-linked from the previous release when there)."""
    for sha in sorted(set(shas)):
        relative = Path("archive") / "sha256" / sha[:2] / sha
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", ".json"):
            source = archive.path_of(sha).with_name(sha + suffix)
            earlier = previous_dir / relative.with_name(sha + suffix) if previous_dir else None
            _link_or_copy(earlier if earlier is not None and earlier.exists() else source, target.with_name(sha + suffix))


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def write_package(final: Path, descriptor: dict, files: dict[str, bytes], complete=None, validated: dict[str, dict] | None = None) -> None:
    """Write a data package into `final` all at once: staged beside it, completed (`complete(staging)`, which
    may return file_digests taken meanwhile), fsynced, validated (check_release; `validated` as it takes it),
    then renamed."""
    staging = final.parent / f"{STAGING_PREFIX}{final.name}-{os.getpid()}"
    staging.mkdir(parents=True)
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        early = fsyncing([staging / name for name in files])  # the CSVs reach the disk while the rest is made
        (staging / "datapackage.json").write_bytes(dump_json(_ordered(descriptor), sort_keys=False))
        digests = complete(staging) if complete is not None else None
        early.join()
        _fsync_tree(staging)
        check_release(staging, validated, digests)
        pause_point("release-staged")
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def check_release(folder: Path, validated: dict[str, dict] | None = None, digests: dict | None = None) -> None:
    """The release must pass its own schemas, keys included (pipelines/tablecheck: Frictionless's checks at
    budget scale), and every file must match the size and sha256 its datapackage.json states, or nothing is
    published.

    `validated`: for resources published as the very bytes the validated layer checked, the schema it checked
    them against. A resource whose release schema is that schema, and whose foreign keys point only at such
    resources, is not checked again (its bytes are, against the hash datapackage.json states, which was taken
    from those bytes); a 1M-line table is validated once per refresh, not twice. `digests`: file_digests taken
    earlier, reused for each file that has not changed since."""
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    problems = file_problems(folder, descriptor, digests)
    problems += [f"{e['resource']}: row {e['row_number']}: {e['message']}" for e in _schema_errors(folder, descriptor, validated or {})]
    if problems:
        raise ValueError(f"release in {folder} fails validation:\n  " + "\n  ".join(problems[:20]))


def _schema_errors(folder: Path, descriptor: dict, validated: dict[str, dict]) -> list[dict]:
    from pipelines.tablecheck import check_package, check_resource, errors_of

    resources = descriptor["resources"]
    vouched = {r["name"] for r in resources if validated.get(r["name"]) == r["schema"]}
    pending = [r for r in resources if r["name"] not in vouched
               or any((fk["reference"]["resource"] or r["name"]) not in vouched for fk in r["schema"].get("foreignKeys", []))]
    if any(r["schema"].get("foreignKeys") for r in pending):
        return errors_of(check_package(folder / "datapackage.json"))  # keys across resources: the whole package
    errors = []
    for resource in pending:
        errors += [{**e, "resource": resource["name"]} for e in errors_of(check_resource(folder / resource["path"], resource["schema"]))]
    return errors


def file_problems(release: Path, descriptor: dict, digests: dict | None = None) -> list[str]:
    """Each resource file against the `bytes` and `hash` its descriptor states; archived documents against their
    names. `digests` (file_digests) stand for reading a file again while its size, mtime and inode are the same."""
    problems = []
    for resource in descriptor["resources"]:
        path = release / resource["path"]
        if not path.exists():
            problems.append(f"{resource['path']}: missing")
            continue
        known = (digests or {}).get(resource["path"])
        digest = known[1] if known and known[0] == _signature(path) else sha256_file(path)
        if f"sha256:{digest}" != resource.get("hash"):
            problems.append(f"{resource['path']}: sha256 differs from datapackage.json's hash")
        if path.stat().st_size != resource.get("bytes"):
            problems.append(f"{resource['path']}: {path.stat().st_size} bytes, datapackage.json says {resource.get('bytes')}")
    archive = release / "archive" / "sha256"
    for blob in sorted(archive.rglob("*")) if archive.is_dir() else []:
        if blob.is_file() and blob.suffix != ".json" and sha256_file(blob) != blob.name:
            problems.append(f"{blob.relative_to(release)}: archived bytes no longer hash to their name")
    return problems


def file_digests(folder: Path) -> dict[str, tuple[tuple, str]]:
    """sha256 of each resource file of the package in `folder`, with the file's (size, mtime, inode) as it was
    before reading: file_problems reuses a digest only for a file still the same."""
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    digests = {}
    for resource in descriptor["resources"]:
        path = folder / resource["path"]
        if path.is_file():
            signature = _signature(path)
            digests[resource["path"]] = (signature, sha256_file(path))
    return digests


def _signature(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def _ordered(descriptor: dict) -> dict:
    order = ["profile", "name", "title", "version", "created", "sample", "description", "homepage", "licenses", "contributors", "sources", "ashyq", "resources"]
    return {key: descriptor[key] for key in order if key in descriptor}


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            fsync_file(path)


def published_versions(package_dir: Path) -> list[str]:
    """Every complete version folder (renamed into place only once whole), oldest first."""
    found = [p.name for p in package_dir.iterdir() if p.is_dir() and p.name[:1].isdigit() and (p / "datapackage.json").exists()] if package_dir.exists() else []
    return sorted(found, key=lambda v: tuple(int(x) for x in v.split(".")))


def _adopt_interrupted_release(package_dir: Path) -> None:
    """A crash between renaming a version into place and moving latest.json leaves a complete, newer version:
    it passed validation before the rename, so finishing its publication is what the crashed run meant to do."""
    versions = published_versions(package_dir)
    if versions and versions[-1] != latest_version(package_dir):
        check_release(package_dir / versions[-1])
        write_json_atomic(package_dir / "latest.json", {"version": versions[-1]})


def _clear_stale_staging(package_dir: Path) -> None:
    for stale in package_dir.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)
