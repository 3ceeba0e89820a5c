"""Side-by-side with Frictionless: its report for the same input, and the differences from ours.

Used by the differential tests and by the benchmark's agreement check. Frictionless runs with no error
limit (its default stops at 1,000). Paths must be relative to the working directory: Frictionless
treats absolute paths as unsafe.
"""
from __future__ import annotations

import json

from pipelines.tablecheck.fallback import NO_LIMIT, declared_encoding

IGNORED_STATS = ("seconds",)


def frictionless_resource(path: str, schema: dict, dialect: dict | None = None, encoding: str | None = None) -> dict:
    from frictionless import Dialect, Resource, Schema

    options = {"schema": Schema.from_descriptor(schema)}
    if dialect:
        options["dialect"] = Dialect.from_descriptor(dialect)
    return Resource(path, **options, **declared_encoding(encoding)).validate(limit_errors=NO_LIMIT).to_descriptor()


def frictionless_package(path: str) -> dict:
    """`frictionless validate datapackage.json`'s report: a descriptor Frictionless finds invalid gives a
    report of that error, as from the command line (`Package(path)` would raise instead)."""
    from frictionless import validate

    return validate(path, limit_errors=NO_LIMIT).to_descriptor()


def comparable(report: dict) -> dict:
    """The report without timings (plain JSON types)."""
    report = json.loads(json.dumps(report))
    for stats in [report.get("stats", {})] + [task.get("stats", {}) for task in report.get("tasks", [])]:
        for key in IGNORED_STATS:
            stats.pop(key, None)
    return report


def error_keys(report: dict) -> list[tuple]:
    """(resource, type, rowNumber, fieldName, message) of every error, in report order."""
    keys = [(None, e["type"], e.get("rowNumber"), e.get("fieldName"), e["message"]) for e in report.get("errors", [])]
    for task in report.get("tasks", []):
        keys += [(task.get("name"), e["type"], e.get("rowNumber"), e.get("fieldName"), e["message"]) for e in task.get("errors", [])]
    return keys


def differences(ours: dict, theirs: dict, *, limit: int = 5) -> list[str]:
    """Human-readable differences; empty when the reports agree on everything but timings."""
    a, b = comparable(ours), comparable(theirs)
    if a == b:
        return []
    found = []
    ka, kb = error_keys(a), error_keys(b)
    if set(ka) != set(kb):
        found += [f"only ours: {key}" for key in sorted(set(ka) - set(kb), key=str)[:limit]]
        found += [f"only Frictionless: {key}" for key in sorted(set(kb) - set(ka), key=str)[:limit]]
    elif ka != kb:
        first = next(i for i, (x, y) in enumerate(zip(ka, kb)) if x != y)
        found.append(f"same errors, different order from #{first}: {ka[first]} vs {kb[first]}")
    else:
        for ta, tb in zip(a.get("tasks", []), b.get("tasks", [])):
            for ea, eb in zip(ta.get("errors", []), tb.get("errors", [])):
                if ea != eb:
                    found.append(f"error differs: {json.dumps(ea, ensure_ascii=False)} vs {json.dumps(eb, ensure_ascii=False)}")
                    break
            ta = {k: v for k, v in ta.items() if k != "errors"}
            tb = {k: v for k, v in tb.items() if k != "errors"}
            if ta != tb:
                found.append(f"task differs: {ta} vs {tb}")
        if len(a.get("tasks", [])) != len(b.get("tasks", [])):
            found.append("different number of tasks")
        rest_a = {k: v for k, v in a.items() if k != "tasks"}
        rest_b = {k: v for k, v in b.items() if k != "tasks"}
        if rest_a != rest_b:
            found.append(f"report differs: {rest_a} vs {rest_b}")
    return found[: 2 * limit]
