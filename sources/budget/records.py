"""Stable keys for budget lines and totals.

A line's id says what the line is, not where a file happened to put it, so the same line keeps its id when
a report is re-published with other bytes or rows in another order:
    <source_id>/<reporting date or year>/<area or region code>/<r|e>/<codes joined by '.' | n-<hash of name>>/<phase>
e.g. "atyrau-budget/2024-01-01/230000000/e/01.110.001.015/executed". When one source states the same line twice
(a revised file published beside the first) the later ones get "~2", "~3" in document order, never silently merged.
Totals are auditors' material: their id is the document, the locator and the phase.
"""
from __future__ import annotations

import hashlib

LINE_PHASES = ("approved", "adjusted", "executed")


def _name_key(name: str | None) -> str:
    folded = " ".join((name or "").lower().split())  # whitespace runs as `\s+` matches them
    return "n-" + hashlib.sha1(folded.encode("utf-8")).hexdigest()[:10]


def line_key(row: dict) -> str:
    get = row.get  # a million lines per budget file: no per-call formatting of column names
    codes = [get("code_l1"), get("code_l2"), get("code_l3"), get("code_l4")]
    while codes and not codes[-1]:
        codes.pop()
    what = ".".join([code or "0" for code in codes]) if codes else _name_key(get("line_name"))
    when = get("report_date") or str(row["year"])
    where = get("area_code") or row["region_code"]
    side = "r" if row["direction"] == "revenue" else "e"
    return f"{row['source_id']}/{when}/{where}/{side}/{what}/{row['phase']}"


def assign_line_ids(rows: list[dict]) -> list[dict]:
    """Set `line_id` on every row (in place, in order), numbering repeats of one key."""
    seen: dict[str, int] = {}
    for row in rows:
        key = line_key(row)
        times = seen[key] = seen.get(key, 0) + 1
        row["line_id"] = key if times == 1 else f"{key}~{times}"
    return rows


def assign_total_ids(rows: list[dict]) -> list[dict]:
    for row in rows:
        row["total_id"] = f"{row['source_document'][:16]}/{row['locator']}/{row['phase']}"
    return rows
