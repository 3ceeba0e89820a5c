"""A Table Schema descriptor read into what the checker needs, or `Unsupported` with the reason.

Anything the DuckDB path does not reproduce exactly (unknown types/formats, float numbers, name-based
field matching, odd constraint values) raises `Unsupported`, and the resource is checked by Frictionless.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field as dc_field
from decimal import Decimal
from pathlib import Path

DEFAULT_TRUE = ["true", "True", "TRUE", "1"]
DEFAULT_FALSE = ["false", "False", "FALSE", "0"]

SUPPORTED_CONSTRAINTS = {
    "any": ["required", "enum"],
    "boolean": ["required", "enum"],
    "string": ["required", "minLength", "maxLength", "pattern", "enum"],
    **{
        # exclusiveMinimum/Maximum are Data Package v2: Frictionless accepts them only under a v2 `$schema`
        # (a version it resolves across package, resource and schema), so they go to Frictionless
        kind: ["required", "minimum", "maximum", "enum"]
        for kind in ("integer", "number", "date", "datetime", "time", "year", "yearmonth")
    },
}
STRING_FORMATS = {"default", "email", "uri", "uuid"}
FIELD_KEYS = {
    "name", "type", "format", "title", "description", "constraints", "missingValues", "example", "rdfType",
    "trueValues", "falseValues", "bareNumber", "groupChar", "decimalChar",
}
SCHEMA_KEYS = {"fields", "missingValues", "primaryKey", "foreignKeys", "title", "description", "name", "$schema", "profile", "fieldsMatch"}


class Unsupported(Exception):
    """The DuckDB path cannot check this exactly like Frictionless; the message says why."""


@dataclass
class Field:
    name: str
    type: str
    format: str = "default"
    constraints: dict = dc_field(default_factory=dict)
    missing_values: list[str] = dc_field(default_factory=lambda: [""])
    true_values: list[str] = dc_field(default_factory=lambda: list(DEFAULT_TRUE))
    false_values: list[str] = dc_field(default_factory=lambda: list(DEFAULT_FALSE))
    bare_number: bool = True
    group_char: str = ""
    decimal_char: str = "."
    number_processing: bool = False  # Frictionless only processes numbers when one of the three is declared

    @property
    def supported_constraints(self) -> list[str]:
        return SUPPORTED_CONSTRAINTS[self.type]

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))

    @property
    def unique(self) -> bool:
        return bool(self.constraints.get("unique"))


@dataclass
class ForeignKey:
    fields: list[str]
    resource: str  # "" for a self-reference
    reference_fields: list[str]


@dataclass
class Schema:
    fields: list[Field]
    primary_key: list[str]
    foreign_keys: list[ForeignKey]
    missing_values: list[str]

    def field(self, name: str) -> Field:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [spec.name for spec in self.fields]


def load_schema(schema) -> dict:
    """A schema given as a dict, a JSON/YAML file path, or JSON text."""
    if isinstance(schema, dict):
        return schema
    path = Path(schema)
    text = path.read_text("utf-8")
    try:
        if path.suffix in (".yaml", ".yml"):
            import yaml

            try:
                return yaml.safe_load(text)
            except yaml.YAMLError as error:
                raise ValueError(f"not valid YAML: {error}") from error
        return json.loads(text)
    except (ValueError, RecursionError) as error:  # RecursionError: nested deeper than Python's stack
        what = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        raise ValueError(f"{path}: {what}") from error


def _missing(values, where: str) -> list[str]:
    if not isinstance(values, list):
        raise Unsupported(f"{where}: missingValues is not a list")
    result = []
    for value in values:
        if isinstance(value, dict) and isinstance(value.get("value"), str):
            result.append(value["value"])
        elif isinstance(value, str):
            result.append(value)
        else:
            raise Unsupported(f"{where}: missingValues entry {value!r}")
    return result


def _as_list(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    raise Unsupported(f"key fields {value!r}")


def parse_schema(descriptor: dict) -> Schema:
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("fields"), list):
        raise Unsupported("schema has no list of fields")
    unknown = set(descriptor) - SCHEMA_KEYS
    if any(not key.startswith("x-") for key in unknown):
        raise Unsupported(f"schema keys {sorted(unknown)}")
    text_only(descriptor, ("title", "description", "name"), "schema")
    if descriptor.get("fieldsMatch", "exact") != "exact":
        raise Unsupported(f'fieldsMatch "{descriptor["fieldsMatch"]}"')
    schema_missing = _missing(descriptor.get("missingValues", [""]), "schema")
    fields = [_parse_field(item, schema_missing) for item in descriptor["fields"]]
    names = [spec.name for spec in fields]
    if len(set(names)) != len(names):
        raise Unsupported("duplicate field names")
    primary_key = _as_list(descriptor.get("primaryKey", []))
    if any(name not in names for name in primary_key):
        raise Unsupported("primary key names an unknown field")
    foreign_keys = []
    for item in descriptor.get("foreignKeys", []):
        try:
            reference = item["reference"]
            fk = ForeignKey(_as_list(item["fields"]), reference.get("resource", "") or "", _as_list(reference["fields"]))
        except (KeyError, TypeError, AttributeError):
            raise Unsupported(f"foreign key {item!r}")
        if len(fk.fields) != len(fk.reference_fields) or any(name not in names for name in fk.fields):
            raise Unsupported(f"foreign key {item!r}")
        foreign_keys.append(fk)
    return Schema(fields, primary_key, foreign_keys, schema_missing)


def _parse_field(item, schema_missing: list[str]) -> Field:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise Unsupported(f"field {item!r}")
    name = item["name"]
    unknown = {key for key in item if key not in FIELD_KEYS and not key.startswith("x-")}
    if unknown:
        raise Unsupported(f'field "{name}": keys {sorted(unknown)}')
    text_only(item, ("title", "description", "rdfType"), f'field "{name}"')
    if any(key in item and not isinstance(item[key], list) for key in ("trueValues", "falseValues")):
        raise Unsupported(f'field "{name}": true/false values')
    kind = item.get("type", "string")
    fmt = item.get("format", "default")
    if isinstance(fmt, str) and fmt.startswith("fmt:"):
        fmt = fmt[4:]
    if kind not in SUPPORTED_CONSTRAINTS:
        raise Unsupported(f'field "{name}": type "{kind}"')
    if not isinstance(fmt, str):
        raise Unsupported(f'field "{name}": format {fmt!r}')
    if kind == "string" and fmt not in STRING_FORMATS:
        raise Unsupported(f'field "{name}": string format "{fmt}"')
    if kind in ("integer", "number", "boolean", "year", "yearmonth", "any") and fmt != "default":
        raise Unsupported(f'field "{name}": format "{fmt}" on {kind}')
    constraints = item.get("constraints", {})
    if not isinstance(constraints, dict):
        raise Unsupported(f'field "{name}": constraints')
    for key, value in constraints.items():
        if key != "unique" and key not in SUPPORTED_CONSTRAINTS[kind]:
            raise Unsupported(f'field "{name}": constraint "{key}" on {kind}')
        _check_constraint_value(name, kind, key, value)
    spec = Field(name=name, type=kind, format=fmt, constraints=dict(constraints))
    spec.missing_values = _missing(item["missingValues"], f'field "{name}"') if "missingValues" in item else list(schema_missing)
    if kind == "boolean":
        spec.true_values = list(item.get("trueValues", DEFAULT_TRUE))
        spec.false_values = list(item.get("falseValues", DEFAULT_FALSE))
        if not all(isinstance(v, str) for v in spec.true_values + spec.false_values):
            raise Unsupported(f'field "{name}": true/false values')
    if kind in ("integer", "number"):
        spec.bare_number = item.get("bareNumber", True)
        if not isinstance(spec.bare_number, bool):
            raise Unsupported(f'field "{name}": bareNumber')
    if kind == "number":
        if item.get("floatNumber"):
            raise Unsupported(f'field "{name}": floatNumber')
        spec.group_char = item.get("groupChar", "")
        spec.decimal_char = item.get("decimalChar", ".")
        spec.number_processing = any(key in item for key in ("groupChar", "decimalChar", "bareNumber"))
        if not isinstance(spec.group_char, str) or not isinstance(spec.decimal_char, str) or len(spec.decimal_char) != 1:
            raise Unsupported(f'field "{name}": groupChar/decimalChar')
    return spec


def text_only(descriptor: dict, keys: tuple[str, ...], where: str) -> None:
    """Frictionless's profiles make these strings; another type is its metadata error to report."""
    for key in keys:
        if key in descriptor and not isinstance(descriptor[key], str):
            raise Unsupported(f"{where}: {key} {descriptor[key]!r}")


def _check_constraint_value(name: str, kind: str, key: str, value) -> None:
    bad = False
    if key in ("required", "unique"):
        bad = not isinstance(value, bool)
    elif key in ("minLength", "maxLength"):
        bad = not isinstance(value, int) or isinstance(value, bool)
    elif key == "pattern":
        bad = not isinstance(value, str)
        if not bad:
            try:  # alone, and as Frictionless compiles it for each cell: a global flag `(?i)` fails only there
                re.compile(value)
                re.compile(f"^{value}$")
            except re.error:
                bad = True
    elif key == "enum":
        bad = not isinstance(value, list) or not value
    elif key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if kind in ("integer", "number", "year"):
            bad = isinstance(value, bool) or not isinstance(value, (int, float, str))
            if isinstance(value, float) and value != value:
                bad = True
        else:
            bad = not isinstance(value, str)
    if bad:
        raise Unsupported(f'field "{name}": constraint {key}={value!r}')


def bound_value(spec: Field, key: str):
    """A numeric/date bound as Frictionless reads it (value_reader of the constraint), or Unsupported."""
    from pipelines.tablecheck.cells import value_reader

    value = value_reader(spec)(spec.constraints[key])
    if value is None:
        raise Unsupported(f'field "{spec.name}": constraint {key} is not a {spec.type}')
    if isinstance(value, float):
        value = Decimal(str(value))
    return value
