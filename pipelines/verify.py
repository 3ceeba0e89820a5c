"""`ashyq verify [VERSION]`: re-derive a release from the raw documents and manifests it carries, and check
that every CSV comes out byte-identical and every hash in datapackage.json matches.

Nothing is fetched: the release's own archive/ is the only input, so anyone holding a copy of the release
can check that its tables follow from its sources with this code.
"""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pipelines import steps
from pipelines.release import code_version, descriptor_for, file_problems
from pipelines.settings import Settings
from pipelines.validation import validate_tables
from sources.catalog import FAMILIES, Source



@dataclass
class Verification:
    release: Path
    recorded_code_version: str
    code_version: str
    problems: list[str] = field(default_factory=list)
    version: str = "?"  # as its datapackage.json states it

    @property
    def ok(self) -> bool:
        return not self.problems


def rederive(release: Path, descriptor: dict) -> dict[str, bytes]:
    """The CSV bytes this code produces from the release's archive and manifests."""
    manifests = [json.loads(p.read_text("utf-8")) for p in sorted((release / "archive" / "manifests").glob("*.json"))]
    if not manifests:
        raise ValueError(f"{release}: carries no crawl manifests (archive/manifests/); it cannot be re-derived")
    with tempfile.TemporaryDirectory(prefix="ashyq-verify-") as scratch:
        settings = Settings(published_dir=Path(scratch), archive_dir=release / "archive", mirror_url=None, live=not descriptor.get("sample", False))
        tables: dict[str, list[dict]] = {}
        for family in FAMILIES:  # in dependency order: projects link to the memoranda parsed before them
            members = [(Source.from_dict(m["source"]), m) for m in manifests if m["source"]["family"] == family]
            if members:
                tables.update(steps.parsed_family(family, members, settings, parsed_memoranda=tables.get("memoranda")))
        tables.update(documents=steps.document_rows(manifests, settings), regions=steps.region_rows(), organisations=steps.organisation_rows(settings))
        checked = validate_tables(tables)
    _, files = descriptor_for({**checked.tables, "quarantine": checked.quarantine}, sample=descriptor.get("sample", False), sources=descriptor.get("sources", []))
    return files


def verify(release: Path) -> Verification:
    """Raises ValueError when the folder's datapackage.json is not a Data Package: nothing to verify against."""
    path = release / "datapackage.json"
    try:
        descriptor = json.loads(path.read_text("utf-8"))
    except ValueError as error:  # not UTF-8, not JSON
        raise ValueError(f"{path}: not readable as JSON ({error})") from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise ValueError(f"{path}: not a Data Package (it has no list of resources)")
    result = Verification(release, descriptor.get("ashyq", {}).get("code_version", "unknown"), code_version(), version=str(descriptor.get("version", "?")))
    result.problems += file_problems(release, descriptor)
    try:
        files = rederive(release, descriptor)
    except Exception as error:  # noqa: BLE001 - reported as the reason verification failed
        result.problems.append(f"re-derivation failed: {type(error).__name__}: {error}")
        return result
    published = {r["path"] for r in descriptor["resources"]}
    for name, data in sorted(files.items()):
        if name not in published:
            result.problems.append(f"{name}: this code produces it, the release does not have it")
        elif (release / name).exists() and (release / name).read_bytes() != data:
            result.problems.append(f"{name}: re-derived bytes differ ({_first_difference((release / name).read_bytes(), data)})")
    for name in sorted(published - files.keys()):
        result.problems.append(f"{name}: in the release, not produced by this code")
    return result


def _first_difference(published: bytes, derived: bytes) -> str:
    old, new = published.decode("utf-8", "replace").splitlines(), derived.decode("utf-8", "replace").splitlines()
    for number, (a, b) in enumerate(zip(old, new), start=1):
        if a != b:
            return f"first at line {number}: published {a[:120]!r}, re-derived {b[:120]!r}"
    return f"published has {len(old)} lines, re-derived {len(new)}"
