"""One schema, many uses: the Table Schemas in schemas/ drive CSV column order and formatting,
validation, Dagster column metadata, SQL tables and the data dictionary in the docs."""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Iterator, Sequence

import yaml

from pipelines.settings import SCHEMAS_DIR
from sources.safety import neutralise_cell
from sources.safety.cells import TRIGGERS as FORMULA_TRIGGERS

ASHYQ_KEYS = ("x-ashyq-check", "x-ashyq-required-with", "x-ashyq-not-before")


@lru_cache(maxsize=None)
def package_metadata() -> dict:
    return yaml.safe_load((SCHEMAS_DIR / "package.yaml").read_text("utf-8"))


def resource_names() -> list[str]:
    return [resource["name"] for resource in package_metadata()["resources"]]


def family_resources(family: str) -> list[str]:
    """Resources a source family yields, in package order (`family` in schemas/package.yaml)."""
    return [r["name"] for r in package_metadata()["resources"] if r.get("family") == family]


def resource_metadata(name: str) -> dict:
    for resource in package_metadata()["resources"]:
        if resource["name"] == name:
            return resource
    raise KeyError(f"schemas/package.yaml has no resource {name!r}")


@lru_cache(maxsize=None)
def _schema(name: str) -> str:
    return (SCHEMAS_DIR / resource_metadata(name)["schema"]).read_text("utf-8")


def schema(name: str) -> dict:
    """The Table Schema of a resource (a fresh copy each call)."""
    return json.loads(_schema(name))


def columns(name: str) -> list[str]:
    return list(_layout(name)[0])  # cached: validation asks once per quarantined error


def primary_key(name: str) -> list[str]:
    return list(schema(name).get("primaryKey", []))


def format_value(value) -> str:
    """Deterministic text of a cell: numbers without exponent or trailing zeros, booleans lower-case."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:  # NaN: pandas' missing value
            return ""
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


def _decimal_text(value: Decimal) -> str:
    """format(value.normalize(), "f"), read off str(value) when that has no exponent: a third of the time,
    and budget files hold a million amounts."""
    text = str(value)
    if "E" in text or len(text) > 28 or not value.is_finite():  # normalize() also rounds past 28 digits
        return format(value.normalize(), "f")
    return _without_trailing_zeros(text)


def _without_trailing_zeros(text: str) -> str:
    """A Decimal's plain text (no exponent) as its normalized form writes it: "1234500.0" -> "1234500"."""
    return text.rstrip("0").rstrip(".") if "." in text else text


@lru_cache(maxsize=None)
def _layout(name: str) -> tuple[tuple[str, ...], tuple[bool, ...], tuple[str, ...]]:
    """Column order, which columns are text (formula-neutralised), and the sort key columns of a resource."""
    fields = schema(name)["fields"]
    cols = tuple(field["name"] for field in fields)
    text = tuple(field.get("type", "string") == "string" for field in fields)
    return cols, text, tuple(primary_key(name)) or cols


def _cell(value) -> str:
    return value if type(value) is str else format_value(value)  # most cells are text already: skip the type ladder


def sort_key(name: str):
    """The key that orders a resource's rows (primary key, else every column), as one function of a row."""
    key = _layout(name)[2]
    if len(key) == 1:
        column = key[0]
        return lambda row: _cell(row.get(column))  # a 1-tuple and its only item sort alike
    return lambda row: tuple(_cell(row.get(column)) for column in key)


def sort_rows(name: str, rows: list[dict]) -> list[dict]:
    return sorted(rows, key=sort_key(name))


def csv_cells(name: str, row: dict) -> list[str]:
    """One row's cells as published: schema column order, deterministic text, formulas neutralised in text columns."""
    cols, text, _ = _layout(name)
    return [_cell_text(row.get(column), is_text) for column, is_text in zip(cols, text)]


def _cell_text(value, is_text: bool) -> str:
    if type(value) is not str:
        return format_value(value)
    return neutralise_cell(value) if is_text and value.startswith(FORMULA_TRIGGERS) else value


def to_csv_bytes(name: str, rows: list[dict], *, presorted: bool = False, chunk: int = 50_000) -> bytes:
    """CSV of `rows` in schema column order, sorted by primary key, UTF-8, LF line endings.

    Text that a spreadsheet would run as a formula (=, +, -, @ ...) is neutralised in string columns
    (rule: docs/security.md); validation reads these same bytes, so what is checked is what is published.
    `presorted`: the caller vouches that `rows` are already in primary-key order (validation keeps them so).
    """
    return _written(name, rows, presorted, chunk, None)


def csv_with_columns(name: str, rows: list[dict], *, presorted: bool = False, chunk: int = 50_000) -> tuple[bytes, "CsvColumns"]:
    """to_csv_bytes, and the cells it wrote a column at a time (CsvColumns): validation keeps them for the
    SQLite download, which then neither parses the CSV back nor formats every cell a second time."""
    kept: list[dict[str, Sequence[str]]] = []
    data = _written(name, rows, presorted, chunk, kept)
    return data, CsvColumns(kept)


@dataclass(frozen=True)
class CsvColumns:
    """A CSV's cells as csv_cells writes them (before CSV quoting), a column at a time, in chunks of rows in
    the CSV's order: {column: cells} per chunk."""
    chunks: list[dict[str, Sequence[str]]]

    def batches(self, size: int) -> Iterator[tuple[int, dict[str, Sequence[str]]]]:
        """(index of the batch's first row, {column: cells}) for `size` rows at a time (the last may hold
        fewer), whatever the chunks: the batches reading the CSV would make."""
        first, pieces, held = 0, [], 0
        for chunk in self.chunks:
            length, start = len(next(iter(chunk.values()), ())), 0
            while start < length:
                take = min(size - held, length - start)
                pieces.append({column: cells[start:start + take] for column, cells in chunk.items()})
                held, start = held + take, start + take
                if held == size:
                    yield first, _joined(pieces)
                    first, pieces, held = first + size, [], 0
        if held:
            yield first, _joined(pieces)


def _joined(pieces: list[dict[str, Sequence[str]]]) -> dict[str, Sequence[str]]:
    if len(pieces) == 1:
        return pieces[0]
    return {column: [cell for piece in pieces for cell in piece[column]] for column in pieces[0]}


def _written(name: str, rows: list[dict], presorted: bool, chunk: int, kept: list | None) -> bytes:
    ordered = rows if presorted else sort_rows(name, rows)
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(_layout(name)[0])
    encoded = io.BytesIO()
    encoded.write(header.getvalue().encode("utf-8"))
    for start in range(0, len(ordered), chunk):  # `chunk` rows as text at a time, then encoded
        encoded.write(_csv_text(name, ordered[start:start + chunk], kept).encode("utf-8"))
    return encoded.getvalue()


def _csv_text(name: str, rows: list[dict], kept: list | None = None) -> str:
    """Rows as CSV lines, a column at a time: csv_cells' text with csv.writer's minimal quoting (a cell holding
    a comma, quote, CR or LF is quoted; a bare CR too, or it would read back as a line break), "\n" line ends.
    `kept`: a list the columns' cells (before quoting) are appended to, as {column: cells}.

    Why columns: a million budget lines hold a handful of distinct report titles, documents and sources, and
    amounts of one type. Each row's values are taken in one C call, then each column is checked and formatted
    as a whole, or once per distinct value, where a loop over every row's cells took half of a refresh's
    validation step."""
    cols, text, _ = _layout(name)
    if not rows:
        return ""
    if len(cols) == 1:  # csv.writer quotes a row's only cell when it is empty
        cells = [_cell_text(row.get(cols[0]), text[0]) for row in rows]
        if kept is not None:
            kept.append({cols[0]: cells})
        return "".join(_quoted(cell, lone=True) + "\n" for cell in cells)
    texts = [column_texts(values, is_text) for values, is_text in zip(_values_by_column(cols, rows), text)]
    if kept is not None:
        kept.append({col: cells for col, (cells, _) in zip(cols, texts)})
    columns = [cells if plain else [_quoted(cell) for cell in cells] for cells, plain in texts]
    return "\n".join(map(",".join, zip(*columns))) + "\n"


def _values_by_column(cols: tuple[str, ...], rows: list[dict]) -> list[tuple]:
    """The rows' values a column at a time, in `cols` order: each row's taken in one C call."""
    try:
        records = list(map(itemgetter(*cols), rows)) if len(cols) > 1 else [(row[cols[0]],) for row in rows]
    except KeyError:  # a row without some column: None there, as csv_cells reads it
        records = [tuple(map(row.get, cols)) for row in rows]
    return list(zip(*records))


def column_texts(values: tuple, is_text: bool) -> tuple[Sequence[str], bool]:
    """One column's cells as csv_cells writes them (before CSV quoting), and True when none of them needs
    quoting."""
    kinds = set(map(type, values))
    if kinds == {Decimal}:
        texts = list(map(str, values))
        if max(map(len, texts)) <= 28 and "E" not in "".join(texts):  # no exponent (NaN and Infinity read the same either way)
            return list(map(_without_trailing_zeros, texts)), True  # _decimal_text, a column at a time
    elif kinds == {int}:
        distinct = set(values)
        if len(distinct) <= len(values) // 2:  # a year, a count: each distinct text made (and kept) once
            return list(map({value: str(value) for value in distinct}.__getitem__, values)), True
        return list(map(str, values)), True
    elif kinds == {bool}:
        return list(map(_BOOLEAN_TEXT.__getitem__, values)), True
    elif kinds <= {str, type(None)}:
        distinct = set(values)
        distinct.discard(None)
        joined = "\0" + "\0".join(distinct)  # a filter only: a cell holding NUL at worst takes the longer way below
        if not (is_text and any("\0" + trigger in joined for trigger in FORMULA_TRIGGERS)):
            texts = list(map(_NONE_AS_EMPTY.get, values, values)) if type(None) in kinds else values
            return texts, not any(c in joined for c in _QUOTE_IF)
    return [_cell_text(value, is_text) for value in values], False


_BOOLEAN_TEXT = {True: "true", False: "false"}
_NONE_AS_EMPTY = {None: ""}
_QUOTE_IF = (",", '"', "\r", "\n")


def _quoted(cell: str, lone: bool = False) -> str:
    """As csv.writer writes a cell (minimal quoting, doubled quotes), with CR quoted too."""
    if any(c in cell for c in _QUOTE_IF) or (lone and not cell):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def dagster_column_schema(name: str):
    """Dagster TableSchema for asset metadata (imports Dagster lazily)."""
    import dagster as dg

    fields = schema(name)["fields"]
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                name=field["name"],
                type=field["type"],
                description=field.get("description"),
                constraints=dg.TableColumnConstraints(
                    nullable=not field.get("constraints", {}).get("required", False),
                    unique=field.get("constraints", {}).get("unique", False),
                ),
            )
            for field in fields
        ]
    )
