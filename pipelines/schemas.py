"""One schema, many uses: the Table Schemas in schemas/ drive CSV column order and formatting,
validation, Dagster column metadata, SQL tables and the data dictionary in the docs."""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from functools import lru_cache

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
    cells = []
    for column, is_text in zip(cols, text):
        value = row.get(column)
        if type(value) is not str:
            value = format_value(value)
        elif is_text and value.startswith(FORMULA_TRIGGERS):
            value = neutralise_cell(value)
        cells.append(value)
    return cells


def to_csv_bytes(name: str, rows: list[dict], *, presorted: bool = False, chunk: int = 50_000) -> bytes:
    """CSV of `rows` in schema column order, sorted by primary key, UTF-8, LF line endings.

    Text that a spreadsheet would run as a formula (=, +, -, @ ...) is neutralised in string columns
    (rule: docs/security.md); validation reads these same bytes, so what is checked is what is published.
    `presorted`: the caller vouches that `rows` are already in primary-key order (validation keeps them so).
    """
    ordered = rows if presorted else sort_rows(name, rows)
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(_layout(name)[0])
    encoded = io.BytesIO()
    encoded.write(header.getvalue().encode("utf-8"))
    for start in range(0, len(ordered), chunk):  # `chunk` rows as text at a time, then encoded
        encoded.write(_csv_text(name, ordered[start:start + chunk]).encode("utf-8"))
    return encoded.getvalue()


def _csv_text(name: str, rows: list[dict]) -> str:
    """Rows as CSV lines: minimal quoting, "\n" line ends. A row whose joined cells hold no comma, quote, CR
    or LF of their own needs no quoting: it is joined in one go; any other row goes through csv.writer.
    That writer ends lines with "\r\n" and each line is given its "\n" back: csv.writer quotes only the
    line-end characters its terminator holds, and a bare CR left unquoted reads back as a line break."""
    separators = len(_layout(name)[0]) - 1
    lines = []
    spare = io.StringIO()
    writer = csv.writer(spare, lineterminator="\r\n")
    for row in rows:
        cells = csv_cells(name, row)
        line = ",".join(cells)
        if separators and line.count(",") == separators and '"' not in line and "\n" not in line and "\r" not in line:
            lines.append(line + "\n")
        else:
            writer.writerow(cells)
            lines.append(spare.getvalue()[:-2] + "\n")
            spare.seek(0)
            spare.truncate()
    return "".join(lines)


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
