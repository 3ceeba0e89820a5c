"""From a grid to one record per project: find the header, skip titles and totals, carry region sections.

A projects table is read as companies actually publish it:
- rows above the header are titles, scanned for "тыс. тенге"-style units; the header may continue on a
  second row ("Сроки реализации" over "начало" / "окончание");
- a row with a single value (a cell spanning the table, or a region name) starts a section, e.g.
  "Атырауская область", whose region applies to the rows below it until the next section;
- "Итого" / "Барлығы" / "Total" rows are sums, not projects, and are skipped;
- every other row with a project name is a project. A row with numbers but no name is an error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sources.extract import find_regions
from sources.projects.cells import cell_text, is_empty, scale_in, scaled_currency_in, currency_in
from sources.projects.columns import classify, column_map, duplicated_amount_columns, looks_like_header
from sources.projects.grids import Grid, GridRow, LayoutError

TOTAL = re.compile(r"^(?:итого|всего|барлығы|жиыны|жалпы сома|total|subtotal|grand total)\b", re.I)
HEADER_SEARCH_ROWS = 15


@dataclass
class Record:
    """One project row, still as text (and native XLSX values), with everything needed to type it."""

    values: dict  # kind → cell value (location: the columns joined)
    locator: str
    section_region: str | None  # region of the section heading above the row, if any
    multiplier: int  # from the amount header or the caption
    currency: str | None  # from the amount header or the caption


def records(grid: Grid) -> list[Record]:
    """Project records of one grid; [] when the grid has no recognisable header."""
    start = _header_row(grid)
    if start is None:
        return []
    headers, body = _headers(grid, start)
    columns = column_map(headers)
    doubled = duplicated_amount_columns(headers)
    if doubled:
        raise LayoutError(f"{grid.name}: several amount columns ({', '.join(doubled)}): which one is the project amount is unclear")
    multiplier, currency = _units(grid, start, headers[columns["amount"][0]] if "amount" in columns else "")
    out: list[Record] = []
    section_region = None
    for row in grid.rows[body:]:
        kind = _row_kind(grid, row, columns)
        if kind == "section":
            section_region = _region(_first_value(row))
        elif kind == "project":
            out.append(Record(_values(row, columns), row.locator, section_region, multiplier, currency))
    return out


def _header_row(grid: Grid) -> int | None:
    for index, row in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        if looks_like_header([cell_text(c) for c in row.cells]):
            return index
    return None


def _headers(grid: Grid, start: int) -> tuple[list[str], int]:
    """Header texts (a continuation row merged in) and the index of the first body row."""
    headers = [cell_text(c) for c in grid.rows[start].cells]
    body = start + 1
    if body < len(grid.rows) and _continues_header(headers, grid.rows[body]):
        below = [cell_text(c) for c in grid.rows[body].cells]
        width = max(len(headers), len(below))
        headers, below = headers + [""] * (width - len(headers)), below + [""] * (width - len(below))
        headers = [" ".join(dict.fromkeys(filter(None, pair))) for pair in zip(headers, below)]
        body += 1
    return headers, body


def _continues_header(above: list[str], row: GridRow) -> bool:
    """A second header row: several header words (besides cells repeated by a rowspan), no numbers, no region."""
    texts = [cell_text(c) for c in row.cells]
    new = [t for i, t in enumerate(texts) if t and (i >= len(above) or t != above[i])]
    if row.spanning or len(set(new)) < 2:
        return False  # a single value is a section heading ("Атырауская область"), not more header
    return all(classify(t) is not None and not re.search(r"\d", t) and not _is_region_name(t) for t in new)


def _units(grid: Grid, start: int, amount_header: str) -> tuple[int, str | None]:
    """(multiplier, currency): the amount header's own, else those stated in the caption or title rows."""
    titles = " ".join(cell_text(c) for row in grid.rows[:start] for c in dict.fromkeys(row.cells) if c is not None)
    context = f"{grid.context} {titles}"
    stated = scaled_currency_in(context)
    multiplier = scale_in(amount_header)
    if multiplier == 1 and stated:
        multiplier = stated[0]
    return multiplier, currency_in(amount_header) or (stated[1] if stated else None) or currency_in(context)


def _row_kind(grid: Grid, row: GridRow, columns: dict) -> str:
    """skip (blank, total, empty numbered row), section (a heading such as a region), or project."""
    values = [c for c in row.cells if not is_empty(c)]
    if not values or TOTAL.match(cell_text(values[0])) or _only_numbered(row, columns, values):
        return "skip"
    name = _value(row, columns, "name")
    single = len({cell_text(v) for v in values}) == 1
    if single and (row.spanning or len(values) > 1 or name is None or _is_region_name(cell_text(values[0]))):
        return "section"
    if name is None:
        if any(re.search(r"\d", cell_text(v)) for v in values):
            raise LayoutError(f"{grid.name}: {row.locator}: a row with figures but no project name")
        return "skip"
    return "skip" if TOTAL.match(cell_text(name)) else "project"


def _values(row: GridRow, columns: dict) -> dict:
    values = {kind: _value(row, columns, kind) for kind in columns if kind != "location"}
    if "location" in columns:
        parts = [cell_text(row.cells[i]) for i in columns["location"] if i < len(row.cells) and not is_empty(row.cells[i])]
        values["location"] = ", ".join(dict.fromkeys(parts)) or None
    return values


def _first_value(row: GridRow) -> str:
    return next(cell_text(c) for c in row.cells if not is_empty(c))


def _value(row: GridRow, columns: dict, kind: str):
    indexes = columns.get(kind)
    if not indexes or indexes[0] >= len(row.cells):
        return None
    value = row.cells[indexes[0]]
    return None if is_empty(value) else value


def _only_numbered(row: GridRow, columns: dict, values: list) -> bool:
    number = columns.get("number")
    if len(values) != 1 or not number or number[0] >= len(row.cells) or is_empty(row.cells[number[0]]):
        return False
    return re.fullmatch(r"[\d.\s)]+", cell_text(row.cells[number[0]])) is not None


def _region(text: str) -> str | None:
    found = find_regions(text)
    return found[0]["code"] if found else None


def _is_region_name(text: str) -> bool:
    """A cell that is (almost) only a region's name: a section heading even without a spanning cell."""
    found = find_regions(text)
    return bool(found) and len(found[0]["text"]) >= 0.6 * len(text.strip(" :.-"))
