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
        schema = schema_changes(old[name]["schema"] if name in old else None, new[name]["schema"] if name in new else None)
        found = _changes_in_sql(old_folder / old[name]["path"], old[name], new_folder / new[name]["path"], new[name]) if both else None
        if found is not None:
            added, removed, changed = found
            report[name] = _part(sorted(added), sorted(removed), dict(sorted(changed.items())), schema)
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
            schema,
        )
    return report


def _changes_in_sql(old_path: Path, old: dict, new_path: Path, new: dict) -> tuple[list, list, dict] | None:
    """Added keys, removed keys and changed fields by key of one resource both releases have, joined in
    DuckDB: two million-row CSVs in about a second, where dicts of every row took Python half a minute.
    The same answer as the Python path (cells compared as text, keys as tuples of text); None, for that
    path, when a key repeats (which the dicts settle by keeping the last row) or DuckDB cannot read a file."""
    import tempfile

    import duckdb

    from pipelines.tablecheck.compile import lit

    headers = [_header(old_path), _header(new_path)]
    keys = [resource["schema"].get("primaryKey") or [f["name"] for f in resource["schema"]["fields"]] for resource in (old, new)]
    if any(column not in header for key, header in zip(keys, headers) for column in key) or len(keys[0]) != len(keys[1]):
        return None
    with tempfile.TemporaryDirectory(prefix="ashyq-diff-") as scratch:
        con = duckdb.connect()
        try:
            con.execute(f"SET temp_directory = {lit(scratch)}")
            con.execute("SET memory_limit = '1GB'")
            con.execute("SET enable_progress_bar = false")
            for table, path, header in (("a", old_path, headers[0]), ("b", new_path, headers[1])):
                columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header))) + "}"
                con.execute(
                    f"CREATE TEMP TABLE {table} AS SELECT * FROM read_csv({lit(str(path))}, header = true, auto_detect = false, "
                    f"delim = ',', quote = '\"', escape = '\"', columns = {columns}, nullstr = {lit(NO_NULL)}, strict_mode = true, encoding = 'utf-8')"
                )
            a_key = [f"a.c{headers[0].index(column)}" for column in keys[0]]
            b_key = [f"b.c{headers[1].index(column)}" for column in keys[1]]
            for table, key in (("a", a_key), ("b", b_key)):
                rows, distinct = con.execute(f"SELECT count(*), count(DISTINCT ({', '.join(key)})) FROM {table}").fetchone()
                if rows != distinct:
                    return None
            on = " AND ".join(f"{x} = {y}" for x, y in zip(a_key, b_key))
            added = con.execute(f"SELECT {', '.join(b_key)} FROM b ANTI JOIN a ON {on}").fetchall()
            removed = con.execute(f"SELECT {', '.join(a_key)} FROM a ANTI JOIN b ON {on}").fetchall()
            old_position = {column: i for i, column in enumerate(headers[0])}
            differs = [
                f"CASE WHEN b.c{i} IS DISTINCT FROM {f'a.c{old_position[column]}' if column in old_position else 'NULL'} THEN {lit(column)} END"
                for i, column in enumerate(headers[1])
            ]
            fields = f"list_filter([{', '.join(differs)}], lambda x: x IS NOT NULL)" if differs else "[]"
            changed = con.execute(
                f"SELECT * FROM (SELECT {', '.join(b_key)}, {fields} AS fields FROM a JOIN b ON {on}) WHERE len(fields) > 0"
            ).fetchall()
        except duckdb.Error:
            return None
        finally:
            con.close()
    return added, removed, {row[:-1]: sorted(row[-1]) for row in changed}


NO_NULL = "\x1e\x1fashyq-no-null\x1f\x1e"  # DuckDB's NULL marker for these reads: no cell holds it, so "" stays ""


def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle), [])


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
