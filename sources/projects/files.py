"""`parse_file`: a projects list (HTML page, XLSX workbook or CSV file) → `social_projects` rows.

Used by `ashyq ingest` for an auditor's local file and by the site adapters for archived bytes, so a
document gives the same rows whichever way it arrives. The layout is auto-detected (sources/projects/table.py).
"""
from __future__ import annotations

import hashlib

from sources.organisations import OrganisationIndex, default_index
from sources.projects.cells import CellError
from sources.projects.grids import LayoutError, grids_of
from sources.projects.record import assign_ids, project_row
from sources.projects.rules import ProjectRules, default_rules
from sources.projects.table import records

RESOURCE = "social_projects"


def read_rows(
    data: bytes,
    *,
    name: str,
    content_type: str | None = None,
    source_id: str = "ingest",
    source_url: str | None = None,
    company: str | None = None,
    region_code: str | None = None,
    selector: str | None = None,
    rules: ProjectRules | None = None,
    organisations: OrganisationIndex | None = None,
) -> list[dict]:
    """Rows without project ids (ids are assigned over everything a source yields)."""
    context = {
        "source_id": source_id,
        "source_url": source_url,
        "source_document": hashlib.sha256(data).hexdigest(),
        "company": company,
        "region_code": region_code,
    }
    rules = rules or default_rules()
    organisations = organisations or default_index()
    rows, tables = [], 0
    for grid in grids_of(data, name=name, content_type=content_type, selector=selector):
        found = records(grid)
        tables += bool(found)
        for record in found:
            try:
                rows.append(project_row(record, context=context, rules=rules, organisations=organisations))
            except CellError as error:
                raise CellError(f"{grid.name}: {error}") from None
    if not tables:
        raise LayoutError(f"{name}: no table with a projects header (a project name column and at least two of amount, period, location, contractor, status...)")
    return rows


def parse_file(data: bytes, *, name: str, **options) -> dict[str, list[dict]]:
    """{"social_projects": rows} of one file; `options` as for `read_rows` (company, source_id, ...)."""
    return {RESOURCE: assign_ids(read_rows(data, name=name, **options))}
