"""Frictionless-compatible validation of big CSV files, compiled to vectorised DuckDB SQL.

    check_resource(path, schema=None, dialect=None) -> report   # Frictionless 5.21 report descriptor (no schema: Frictionless's inferred one)
    check_package("datapackage.json") -> report
    errors_of(report) -> [{resource, row_number, field, error_type, message}]

Same error types, row/field numbers, messages and order as `frictionless validate` (with no error
limit); what DuckDB cannot reproduce exactly is handed to Frictionless (docs/validation.md lists it).
Reports are plain dicts; `report.engines` (not serialised) says, per task, which engine checked it.
"""
from __future__ import annotations

import os

# Before numpy's first import (the line index): its OpenBLAS would start a thread per core that spins beside
# DuckDB's scans, 5% of a 1M-row check's wall time. Set for callers of the library too, not only `ashyq`.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from pipelines.tablecheck.api import Report, check_package, check_resource, errors_of

__all__ = ["Report", "check_package", "check_resource", "errors_of"]
