"""`ashyq ingest FAMILY FILE... -o DIR`: an auditor's local files through the same parsers, schemas and
validation as the pipeline, written as one data package in DIR.

The package holds the family's resources, the files themselves as `documents`, the reference tables the
foreign keys point at, and the quarantine. It is written all at once: an unreadable file stops the
command before anything is written, and DIR never holds a half-written package.
"""
from __future__ import annotations

import importlib
import mimetypes
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pipelines import release, steps
from pipelines.bulk import cyclic_gc_paused
from pipelines.schemas import family_resources
from pipelines.settings import Settings
from pipelines.validation import candidate_schemas, validate_tables
from sources.files import sha256_bytes

PARSERS = {"memoranda": "sources.memoranda.files", "projects": "sources.projects", "budget": "sources.budget"}  # by catalog.FAMILIES
REFERENCE = ["documents", "regions", "organisations"]


class IngestError(Exception):
    """An input file or the output folder cannot be used; the message names which and why."""


@dataclass(frozen=True)
class IngestOutcome:
    path: Path
    rows: dict[str, int]
    quarantined: int
    findings: list[dict]


def document_row(path: Path, data: bytes) -> dict:
    modified = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    sha = sha256_bytes(data)
    return {
        "sha256": sha, "source_id": "ingest", "role": "file", "url": f"file:{path.name}", "final_url": f"file:{path.name}",
        "retrieved_at": modified, "http_status": None, "content_type": _content_type(path.name),
        "etag": "", "last_modified": "", "bytes": len(data), "archive_path": path.name, "sample": False,
    }


def _content_type(name: str) -> str:
    """As the file is archived: a gzipped CSV (`x.csv.gz`) is application/gzip, not text/csv."""
    kind, encoding = mimetypes.guess_type(name)
    return "application/gzip" if encoding == "gzip" else kind or ""


def parse_all(family: str, files: list[Path], options: dict) -> tuple[dict[str, list[dict]], list[dict]]:
    if family not in PARSERS:
        raise IngestError(f"unknown family {family!r}: choose one of {', '.join(PARSERS)}")
    parse_file = importlib.import_module(PARSERS[family]).parse_file
    tables: dict[str, list[dict]] = {name: [] for name in family_resources(family)}
    documents = {}
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise IngestError(f"{path}: cannot be read ({error.strerror or error})") from None
        try:
            parsed = parse_file(data, name=path.name, **options)
        except Exception as error:  # noqa: BLE001 - every parser failure becomes one clear message
            message = str(error)
            raise IngestError(message if path.name in message else f"{path}: {message}") from None
        for name, rows in parsed.items():
            for row in rows:
                row["sample"] = False  # in place: at a million rows a copy of each row costs a gigabyte
            tables.setdefault(name, []).extend(rows)
        documents[sha256_bytes(data)] = document_row(path, data)
    return tables, [documents[sha] for sha in sorted(documents)]


def ingest(family: str, files: list[Path], out_dir: Path, **options) -> IngestOutcome:
    with cyclic_gc_paused():
        return _ingest(family, files, out_dir, **options)


def _ingest(family: str, files: list[Path], out_dir: Path, **options) -> IngestOutcome:
    out_dir = Path(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise IngestError(f"{out_dir}: already exists and is not an empty folder; choose a new one")
    options = {k: v for k, v in options.items() if v is not None}
    if family == "projects":
        from sources.organisations import default_index

        options["organisations"] = default_index(include_sample=False)  # a real file never matches a fictional organisation
    tables, documents = parse_all(family, [Path(f) for f in files], options)
    reference = Settings(published_dir=out_dir, archive_dir=out_dir, mirror_url=None, live=True)
    candidate = {**tables, "documents": documents, "regions": steps.region_rows(), "organisations": steps.organisation_rows(reference)}
    checked = validate_tables(candidate)
    names = [*tables, *REFERENCE, "quarantine"]
    descriptor, outputs = release.descriptor_for({**checked.tables, "quarantine": checked.quarantine}, sample=False, sources=[], only=names,
                                                  written=checked.csv, digests=checked.sha256)
    descriptor = {
        **descriptor,
        "name": f"{descriptor['name']}-ingest",
        "title": f"Ingested {family} files: " + ", ".join(Path(f).name for f in files)[:200],
        "version": "1.0.0",
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if out_dir.exists():
        out_dir.rmdir()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    release.write_package(out_dir, descriptor, outputs, validated=candidate_schemas(list(candidate)))
    return IngestOutcome(
        out_dir,
        {name: len(rows) for name, rows in checked.tables.items() if name in tables},
        len({(q["resource"], q["row_number"]) for q in checked.quarantine}),
        checked.quarantine,
    )
