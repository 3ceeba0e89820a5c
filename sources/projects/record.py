"""One project record → one typed `social_projects` row, and stable project ids.

Region: the row's region column, else a region named in its location, else its section heading, else the
source's region. Company: the row's company column, else the publisher. Names resolve to organisations
(sources/organisations.py) or stay unresolved (empty id, reported) — never guessed.
"""
from __future__ import annotations

import hashlib

from sources.extract import detect_language, find_regions
from sources.organisations import OrganisationIndex, normalise, unresolved_names
from sources.projects.cells import CellError, cell_text, parse_amount, parse_period
from sources.projects.rules import ProjectRules
from sources.projects.table import Record


def project_row(record: Record, *, context: dict, rules: ProjectRules, organisations: OrganisationIndex) -> dict:
    """`context`: source_id, source_url, source_document, company (default), region_code (default)."""
    values = record.values
    try:
        amount, cell_currency, multiplier = parse_amount(values.get("amount"), record.multiplier)
        if "period" in values:
            period_start, period_end = parse_period(values.get("period"))
        else:
            period_start, period_end = parse_period(values.get("start"))[0], parse_period(values.get("end"))[1]
    except CellError as error:
        raise CellError(f"{record.locator}: {error}") from None
    name = cell_text(values["name"])
    company = cell_text(values.get("company")) or context.get("company") or None
    contractor = cell_text(values.get("contractor")) or None
    company_match = organisations.resolve(company) if company else None
    contractor_match = organisations.resolve(contractor) if contractor else None
    status_text = cell_text(values.get("status")) or None
    sector, sector_rule = rules.sector(name)
    marker, rationale = rules.gender(name)
    currency = cell_currency or currency_text(values.get("currency")) or record.currency
    return {
        "project_name": name,
        "company_name": company,
        "company_id": company_match.organisation_id if company_match else None,
        "memorandum_id": None,
        "memorandum_link": None,
        "location": cell_text(values.get("location")) or None,
        "region_code": _region(values, record) or context.get("region_code"),
        "period_start": period_start,
        "period_end": period_end,
        "contractor": contractor,
        "contractor_id": contractor_match.organisation_id if contractor_match else None,
        "amount": amount,
        "amount_text": cell_text(values.get("amount")) or None,
        "amount_multiplier": multiplier if amount is not None else None,
        "currency": currency if amount is not None else None,
        "status": rules.status(status_text),
        "status_text": status_text,
        "sector": sector,
        "sector_rule": sector_rule,
        "gender_marker": marker,
        "gender_rationale": rationale,
        "language": detect_language(name),
        "source_id": context["source_id"],
        "source_url": context.get("source_url"),
        "source_document": context["source_document"],
        "locator": record.locator,
    }


def currency_text(value) -> str | None:
    text = cell_text(value).upper()
    return text if text in ("KZT", "KGS", "USD", "EUR", "RUB") else None


def _region(values: dict, record: Record) -> str | None:
    for key in ("region", "location"):
        found = find_regions(cell_text(values.get(key)))
        if found:
            return found[0]["code"]
    return record.section_region


def assign_ids(rows: list[dict]) -> list[dict]:
    """project_id = <source_id>/<10 hex of name, location, region, start>; repeats get -2, -3 in order."""
    seen: dict[str, int] = {}
    for row in rows:
        key = "|".join([normalise(row["project_name"]), normalise(row["location"] or ""), row["region_code"] or "", row["period_start"] or ""])
        base = f"{row['source_id']}/{hashlib.sha256(key.encode('utf-8')).hexdigest()[:10]}"
        seen[base] = seen.get(base, 0) + 1
        row["project_id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return rows


def unresolved_organisations(rows: list[dict], index: OrganisationIndex | None = None) -> list[dict]:
    """Company and contractor names of `rows` that resolve to no organisation: {name, bin, reason}, for the run's report."""
    names = [row[column] for row in rows for column, id_column in (("company_name", "company_id"), ("contractor", "contractor_id"))
             if row.get(column) and not row.get(id_column)]
    return unresolved_names(dict.fromkeys(names), index)
