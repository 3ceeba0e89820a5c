"""`ashyq trace RESOURCE KEY...`: from a published row to the archived bytes it came from, and its history."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from pipelines.release import NoRelease, published_release, published_versions


class TraceError(Exception):
    """The release, resource or row asked for does not exist; the message says which."""


def _descriptor(release: Path) -> dict:
    return json.loads((release / "datapackage.json").read_text("utf-8"))


def _resource(descriptor: dict, name: str) -> dict:
    for resource in descriptor["resources"]:
        if resource["name"] == name:
            return resource
    raise TraceError(f"no resource {name!r}; this release has: {', '.join(r['name'] for r in descriptor['resources'])}")


def _find(release: Path, resource: dict, key: list[str]) -> dict | None:
    fields = resource["schema"].get("primaryKey", [])
    with open(release / resource["path"], encoding="utf-8", newline="") as handle:
        return next((row for row in csv.DictReader(handle) if [row[f] for f in fields] == key), None)


def _document_field(resource: dict) -> str | None:
    if resource["name"] == "documents":
        return "sha256"
    for fk in resource["schema"].get("foreignKeys", []):
        if fk["reference"]["resource"] == "documents":
            return fk["fields"][0]
    return None


def history(package_dir: Path, name: str, key: list[str]) -> dict:
    """First release the row appeared in, and the last release in which it changed."""
    first = last_changed = None
    previous = None
    for version in published_versions(package_dir):
        release = package_dir / version
        descriptor = _descriptor(release)
        if name not in {r["name"] for r in descriptor["resources"]}:
            previous = None
            continue
        row = _find(release, _resource(descriptor, name), key)
        if row is not None and first is None:
            first = version
        if row is not None and row != previous:
            last_changed = version
        previous = row
    return {"first_appeared": first, "last_changed": last_changed}


def trace(published_dir: Path, package: str, name: str, key: list[str], version: str | None = None) -> dict:
    try:
        release = published_release(Path(published_dir) / package, version)
    except NoRelease as error:
        raise TraceError(str(error)) from None
    version = release.name
    descriptor = _descriptor(release)
    resource = _resource(descriptor, name)
    pk = resource["schema"].get("primaryKey", [])
    if len(key) != len(pk):
        raise TraceError(f"{name} is keyed by {', '.join(pk)}: give {len(pk)} value(s), got {len(key)}")
    row = _find(release, resource, key)
    quarantined = _quarantined(release, descriptor, name, key)
    if row is None and not quarantined:
        raise TraceError(f"{name}: no row with {dict(zip(pk, key))} in release {version}")
    shown = row or json.loads(quarantined[0]["row"])
    result = {"release": version, "resource": name, "key": dict(zip(pk, key)), "row": shown}
    field = _document_field(resource)
    if field and shown.get(field):
        result["document"] = _document(release, descriptor, shown[field])
    result["locator"] = shown.get("locator") or (shown.get("archive_path") if name == "documents" else None)
    result["parser"] = _parser(release, shown.get("source_id"))
    result["code_version"] = descriptor.get("ashyq", {}).get("code_version")
    result["validation"] = (
        {"status": "quarantined", "errors": [{k: q[k] for k in ("field", "error_type", "message")} for q in quarantined]}
        if quarantined else {"status": "valid"}
    )
    result["releases"] = history(release.parent, name, key)
    return result


def _quarantined(release: Path, descriptor: dict, name: str, key: list[str]) -> list[dict]:
    if "quarantine" not in {r["name"] for r in descriptor["resources"]}:
        return []
    with open(release / "quarantine.csv", encoding="utf-8", newline="") as handle:
        return [q for q in csv.DictReader(handle) if q["resource"] == name and q["row_key"] == "|".join(key)]


def _document(release: Path, descriptor: dict, sha: str) -> dict:
    document = _find(release, _resource(descriptor, "documents"), [sha]) or {}
    path = release / document["archive_path"] if document.get("archive_path") else None
    return {
        "sha256": sha,
        "url": document.get("url"),
        "final_url": document.get("final_url"),
        "retrieved_at": document.get("retrieved_at"),
        "content_type": document.get("content_type"),
        "path": str(path) if path and path.exists() else None,
    }


def _parser(release: Path, source_id: str | None) -> str | None:
    manifest = release / "archive" / "manifests" / f"{source_id}.json"
    if source_id and manifest.exists():
        return json.loads(manifest.read_text("utf-8"))["source"]["adapter"]
    return {"ingest": "ashyq ingest"}.get(source_id or "")
