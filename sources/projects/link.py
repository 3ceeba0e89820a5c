"""Linking a project to the memorandum it implements — only when exactly one memorandum can be meant.

A memorandum qualifies when its company resolves to the project's organisation, its region is the
project's region, and its period overlaps the project's. Periods are compared at the precision stated:
"2023" covers 2023-01-01..2023-12-31, "2023-06" the whole of June. A memorandum without a stated start
starts on its signing date; one without an end is open-ended, so it may overlap but can never be
confirmed. `memorandum_link` says what happened:

    company+region+period-overlap         exactly one memorandum qualifies and its period is known
    ambiguous:<n>                         n memoranda qualify: no link, never a guess
    unconfirmed:memorandum-period-unknown the only candidate has no end date
    unconfirmed:project-period-unknown    the project states no period; candidates exist for its company and region
    (empty)                               no memorandum of that company in that region overlaps
"""
from __future__ import annotations

import calendar
import datetime as dt

from sources.organisations import OrganisationIndex, default_index

LINKED = "company+region+period-overlap"


def bounds(start: str | None, end: str | None) -> tuple[dt.date | None, dt.date | None]:
    """First day of `start`, last day of `end` (either may be None)."""
    return (_first_day(start) if start else None, _last_day(end) if end else None)


def _first_day(iso: str) -> dt.date:
    parts = [int(p) for p in iso.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _last_day(iso: str) -> dt.date:
    parts = [int(p) for p in iso.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    return dt.date(year, month, parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1])


def _memorandum_span(memo: dict) -> tuple[dt.date | None, dt.date | None]:
    start, end = bounds(memo.get("period_start"), memo.get("period_end"))
    if start is None and memo.get("date_signed"):
        start = _first_day(memo["date_signed"])
    return start, end


def link_memoranda(projects: list[dict], memoranda: list[dict], organisations: OrganisationIndex | None = None) -> list[dict]:
    """Copies of `projects` with memorandum_id and memorandum_link set (see the module docstring)."""
    organisations = organisations or default_index()
    by_key: dict[tuple[str, str], list[dict]] = {}
    for memo in memoranda:
        match = organisations.resolve(memo.get("company_name"), memo.get("company_bin"))
        if match and memo.get("region_code"):
            by_key.setdefault((match.organisation_id, memo["region_code"]), []).append(memo)
    return [{**project, **_link(project, by_key)} for project in projects]


def _link(project: dict, by_key: dict) -> dict:
    unlinked = {"memorandum_id": None, "memorandum_link": None}
    candidates = by_key.get((project.get("company_id"), project.get("region_code")), [])
    if not candidates or not project.get("company_id") or not project.get("region_code"):
        return unlinked
    p_start, p_end = bounds(project.get("period_start"), project.get("period_end"))
    if p_start is None and p_end is None:
        return {**unlinked, "memorandum_link": "unconfirmed:project-period-unknown"}
    p_start, p_end = p_start or p_end, p_end or p_start
    qualifying = []
    for memo in candidates:
        m_start, m_end = _memorandum_span(memo)
        if (m_start is None or m_start <= p_end) and (m_end is None or p_start <= m_end):
            qualifying.append((memo, m_start is not None and m_end is not None))
    if not qualifying:
        return unlinked
    if len(qualifying) > 1:
        return {**unlinked, "memorandum_link": f"ambiguous:{len(qualifying)}"}
    memo, confirmed = qualifying[0]
    if not confirmed:
        return {**unlinked, "memorandum_link": "unconfirmed:memorandum-period-unknown"}
    return {"memorandum_id": memo["memorandum_id"], "memorandum_link": LINKED}
