"""Frictionless 5.21's error catalogue, rendered to the same JSON descriptors (same keys, same order).

Kept as data so building an error costs a dict, not an attrs object; tests/test_tablecheck_errors.py
checks every entry against the installed frictionless.errors classes.
"""
from __future__ import annotations

ROW_TAGS = ["#table", "#row"]
CELL_TAGS = ["#table", "#row", "#cell"]
LABEL_TAGS = ["#table", "#header", "#label"]
HEADER_TAGS = ["#table", "#header"]

# type: (title, description, template, tags)
CATALOGUE: dict[str, tuple[str, str, str, list[str]]] = {
    "blank-row": ("Blank Row", "This row is empty. A row should contain at least one value.", 'Row at position "{rowNumber}" is completely blank', ROW_TAGS),
    "primary-key": ("PrimaryKey Error", "Values in the primary key fields should be unique for every row", 'Row at position "{rowNumber}" violates the primary key: {note}', ROW_TAGS),
    "foreign-key": ("ForeignKey Error", "Values in the foreign key fields should exist in the reference table", 'Row at position "{rowNumber}" violates the foreign key: {note}', ROW_TAGS),
    "extra-cell": (
        "Extra Cell",
        "This row has more values compared to the header row (the first row in the data source). A key concept is that all the rows in tabular data must have the same number of columns.",
        'Row at position "{rowNumber}" has an extra value in field at position "{fieldNumber}"',
        CELL_TAGS,
    ),
    "missing-cell": (
        "Missing Cell",
        "This row has less values compared to the header row (the first row in the data source). A key concept is that all the rows in tabular data must have the same number of columns.",
        'Row at position "{rowNumber}" has a missing cell in field "{fieldName}" at position "{fieldNumber}"',
        CELL_TAGS,
    ),
    "type-error": (
        "Type Error",
        "The value does not match the schema type and format for this field.",
        'Type error in the cell "{cell}" in row "{rowNumber}" and field "{fieldName}" at position "{fieldNumber}": {note}',
        CELL_TAGS,
    ),
    "constraint-error": (
        "Constraint Error",
        "A field value does not conform to a constraint.",
        'The cell "{cell}" in row at position "{rowNumber}" and field "{fieldName}" at position "{fieldNumber}" does not conform to a constraint: {note}',
        CELL_TAGS,
    ),
    "unique-error": (
        "Unique Error",
        "This field is a unique field but it contains a value that has been used in another row.",
        'Row at position "{rowNumber}" has unique constraint violation in field "{fieldName}" at position "{fieldNumber}": {note}',
        CELL_TAGS,
    ),
    "extra-label": (
        "Extra Label",
        "The header of the data source contains label that does not exist in the provided schema.",
        'There is an extra label "{label}" in header at position "{fieldNumber}"',
        LABEL_TAGS,
    ),
    "missing-label": (
        "Missing Label",
        "Based on the schema there should be a label that is missing in the data's header.",
        "There is a missing label in the header's field \"{fieldName}\" at position \"{fieldNumber}\"",
        LABEL_TAGS,
    ),
    "blank-label": (
        "Blank Label",
        "A label in the header row is missing a value. Label should be provided and not be blank.",
        'Label in the header in field at position "{fieldNumber}" is blank',
        LABEL_TAGS,
    ),
    "duplicate-label": (
        "Duplicate Label",
        "Two columns in the header row have the same value. Column names should be unique.",
        'Label "{label}" in the header at position "{fieldNumber}" is duplicated to a label: {note}',
        LABEL_TAGS,
    ),
    "incorrect-label": (
        "Incorrect Label",
        "One of the data source header does not match the field name defined in the schema.",
        'Label "{label}" in field {fieldName} at position "{fieldNumber}" does not match the field name in the schema',
        LABEL_TAGS,
    ),
    "hash-count": ("Hash Count Error", "This error can happen if the data is corrupted.", "The data source does not match the expected hash count: {note}", ["#file"]),
    "byte-count": ("Byte Count Error", "This error can happen if the data is corrupted.", "The data source does not match the expected byte count: {note}", ["#file"]),
    "field-count": ("Field Count Error", "This error can happen if the data is corrupted.", "The data source does not match the expected field count: {note}", ["#table"]),
    "row-count": ("Row Count Error", "This error can happen if the data is corrupted.", "The data source does not match the expected row count: {note}", ["#table"]),
    "blank-header": ("Blank Header", "This header is empty. A header should contain at least one value.", "Header is completely blank", HEADER_TAGS),
}


def _error(kind: str, note: str, fields: dict) -> dict:
    title, description, template, tags = CATALOGUE[kind]
    context = {"note": note, **fields}
    message = template.format_map(_Blank(context))
    return {"type": kind, "title": title, "description": description, "message": message, "tags": list(tags), "note": note, **fields}


class _Blank(dict):
    def __missing__(self, key):
        return ""


def row_error(kind: str, note: str, cells: list[str], row_number: int) -> dict:
    return _error(kind, note, {"cells": cells, "rowNumber": row_number})


def cell_error(kind: str, note: str, cells: list[str], row_number: int, cell: str, field_name: str, field_number: int) -> dict:
    return _error(kind, note, {"cells": cells, "rowNumber": row_number, "cell": cell, "fieldName": field_name, "fieldNumber": field_number})


def foreign_key_error(note: str, cells: list[str], row_number: int, field_names, field_cells, reference_name, reference_field_names) -> dict:
    return _error(
        "foreign-key",
        note,
        {
            "cells": cells,
            "rowNumber": row_number,
            "fieldNames": list(field_names),
            "fieldCells": list(field_cells),
            "referenceName": reference_name,
            "referenceFieldNames": list(reference_field_names),
        },
    )


def label_error(kind: str, note: str, labels: list[str], label: str, field_name: str, field_number: int) -> dict:
    return _error(kind, note, {"labels": labels, "rowNumbers": [1], "label": label, "fieldName": field_name, "fieldNumber": field_number})


def header_error(kind: str, labels: list[str]) -> dict:
    return _error(kind, "", {"labels": labels, "rowNumbers": [1]})


def plain_error(kind: str, note: str) -> dict:
    return _error(kind, note, {})
