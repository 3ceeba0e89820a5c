"""Budget files as grids of cells: XLSX sheets, delimited text (CSV) and JSON API pages, each with locators.

Every reader fails with a BudgetFileError naming the file: a damaged zip, a legacy .xls, undecodable text,
JSON that does not parse or holds no list of items.
"""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from sources.budget.cells import text_of
from sources.budget.errors import BudgetFileError
from sources.extract.encoding import decode_text
from sources.extract.errors import UnreadableDocument
from sources.safety.archives import DamagedArchive, UnsafeFile, check_xml_parts, check_zip, gunzipped

# Limits against hostile files. Past them a file is refused with a clear error, never read in part:
# a budget quietly cut at row N would publish wrong totals.
MAX_ROWS = 20_000_000
MAX_COLS = 200
XLSX, CSV, JSON = "xlsx", "csv", "json"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PAGING_KEYS = {"page", "size", "total", "totalpages", "total_pages", "next", "prev", "previous", "number", "offset",
               "limit", "count", "totalelements", "total_elements", "first", "last", "empty", "numberofelements"}
ITEM_KEYS = ("items", "content", "data", "results", "rows", "records", "list")


@dataclass
class Sheet:
    """One table-shaped part of a file. `raw` holds cells as stored; `filled` copies merged cells' values
    into every cell they cover (for reading headers only). `positions[i]` is the row number a locator names."""

    container: str  # locator prefix: "sheet=Отчет", "csv", "json:page=2"
    raw: list[list]
    filled: list[list]
    positions: list[int]
    formats: list[list] | None = None
    preamble: str = ""  # text about the table that is not in its rows (JSON metadata)
    meta: dict = field(default_factory=dict)
    uncached: set = field(default_factory=set)  # (row index, column) of formulas saved without their value

    def locator(self, index: int) -> str:
        position = self.positions[index]
        if self.container.startswith("json:"):
            return f"{self.container}/items[{position}]"
        separator = "!" if self.container.startswith("sheet=") else ":"
        return f"{self.container}{separator}row={position}"


def file_kind(data: bytes, name: str) -> str:
    """xlsx / csv / json, from the leading bytes first and the name's extension second."""
    head = data[:2048].lstrip()
    if data.startswith(b"PK\x03\x04"):
        return XLSX
    if data.startswith(OLE_MAGIC):
        raise BudgetFileError(name, "legacy Excel .xls (OLE2) files are not supported: save it as .xlsx")
    if head[:1] in (b"{", b"[") or head.startswith(b"\xef\xbb\xbf{"):
        return JSON
    path = urlsplit(name).path.lower() if "://" in name else name.lower()
    if path.endswith((".xlsx", ".xlsm")):
        return XLSX  # named .xlsx but not a zip: read_xlsx reports the damage
    if path.endswith(".json"):
        return JSON
    if path.endswith(".xls"):
        raise BudgetFileError(name, "legacy Excel .xls files are not supported: save it as .xlsx")
    if path.endswith((".pdf", ".docx", ".doc")) or head.startswith(b"%PDF"):
        raise BudgetFileError(name, "not a table file (PDF/Word): budget files are read from XLSX, CSV or JSON")
    return CSV


def read_sheets(data: bytes, name: str) -> list[Sheet]:
    """The sheets of a workbook, JSON page or CSV, gzipped or not (budget.csv.gz)."""
    try:
        data, inner = gunzipped(data, name)  # messages keep the name given; the kind comes from the inner one
    except DamagedArchive as error:
        raise BudgetFileError(name, f"damaged gzip file: {error}") from None
    except UnsafeFile as error:
        raise BudgetFileError(name, f"unsafe gzip file: {error}") from None
    kind = file_kind(data, inner)
    if kind == XLSX:
        return read_xlsx(data, name)
    if kind == JSON:
        return [read_json(data, name)]
    return [read_csv(data, name)]


def read_xlsx(data: bytes, name: str) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        check_zip(data)  # entry count and inflated size, from the directory alone, before anything is inflated
    except DamagedArchive as error:
        raise BudgetFileError(name, f"damaged XLSX ({error})") from None
    except UnsafeFile as error:
        raise BudgetFileError(name, f"unsafe XLSX: {error}") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            bad = archive.testzip()
            if bad is not None:
                raise BudgetFileError(name, f"damaged XLSX: zip member {bad} fails its CRC check")
            if "xl/workbook.xml" not in archive.namelist():
                raise BudgetFileError(name, "zip archive that is not an Excel workbook (no xl/workbook.xml)")
            has_formulas = any(re.search(rb"<f[ >]", archive.read(n)) for n in archive.namelist()
                               if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    except zipfile.BadZipFile as error:
        raise BudgetFileError(name, f"damaged XLSX (not a readable zip archive: {error})") from None
    except (OSError, EOFError, ValueError, RuntimeError, NotImplementedError, zlib.error) as error:
        raise BudgetFileError(name, f"damaged XLSX ({type(error).__name__}: {error})") from None
    try:
        check_xml_parts(data)
    except DamagedArchive as error:
        raise BudgetFileError(name, f"damaged XLSX ({error})") from None
    except UnsafeFile as error:
        raise BudgetFileError(name, f"unsafe XLSX: {error}") from None
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types for broken parts
        raise BudgetFileError(name, f"unreadable XLSX workbook: {type(error).__name__}: {error}") from None
    formulas = load_workbook(io.BytesIO(data), data_only=False) if has_formulas else None
    sheets = []
    for ws in workbook.worksheets:
        if ws.sheet_state != "visible":
            continue
        rows = ws.max_row or 0
        if rows > MAX_ROWS:
            raise BudgetFileError(name, f"sheet {ws.title!r} has {rows:,} rows, more than the {MAX_ROWS:,} Ashyq reads; refused rather than read in part")
        cols = min(ws.max_column or 0, MAX_COLS)
        if (ws.max_column or 0) > MAX_COLS and any(v not in (None, "") for row in ws.iter_rows(min_col=MAX_COLS + 1, values_only=True) for v in row):
            raise BudgetFileError(name, f"sheet {ws.title!r} has data beyond column {MAX_COLS}; refused rather than read in part")
        raw, formats = [], []
        for row in ws.iter_rows(min_row=1, max_row=rows, max_col=cols):
            raw.append([cell.value for cell in row] + [None] * (cols - len(row)))
            formats.append([cell.number_format for cell in row] + [None] * (cols - len(row)))
        filled = [list(r) for r in raw]
        for merged in ws.merged_cells.ranges:
            top = raw[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= rows and merged.min_col <= cols else None
            for r in range(merged.min_row, min(merged.max_row, rows) + 1):
                for c in range(merged.min_col, min(merged.max_col, cols) + 1):
                    filled[r - 1][c - 1] = top
        uncached = set()
        if formulas is not None:  # a formula saved by a tool that never computed it has no value to read
            for r, row in enumerate(formulas[ws.title].iter_rows(min_row=1, max_row=rows, max_col=cols)):
                for c, cell in enumerate(row):
                    if cell.data_type == "f" and raw[r][c] is None:
                        uncached.add((r, c))
        sheets.append(Sheet(f"sheet={ws.title}", raw, filled, list(range(1, len(raw) + 1)), formats, uncached=uncached))
    if not sheets:
        raise BudgetFileError(name, "the workbook has no visible sheet")
    return sheets


def decode(data: bytes, name: str, content_type: str | None = None) -> str:
    try:
        return decode_text(data, name=name, content_type=content_type)
    except UnreadableDocument as error:
        raise BudgetFileError(name, f"cannot decode the text: {error.reason}") from None


def read_csv(data: bytes, name: str) -> Sheet:
    """Delimited text. The delimiter is the first of ; tab , | under which a budget header can be read (decimal
    commas make ',' split almost anything), else the one giving the most rows of three or more cells."""
    from sources.budget.columns import find_header

    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BudgetFileError(name, "binary data, not a CSV text file")
    text = decode(data, name)
    best = None
    for delimiter in (";", "\t", ",", "|"):
        rows, positions = _split(text, delimiter)
        if not rows:
            continue
        if len(rows) > MAX_ROWS:
            raise BudgetFileError(name, f"{len(rows):,} rows, more than the {MAX_ROWS:,} Ashyq reads; refused rather than read in part")
        width = max(len(r) for r in rows)
        if width > MAX_COLS:
            if any(any(r[MAX_COLS:]) for r in rows):
                raise BudgetFileError(name, f"data beyond column {MAX_COLS} (split on {delimiter!r}); refused rather than read in part")
            width = MAX_COLS
        grid = [r if len(r) == width else (r + [""] * width)[:width] for r in rows]
        sheet = Sheet("csv", grid, grid, positions)  # text has no merged cells: `filled` is `raw`, and neither is changed
        if find_header(sheet.filled, sheet.raw) is not None:
            return sheet
        score = sum(1 for r in rows if sum(1 for c in r if c) >= 3)
        if best is None or score > best[0]:
            best = (score, sheet)
    if best is None:
        raise BudgetFileError(name, "empty file")
    return best[1]


def _split(text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, positions, line = [], [], 1
    try:
        for record in reader:
            rows.append(list(map(str.strip, record)))
            positions.append(line)
            line = reader.line_num + 1
    except csv.Error:
        return [], []
    return rows, positions


_SPLIT_KEY = re.compile(r"(?<=[a-z])(?=[A-Z])")


def read_json(data: bytes, name: str, content_type: str | None = None) -> Sheet:
    """A JSON page: its list of items becomes rows (keys as the header row); every other scalar is metadata."""
    try:
        body = json.loads(decode(data, name, content_type), parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise BudgetFileError(name, f"invalid JSON: {error}") from None
    items, meta = _items(body)
    if items is None:
        raise BudgetFileError(name, f"JSON without a list of items (looked for {', '.join(ITEM_KEYS)})")
    keys: list[str] = []
    for item in items:
        if not isinstance(item, dict):
            raise BudgetFileError(name, "JSON items are not objects")
        keys += [k for k in item if k not in keys and not isinstance(item[k], (dict, list))]
    page = meta.get("page") or meta.get("number") or _page_from_url(name)
    header = [_SPLIT_KEY.sub(" ", k) for k in keys]
    raw = [header] + [[item.get(k) for k in keys] for item in items]
    preamble = " ".join(text_of(v) for k, v in meta.items() if k.lower() not in PAGING_KEYS and text_of(v))
    return Sheet(f"json:page={page}" if page is not None else "json", raw, [list(r) for r in raw],
                 [0] + list(range(len(items))), None, preamble, meta)


def _items(body) -> tuple[list | None, dict]:
    if isinstance(body, list):
        return body, {}
    if not isinstance(body, dict):
        return None, {}
    meta = {k: v for k, v in body.items() if not isinstance(v, (dict, list))}
    for key, value in body.items():
        if isinstance(value, dict):
            meta.update({k: v for k, v in value.items() if not isinstance(v, (dict, list))})
    for key in ITEM_KEYS:
        if isinstance(body.get(key), list):
            return body[key], meta
        for value in body.values():
            if isinstance(value, dict) and isinstance(value.get(key), list):
                return value[key], meta
    return None, meta


def _page_from_url(name: str):
    if "?" not in name:
        return None
    values = parse_qs(urlsplit(name).query).get("page")
    return values[0] if values else None
