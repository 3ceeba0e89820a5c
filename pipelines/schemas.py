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
    return [field["name"] for field in schema(name)["fields"]]


def primary_key(name: str) -> list[str]:
    return list(schema(name).get("primaryKey", []))


def format_value(value) -> str:
    """Deterministic text of a cell: numbers without exponent or trailing zeros, booleans lower-case."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        text = format(Decimal(value).normalize(), "f") if isinstance(value, Decimal) else str(value)
        return text
    if isinstance(value, float):
        if value != value:  # NaN: pandas' missing value
            return ""
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


def sort_rows(name: str, rows: list[dict]) -> list[dict]:
    key = primary_key(name) or columns(name)
    return sorted(rows, key=lambda row: tuple(format_value(row.get(column)) for column in key))


def to_csv_bytes(name: str, rows: list[dict]) -> bytes:
    """CSV of `rows` in schema column order, sorted by primary key, UTF-8, LF line endings.

    Text that a spreadsheet would run as a formula (=, +, -, @ ...) is neutralised in string columns
    (rule: docs/security.md); validation reads these same bytes, so what is checked is what is published.
    """
    cols = columns(name)
    text_columns = {f["name"] for f in schema(name)["fields"] if f.get("type", "string") == "string"}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(cols)
    for row in sort_rows(name, rows):
        writer.writerow([neutralise_cell(format_value(row.get(c))) if c in text_columns else format_value(row.get(c)) for c in cols])
    return buffer.getvalue().encode("utf-8")


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
