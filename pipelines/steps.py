"""The pipeline's steps as plain functions, one per layer: raw → parsed → validated → published.

Dagster assets (pipelines/assets.py) are thin wrappers around these, and `ashyq` commands that do not
need an orchestrator call them directly, so every step can be run and tested on its own.
"""
from __future__ import annotations

import contextlib
import csv
from dataclasses import asdict
from pathlib import Path

from pipelines import release
from pipelines.bulk import cyclic_gc_paused
from pipelines.faults import pause_point
from pipelines.settings import BUNDLED_MIRROR, Settings
from pipelines.schemas import CsvColumns
from pipelines.validation import CheckedCsv, Validated, candidate_schemas, validate_tables
from sources.archive import RawArchive
from sources.catalog import Source
from sources.http import Fetcher
from sources.mirror_server import serve_mirror
from sources.urls import UrlMap

REGIONS_CSV = Path(__file__).resolve().parent.parent / "sources" / "reference" / "regions.csv"
# resource -> its CSV as the last validation in this process wrote it (bytes, cells, sha256): publishing in the
# same process (the in-process executor) builds the SQLite download from those cells, not the CSV read back,
# and does not hash the bytes again (kept_from_validation)
_VALIDATED_CSV: dict[str, CheckedCsv] = {}


@contextlib.contextmanager
def url_map_for(settings: Settings):
    """Serve the bundled mirror on loopback for the block (the offline default), or use the configured one."""
    if settings.uses_bundled_mirror:
        with serve_mirror(BUNDLED_MIRROR) as base:
            yield UrlMap(base)
    else:
        yield UrlMap(None if settings.live else settings.mirror_url)


def raw_crawl(source: Source, settings: Settings) -> dict:
    """Raw layer: crawl one source into the archive and return its manifest."""
    archive = RawArchive(settings.archive_dir)
    with url_map_for(settings) as url_map:
        fetcher = Fetcher.for_source(archive, source, url_map=url_map, sample=settings.sample)
        manifest = source.load_adapter().crawl(fetcher)
    pause_point("raw-crawled")
    return {**manifest, "source": source.to_dict()}


def parsed_tables(source: Source, manifest: dict, settings: Settings) -> dict[str, list[dict]]:
    """Parsed layer: rows faithful to the source, from archived bytes only, by resource name."""
    tables = source.load_adapter().parse(manifest, RawArchive(settings.archive_dir))
    for rows in tables.values():
        for row in rows:
            row["sample"] = settings.sample  # in place: the adapter's rows are ours, and a copy of a million costs a gigabyte
    return tables


def parsed_family(family: str, manifests: list[tuple[Source, dict]], settings: Settings, parsed_memoranda: list | None = None) -> dict[str, list[dict]]:
    """Parse every source of a family and merge their tables; projects are then linked to memoranda."""
    with cyclic_gc_paused():
        return _parsed_family(family, manifests, settings, parsed_memoranda)


def _parsed_family(family: str, manifests: list[tuple[Source, dict]], settings: Settings, parsed_memoranda: list | None) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {}
    for source, manifest in manifests:
        for name, rows in parsed_tables(source, manifest, settings).items():
            tables.setdefault(name, []).extend(rows)
    if family == "projects" and parsed_memoranda is not None:
        from sources.organisations import default_index
        from sources.projects import link_memoranda

        tables["social_projects"] = link_memoranda(tables.get("social_projects", []), parsed_memoranda, default_index(include_sample=settings.sample))
    return tables


def organisation_rows(settings: Settings) -> list[dict]:
    """The organisations reference; fictional sample organisations only in sample runs, so no real name can match one."""
    from sources.organisations import organisation_rows as rows

    return rows(include_sample=settings.sample)


def document_rows(manifests: list[dict], settings: Settings) -> list[dict]:
    """One row per archived document the manifests refer to, from the archive's sidecars."""
    archive = RawArchive(settings.archive_dir)
    rows = {}
    for manifest in manifests:
        for sha in manifest["documents"]:
            sidecar = archive.sidecar(sha)
            rows[sha] = {**asdict(sidecar), "archive_path": f"archive/{sidecar.archive_path}"}
    return [rows[sha] for sha in sorted(rows)]


def region_rows() -> list[dict]:
    with open(REGIONS_CSV, encoding="utf-8", newline="") as handle:
        return [{k: (v or None) for k, v in row.items()} for row in csv.DictReader(handle)]


def validated(tables: dict[str, list[dict]]) -> Validated:
    with cyclic_gc_paused():
        checked = validate_tables(tables)
    _VALIDATED_CSV.clear()
    _VALIDATED_CSV.update(checked.written)
    return checked


def kept_from_validation(files: dict[str, bytes]) -> tuple[dict[str, CsvColumns], dict[str, str]]:
    """The cells and sha256 validation kept for those of `files` that are the very bytes it wrote (the same
    objects, handed over in memory: pipelines/handoff.py); nothing for bytes that came another way (a
    pickle file, another process), which publishing reads and hashes itself. Taken once: the cells go."""
    kept = dict(_VALIDATED_CSV)
    _VALIDATED_CSV.clear()
    same = [name for name, data in files.items() if name in kept and kept[name].data is data]
    return {name: kept[name].cells for name in same}, {name: kept[name].sha256 for name in same if kept[name].sha256}


def source_descriptors(sources: list[Source]) -> list[dict]:
    """The `sources` property of datapackage.json: who published what we read, under which terms."""
    return [
        {"title": f"{s.publisher} ({s.id})", "path": s.base_url, "publisher": s.publisher, "country": s.country, "licence": s.licence}
        for s in sorted(sources, key=lambda s: s.id)
    ]


def published(files: dict[str, bytes], settings: Settings, sources: list[Source], manifests: dict[str, dict]) -> release.ReleaseOutcome:
    """Published layer: the next release from the validated layer's CSV bytes (published as they were
    checked, against the schemas validate_tables used; the quarantine is the one output it did not check),
    carrying the raw documents and manifests it was built from."""
    checked = candidate_schemas([name for name in files if name != "quarantine"])
    cells, digests = kept_from_validation(files)
    with cyclic_gc_paused():  # the changelog's diff holds a million rows at a time (the SQLite build runs in a child)
        return release.publish(
            {}, settings.published_dir, sample=settings.sample, sources=source_descriptors(sources),
            manifests=manifests, archive=RawArchive(settings.archive_dir), written=files, validated=checked, columns=cells,
            digests=digests,
        )


def catalog_for(settings: Settings, catalog: list[Source]) -> list[Source]:
    """Live runs skip fictional sample publishers: their hosts exist only in the bundled mirror."""
    return [s for s in catalog if not (settings.live and s.fictional)]


def warehouse_version(package: str) -> str | None:
    """The version of `package` last loaded into ASHYQ_WAREHOUSE_URL (None when it holds none)."""
    import sqlalchemy as sa

    from pipelines.warehouse import warehouse_url
    from pipelines.warehouse.load import engine_for

    engine = engine_for(warehouse_url())
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("releases"):
                return None
            return connection.execute(
                sa.text("SELECT version FROM releases WHERE package = :p ORDER BY loaded_at DESC LIMIT 1"), {"p": package}
            ).scalar()
    finally:
        engine.dispose()


def warehouse_is_current(settings: Settings) -> bool:
    """The warehouse holds the latest release (the run that published it may have failed to load it)."""
    package_dir = release.package_dir(settings.published_dir)
    return warehouse_version(package_dir.name) == release.latest_version(package_dir)


def load_warehouse(settings: Settings) -> str:
    """Load the latest release into ASHYQ_WAREHOUSE_URL unless the warehouse already holds that version."""
    from pipelines.warehouse import load_release, warehouse_url

    package_dir = release.package_dir(settings.published_dir)
    version = release.latest_version(package_dir)
    if version is None:
        return "no release to load"
    if warehouse_is_current(settings):
        return f"{version} already loaded"
    loaded = load_release(package_dir / version, warehouse_url())
    return f"{version} loaded from the release's {'SQLite file' if loaded.via == 'sqlite' else 'CSVs'}"
