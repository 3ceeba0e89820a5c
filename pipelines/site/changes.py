"""What changed since the previous release, per table: rows added, removed and changed (by primary key),
and whether the columns changed. Advocates see at a glance what is new without diffing CSVs."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from pipelines.site.release_data import ReleaseData


@dataclass(frozen=True)
class TableChange:
    name: str
    title: str
    before: int
    after: int
    added: int
    removed: int
    changed: int
    columns_changed: bool


def _keyed(release: ReleaseData, name: str) -> dict[tuple, str]:
    """Primary key -> digest of the whole row (the row itself when there is no key)."""
    key = release.primary_key(name)
    rows = {}
    for row in release.iter_rows(name):
        values = tuple(row.get(column, "") for column in (key or sorted(row)))
        digest = hashlib.sha256("\x1f".join(f"{k}={row[k]}" for k in sorted(row)).encode("utf-8")).hexdigest()
        # duplicate keys cannot be published; tolerate them anyway by counting each distinct row once
        rows[values if key else (digest,)] = digest
    return rows


def compare(current: ReleaseData, previous: ReleaseData) -> list[TableChange]:
    changes = []
    names = [r["name"] for r in current.resources] + [r["name"] for r in previous.resources if not current.resource(r["name"])]
    for name in names:
        new, old = _keyed(current, name), _keyed(previous, name)
        resource = current.resource(name) or previous.resource(name) or {}
        changes.append(
            TableChange(
                name=name,
                title=str(resource.get("title") or name),
                before=len(old),
                after=len(new),
                added=len(new.keys() - old.keys()),
                removed=len(old.keys() - new.keys()),
                changed=sum(1 for k in new.keys() & old.keys() if new[k] != old[k]),
                columns_changed=current.fields(name) != previous.fields(name),
            )
        )
    return changes
