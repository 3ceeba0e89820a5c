"""`parse_file`: one budget file (XLSX, CSV or JSON page) → budget_lines and budget_totals rows.

Used by `ashyq ingest` for an auditor's local file and by the adapters for archived documents, so both read
files the same way. The layout is detected: the header by keywords, the unit, year and region from the title
rows (or JSON metadata). A file that cannot be read raises BudgetFileError naming the file and the reason.
"""
from __future__ import annotations

from sources.budget.cells import text_of
from sources.budget.columns import AMOUNT, AREA, Header, find_header, phase_conflicts, phase_from_title
from sources.budget.context import (COUNTRY_CURRENCY, Context, fiscal_from, meta_facts, region_from, region_of_area, regions,
                                    title_direction, unit_from)
from sources.budget.errors import BudgetFileError
from sources.budget.grid import Sheet, read_sheets
from sources.budget.records import assign_line_ids, assign_total_ids
from sources.budget.table import read_table
from sources.files import sha256_bytes

LINES, TOTALS = "budget_lines", "budget_totals"
INGEST_SOURCE = "ingest"


def parse_file(data: bytes, *, name: str, source_id: str | None = None, region_code: str | None = None,
               line_ids: bool = True) -> dict[str, list[dict]]:
    """Rows of one budget file. `region_code` is only a fallback (the publisher's region) for files whose title,
    metadata and territory codes name none; `source_id` defaults to "ingest". `line_ids=False` leaves the
    line ids to a caller that numbers the lines of several files at once (assign_line_ids)."""
    if not data:
        raise BudgetFileError(name, "empty file")
    document = sha256_bytes(data)
    source_id = source_id or INGEST_SOURCE
    sheets = read_sheets(data, name)
    headers = [(sheet, find_header(sheet.filled, sheet.raw)) for sheet in sheets]
    usable = [(sheet, header) for sheet, header in headers if header is not None]
    if not usable:
        conflict = next((c for c in (phase_conflicts(s.filled) for s in sheets) if c), None)
        where = ", ".join(s.container for s in sheets)
        reason = f"ambiguous header: {conflict}" if conflict else (
            "no recognisable budget table header: looked for a name or classification-code column "
            "(Наименование / Атауы / Аталышы / ФГ / АБП / Код …) and an amount column "
            "(Утверждено / Уточнено / Исполнено / Бекітілген / Нақтыланған / Атқарылды / Approved / Executed …)"
        )
        raise BudgetFileError(name, f"{reason} in {where}")
    document_text = " ".join(_title_text(sheet, header) for sheet, header in usable)
    lines, totals = [], []
    for sheet, header in usable:
        context = _context(sheet, header, document_text, name, region_code)
        if AMOUNT in header.roles:
            _name_the_amount_phase(sheet, header, document_text, name)
        found = read_table(sheet, header, context, name)
        lines += found.lines
        totals += found.totals
    if not lines:
        raise BudgetFileError(name, "a budget table header was found but no budget lines under it "
                                    f"({', '.join(sheet.container for sheet, _ in usable)})")
    for row in lines + totals:
        row["source_id"], row["source_document"] = source_id, document
    return {LINES: assign_line_ids(lines) if line_ids else lines, TOTALS: assign_total_ids(totals)}


def _name_the_amount_phase(sheet: Sheet, header: Header, document_text: str, name: str) -> None:
    """A table whose only amount column is "Сумма": the title says whether it is approved, adjusted or executed."""
    phase = phase_from_title(_title_text(sheet, header)) or phase_from_title(document_text)
    if phase is None:
        raise BudgetFileError(f"{name}: {sheet.container}", f"the amount column {header.labels[AMOUNT]!r} names no phase and "
                              "neither does the title (an approved budget, an adjusted one, or an execution report?)")
    header.roles[phase] = header.roles.pop(AMOUNT)
    header.labels[phase] = header.labels.pop(AMOUNT)


def _title_text(sheet: Sheet, header: Header) -> str:
    """Text above the header (title, unit, date lines), the header's own labels and any metadata."""
    above = [text_of(c) for row in sheet.raw[: header.first_row] for c in row if text_of(c)]
    labels = [text_of(c) for row in sheet.filled[header.first_row: header.data_start] for c in row if text_of(c)]
    return " ".join(dict.fromkeys(above + labels + [sheet.preamble]))


def _context(sheet: Sheet, header: Header, document_text: str, name: str, fallback_region: str | None) -> Context:
    where = f"{name}: {sheet.container}"
    own = _title_text(sheet, header)
    facts = meta_facts(sheet.meta)
    try:
        period = fiscal_from(own, facts) or fiscal_from(document_text, {})
        unit = unit_from(own, facts) or unit_from(document_text, {})
    except ValueError as error:
        raise BudgetFileError(where, str(error)) from None
    if period is None:
        raise BudgetFileError(where, "cannot tell the fiscal year: the title states no reporting date "
                                     "('на 1 января 2024 года', '2024 жылғы 1 қаңтардағы') and no year ('за 2023 год')")
    if unit is None:
        raise BudgetFileError(where, "the title and header state no unit ('тыс. тенге', 'млн тенге', 'мың теңге', 'сом', 'тыс. сом')")
    region = region_from(own, facts, None) or region_from(document_text, {}, fallback_region)
    if region is None or region not in regions():
        areas = _area_region(sheet, header)
        region = areas or region
    if region is None:
        raise BudgetFileError(where, "cannot tell the region: the title names none and no KATO/SOATE code is given")
    unit_name, multiplier, currency = unit
    currency = currency or COUNTRY_CURRENCY.get(regions().get(region, ""))
    if currency is None:
        raise BudgetFileError(where, "the unit states no currency and the region's country is unknown")
    country_currency = COUNTRY_CURRENCY.get(regions()[region])
    if country_currency and currency != country_currency:
        raise BudgetFileError(where, f"amounts are stated in {currency} but the region {region} uses {country_currency}")
    year, report_date = period
    title = " ".join(text_of(c) for row in sheet.raw[: header.first_row] for c in row if text_of(c)) or sheet.preamble
    direction = title_direction(title + " " + sheet.container.partition("=")[2])  # header words are weighed later
    return Context(year, report_date, region, unit_name, multiplier, currency, direction, title[:500])


def _area_region(sheet: Sheet, header: Header) -> str | None:
    """The region of the first KATO/SOATE code in the table's territory column."""
    col = header.roles.get(AREA)
    if col is None:
        return None
    for row in sheet.raw[header.data_start:]:
        region = region_of_area(text_of(row[col]) if col < len(row) else "")
        if region:
            return region
    return None
