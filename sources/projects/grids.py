"""HTML tables, XLSX sheets and CSV files as plain grids of cells, each row with an exact locator.

Merged cells are expanded (colspan/rowspan, XLSX merged ranges) so that a column index means the same
thing in every row, and a row spanning the whole table (a region heading) has one value repeated.
"""
from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from sources.extract.encoding import decode_text
from sources.safety.archives import UnsafeFile, check_ooxml, gunzipped

HTML, XLSX, CSV = "html", "xlsx", "csv"
_HTML_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body|table|div|p)[\s>]", re.I)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class LayoutError(ValueError):
    """A document has no table Ashyq can read, or is of a kind it does not read; the message names it."""


@dataclass
class GridRow:
    cells: list
    locator: str
    spanning: bool = False  # one cell covers the whole row


@dataclass
class Grid:
    name: str  # file or URL, plus the sheet for workbooks: used in error messages
    rows: list[GridRow]
    context: str = ""  # caption and text around the table: where "тыс. тенге" is often stated
    extra: dict = field(default_factory=dict)


def detect_kind(data: bytes, *, name: str, content_type: str | None = None) -> str:
    media = (content_type or "").split(";")[0].strip().lower()
    ext = os.path.splitext(urlsplit(name).path)[1].lower()
    if data.startswith(_OLE_MAGIC) or ext == ".xls" or media == "application/vnd.ms-excel":
        raise LayoutError(f"{name}: legacy Excel .xls files are not supported (save as XLSX or CSV)")
    if "spreadsheetml" in media or ext == ".xlsx" or data.startswith(b"PK\x03\x04"):
        return XLSX
    if "csv" in media or ext in (".csv", ".tsv"):
        return CSV
    if "html" in media or ext in (".html", ".htm") or _HTML_SNIFF.search(data[:2048]):
        return HTML
    return CSV


# ----------------------------------------------------------------------------------------------- HTML


def html_grids(data: bytes, *, name: str, content_type: str | None = None, selector: str | None = None) -> list[Grid]:
    soup = BeautifulSoup(decode_text(data, name=name, content_type=content_type, html=True), "lxml")
    tables = soup.select(selector) if selector else soup.find_all("table")
    if selector and not tables:
        raise LayoutError(f"{name}: no element matches {selector!r}")
    return [_html_grid(soup, table, name) for table in tables if table.name == "table"]


def _html_grid(soup: BeautifulSoup, table: Tag, name: str) -> Grid:
    table_selector = _unique_selector(soup, table)
    rows: list[GridRow] = []
    pending: dict[int, list] = {}  # column → [rows still covered, text] from a rowspan above
    for tr in [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]:
        cells, column = [], 0
        tds = tr.find_all(["td", "th"], recursive=False)

        def fill_pending():
            nonlocal column
            while column in pending:
                left, text = pending[column]
                cells.append(text)
                if left <= 1:
                    del pending[column]
                else:
                    pending[column][0] = left - 1
                column += 1

        for td in tds:
            fill_pending()
            text = td.get_text(" ", strip=True)
            colspan, rowspan = _span(td, "colspan"), _span(td, "rowspan")
            for _ in range(colspan):
                cells.append(text)
                if rowspan > 1:
                    pending[column] = [rowspan - 1, text]
                column += 1
        fill_pending()
        spanning = len(tds) == 1 and _span(tds[0], "colspan") > 1
        rows.append(GridRow(cells, f"html:{table_selector} > {_row_path(table, tr)}", spanning))
    context = " ".join(filter(None, [_text(table.find("caption")), *(_text(s) for s in _previous_elements(table, 2))]))
    return Grid(f"{name} ({table_selector})", rows, context)


def _span(td: Tag, attribute: str) -> int:
    try:
        return max(1, min(int(str(td.get(attribute, "1")).strip() or 1), 100))
    except ValueError:
        return 1


def _text(element) -> str:
    return element.get_text(" ", strip=True) if element is not None else ""


def _previous_elements(element: Tag, count: int) -> list[Tag]:
    found = []
    for sibling in element.find_previous_siblings():
        if isinstance(sibling, Tag):
            found.append(sibling)
            if len(found) == count:
                break
    return found


def _nth(element: Tag) -> str:
    """`tr:nth-of-type(5)`; a tbody/thead that is the only one of its kind is named plainly."""
    same = [s for s in element.parent.find_all(element.name, recursive=False)]
    if len(same) == 1 and element.name in ("tbody", "thead", "tfoot", "body", "main"):
        return element.name
    return f"{element.name}:nth-of-type({same.index(element) + 1})"


def _unique_selector(soup: BeautifulSoup, table: Tag) -> str:
    """A CSS selector that selects exactly this table: by id, by its classes, else by its path."""
    candidates = []
    if table.get("id") and re.fullmatch(r"[A-Za-z][\w-]*", table["id"]):
        candidates.append(f"table#{table['id']}")
    if table.get("class"):
        candidates.append("table" + "".join(f".{c}" for c in table["class"] if re.fullmatch(r"[A-Za-z_][\w-]*", c)))
    for candidate in candidates:
        if soup.select(candidate) == [table]:
            return candidate
    parts, element = [], table
    while element is not None and element.name not in ("html", "[document]"):
        parts.append(_nth(element))
        element = element.parent
    return " > ".join(["html", *reversed(parts)])


def _row_path(table: Tag, tr: Tag) -> str:
    parts, element = [], tr
    while element is not table:
        parts.append(_nth(element))
        element = element.parent
    return " > ".join(reversed(parts))


# ----------------------------------------------------------------------------------------------- XLSX


def xlsx_grids(data: bytes, *, name: str) -> list[Grid]:
    from openpyxl import load_workbook  # imported here: only workbooks need it

    try:
        check_ooxml(data)  # zip bombs, DTDs and entities are refused before openpyxl inflates anything
    except UnsafeFile as error:
        raise LayoutError(f"{name}: not a readable XLSX workbook ({error})") from None
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types (XML syntax, KeyError, ...) for broken parts
        raise LayoutError(f"{name}: not a readable XLSX workbook ({type(error).__name__}: {error})") from None
    grids = []
    for sheet in workbook.worksheets:
        matrix = [list(row) for row in sheet.iter_rows(values_only=True)]
        spanning_rows = set()
        for merged in sheet.merged_cells.ranges:
            value = sheet.cell(merged.min_row, merged.min_col).value
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if r - 1 < len(matrix) and c - 1 < len(matrix[r - 1]):
                        matrix[r - 1][c - 1] = value
            if merged.max_col - merged.min_col + 1 >= max(2, sheet.max_column - 1):
                spanning_rows.update(range(merged.min_row, merged.max_row + 1))
        rows = [GridRow(cells, f"sheet={sheet.title}!row={r}", r in spanning_rows) for r, cells in enumerate(matrix, start=1)]
        grids.append(Grid(f"{name} (sheet {sheet.title})", rows, sheet.title))
    return grids


# ----------------------------------------------------------------------------------------------- CSV


def csv_grids(data: bytes, *, name: str, content_type: str | None = None) -> list[Grid]:
    text = decode_text(data, name=name, content_type=content_type)
    try:
        delimiter = _delimiter(text)
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:  # e.g. a field over the csv module's size limit: a hostile or binary file
        raise LayoutError(f"{name}: not a readable CSV file ({error})") from None
    rows = [GridRow(cells, f"csv:row={number}") for number, cells in enumerate(records, start=1)]
    return [Grid(name, rows, "")]


def _delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most columns, consistently."""
    sample = [line for line in text.splitlines() if line.strip()][:20]
    best, best_score = ",", 0
    for candidate in (";", "\t", ",", "|"):
        widths = sorted(len(row) for row in csv.reader(sample, delimiter=candidate))
        score = widths[len(widths) // 2] if widths else 0  # the median row width
        if score > best_score:
            best, best_score = candidate, score
    return best


def grids_of(data: bytes, *, name: str, content_type: str | None = None, selector: str | None = None) -> list[Grid]:
    """The tables of an HTML page, workbook or CSV, gzipped or not (projects.csv.gz)."""
    try:
        data, inner = gunzipped(data, name)  # messages keep the name given; the kind comes from the inner one
    except UnsafeFile as error:
        raise LayoutError(f"{name}: not a readable gzip file ({error})") from None
    kind = detect_kind(data, name=inner, content_type=content_type)
    if kind == XLSX:
        return xlsx_grids(data, name=name)
    if kind == HTML:
        return html_grids(data, name=name, content_type=content_type, selector=selector)
    return csv_grids(data, name=name, content_type=content_type)
