"""The validated layer: candidate rows checked against their Table Schemas; failures quarantined, not dropped.

Checks, in order:
1. The Table Schemas on the whole candidate package (types, constraints, primary and foreign keys), with
   no error limit, by pipelines/tablecheck: Frictionless's checks compiled to DuckDB SQL, same findings
   (differential tests keep them so), at budget scale; what it does not support falls back to Frictionless.
2. Ashyq's row rules, declared in the schemas next to the fields they guard:
   `x-ashyq-check: kz-bin` (BIN check digit), `x-ashyq-required-with: F` (needed when F is given),
   `x-ashyq-not-before: F` (a period's end may not precede its start).
3. Cross-table rules: a budget file's stated subtotal or total must equal the sum of the lines it covers;
   a total that does not is quarantined (the lines stay published: they are what the file says).
A row with any error leaves its resource and goes to `quarantine`, one quarantine row per error, with
the whole row as JSON. Removing a row can break a foreign key pointing at it, so this repeats until the
package is clean.
"""
from __future__ import annotations

import json
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipelines.tablecheck import check_package, errors_of
from pipelines.schemas import ASHYQ_KEYS, CsvColumns, columns, csv_with_columns, format_value, primary_key, schema, sort_rows
from sources.extract import bin_is_valid


@dataclass(frozen=True)
class CheckedCsv:
    """One table's CSV exactly as validated (publishing reuses the bytes), the cells it was written from (for
    the SQLite download), and the sha256 the check took of it (None until the check has read it)."""
    data: bytes = field(repr=False)
    cells: CsvColumns = field(repr=False)
    sha256: str | None = None


@dataclass
class Validated:
    tables: dict[str, list[dict]]
    quarantine: list[dict] = field(default_factory=list)
    written: dict[str, CheckedCsv] = field(default_factory=dict)

    @property
    def csv(self) -> dict[str, bytes]:
        return {name: checked.data for name, checked in self.written.items()}

    @property
    def sha256(self) -> dict[str, str]:
        return {name: checked.sha256 for name, checked in self.written.items() if checked.sha256}

    @property
    def cells(self) -> dict[str, CsvColumns]:
        return {name: checked.cells for name, checked in self.written.items()}

    def summary(self) -> dict:
        return {
            "rows": {name: len(rows) for name, rows in self.tables.items()},
            "quarantined_rows": len({(q["resource"], q["row_number"]) for q in self.quarantine}),
            "errors_by_type": _count(q["error_type"] for q in self.quarantine),
        }


def _count(values) -> dict:
    return dict(sorted(Counter(values).items()))


def candidate_descriptor(names: list[str]) -> dict:
    return {
        "name": "candidate",
        "resources": [
            {"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "schema": schema}
            for name, schema in candidate_schemas(names).items()
        ],
    }


def candidate_schemas(names: list[str]) -> dict[str, dict]:
    """The schema each resource of a candidate package is checked against; a release publishing the bytes
    that passed tells check_release so (release.check_release's `validated`)."""
    return {name: _frictionless_schema(name, names) for name in names}


def _frictionless_schema(name: str, present: list[str]) -> dict:
    """The schema, with foreign keys kept only where the referenced resource is in this package."""
    descriptor = schema(name)
    if "foreignKeys" in descriptor:
        descriptor["foreignKeys"] = [fk for fk in descriptor["foreignKeys"] if fk["reference"]["resource"] in present]
    return descriptor


def schema_errors(tables: dict[str, list[dict]], written: dict[str, CheckedCsv] | None = None) -> list[dict]:
    """Check the tables written as CSV exactly as they will be published, as one package (foreign keys).
    `tables` are in primary-key order; what was checked (bytes, cells, sha256) is left in `written` when given."""
    checked = {}
    with tempfile.TemporaryDirectory(prefix="ashyq-validate-") as tmp:
        for name, rows in tables.items():
            checked[name] = CheckedCsv(*csv_with_columns(name, rows, presorted=True))
            Path(tmp, f"{name}.csv").write_bytes(checked[name].data)
        Path(tmp, "datapackage.json").write_text(json.dumps(candidate_descriptor(list(tables)), ensure_ascii=False), "utf-8")
        report = check_package(Path(tmp, "datapackage.json"))
    if written is not None:
        digests = {task.get("name"): task.get("stats", {}).get("sha256") for task in report.get("tasks", [])}
        written.update((name, replace(one, sha256=digests.get(name))) for name, one in checked.items())
    return errors_of(report)


def rule_errors(name: str, rows: list[dict]) -> list[dict]:
    """Ashyq's declared row rules, reported with Frictionless-style row numbers (header is row 1).
    `rows` are in candidate order: sorted by primary key, as validate_tables keeps them."""
    ruled = [spec for spec in schema(name)["fields"] if any(key in spec for key in ASHYQ_KEYS)]
    if not ruled:
        return []
    errors = []
    for number, row in enumerate(rows, start=2):
        for spec in ruled:
            value = format_value(row.get(spec["name"]))
            check = spec.get("x-ashyq-check")
            if check == "kz-bin" and value and not bin_is_valid(value):
                errors.append(_error(name, number, spec["name"], "kz-bin-checksum", f"BIN {value} fails its check digit"))
            needed_with = spec.get("x-ashyq-required-with")
            if needed_with and format_value(row.get(needed_with)) and not value:
                errors.append(_error(name, number, spec["name"], "required-with", f"{spec['name']} is required when {needed_with} is given"))
            not_before = spec.get("x-ashyq-not-before")
            start = format_value(row.get(not_before)) if not_before else ""
            if value and start and value[: len(start)] < start[: len(value)]:
                errors.append(_error(name, number, spec["name"], "period-order", f"{spec['name']} {value} is before {not_before} {start}"))
    return errors


def cross_table_errors(tables: dict[str, list[dict]]) -> list[dict]:
    if not tables.get("budget_totals"):
        return []
    from sources.budget import total_findings

    number_of = {row["total_id"]: n for n, row in enumerate(tables["budget_totals"], start=2)}  # candidate order
    return [
        _error("budget_totals", number_of[finding["total_id"]], "amount", finding["error_type"], finding["message"])
        for finding in total_findings(tables.get("budget_lines", []), tables["budget_totals"])
    ]


def _error(resource, row_number, field_name, error_type, message) -> dict:
    return {"resource": resource, "row_number": row_number, "field": field_name, "error_type": error_type, "message": message}


def validate_tables(tables: dict[str, list[dict]], max_rounds: int = 5) -> Validated:
    """Split candidate tables into valid rows and quarantine; the returned tables pass validation.

    Row numbers in the quarantine are those of the full candidate table (sorted by primary key,
    header = row 1), whichever round found the error.

    Removing rows cannot give the rows left a new type, constraint, key or row-rule error; it can only
    leave a foreign key pointing at nothing, or a stated total with lines missing. So a later round
    checks again only the resources whose foreign keys point into a resource that lost rows (with the
    resources they point at, for the lookups), and re-runs the cross-table rules: at budget scale,
    seconds instead of another pass over every line.
    """
    numbered = {name: list(enumerate(sort_rows(name, rows), start=2)) for name, rows in tables.items()}
    quarantine: list[dict] = []
    written: dict[str, CheckedCsv] = {}
    recheck = set(numbered)
    for _ in range(max_rounds):
        current = {name: [row for _, row in pairs] for name, pairs in numbered.items()}
        if recheck:
            errors = schema_errors({name: current[name] for name in numbered if name in recheck}, written)
        else:
            errors = []
        for name in numbered:
            if name not in written:  # shrunk, and nothing to recheck: the same rows, fewer
                written[name] = CheckedCsv(*csv_with_columns(name, current[name], presorted=True))
        if recheck == set(numbered):
            for name, rows in current.items():
                errors += rule_errors(name, rows)
        errors += cross_table_errors(current)
        table_errors = [e for e in errors if e["row_number"] is None]
        if table_errors:
            raise ValueError("candidate package is unusable: " + "; ".join(f"{e['resource']}: {e['message']}" for e in table_errors))
        if not errors:
            return Validated(current, sorted(quarantine, key=_quarantine_order), written)
        bad = set()
        for error in errors:
            original_number, row = numbered[error["resource"]][error["row_number"] - 2]
            bad.add((error["resource"], original_number))
            key = "|".join(format_value(row.get(k)) for k in primary_key(error["resource"]))
            row_json = json.dumps({c: format_value(row.get(c)) for c in columns(error["resource"])}, ensure_ascii=False, sort_keys=True)
            quarantine.append({**error, "row_number": original_number, "row_key": key, "row": row_json})
        numbered = {name: [(n, row) for n, row in pairs if (name, n) not in bad] for name, pairs in numbered.items()}
        shrunk = {name for name, _ in bad}
        recheck = _affected_by(shrunk, list(numbered))
        for name in shrunk | recheck:
            written.pop(name, None)
    raise ValueError(f"validation did not converge after {max_rounds} rounds of quarantining")


def _targets(name: str, names: list[str]) -> set[str]:
    """The resources of the package that `name`'s foreign keys point at (itself for a self-reference)."""
    return {fk["reference"]["resource"] or name for fk in schema(name).get("foreignKeys", [])} & set(names)


def _affected_by(shrunk: set[str], names: list[str]) -> set[str]:
    """What a round must check again after `shrunk` lost rows: the resources pointing into them, and what
    those point at (their lookups). Empty when nothing points into a shrunk resource."""
    pointing = {name for name in names if _targets(name, names) & shrunk}
    return pointing | {target for name in pointing for target in _targets(name, names)}


def _quarantine_order(entry: dict):
    return (entry["resource"], entry["row_key"], entry["field"], entry["error_type"], entry["message"])
