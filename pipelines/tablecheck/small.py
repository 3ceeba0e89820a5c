"""Small files, checked in Python alone, as Frictionless reads and checks them.

DuckDB binds and plans each query in a few milliseconds whatever its data, and a resource costs four or
more: about 30 ms for a file of three rows, where Frictionless takes a few. A package of 200 monthly files
spent nearly all of its 6 s there. Below SMALL_FILE_ROWS and SMALL_FILE_BYTES (with every table its
foreign keys point at as small) the rows are read with Python's csv module as the exact path reads them
(`source.normalize`), the key facts are kept in dicts as Frictionless keeps them (typed values compared
with Python's ==), and each row is checked by RowChecker, which writes the DuckDB paths' errors too.
"""
from __future__ import annotations

import csv
import hashlib
import os
from decimal import Decimal

from pipelines.tablecheck.cells import cell_reader
from pipelines.tablecheck.rows import RowChecker
from pipelines.tablecheck.schema import Unsupported

# Python's cost grows with rows (3 µs a row of two integers, 16 µs a budget line of ten typed fields), DuckDB's
# is mostly fixed (30-80 ms): measured, they break even near 6,000-8,000 budget lines (1-1.4 MB) or 10,000
# short rows (40 KB). The byte cap bounds wide rows, and the memory of a file read whole. docs/validation.md.
SMALL_FILE_ROWS = 8_000  # as estimated from the lines in the file's first SAMPLE_BYTES
SMALL_FILE_BYTES = 1 << 20
SAMPLE_BYTES = 64 << 10
OTHER_KEYS = {"array", "object", "geojson", "geopoint"}  # lists or dicts (no dict key), or pairs that may hold a NaN


def sized(resource, references: dict) -> bool:
    """Whether the resource's file and those its foreign keys point at (`references`, Resources) are small."""
    return all(_small(each.path) for each in [resource, *references.values()])


def _small(path: str) -> bool:
    size = os.path.getsize(path)
    if size >= SMALL_FILE_BYTES:
        return False
    with open(path, "rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    return head.count(b"\n") * size / max(len(head), 1) < SMALL_FILE_ROWS


def fits(run) -> bool:
    """Whether the keys of `run` (a ResourceRun of a small file, not run) are values a dict can hold."""
    keyed = set(run.unique) | set(run.primary or []) | {i for _, indexes, _ in run.foreign for i in indexes}
    return not any(run.fields[i].type in OTHER_KEYS for i in keyed)


def file_stats(path: str) -> dict:
    with open(path, "rb") as handle:
        data = handle.read()
    return {"md5": hashlib.md5(data).hexdigest(), "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def records(layout) -> list[tuple[int, list[str]]]:
    """(row number, cells) of each data row, read as the exact path reads them."""
    try:
        with open(layout.path, "r", encoding=layout.encoding, newline=layout.newline) as source:
            return list(enumerate(layout.reader(source), start=1))[1:]
    except (UnicodeDecodeError, csv.Error) as error:  # past what the layout's guess read: Frictionless reports it
        raise Unsupported(f"unreadable as {layout.encoding} CSV: {error}") from None


def _typed(reader, cells: list[str], i: int):
    """A cell's value as Frictionless's row gives it, as a key: None when missing or of the wrong type.
    Frictionless reads each NaN anew, and a NaN equals only itself; the reader's cache would hand out one."""
    value, notes = reader(cells[i] if i < len(cells) else None)
    if notes and notes[0][0] == "type":
        return None
    return object() if isinstance(value, Decimal) and value.is_nan() else value


def _keys(run, rows: list, names: list[str]) -> set[tuple]:
    """Frictionless's lookup of a referenced table: its key tuples, all-None ones left out (as `ResourceRun.lookup`)."""
    fields = [spec.name for spec in run.fields]
    if not set(names) <= set(fields):
        return set()
    indexes = [fields.index(name) for name in names]
    readers = [cell_reader(run.fields[i]) for i in indexes]
    keys = {tuple(_typed(reader, cells, i) for reader, i in zip(readers, indexes)) for _, cells in rows}
    keys.discard((None,) * len(indexes))
    return keys


def check_rows(run, store, references: dict) -> int:
    """`run`'s header and row errors into `store`, in row order; returns the row count.
    `references`: foreign key position -> the ResourceRun of the other table it points at."""
    rows = records(run.layout)
    lookups = {}
    for position, _, fk in run.foreign:
        if not fk.resource or fk.resource == run.resource.name:  # a self-reference: this table's own keys
            if not set(fk.reference_fields) <= {spec.name for spec in run.fields}:
                raise Unsupported("self-referencing foreign key to fields missing from the header")  # as the DuckDB paths
            lookups[position] = _keys(run, rows, fk.reference_fields)
        else:
            lookups[position] = _keys(references[position], records(references[position].layout), fk.reference_fields)
    checker = RowChecker(run.fields, unique=run.unique, primary=run.primary, foreign=[(group, fk) for _, group, fk in run.foreign])
    readers = checker.readers
    seen: dict[object, dict] = {i: {} for i in run.unique} | {"pk": {}}
    store.add(run.header_errors)
    for number, cells in rows:
        facts = {}
        for i in run.unique:
            value = _typed(readers[i], cells, i)
            if value is not None:
                if previous := seen[i].get(value):
                    facts[("u", i)] = previous
                seen[i][value] = number
        if run.primary is not None:
            key = tuple(_typed(readers[i], cells, i) for i in run.primary)
            if any(value is not None for value in key):
                if previous := seen["pk"].get(key):
                    facts[("pk",)] = previous
                seen["pk"][key] = number
        for j, (position, indexes, _) in enumerate(run.foreign):
            key = tuple(_typed(readers[i], cells, i) for i in indexes)
            if any(value is not None for value in key) and key not in lookups[position]:
                facts[("fk", j)] = True
        if row_errors := checker.errors(number, cells, facts):
            store.add(row_errors)
    return len(rows)
