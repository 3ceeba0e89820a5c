"""tablecheck's public API: error catalogue, fallbacks, errors_of, packages, the compiled SQL's edge cases."""
from __future__ import annotations

import json
import threading

import frictionless.errors as FE
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pipelines.tablecheck import check_package, check_resource, errors_of
from pipelines.tablecheck.compare import differences, frictionless_package, frictionless_resource
from pipelines.tablecheck.errors import CATALOGUE

pytestmark = pytest.mark.usefixtures("duckdb_for_small_files")  # these test the DuckDB paths; small.py has its own


@pytest.mark.parametrize("kind", sorted(CATALOGUE))
def test_catalogue_matches_frictionless_error_classes(kind):
    classes = {cls.type: cls for cls in vars(FE).values() if isinstance(cls, type) and hasattr(cls, "type")}
    title, description, template, tags = CATALOGUE[kind]
    cls = classes[kind]
    assert (title, description, template, tags) == (cls.title, cls.description, cls.template, cls.tags)


def write(directory, name, text):
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return name


SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True}},
        {"name": "region", "type": "string", "constraints": {"pattern": "[0-9]{9}|[0-9]{14}"}},
        {"name": "amount", "type": "number", "groupChar": " ", "decimalChar": ",", "constraints": {"minimum": 0}},
    ],
    "primaryKey": ["id"],
    "missingValues": ["", "-"],
}


def test_frictionless_pattern_anchoring_quirk_is_kept(tmp_path, monkeypatch):
    # Frictionless compiles "^" + pattern + "$": "a|b" means "starts with a, or is b"
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "t.csv", "id,region,amount\n1,123456789xyz,1\n2,12345678901234,2\n3,x12345678901234,3\n4,-,1 000,5\n5,1,\"1 000,5\"\n")
    ours = check_resource("t.csv", SCHEMA)
    assert differences(ours, frictionless_resource("t.csv", SCHEMA)) == []
    rows = {(e["rowNumber"], e["type"]) for e in ours["tasks"][0]["errors"]}
    assert (2, "constraint-error") not in rows and (3, "constraint-error") not in rows and (4, "constraint-error") in rows


def test_exclusive_bounds_are_left_to_frictionless_which_knows_their_datapackage_version(tmp_path, monkeypatch):
    """exclusiveMinimum/Maximum are Data Package v2; under v1 (no `$schema`) Frictionless calls the schema
    invalid. Which version applies is resolved across package, resource and schema: Frictionless decides."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "t.csv", "a\n1\n5\n")
    report = check_resource("t.csv", {"fields": [{"name": "a", "type": "integer", "constraints": {"exclusiveMinimum": 1}}]})
    assert report.engines[0]["engine"] == "frictionless"
    assert [error["error_type"] for error in errors_of(report)] == ["field-error"]


def test_errors_of_flattens_tasks(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "t.csv", "id,region,amount\nx,123456789,1\n1,123456789,-1\n")
    flat = errors_of(check_resource("t.csv", SCHEMA))
    assert [(e["resource"], e["row_number"], e["field"], e["error_type"]) for e in flat] == [
        ("t", 2, "id", "type-error"),
        ("t", 2, "(row)", "primary-key"),
        ("t", 3, "amount", "constraint-error"),
    ]
    assert all(e["message"] for e in flat)


@pytest.mark.parametrize(
    "schema",
    [
        {"fields": [{"name": "point", "type": "geopoint"}]},
        {"fields": [{"name": "n", "type": "number", "floatNumber": True}]},
        {"fields": [{"name": "a", "type": "string"}], "fieldsMatch": "subset"},
    ],
)
def test_unsupported_schemas_fall_back_to_frictionless(tmp_path, monkeypatch, schema):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "t.csv", "point\n1,2\nx\n")
    ours = check_resource("t.csv", schema)
    assert ours.engines[0]["engine"] == "frictionless"
    assert differences(ours, frictionless_resource("t.csv", schema)) == []


def test_package_with_self_reference_and_unique_fields(tmp_path):
    write(tmp_path, "units.csv", "id,parent,code\n1,,A\n2,1,B\n3,9,B\n4,3,\n5,5,A\n")
    schema = {
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "parent", "type": "integer"},
            {"name": "code", "type": "string", "constraints": {"unique": True, "enum": ["A", "B"]}},
        ],
        "primaryKey": "id",
        "foreignKeys": [{"fields": "parent", "reference": {"resource": "", "fields": "id"}}],
    }
    descriptor = {"name": "units", "resources": [{"name": "units", "path": "units.csv", "schema": schema, "hash": "md5:0", "bytes": 3}]}
    write(tmp_path, "datapackage.json", json.dumps(descriptor))
    ours = check_package(str(tmp_path / "datapackage.json"))
    assert differences(ours, frictionless_package(str(tmp_path / "datapackage.json"))) == []
    types = [e["type"] for e in ours["tasks"][0]["errors"]]
    assert {"unique-error", "foreign-key", "hash-count", "byte-count"} <= set(types)
    # a self-referencing key needs every row's key: its candidates come from a numbered scan, not picked lines
    assert [{k: v for k, v in engine.items() if k != "replayed"} for engine in ours.engines] == [
        {"engine": "duckdb", "path": "fast", "rows_from": "numbered scan"}]


def test_package_resource_that_duckdb_cannot_read_goes_to_frictionless(tmp_path):
    write(tmp_path, "a.json", json.dumps([{"x": 1}]))
    write(tmp_path, "b.csv", "x\n1\nfoo\n")
    descriptor = {
        "name": "mixed",
        "resources": [
            {"name": "a", "path": "a.json", "schema": {"fields": [{"name": "x", "type": "integer"}]}},
            {"name": "b", "path": "b.csv", "schema": {"fields": [{"name": "x", "type": "integer"}]}},
        ],
    }
    write(tmp_path, "datapackage.json", json.dumps(descriptor))
    ours = check_package(str(tmp_path / "datapackage.json"))
    assert [engine["engine"] for engine in ours.engines] == ["frictionless", "duckdb"]
    assert differences(ours, frictionless_package(str(tmp_path / "datapackage.json"))) == []


def test_spills_under_a_small_memory_limit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = ["id,region,amount"] + [f"{i % 4000},{i:09d},{i % 7}" for i in range(20000)]
    write(tmp_path, "t.csv", "\n".join(lines) + "\n")
    report = check_resource("t.csv", SCHEMA, memory_limit="64MB", threads=1)
    assert report.engines[0]["engine"] == "duckdb"
    assert sum(e["type"] == "primary-key" for e in report["tasks"][0]["errors"]) == 16000


def test_duckdb_number_cast_accepts_only_what_decimal_accepts():
    """The number fast path trusts DuckDB's double cast: whatever it accepts, Python's Decimal must accept alike."""
    import itertools
    import random
    from decimal import Decimal

    import duckdb

    rng = random.Random(7)
    values = {"".join(p) for n in range(1, 4) for p in itertools.product(" +-._e09", repeat=n)}
    values |= {"".join(rng.choice(" +-._eE0179infa\t") for _ in range(rng.randint(1, 8))) for _ in range(20000)}
    accepted = duckdb.connect().execute(
        "SELECT x, TRY_CAST(x AS DOUBLE) FROM (SELECT unnest(?::VARCHAR[]) AS x) WHERE isfinite(TRY_CAST(x AS DOUBLE)) AND NOT contains(x, '+-')",
        [sorted(values)],
    ).fetchall()
    assert accepted
    for text, number in accepted:
        assert float(Decimal(text.strip())) == number, text


@pytest.mark.parametrize("newlines", [False, True])
def test_row_numbers_hold_across_many_parallel_chunks(tmp_path, monkeypatch, newlines):
    """DuckDB reads in chunks of 2,048 rows on several threads; row numbers must still be file positions
    (quoted newlines make it read serially)."""
    monkeypatch.chdir(tmp_path)
    bad = {7, 12_345, 33_333, 40_001}
    lines = ["id,region,amount"]
    for row in range(2, 40_002):
        text = '"multi\nline"' if newlines and row % 5_000 == 0 else f"{row:09d}"
        lines.append(f"{row},{text},{'oops' if row in bad else row % 10}")
    write(tmp_path, "t.csv", "\n".join(lines) + "\n")
    report = check_resource("t.csv", SCHEMA, threads=2)
    errors = report["tasks"][0]["errors"]
    assert {e["rowNumber"] for e in errors if e["type"] == "type-error"} == bad
    assert report["tasks"][0]["stats"]["rows"] == 40_000


def test_only_rows_needing_a_look_are_replayed_and_a_clean_file_needs_no_numbered_scan(tmp_path, monkeypatch):
    """Scan 1 marks rows on every core; Python replays just those and the repeated keys (a hash collision
    could only add a candidate). A clean file is settled by scan 1 alone, with the same report."""
    monkeypatch.chdir(tmp_path)
    clean = ["id,region,amount"] + [f"{i},{i:09d},{i % 7}" for i in range(1, 5001)]
    write(tmp_path, "clean.csv", "\n".join(clean) + "\n")
    report = check_resource("clean.csv", SCHEMA, threads=2)
    assert report["valid"] and report.engines[0]["replayed"] == 0 and report.engines[0]["rows_from"] is None
    assert differences(report, frictionless_resource("clean.csv", SCHEMA)) == []
    dirty = list(clean)
    dirty[10] = "10,000000010,oops"  # a bad number
    dirty[20] = "7,000000020,1"  # repeats the key of row 8
    write(tmp_path, "dirty.csv", "\n".join(dirty) + "\n")
    report = check_resource("dirty.csv", SCHEMA, threads=2)
    assert report.engines[0]["replayed"] == 3, "the bad row, and both rows sharing a key"
    assert report.engines[0]["rows_from"] == "picked lines", "one line per row: scan 2 reads just those lines"
    assert [(e["rowNumber"], e["type"]) for e in report["tasks"][0]["errors"]] == [(11, "type-error"), (21, "primary-key")]
    assert differences(report, frictionless_resource("dirty.csv", SCHEMA)) == []


def test_rows_are_picked_by_line_only_when_scan_1_kept_the_file_order(tmp_path, monkeypatch):
    """A field judged in Python (an email) is joined into scan 1, and DuckDB then inserts its facts as
    threads finish: scan 2 falls back to the numbered read, with the same report."""
    monkeypatch.chdir(tmp_path)
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "mail", "type": "string", "format": "email"}], "primaryKey": ["id"]}
    rows = ["id,mail"] + [f"{i},person{i}@example.org" for i in range(1, 3001)]
    rows[100] = "100,not an email"
    rows[2000] = "7,again@example.org"
    write(tmp_path, "people.csv", "\n".join(rows) + "\n")
    report = check_resource("people.csv", schema, threads=2)
    assert [(e["rowNumber"], e["type"]) for e in report["tasks"][0]["errors"]] == [(101, "type-error"), (2001, "primary-key")]
    assert report.engines[0]["rows_from"] == "numbered scan"
    assert differences(report, frictionless_resource("people.csv", schema)) == []
    schema["fields"][1].pop("format")
    assert check_resource("people.csv", schema, threads=2).engines[0]["rows_from"] == "picked lines"


def test_picked_lines_that_are_not_the_rows_scan_1_saw_are_not_trusted(tmp_path, monkeypatch):
    """The guard behind picking by line: each picked line's facts must equal scan 1's at that row. Lines
    picked one off (as a reader that miscounted would) fail it, and the numbered scan gives the report."""
    from pipelines.tablecheck import source

    monkeypatch.chdir(tmp_path)
    rows = ["id,region,amount"] + [f"{i},{i:09d},{i % 7}" for i in range(1, 2001)]
    rows[10] = "10,000000010,oops"
    write(tmp_path, "lines.csv", "\n".join(rows) + "\n")
    real = source.lines_at
    monkeypatch.setattr(source, "lines_at", lambda path, numbers, **kw: real(path, [numbers[0]] + [n + 1 for n in numbers[1:]], **kw))
    report = check_resource("lines.csv", SCHEMA, threads=2)
    assert report.engines[0]["rows_from"] == "numbered scan"
    assert [(e["rowNumber"], e["type"]) for e in report["tasks"][0]["errors"]] == [(11, "type-error")]


_ATOMS = ["[0-9]", "[A-Z]", "[a-f0-9]", "[0-9A-Za-z_]", "x", "Q", "7", "-", "_", ":", "/", " ", "\\.", "\\+", "\\d"]


@st.composite
def _fixed_width_patterns(draw):
    atoms = draw(st.lists(st.tuples(st.sampled_from(_ATOMS), st.integers(1, 3)), min_size=1, max_size=4))
    return "".join(atom + (f"{{{times}}}" if times > 1 else "") for atom, times in atoms)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pattern=_fixed_width_patterns(), texts=st.lists(st.text(alphabet="09aAfFzZx7Q-_:/ .+\n\té٣", max_size=8), max_size=40))
def test_glob_fast_path_accepts_only_what_the_pattern_accepts(pattern, texts):
    """The GLOB tried before RE2 must never accept a cell Python's `re.match("^p$")` rejects (that would
    hide an error), and should accept the ASCII ones it takes (else it saves nothing). DuckDB decides."""
    import re

    import duckdb

    from pipelines.tablecheck.compile import glob_of, lit, pattern_sql

    regex, _, full = pattern_sql(pattern)
    glob = glob_of(regex)
    assert full and glob is not None, pattern
    # strings built to match, plus the drawn ones (mostly not matching)
    rng = __import__("random").Random(len(texts))
    parts = re.findall(r"\[[^\]]*\]|.", glob)  # GLOB classes and literal characters
    matching = ["".join(rng.choice([c for c in "09aAfFzZx7Q-_:/ .+" if re.fullmatch(part, c)]) if part.startswith("[") else part for part in parts) for _ in range(5)]
    cells = texts + matching + [cell + "\n" for cell in matching]
    by_glob = dict(duckdb.connect().execute(f"SELECT x, x GLOB {lit(glob)} FROM (SELECT unnest(?::VARCHAR[]) AS x)", [cells]).fetchall())
    for cell in cells:
        python = re.match("^" + pattern + "$", cell) is not None
        if by_glob[cell]:
            assert python, (pattern, glob, cell)
        elif python and cell.isascii() and not cell.endswith("\n"):
            raise AssertionError(f"GLOB {glob!r} misses {cell!r}, which {pattern!r} takes")
    assert any(by_glob[cell] for cell in matching)


def _lines_and_regions(tmp_path):
    write(tmp_path, "regions.csv", "code,name\n01,Abai\n02,Akmola\n02,dup\n")
    rows = ["id,region,amount"] + [f"{i},{'01' if i % 3 else '07'},{'x' if i % 11 == 0 else i}" for i in range(1, 400)]
    write(tmp_path, "lines.csv", "\n".join(rows) + "\n")
    descriptor = {"name": "p", "resources": [
        {"name": "lines", "path": "lines.csv", "schema": {
            "fields": [{"name": "id", "type": "integer"}, {"name": "region", "type": "string"}, {"name": "amount", "type": "number"}],
            "primaryKey": "id", "foreignKeys": [{"fields": "region", "reference": {"resource": "regions", "fields": "code"}}]}},
        {"name": "regions", "path": "regions.csv", "schema": {"fields": [{"name": "code", "type": "string"}, {"name": "name", "type": "string"}], "primaryKey": "code"}},
    ]}
    write(tmp_path, "datapackage.json", json.dumps(descriptor))
    return str(tmp_path / "datapackage.json")


def test_small_resources_checked_beside_a_big_one_give_the_same_report(tmp_path, monkeypatch):
    """A package's small tables are checked on a helper thread while a big one is scanned; the report keeps
    the package's order and equals the one-by-one report and Frictionless's."""
    from pipelines.tablecheck import api

    descriptor = _lines_and_regions(tmp_path)
    monkeypatch.setattr(api, "SMALL_BYTES", 1000)  # regions.csv is small, lines.csv is not
    started = []
    real = api._check_plan
    monkeypatch.setattr(api, "_check_plan", lambda plan, *a: started.append((plan["name"], threading.current_thread().name)) or real(plan, *a))
    beside = check_package(descriptor)
    assert {name for name, thread in started if thread != threading.main_thread().name} == {"regions"}
    monkeypatch.setattr(api, "SMALL_BYTES", 0)
    one_by_one = check_package(descriptor)
    assert [task["name"] for task in beside["tasks"]] == ["lines", "regions"]
    assert differences(beside, one_by_one) == []
    assert differences(beside, frictionless_package(descriptor)) == []
    assert {error["error_type"] for error in errors_of(beside)} >= {"foreign-key", "type-error", "primary-key"}


def test_a_failure_on_the_helper_thread_reaches_the_caller(tmp_path, monkeypatch):
    from pipelines.tablecheck import api

    descriptor = _lines_and_regions(tmp_path)
    monkeypatch.setattr(api, "SMALL_BYTES", 1000)
    real = api._check_plan

    def failing(plan, *args):
        if plan["name"] == "regions":
            raise OSError("disk gone")
        return real(plan, *args)

    monkeypatch.setattr(api, "_check_plan", failing)
    with pytest.raises(OSError, match="disk gone"):
        check_package(descriptor)


def test_when_most_rows_need_a_look_they_come_from_one_numbered_scan(tmp_path, monkeypatch):
    """A column in another format (every date written 31.12.2024) makes every row a candidate: reading the
    file once, numbered, is then cheaper than picking each line, and the report is the same."""
    from pipelines.tablecheck import engine

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(engine, "PICK_ALWAYS", 100)
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "signed", "type": "date"}], "primaryKey": ["id"]}
    rows = ["id,signed"] + [f"{i},{1 + i % 28:02d}.01.2024" for i in range(1, 1001)]
    write(tmp_path, "dates.csv", "\n".join(rows) + "\n")
    report = check_resource("dates.csv", schema, threads=2)
    assert report.engines[0]["rows_from"] == "numbered scan" and report.engines[0]["replayed"] == 1000
    assert report["tasks"][0]["stats"]["errors"] == 1000
    assert differences(report, frictionless_resource("dates.csv", schema)) == []
    rows[1:] = [f"{i},2024-01-{1 + i % 28:02d}" for i in range(1, 1001)]
    rows[500] = "500,31.01.2024"
    write(tmp_path, "dates.csv", "\n".join(rows) + "\n")
    report = check_resource("dates.csv", schema, threads=2)
    assert report.engines[0]["rows_from"] == "picked lines" and report.engines[0]["replayed"] == 1


def test_the_garbage_collector_is_left_as_the_caller_had_it(tmp_path, monkeypatch):
    """The replay turns Python's cyclic collector off while it builds errors; it must come back on, and stay
    off for a caller who had turned it off."""
    import gc

    monkeypatch.chdir(tmp_path)
    write(tmp_path, "t.csv", "id,region,amount\n1,000000001,oops\n")
    assert gc.isenabled()
    assert check_resource("t.csv", SCHEMA).engines[0]["replayed"] == 1
    assert gc.isenabled()
    gc.disable()
    try:
        check_resource("t.csv", SCHEMA)
        assert not gc.isenabled()
    finally:
        gc.enable()


def _package(tmp_path, resources: dict[str, tuple[str, dict]]) -> str:
    """A datapackage.json over CSV texts, checked from tmp_path (Frictionless wants relative paths)."""
    items = [{"name": name, "path": write(tmp_path, f"{name}.csv", text), "schema": schema} for name, (text, schema) in resources.items()]
    write(tmp_path, "datapackage.json", json.dumps({"name": "p", "resources": items}))
    return "datapackage.json"


def test_times_with_utc_offsets_are_keyed_as_python_compares_them(tmp_path, monkeypatch):
    """10:00Z is 15:00+05:00 to Python, so a repeated primary key; 00:30+01:00 is not 23:30Z (no wrap to a
    day), nor is 10:00Z the naive 10:00. Keys typed in Python must keep the fast path."""
    monkeypatch.chdir(tmp_path)
    text = "at\n10:00:00Z\n15:00:00+05:00\n10:00:00\n00:30:00+01:00\n23:30:00Z\n"
    descriptor = _package(tmp_path, {"times": (text, {"fields": [{"name": "at", "type": "time"}], "primaryKey": ["at"]})})
    ours = check_package(descriptor)
    assert differences(ours, frictionless_package(descriptor)) == []
    assert [(e["rowNumber"], e["type"]) for e in ours["tasks"][0]["errors"]] == [(3, "primary-key")]
    assert ours.engines[0]["path"] == "fast", ours.engines


def test_nan_keys_match_nothing_even_at_the_same_row_number(tmp_path, monkeypatch):
    """NaN equals nothing in Python, itself included: a NaN key neither repeats nor is found in another
    resource, whatever row it is on. Keys typed in Python (NaN is one) must keep the fast path."""
    monkeypatch.chdir(tmp_path)
    number = {"fields": [{"name": "k", "type": "number"}, {"name": "v", "type": "string"}]}
    descriptor = _package(tmp_path, {
        "lines": ("k,v\n1,a\nNaN,b\nnan,c\n1,d\n", {**number, "primaryKey": ["k"],
                                                  "foreignKeys": [{"fields": ["k"], "reference": {"resource": "ref", "fields": ["k"]}}]}),
        "ref": ("k,v\n1,a\nNaN,b\nnan,c\n", {**number, "primaryKey": ["k"]}),
    })
    ours = check_package(descriptor)
    assert differences(ours, frictionless_package(descriptor)) == []
    found = {(task["name"], e["rowNumber"], e["type"]) for task in ours["tasks"] for e in task["errors"]}
    assert found == {("lines", 3, "foreign-key"), ("lines", 4, "foreign-key"), ("lines", 5, "primary-key")}
    assert [engine["path"] for engine in ours.engines] == ["fast", "fast"], ours.engines


def test_a_foreign_key_into_a_field_sql_cannot_key_is_looked_up_in_python(tmp_path, monkeypatch):
    """A date of format "any" has no SQL key: the lookup of the keys it points at is all Python's."""
    monkeypatch.chdir(tmp_path)
    any_date = {"name": "on", "type": "date", "format": "any"}
    descriptor = _package(tmp_path, {
        "lines": ("on\n2024-01-01\n1 Jan 2024\n2024-01-02\n", {"fields": [any_date],
                                                              "foreignKeys": [{"fields": ["on"], "reference": {"resource": "days", "fields": ["on"]}}]}),
        "days": ("on\n2024-01-01\n", {"fields": [any_date]}),
    })
    ours = check_package(descriptor)
    assert differences(ours, frictionless_package(descriptor)) == []
    assert [(e["rowNumber"], e["type"]) for e in ours["tasks"][0]["errors"]] == [(4, "foreign-key")]
    assert [engine["engine"] for engine in ours.engines] == ["duckdb", "duckdb"]


def test_a_self_reference_finds_keys_typed_in_python(tmp_path, monkeypatch):
    """"1e0" is the number 1 to Frictionless though SQL leaves it to Python; a row pointing at 1 finds it."""
    monkeypatch.chdir(tmp_path)
    schema = {"fields": [{"name": "id", "type": "number"}, {"name": "parent", "type": "number"}],
              "foreignKeys": [{"fields": ["parent"], "reference": {"resource": "", "fields": ["id"]}}]}
    write(tmp_path, "t.csv", "id,parent\n1e0,\n2,1\n3,4\n")
    ours = check_resource("t.csv", schema)
    assert differences(ours, frictionless_resource("t.csv", schema)) == []
    assert [(e["rowNumber"], e["type"]) for e in ours["tasks"][0]["errors"]] == [(4, "foreign-key")]


def test_a_valid_key_cell_sql_cannot_key_is_compared_as_python_keys_it(tmp_path, monkeypatch):
    """1e0 is a valid number SQL leaves Python to key: it repeats 1 in a unique field."""
    monkeypatch.chdir(tmp_path)
    schema = {"fields": [{"name": "id", "type": "number", "constraints": {"unique": True}}]}
    write(tmp_path, "t.csv", "id\n1e0\n1\n2\n")
    ours = check_resource("t.csv", schema)
    assert differences(ours, frictionless_resource("t.csv", schema)) == []
    assert [(e["rowNumber"], e["type"]) for e in ours["tasks"][0]["errors"]] == [(3, "unique-error")]


TWO = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}
PLAIN = {"name": "t", "path": "t.csv", "schema": TWO}
ASHYQ_LIKE = {  # the metadata a release of ours carries: custom keys, sources without email, a tabular profile
    "profile": "tabular-data-package", "title": "SAMPLE", "version": "1.0.0", "created": "2026-11-24T04:18:23Z",
    "sample": True, "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
    "contributors": [{"title": "Ashyq contributors", "role": "publisher"}],
    "sources": [{"title": "Demo", "path": "https://demo.example", "country": "KZ"}], "keywords": ["budget"],
}


@pytest.mark.parametrize("package, resource, engines", [
    pytest.param(ASHYQ_LIKE, {"profile": "tabular-data-resource", "title": "t", "bytes": 16, "rows": 2}, ["duckdb", "duckdb"], id="plain"),
    pytest.param({"name": "Bad Name!"}, {}, ["frictionless"], id="package name"),
    pytest.param({"title": 3}, {}, ["frictionless"], id="package title"),
    pytest.param({"licenses": "MIT"}, {}, ["frictionless"], id="licenses not a list"),
    pytest.param({"licenses": [{"title": "no name or path"}]}, {}, ["frictionless"], id="license without name"),
    pytest.param({"contributors": [{"title": "x", "email": "not an email"}]}, {}, ["frictionless"], id="contributor email"),
    pytest.param({"created": "yesterday"}, {}, ["frictionless"], id="created"),
    pytest.param({"keywords": "budget"}, {}, ["frictionless"], id="keywords"),
    pytest.param({"profile": "tabular-data-package"}, {}, ["frictionless"], id="tabular package, plain resources"),
    pytest.param({}, {"title": 3}, ["frictionless"], id="resource title"),
    pytest.param({}, {"rows": "2"}, ["frictionless"], id="resource rows a string"),
    pytest.param({}, {"sources": "x"}, ["frictionless"], id="resource sources"),
    pytest.param({}, {"profile": "tabular-data-resource", "schema": None}, ["frictionless"], id="tabular resource without schema"),
    pytest.param({}, {"name": "Bad Name"}, ["frictionless"], id="resource name"),
    pytest.param({}, {"path": "../t.csv"}, ["frictionless"], id="path leaving the package"),
    pytest.param({}, {"data": [["id", "name"], [1, "a"]]}, ["frictionless"], id="path and data"),
    pytest.param({}, {"path": "https://example.invalid/t.csv"}, ["duckdb", "frictionless"], id="remote path: that resource only"),
])
def test_metadata_errors_give_frictionlesss_report(tmp_path, monkeypatch, package, resource, engines):
    """Metadata Frictionless rejects makes its report one descriptor error and no tasks, whichever resource
    holds it: the whole package goes to Frictionless. Plain metadata, custom keys too, keeps DuckDB."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "t.csv", "id,name\n1,a\n2,b\n")
    write(tmp_path, "u.csv", "id,name\n1,a\n")
    second = {k: v for k, v in {**PLAIN, **resource}.items() if v is not None}
    descriptor = {"name": "p", **package, "resources": [{**PLAIN, "name": "u", "path": "u.csv", "profile": "tabular-data-resource"}, second]}
    write(tmp_path, "datapackage.json", json.dumps(descriptor))
    ours = check_package("datapackage.json")
    assert differences(ours, frictionless_package("datapackage.json")) == []
    assert [engine["engine"] for engine in ours.engines] == engines, ours.engines


@pytest.mark.parametrize("dialect, engine", [
    ({"csv": {"delimiter": ";"}, "lineTerminator": "\r\n", "name": "semicolons"}, "duckdb"),
    ({"delimiter": 5}, "frictionless"),  # raised a TypeError in the layout guess
    ({"csv": {"quoteChar": 3}}, "frictionless"),
    ({"csv": "x"}, "frictionless"),
    ({"delimiter": ";", "lineTerminator": 5}, "frictionless"),  # ignored before, Frictionless's control-error
    ({"delimiter": ";", "title": 3}, "frictionless"),
    ({"delimiter": ";", "headerJoin": 3}, "frictionless"),
    ("dialect.json", "frictionless"),  # a dialect file holding a list
])
def test_dialect_values_of_the_wrong_type_give_frictionlesss_report(tmp_path, monkeypatch, dialect, engine):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "t.csv", 'id;name\n1;"a"\n2;b\n# c;x\n')
    write(tmp_path, "dialect.json", "[1]")
    write(tmp_path, "datapackage.json", json.dumps({"name": "p", "resources": [{**PLAIN, "dialect": dialect}]}))
    ours = check_package("datapackage.json")
    assert differences(ours, frictionless_package("datapackage.json")) == []
    assert [used["engine"] for used in ours.engines] == [engine], ours.engines


def _with(field: int = 0, **changes) -> dict:
    schema = json.loads(json.dumps(TWO))
    schema["fields"][field].update(changes)
    return schema


@pytest.mark.parametrize("schema, engine", [
    pytest.param({**TWO, "title": "Lines", "name": "lines", "x-note": 1}, "duckdb", id="plain"),
    pytest.param(_with(1, title="Name", description="d", rdfType="https://schema.org/name"), "duckdb", id="plain field"),
    pytest.param({**TWO, "title": 3}, "frictionless", id="schema title"),
    pytest.param({**TWO, "name": 3}, "frictionless", id="schema name"),
    pytest.param(_with(1, title=3), "frictionless", id="field title"),
    pytest.param(_with(1, description=3), "frictionless", id="field description"),
    pytest.param(_with(1, rdfType=1), "frictionless", id="field rdfType"),
    pytest.param(_with(1, type="boolean", trueValues="a"), "frictionless", id="trueValues a string"),  # was read as ["a"]
])
def test_schema_metadata_of_the_wrong_type_gives_frictionlesss_report(tmp_path, monkeypatch, schema, engine):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "t.csv", "id,name\n1,a\n2,b\n")
    write(tmp_path, "datapackage.json", json.dumps({"name": "p", "resources": [{**PLAIN, "schema": schema}]}))
    ours = check_package("datapackage.json")
    assert differences(ours, frictionless_package("datapackage.json")) == []
    assert [used["engine"] for used in ours.engines] == [engine], ours.engines


@pytest.mark.parametrize("schema", [
    {**TWO, "title": 3},
    {"fields": [{"name": "id", "type": "bogus"}, {"name": "name"}]},
    {"fields": {}},
    {**TWO, "primaryKey": ["nope"]},
])
def test_an_invalid_schema_file_is_reported_as_frictionless_validate_reports_it(tmp_path, monkeypatch, schema):
    """`frictionless validate t.csv --schema s.json` reads the schema as it validates the file: its report
    is one task, the file's, holding the schema's error (Schema.from_descriptor would raise instead)."""
    from frictionless import validate

    monkeypatch.chdir(tmp_path)
    write(tmp_path, "t.csv", "id,name\n1,a\n")
    write(tmp_path, "s.json", json.dumps(schema))
    ours = check_resource("t.csv", "s.json")
    assert differences(ours, validate("t.csv", schema="s.json").to_descriptor()) == []
    assert ours["stats"]["tasks"] == 1 and ours["tasks"][0]["errors"] and ours.engines[0]["engine"] == "frictionless"


@pytest.mark.parametrize("declared", [
    {"hash": "md5:"}, {"hash": "sha256:"},  # an empty digest declares nothing: Frictionless drops it on reading
    {"hash": "x"}, {"hash": "sha256:x"}, {"hash": "MD5:x"}, {"bytes": 17}, {"rows": 3}, {"fields": 3}, {"rows": 0},
])
def test_declared_hash_and_counts_are_checked_as_frictionless_checks_them(tmp_path, monkeypatch, declared):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "t.csv", "id,name\n1,a\n2,b\n")
    write(tmp_path, "datapackage.json", json.dumps({"name": "p", "resources": [{**PLAIN, **declared}]}))
    assert differences(check_package("datapackage.json"), frictionless_package("datapackage.json")) == []


@pytest.mark.parametrize("width, engine", [(150, "duckdb"), (1001, "frictionless")])
def test_wide_tables_match_frictionless(tmp_path, monkeypatch, width, engine):
    """Past 100 columns DuckDB plans without its common-subexpression search (it grew faster than the SQL:
    1.9 of 2.5 s at 1,000 columns); past 1,000 Frictionless checks the file (2,000 columns ran out of memory)."""
    monkeypatch.chdir(tmp_path)
    header = ",".join(f"c{i}" for i in range(width))
    rows = [",".join(str(i) for i in range(width)), ",".join("x" if i % 7 == 0 else str(i) for i in range(width)), ",".join(["1"] * (width - 1))]
    write(tmp_path, "wide.csv", "\n".join([header, *rows]) + "\n")
    schema = {"fields": [{"name": f"c{i}", "type": "integer", "constraints": {"maximum": width - 2}} for i in range(width)], "primaryKey": ["c0"]}
    ours = check_resource("wide.csv", schema)
    assert differences(ours, frictionless_resource("wide.csv", schema)) == []
    assert ours["stats"]["errors"] > width // 7 and ours.engines[0]["engine"] == engine, ours.engines


def test_a_line_past_duckdbs_line_limit_is_checked_on_the_exact_path(tmp_path, monkeypatch):
    """DuckDB reads lines of up to 2,000,000 bytes; a longer one (a pasted document in a cell) is rejected
    by the fast path's reader and was then fatal on the exact path, which now raises DuckDB's limit."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "long.csv", "id,name\n1,a\n" + "x" * 2_100_000 + ",b\n2,ü" + "é" * 600_000 + "\n")
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string", "constraints": {"maxLength": 10}}]}
    ours = check_resource("long.csv", schema)
    assert differences(ours, frictionless_resource("long.csv", schema)) == []
    assert [(e["rowNumber"], e["type"]) for e in ours["tasks"][0]["errors"]] == [(3, "type-error"), (4, "constraint-error")]
    assert ours.engines[0]["path"] == "exact", ours.engines


def test_a_packages_resources_share_a_database_per_thread_closed_at_the_end(tmp_path, monkeypatch):
    """Opening a DuckDB database costs 12 ms, a cursor 11 us: a package's resources are checked on cursors of
    one database (per thread), whose temp tables go with each cursor. The reports stay Frictionless's."""
    from pipelines.tablecheck import engine

    monkeypatch.chdir(tmp_path)
    opened = []
    real = engine.connect
    monkeypatch.setattr(engine, "connect", lambda *args: opened.append(real(*args)) or opened[-1])
    items = []
    for n in range(6):
        write(tmp_path, f"t{n}.csv", "id,name\n1,a\n" + ("1,dup\n" if n % 2 else "2,b\n") + ("x,c\n" if n == 3 else ""))
        items.append({"name": f"t{n}", "path": f"t{n}.csv", "schema": {**TWO, "primaryKey": ["id"]}})
    items[5]["schema"] = {**items[5]["schema"], "fields": [TWO["fields"][0], {"name": "name", "type": "string", "format": "email"}]}
    write(tmp_path, "datapackage.json", json.dumps({"name": "p", "resources": items}))
    ours = check_package("datapackage.json")
    assert differences(ours, frictionless_package("datapackage.json")) == []
    assert [task["valid"] for task in ours["tasks"]] == [True, False, True, False, True, False]
    assert len(opened) == 1
    with pytest.raises(Exception, match="closed"):
        opened[0].execute("SELECT 1")  # closed with the package's check


@pytest.mark.parametrize("kind, values", [("string", [f"KZ-{n:04d}" for n in range(1001)]), ("integer", list(range(1001)))])
def test_an_enum_of_more_than_a_thousand_values_is_judged_per_distinct_cell(tmp_path, monkeypatch, kind, values):
    """DuckDB compares an IN list value by value (10,000 values over 200,000 rows: 7.3 s): a long enum is
    judged once per distinct cell in Python instead, keys included, with Frictionless's findings."""
    monkeypatch.chdir(tmp_path)
    cells = [str(values[n * 37 % len(values)]) for n in range(300)]
    cells += ["nope", "", cells[0], "1001" if kind == "integer" else "KZ-1001"]  # not listed, missing, repeated
    write(tmp_path, "t.csv", "n,code\n" + "".join(f"{n},{cell}\n" for n, cell in enumerate(cells)))
    schema = {"fields": [{"name": "n", "type": "integer"}, {"name": "code", "type": kind, "constraints": {"enum": values, "unique": True}}]}
    ours = check_resource("t.csv", schema)
    assert differences(ours, frictionless_resource("t.csv", schema)) == []
    assert {e["type"] for e in ours["tasks"][0]["errors"]} >= {"constraint-error", "unique-error"}
    assert ours.engines[0]["engine"] == "duckdb", ours.engines
