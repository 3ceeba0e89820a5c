"""What changed between two releases: rows added, removed and changed per resource (by primary key),
and schema changes. Used for each release's CHANGELOG.md and by `ashyq diff V1 V2`."""
from __future__ import annotations

import csv
import json
from pathlib import Path

MAX_LISTED = 50  # keys listed per kind of change in the changelog; counts are always complete


def _descriptor(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text("utf-8"))


def _rows_by_key(folder: Path, resource: dict, *, rows: bool = True) -> tuple[list[str], dict[tuple, list[str] | None]]:
    """The CSV's header and its rows (cell lists, not dicts: releases run to millions of rows) by primary key;
    with `rows=False` the keys alone (a resource only one release has: every row is added or removed)."""
    key = resource["schema"].get("primaryKey") or [f["name"] for f in resource["schema"]["fields"]]
    with open(folder / resource["path"], encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        positions = [header.index(column) for column in key]
        return header, {tuple(row[p] for p in positions): (row if rows else None) for row in reader}


def _changed_fields(header_after: list[str], after: list[str], header_before: list[str], before: list[str]) -> list[str]:
    """Fields whose text differs ([] when none); a field the old release lacked counts as changed."""
    if header_after == header_before:
        return [] if after == before else sorted(h for h, new, old in zip(header_after, after, before) if new != old)
    new, old = dict(zip(header_after, after)), dict(zip(header_before, before))
    return sorted(field for field in new if old.get(field) != new[field]) if new != old else []


def schema_changes(old: dict | None, new: dict | None) -> list[str]:
    if old is None:
        return ["resource added"] if new is not None else []
    if new is None:
        return ["resource removed"]
    before = {f["name"]: f for f in old["fields"]}
    after = {f["name"]: f for f in new["fields"]}
    changes = [f"field added: {name}" for name in after if name not in before]
    changes += [f"field removed: {name}" for name in before if name not in after]
    changes += [f"field changed: {name}" for name in after if name in before and after[name] != before[name]]
    for key in ("primaryKey", "foreignKeys"):
        if old.get(key) != new.get(key):
            changes.append(f"{key} changed")
    return changes


def diff_releases(old_folder: Path | None, new_folder: Path) -> dict:
    """{resource: {"added": [keys], "removed": [keys], "changed": {key: [fields]}, "schema": [changes],
    "counts": {"added": n, "removed": n, "changed": n}}}. Against no release (a first one) every row is
    added and none is listed: the rows are counted, not keyed."""
    old = {r["name"]: r for r in _descriptor(old_folder)["resources"]} if old_folder else {}
    new = {r["name"]: r for r in _descriptor(new_folder)["resources"]}
    report = {}
    for name in [*new, *(n for n in old if n not in new)]:
        both = name in old and name in new  # otherwise only the keys of one side matter, not its rows
        if both and old[name].get("hash") and old[name].get("hash") == new[name].get("hash") and old[name]["schema"] == new[name]["schema"]:
            report[name] = _part([], [], {}, [])  # the same bytes: nothing to read
            continue
        if old_folder is None:
            from pipelines.site.release_data import count_records

            rows = max(count_records((new_folder / new[name]["path"]).read_bytes()) - 1, 0)
            report[name] = {**_part([], [], {}, schema_changes(None, new[name]["schema"])), "counts": {"added": rows, "removed": 0, "changed": 0}}
            continue
        header_before, before = _rows_by_key(old_folder, old[name], rows=both) if name in old else ([], {})
        header_after, after = _rows_by_key(new_folder, new[name], rows=both) if name in new else ([], {})
        changed = {}
        for key in after.keys() & before.keys():
            fields = _changed_fields(header_after, after[key], header_before, before[key])
            if fields:
                changed[key] = fields
        report[name] = _part(
            sorted(after.keys() - before.keys() if before else after),  # no set of a million keys when all are new
            sorted(before.keys() - after.keys() if after else before),
            dict(sorted(changed.items())),
            schema_changes(old[name]["schema"] if name in old else None, new[name]["schema"] if name in new else None),
        )
    return report


def _part(added: list, removed: list, changed: dict, schema: list) -> dict:
    return {"added": added, "removed": removed, "changed": changed, "schema": schema,
            "counts": {"added": len(added), "removed": len(removed), "changed": len(changed)}}


def _key_text(key: tuple) -> str:
    return " | ".join(key)


def changelog(report: dict, *, version: str, previous: str | None, created: str, change: str) -> str:
    """CHANGELOG.md for a release, from its diff against the previous one."""
    lines = [f"# {version} ({created[:10]})", ""]
    lines.append("First release." if previous is None else f"A {change} change since {previous}.")
    lines.append("")
    for name, part in report.items():
        if not (any(part["counts"].values()) or part["schema"]):
            continue
        counts = "{added} added, {removed} removed, {changed} changed".format(**part["counts"])
        lines += [f"## {name}", "", f"Rows: {counts}.", ""]
        for change_text in part["schema"]:
            lines.append(f"- Schema: {change_text}")
        if previous is not None:
            for label, keys in (("Added", part["added"]), ("Removed", part["removed"])):
                for key in keys[:MAX_LISTED]:
                    lines.append(f"- {label}: `{_key_text(key)}`")
                if len(keys) > MAX_LISTED:
                    lines.append(f"- … and {len(keys) - MAX_LISTED} more {label.lower()}")
            for key, fields in list(part["changed"].items())[:MAX_LISTED]:
                lines.append(f"- Changed: `{_key_text(key)}` ({', '.join(fields)})")
            if part["counts"]["changed"] > MAX_LISTED:
                lines.append(f"- … and {part['counts']['changed'] - MAX_LISTED} more changed")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def summary_line(report: dict) -> str:
    parts = []
    for name, part in report.items():
        counts = part["counts"]
        if part["schema"] == ["resource added"]:
            parts.append(f"{name} {counts['added']} rows")
            continue
        if any(counts.values()):
            parts.append(f"{name} +{counts['added']} -{counts['removed']} ~{counts['changed']}")
        if part["schema"]:
            parts.append(f"{name} schema: {'; '.join(part['schema'])}")
    return ", ".join(parts) or "no changes"
