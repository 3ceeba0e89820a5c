"""What changed between two releases: rows added, removed and changed per resource (by primary key),
and schema changes. Used for each release's CHANGELOG.md and by `ashyq diff V1 V2`."""
from __future__ import annotations

import csv
import json
from pathlib import Path

MAX_LISTED = 50  # keys listed per kind of change in the changelog; counts are always complete
# Columns that say where a row was read from, not what it says: a budget file re-published with one amount
# corrected changes them on every row, and the changelog lists the rows whose values changed first.
PROVENANCE = frozenset({"source_document", "document_sha256", "source_url", "locator"})


def provenance_only(fields: list[str]) -> bool:
    return bool(fields) and all(field in PROVENANCE for field in fields)


def _changed_order(item: tuple) -> tuple:
    key, fields = item
    return provenance_only(fields), key


def _descriptor(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text("utf-8"))


def _key_columns(resource: dict) -> list[str]:
    """What identifies a row across releases: the primary key, else the whole row."""
    return resource["schema"].get("primaryKey") or [f["name"] for f in resource["schema"]["fields"]]


def _rows_by_key(folder: Path, resource: dict, *, rows: bool = True) -> tuple[list[str], dict[tuple, list[str] | None]]:
    """The CSV's header and its rows (cell lists, not dicts: releases run to millions of rows) by primary key;
    with `rows=False` the keys alone (a resource only one release has: every row is added or removed)."""
    key = _key_columns(resource)
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


def diff_releases(old_folder: Path | None, new_folder: Path, *, listed: int | None = None) -> dict:
    """{resource: {"added": [keys], "removed": [keys], "changed": {key: [fields]}, "schema": [changes],
    "counts": {"added": n, "removed": n, "changed": n, "provenance_only": n}}}: keys in order, changed rows
    whose values changed before those changed only in PROVENANCE columns. `listed`: only the first so many
    keys of each kind (the counts stay complete): a revised budget file changes every one of its million
    rows (their document), and a changelog lists 50. Against no release (a first one) every row is added
    and none is listed: the rows are counted, not keyed."""
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
            report[name] = {**_part([], [], {}, schema_changes(None, new[name]["schema"])), "counts": {**_counts([], [], {}), "added": rows}}
            continue
        schema = schema_changes(old[name]["schema"] if name in old else None, new[name]["schema"] if name in new else None)
        found = _changes_in_sql(old_folder / old[name]["path"], old[name], new_folder / new[name]["path"], new[name], listed) if both else None
        if found is not None:
            (added, removed, changed), counts = found
            report[name] = {"added": added, "removed": removed, "changed": changed, "schema": schema, "counts": counts}  # ordered by the SQL
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
            dict(sorted(changed.items(), key=_changed_order)),
            schema,
        )
        if listed is not None:
            part = report[name]
            part.update(added=part["added"][:listed], removed=part["removed"][:listed], changed=dict(list(part["changed"].items())[:listed]))
    return report


def _changes_in_sql(old_path: Path, old: dict, new_path: Path, new: dict, listed: int | None = None) -> tuple[tuple[list, list, dict], dict] | None:
    """Added keys, removed keys and changed fields by key of one resource both releases have, in DuckDB:
    each CSV is read once into its keys and two 64-bit hashes of each row, those are joined, and only rows
    whose hashes differ are read again, cell by cell (two million-line tables in a few seconds, where dicts of
    every row took Python half a minute). The same answer as the Python path (cells compared as text, keys
    as tuples of text, fields sorted), but for two different rows of one key hashing alike twice over (odds
    of 2^-128). Keys come in order (DuckDB orders text by its UTF-8 bytes, Python by code points: the same
    order), the first `listed` of each kind, with the complete counts. None, for the Python path, when a key
    repeats (the dicts keep the last row) or DuckDB cannot read a file."""
    import tempfile

    from pipelines.csv_sql import header, read_sql
    from pipelines.tablecheck.compile import lit
    from pipelines.tablecheck.duck import duckdb

    headers = [header(old_path), header(new_path)]
    keys = [_key_columns(old), _key_columns(new)]
    if any(column not in header for key, header in zip(keys, headers) for column in key) or len(keys[0]) != len(keys[1]):
        return None
    sources = {"a": read_sql(old_path, headers[0]), "b": read_sql(new_path, headers[1])}
    key_columns = {table: [f"c{header.index(column)}" for column in key] for table, header, key in zip("ab", headers, keys)}
    width = len(keys[0])
    on = " AND ".join(f"a.k{n} = b.k{n}" for n in range(width))
    with tempfile.TemporaryDirectory(prefix="ashyq-diff-") as scratch:
        con = duckdb.connect()
        try:
            con.execute(f"SET temp_directory = {lit(scratch)}")
            con.execute("SET memory_limit = '1GB'")
            con.execute("SET enable_progress_bar = false")
            for table, labels in zip("ab", headers):
                cells = ", ".join(f"c{i}" for i in range(len(labels)))
                values = ", ".join(f"c{i}" for i, label in enumerate(labels) if label not in PROVENANCE) or "''"
                named = ", ".join(f"{column} AS k{n}" for n, column in enumerate(key_columns[table]))
                con.execute(f"CREATE TEMP TABLE {table} AS SELECT {named}, hash({cells}) AS h1, hash({cells}, '~') AS h2, "
                            f"hash({values}) AS v1, hash({values}, '~') AS v2 FROM {sources[table]}")
                rows, distinct = con.execute(f"SELECT count(*), count(DISTINCT ({', '.join(f'k{n}' for n in range(width))})) FROM {table}").fetchone()
                if rows != distinct:
                    return None
            b_keys, a_keys = ", ".join(f"b.k{n}" for n in range(width)), ", ".join(f"a.k{n}" for n in range(width))
            order = ", ".join(f"k{n}" for n in range(width))
            limit = "" if listed is None else f" LIMIT {int(listed)}"
            counts = {}
            found = {}
            for kind, first, second, columns in (("added", "b", "a", b_keys), ("removed", "a", "b", a_keys)):
                con.execute(f"CREATE TEMP TABLE {kind} AS SELECT {columns} FROM {first} ANTI JOIN {second} ON {on}")
                counts[kind] = con.execute(f"SELECT count(*) FROM {kind}").fetchone()[0]
                found[kind] = con.execute(f"SELECT * FROM {kind} ORDER BY {order}{limit}").fetchall()
            same_columns = headers[0] == headers[1]
            differ = "(a.h1 != b.h1 OR a.h2 != b.h2)" if same_columns else "true"  # other columns: compare every row
            con.execute(f"CREATE TEMP TABLE candidates AS SELECT {b_keys}, NOT (a.v1 != b.v1 OR a.v2 != b.v2) AS p FROM a JOIN b ON {on} WHERE {differ}")
            # rows that differ differ somewhere, and only in provenance when their other columns hash alike
            counts["changed"], counts["provenance_only"] = con.execute("SELECT count(*), count(*) FILTER (WHERE p) FROM candidates").fetchone()
            if same_columns and listed is not None:
                con.execute(f"CREATE TEMP TABLE listed AS SELECT * FROM candidates ORDER BY p, {order}{limit}")
                con.execute("DROP TABLE candidates")
                con.execute("ALTER TABLE listed RENAME TO candidates")
            changed = []
            if counts["changed"]:
                rows = {}
                for table in "ab":
                    keys_sql = ", ".join(f"{column} AS k{n}" for n, column in enumerate(key_columns[table]))
                    picked = " AND ".join(f"x.{column} = c.k{n}" for n, column in enumerate(key_columns[table]))
                    rows[table] = f"(SELECT {keys_sql}, x.* FROM {sources[table]} x SEMI JOIN candidates c ON {picked})"
                old_position = {column: i for i, column in enumerate(headers[0])}
                differs = [
                    f"CASE WHEN b.c{i} IS DISTINCT FROM {f'a.c{old_position[column]}' if column in old_position else 'NULL'} THEN {lit(column)} END"
                    for i, column in enumerate(headers[1])
                ]
                fields = f"list_filter([{', '.join(differs)}], lambda x: x IS NOT NULL)" if differs else "[]"
                compared = f"(SELECT {b_keys}, {fields} AS fields FROM {rows['a']} a JOIN {rows['b']} b ON {on}) WHERE len(fields) > 0"
                only = f"len(list_filter(fields, lambda f: f NOT IN ({', '.join(lit(name) for name in sorted(PROVENANCE))}))) = 0"
                changed = con.execute(f"SELECT * FROM {compared} ORDER BY {only}, {order}{'' if same_columns else limit}").fetchall()
                if not same_columns:  # rows of other columns may differ in none of the new ones
                    counts["changed"], counts["provenance_only"] = con.execute(f"SELECT count(*), count(*) FILTER (WHERE {only}) FROM {compared}").fetchone()
        except duckdb.Error:
            return None
        finally:
            con.close()
    return (found["added"], found["removed"], {row[:-1]: sorted(row[-1]) for row in changed}), counts


def _part(added: list, removed: list, changed: dict, schema: list) -> dict:
    return {"added": added, "removed": removed, "changed": changed, "schema": schema, "counts": _counts(added, removed, changed)}


def _counts(added: list, removed: list, changed: dict) -> dict:
    return {"added": len(added), "removed": len(removed), "changed": len(changed),
            "provenance_only": sum(1 for fields in changed.values() if provenance_only(fields))}


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
        if part["counts"]["provenance_only"]:
            counts += f" ({part['counts']['provenance_only']} of them only in where they were read from: document, URL or place in it)"
        lines += [f"## {name}", "", f"Rows: {counts}.", ""]
        for change_text in part["schema"]:
            lines.append(f"- Schema: {change_text}")
        if previous is not None:
            for label, kind in (("Added", "added"), ("Removed", "removed")):
                for key in part[kind][:MAX_LISTED]:
                    lines.append(f"- {label}: `{_key_text(key)}`")
                if part["counts"][kind] > MAX_LISTED:
                    lines.append(f"- … and {part['counts'][kind] - MAX_LISTED} more {kind}")
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
            only_where = f" ({counts['provenance_only']} only in where read from)" if counts.get("provenance_only") else ""
            parts.append(f"{name} +{counts['added']} -{counts['removed']} ~{counts['changed']}{only_where}")
        if part["schema"]:
            parts.append(f"{name} schema: {'; '.join(part['schema'])}")
    return ", ".join(parts) or "no changes"
