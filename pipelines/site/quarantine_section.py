"""The validation section: how many rows passed, and every quarantined row with its reason, so nothing
that failed a check is hidden from advocates."""
from __future__ import annotations

import json
from collections import Counter

from pipelines.site.markup import Markup, join, scroll_table, tag
from pipelines.site.numbers import count
from pipelines.site.release_data import ReleaseData

QUARANTINE_ROWS_SHOWN = 200
ERROR_TYPES = {
    "constraint-error": "a value breaks a column rule (allowed values, pattern, minimum)",
    "type-error": "a value is not of the column's type",
    "kz-bin-checksum": "the BIN's check digit is wrong (a typo in the source, or misread)",
    "required-with": "an amount without its currency",
    "period-order": "a period that ends before it starts",
    "foreign-key": "refers to a document, region or organisation missing from the release",
    "primary-key": "a second row with the same ID",
    "unique-error": "a value that must be unique appears twice",
    "total-mismatch": "a stated budget total differs from the sum of its lines",
}


def validation_section(release: ReleaseData) -> Markup:
    quarantine = release.rows("quarantine")
    counts = release.row_counts
    by_resource: dict[str, set] = {}
    for entry in quarantine:
        by_resource.setdefault(entry.get("resource", ""), set()).add(entry.get("row_number", ""))
    data_tables = [r for r in release.resources if r["name"] != "quarantine"]
    published = sum(counts.get(r["name"], 0) for r in data_tables)
    held = sum(len(rows) for rows in by_resource.values())
    intro = tag(
        "p",
        f"Every row was checked against its table's rules (types, allowed values, IDs, references between tables, BIN check digits, "
        f"currencies, periods) before publication. {count(published, 'row')} passed and are published; "
        f"{count(held, 'row')} failed one or more checks ({count(len(quarantine), 'problem')}) and are listed in ",
        tag("a", "quarantine.csv", href="quarantine.csv") if release.resource("quarantine") else "quarantine.csv",
        " with the whole row — never silently dropped.",
    )
    summary_rows = [
        [r.get("title") or r["name"], f"{counts.get(r['name'], 0):,}", f"{len(by_resource.get(r['name'], ())):,}"]
        for r in data_tables
    ]
    blocks = [intro, scroll_table("Rows published and quarantined per table", ["Table", "Rows published", "Rows quarantined"], summary_rows, numeric={1, 2})]
    if not quarantine:
        blocks.append(tag("p", "No row was quarantined in this release."))
        return join(blocks)
    per_type = Counter((e.get("resource", ""), e.get("error_type", "")) for e in quarantine)
    rows_per_type: dict[tuple, set] = {}
    for e in quarantine:
        rows_per_type.setdefault((e.get("resource", ""), e.get("error_type", "")), set()).add(e.get("row_number", ""))
    type_rows = [
        [resource, tag("code", error_type), ERROR_TYPES.get(error_type, ""), f"{per_type[(resource, error_type)]:,}", f"{len(rows_per_type[(resource, error_type)]):,}"]
        for resource, error_type in sorted(per_type)
    ]
    blocks += [
        tag("h3", "Problems by table and type"),
        scroll_table("Problems by table and error type", ["Table", "Error type", "What it means", "Problems", "Rows"], type_rows, numeric={3, 4}, wide={2}, stack=True),
        tag("h3", "Quarantined rows"),
    ]
    shown = quarantine[:QUARANTINE_ROWS_SHOWN]
    if len(quarantine) > len(shown):
        blocks.append(tag("p", f"The first {len(shown):,} of {len(quarantine):,} problems; all are in ", tag("a", "quarantine.csv", href="quarantine.csv"), "."))
    rows = [
        [e.get("resource", ""), e.get("row_key", ""), e.get("row_number", ""), tag("code", e.get("field", "")), tag("code", e.get("error_type", "")),
         e.get("message", ""), _row_details(e.get("row", ""))]
        for e in shown
    ]
    blocks.append(scroll_table("Quarantined rows", ["Table", "Row ID", "Row number", "Field", "Error type", "Message", "The whole row"], rows,
                               numeric={2}, wide={1, 5, 6}, stack=True))
    return join(blocks)


def _row_details(row_json: str) -> Markup:
    try:
        row = json.loads(row_json)
        text = json.dumps(row, ensure_ascii=False, indent=1, sort_keys=True)
    except (ValueError, TypeError):
        text = row_json
    return tag("details", tag("summary", "show"), tag("pre", text))
