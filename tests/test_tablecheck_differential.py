"""Differential tests: generated schemas and dirty tables, checked by tablecheck and by Frictionless 5.21.

Both reports must agree on every error (type, row, field, message, in order) and on the stats.
"""
from __future__ import annotations

import csv
import gzip
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pipelines.tablecheck import check_package, check_resource
from pipelines.tablecheck.compare import differences, frictionless_package, frictionless_resource

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@pytest.fixture(autouse=True, params=["duckdb, cells marked", "duckdb, cells read whole", "python, small file"])
def checked_by(request, monkeypatch) -> str:
    """Each test runs every way a table can be checked: these tables are small files, which Python checks
    alone (small.py) unless told otherwise; DuckDB's scan 2 marks the cells SQL vouched for once there are
    UNSURE_FROM candidates and reads the others' cells whole. The engine a test should see is returned."""
    from pipelines.tablecheck import engine, small

    if request.param.startswith("duckdb"):
        monkeypatch.setattr(small, "SMALL_FILE_BYTES", 0)
    if request.param == "duckdb, cells marked":
        monkeypatch.setattr(engine, "UNSURE_FROM", 0)
    return request.param.split(",")[0]

VALUES = {
    "string": ["abc", "AB-12", "ab-123", "", "n/a", "Алма", "x y", " pad ", "a\nb", "ZZ-99", "-", "NA", "AB-12\n", "abc\n\n"],
    "integer": ["1", "-5", "007", "+3", " 4", "1_000", "1.0", "1e3", "abc", "", "NA", "١٢", "99999999999999999999", "0", "12"],
    "number": ["1.5", "-0.0", "0", "1,5", "1 000,5", "1.000,5", "2e3", ".5", "5.", "nan", "inf", "abc", "", "12 345.60", "1,234.5", "$ 15", "-7", "100"],
    "boolean": ["true", "false", "True", "FALSE", "1", "0", "yes", "no", "", "T"],
    "date": ["2024-01-31", "2024-02-30", "2024-1-5", "31.01.2024", "01.02.2023", "", "2024-12-01", "0999-01-01", "x"],
    "datetime": ["2024-01-31T10:00:00", "2024-01-31T10:00:00Z", "2024-01-31 10:00:00", "2024-01-31T25:00:00", "", "2024-01-31T10:00:00+05:00"],
    "time": ["10:00:00", "23:59:59", "24:00:00", "10:00", "", "10:00:00Z"],
    "year": ["2024", "1999", "0999", "24", " 999", "-123", "", "abcd"],
    "yearmonth": ["2024-01", "2024-13", "2024-1", "24-01", "", "2024"],
    "email": ["a@example.com", "bad@", "x.y@demo.kz", "", "no"],
    "uri": ["https://example.com/a", "ftp://x", "not a uri", "", "mailto:a@b.kz"],
    "uuid": ["2bc1c94f-0deb-43e9-92a1-4775189ec9f8", "2BC1C94F0DEB43E992A14775189EC9F8", "nope", ""],
}


@st.composite
def field_specs(draw, name):
    kind = draw(st.sampled_from(["string", "integer", "number", "boolean", "date", "datetime", "time", "year", "yearmonth", "email", "uri", "uuid"]))
    spec = {"name": name, "type": kind}
    constraints = {}
    if kind in ("email", "uri", "uuid"):
        spec = {"name": name, "type": "string", "format": kind}
    elif kind == "string":
        if draw(st.booleans()):
            constraints["pattern"] = draw(st.sampled_from(["[A-Z]{2}-[0-9]{2}", "[a-z]+|[A-Z]+-[0-9]+", "\\w+", "[^x]*", "\\D+", "(ab|x)c?"]))
        if draw(st.booleans()):
            constraints["enum"] = ["abc", "AB-12", "Алма"]
        if draw(st.booleans()):
            constraints["maxLength"] = draw(st.integers(0, 5))
        if draw(st.booleans()):
            constraints["minLength"] = draw(st.integers(0, 4))
    elif kind in ("integer", "number"):
        if draw(st.booleans()):
            constraints["minimum"] = draw(st.sampled_from([0, -1, 5, 1.5] if kind == "number" else [0, -1, 5]))
        if draw(st.booleans()):
            constraints["maximum"] = draw(st.sampled_from([100, 12, 0]))
        if draw(st.booleans()):
            constraints["enum"] = [0, 1, 12] if kind == "integer" else [0, 1.5, 100]
        if draw(st.booleans()):
            spec["bareNumber"] = False
        if kind == "number" and draw(st.booleans()):
            spec["groupChar"], spec["decimalChar"] = draw(st.sampled_from([(" ", ","), (".", ","), (",", ".")]))
    elif kind == "boolean":
        if draw(st.booleans()):
            spec["trueValues"], spec["falseValues"] = ["yes", "T"], ["no"]
        if draw(st.booleans()):
            constraints["enum"] = [True]
    elif kind in ("date", "datetime", "time"):
        if kind == "date" and draw(st.booleans()):
            spec["format"] = draw(st.sampled_from(["%d.%m.%Y", "any", "%Y-%m-%d"]))
        if kind == "date" and draw(st.booleans()):  # datetime/time bounds vs aware values crash Frictionless itself
            constraints["minimum"] = "01.01.2024" if spec.get("format") == "%d.%m.%Y" else "2024-01-01"
    elif kind in ("year", "yearmonth"):
        if draw(st.booleans()):
            constraints["minimum"] = 2000 if kind == "year" else "2000-01"
    if draw(st.booleans()):
        constraints["required"] = True
    if draw(st.integers(0, 4)) == 0:
        constraints["unique"] = True
    if constraints:
        spec["constraints"] = constraints
    return spec


def values_for(spec):
    kind = spec.get("format") if spec.get("format") in ("email", "uri", "uuid") else spec["type"]
    return VALUES[kind]


@st.composite
def tables(draw):
    count = draw(st.integers(1, 4))
    fields = [draw(field_specs(f"f{i}")) for i in range(count)]
    schema = {"fields": fields}
    if draw(st.booleans()):
        schema["missingValues"] = draw(st.sampled_from([["", "NA"], ["n/a"], ["", "-", "NA"], []]))
    names = [f["name"] for f in fields]
    if draw(st.booleans()):
        schema["primaryKey"] = draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True))
    same_type = len(fields) > 1 and {k: v for k, v in fields[0].items() if k in ("type", "format")} == {k: v for k, v in fields[1].items() if k in ("type", "format")}
    if same_type and draw(st.booleans()):
        schema["foreignKeys"] = [{"fields": [names[1]], "reference": {"resource": "", "fields": [names[0]]}}]
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        row = [draw(st.sampled_from(values_for(spec))) for spec in fields]
        shape = draw(st.integers(0, 12))
        if shape == 0 and row:
            row = row[:-1]
        elif shape == 1:
            row = row + ["extra"]
        elif shape == 2:
            row = []
        rows.append(row)
    if rows and draw(st.booleans()):
        rows.append(list(draw(st.sampled_from(rows))))  # a duplicate row
    return schema, rows


def write(path, names, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow(row)
    data = buffer.getvalue().encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)  # data.csv.gz: checked decompressed, hashed as is


@SETTINGS
@given(tables(), st.sampled_from(["data.csv", "data.csv", "data.csv.gz"]))
def test_generated_tables_match_frictionless(tmp_path_factory, checked_by, table, name):
    schema, rows = table
    directory = tmp_path_factory.mktemp("t")
    write(directory / name, [f["name"] for f in schema["fields"]], rows)
    import os

    cwd = os.getcwd()
    os.chdir(directory)
    try:
        ours = check_resource(name, schema)
        theirs = frictionless_resource(name, schema)
    finally:
        os.chdir(cwd)
    assert differences(ours, theirs) == [], json.dumps(schema)
    assert ours.engines[0]["engine"] == checked_by or "header" in ours.engines[0]["reason"], ours.engines


@st.composite
def packages(draw):
    codes = draw(st.lists(st.sampled_from(["100", "110", "150", "", "abc", "7"]), min_size=0, max_size=6))
    lines = draw(st.lists(st.tuples(st.sampled_from(["100", "110", "999", "", "7", "abc"]), st.sampled_from(["1", "2", "x", ""])), max_size=10))
    composite = draw(st.booleans())
    gzipped = draw(st.sampled_from([(), (), ("lines",), ("regions",), ("lines", "regions")]))
    return codes, lines, composite, gzipped


@SETTINGS
@given(packages())
def test_foreign_keys_across_resources_match_frictionless(tmp_path_factory, checked_by, package):
    codes, lines, composite, gzipped = package
    directory = tmp_path_factory.mktemp("p")
    path = {name: f"{name}.csv.gz" if name in gzipped else f"{name}.csv" for name in ("lines", "regions")}
    write(directory / path["regions"], ["code", "kind"], [[code, "1"] for code in codes])
    write(directory / path["lines"], ["region", "kind"], [list(line) for line in lines])
    regions = {"fields": [{"name": "code", "type": "integer"}, {"name": "kind", "type": "string"}], "primaryKey": ["code"]}
    fk = {"fields": ["region", "kind"], "reference": {"resource": "regions", "fields": ["code", "kind"]}} if composite else {
        "fields": ["region"], "reference": {"resource": "regions", "fields": ["code"]}}
    lines_schema = {"fields": [{"name": "region", "type": "integer"}, {"name": "kind", "type": "string"}], "foreignKeys": [fk]}
    descriptor = {
        "name": "p",
        "resources": [
            {"name": "lines", "path": path["lines"], "schema": lines_schema},
            {"name": "regions", "path": path["regions"], "schema": regions},
        ],
    }
    (directory / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    ours = check_package(str(directory / "datapackage.json"))
    theirs = frictionless_package(str(directory / "datapackage.json"))
    assert differences(ours, theirs) == []
    assert [engine["engine"] for engine in ours.engines] == [checked_by, checked_by]


KEY_VALUES = {  # spellings Python's equality makes one key (1e0 and 1, 10:00:00Z and 15:00:00+05:00), NaN, invalid cells
    "integer": ["1", "01", "+1", " 1", "1_0", "10", "-0", "0", "x", ""],
    "number": ["1", "1.0", "1e0", "10e-1", "+1", ".1e1", "NaN", "inf", "-0.0", "0", "x", ""],
    "date": ["2024-01-01", "2024-1-1", "2024-01-02", "x", ""],
    "time": ["10:00:00", "10:00:00Z", "15:00:00+05:00", "10:00:00.0", "x", ""],
    "datetime": ["2024-01-01T00:00:00", "2024-01-01T00:00:00Z", "2024-01-01T05:00:00+05:00", ""],
    "string": ["a", "a ", "A", ""],
}


@st.composite
def keyed_packages(draw):
    kind = draw(st.sampled_from(sorted(KEY_VALUES)))
    spec = {"type": kind, **({"format": "any"} if kind == "date" and draw(st.booleans()) else {})}
    values = st.sampled_from(KEY_VALUES[kind])
    ref = {"fields": [{"name": "k", **spec}, {"name": "up", **spec}]}
    if draw(st.booleans()):
        ref["primaryKey"] = ["k"]
    if draw(st.booleans()):
        ref["foreignKeys"] = [{"fields": ["up"], "reference": {"resource": "", "fields": ["k"]}}]
    if draw(st.booleans()):
        ref["fields"][0]["constraints"] = {"unique": True}
    lines = {"fields": [{"name": "k", **spec}], "foreignKeys": [{"fields": ["k"], "reference": {"resource": "ref", "fields": ["k"]}}]}
    ref_rows = draw(st.lists(st.tuples(values, values), max_size=6))
    line_rows = draw(st.lists(st.tuples(values), max_size=6))
    return ref, ref_rows, lines, line_rows


@SETTINGS
@given(keyed_packages())
def test_keys_compare_as_python_equality_does(tmp_path_factory, checked_by, package):
    """Unique, primary and foreign keys (self-references too) over values SQL leaves Python to key."""
    ref, ref_rows, lines, line_rows = package
    directory = tmp_path_factory.mktemp("k")
    write(directory / "ref.csv", ["k", "up"], [list(row) for row in ref_rows])
    write(directory / "lines.csv", ["k"], [list(row) for row in line_rows])
    descriptor = {"name": "p", "resources": [{"name": "lines", "path": "lines.csv", "schema": lines}, {"name": "ref", "path": "ref.csv", "schema": ref}]}
    (directory / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    ours = check_package(str(directory / "datapackage.json"))
    assert differences(ours, frictionless_package(str(directory / "datapackage.json"))) == [], json.dumps(descriptor)
    assert [engine["path"] for engine in ours.engines] == (["fast", "fast"] if checked_by == "duckdb" else ["small file"] * 2), ours.engines
