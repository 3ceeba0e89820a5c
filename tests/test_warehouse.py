"""SQL builds of a release: keys declared and enforced, values equal to the CSV (decimals exactly), and a
warehouse load that replaces the previous tables atomically or not at all."""
from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.warehouse import WarehouseError, build_sqlite, load_release, release_tables
from pipelines.warehouse.__main__ import main as warehouse_cli

SHA_A, SHA_B = "a" * 64, "b" * 64

# A small package whose resources are listed child-first, with a composite foreign key, a self-reference,
# and every type the warehouse maps.
SCHEMAS = {
    "grants": {
        "fields": [
            {"name": "grant_id", "type": "string", "description": "Grant ID.", "constraints": {"required": True}},
            {"name": "amount", "type": "number", "description": "Amount in currency units."},
            {"name": "country", "type": "string", "constraints": {"required": True}},
            {"name": "code", "type": "string", "constraints": {"required": True}},
            {"name": "document", "type": "string", "constraints": {"required": True}},
            {"name": "parent_grant", "type": "string"},
            {"name": "signed", "type": "date"},
            {"name": "year", "type": "integer"},
        ],
        "missingValues": [""],
        "primaryKey": ["grant_id"],
        "foreignKeys": [
            {"fields": ["country", "code"], "reference": {"resource": "places", "fields": ["country", "code"]}},
            {"fields": ["document"], "reference": {"resource": "docs", "fields": ["sha256"]}},
            {"fields": ["parent_grant"], "reference": {"resource": "", "fields": ["grant_id"]}},
        ],
    },
    "places": {
        "fields": [
            {"name": "country", "type": "string", "constraints": {"required": True}},
            {"name": "code", "type": "string", "constraints": {"required": True}},
            {"name": "name", "type": "string", "description": "Place name."},
        ],
        "missingValues": [""],
        "primaryKey": ["country", "code"],
    },
    "docs": {
        "fields": [
            {"name": "sha256", "type": "string", "constraints": {"required": True, "unique": True}},
            {"name": "retrieved_at", "type": "datetime", "constraints": {"required": True}},
            {"name": "bytes", "type": "integer"},
            {"name": "sample", "type": "boolean", "constraints": {"required": True}},
        ],
        "missingValues": [""],
        "primaryKey": ["sha256"],
    },
    "notes": {"fields": [{"name": "note", "type": "string"}], "missingValues": [""]},
}

PLACES = [["KZ", "230000000", "Atyrau Region"], ["KG", "41702000000000", "Issyk-Kul Region"]]
DOCS = [[SHA_A, "2026-01-01T00:00:00Z", "10", "true"], [SHA_B, "2026-01-02T08:30:00Z", "", "false"]]
GRANTS = [
    # child of g2 listed before it: the self-reference is checked at commit
    ["g1", "1234567890123.45", "KZ", "230000000", SHA_A, "g2", "2024-03-11", "2024"],
    ["g2", "9223372036854775807", "KZ", "230000000", SHA_A, "", "", "2023"],
    ["g3", "0.1", "KG", "41702000000000", SHA_B, "", "2025-12-31", ""],
    ["g4", "", "KG", "41702000000000", SHA_B, "g2", "", "2025"],
]


def make_release(folder: Path, *, version="1.0.0", grants=None, places=None, docs=None, notes=True, corrupt_hash=False) -> Path:
    """Write a release folder (CSVs + datapackage.json with sha256) the way pipelines.release lays one out."""
    folder.mkdir(parents=True, exist_ok=True)
    data = {"grants": GRANTS if grants is None else grants, "places": places or PLACES, "docs": docs or DOCS}
    if notes:
        data["notes"] = [["kept only in some releases"]]
    resources = []
    for name, rows in data.items():
        header = [field["name"] for field in SCHEMAS[name]["fields"]]
        path = folder / f"{name}.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        resources.append({"name": name, "path": path.name, "title": name.title(), "description": f"The {name}.",
                          "hash": f"sha256:{'0' * 64 if corrupt_hash else digest}", "schema": SCHEMAS[name]})
    descriptor = {"name": "toy-package", "title": "Toy package", "version": version, "created": "2026-01-01T00:00:00Z",
                  "homepage": "https://example.org/toy", "description": "A toy release.",
                  "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
                  "resources": resources}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    return folder


def csv_rows(folder: Path, name: str) -> list[dict]:
    with open(folder / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def sql_text(value) -> str:
    """A SQLite value as the CSV writes it (numbers exact: an int, or a REAL's shortest repr)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


def sqlite_rows(path: Path, table: str) -> list[dict]:
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid')]
    finally:
        connection.close()


def assert_same_as_csv(db: Path, folder: Path, name: str, booleans=()):
    expected = csv_rows(folder, name)
    actual = sqlite_rows(db, name)
    assert len(actual) == len(expected)
    for want, got in zip(expected, actual):
        for column, text in want.items():
            value = got[column]
            if column in booleans:
                assert value == {"true": 1, "false": 0}[text], (name, column)
            else:
                assert sql_text(value) == text, (name, column, value, text)


@pytest.fixture
def release(tmp_path):
    return make_release(tmp_path / "release")


def test_sqlite_file_declares_the_packages_keys_and_holds_the_csv_values(release, tmp_path):
    db = build_sqlite(release, tmp_path / "out" / "toy.sqlite")
    connection = sqlite3.connect(db)
    pk = [row[1] for row in sorted(connection.execute("PRAGMA table_info(places)"), key=lambda r: r[5]) if row[5]]
    assert pk == SCHEMAS["places"]["primaryKey"]
    fks = connection.execute("PRAGMA foreign_key_list(grants)").fetchall()
    composite = sorted((row[3], row[4]) for row in fks if row[2] == "places")
    assert composite == [("code", "code"), ("country", "country")]
    assert {row[2] for row in fks} == {"places", "docs", "grants"}
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    connection.close()
    for name in ("grants", "places", "notes"):
        assert_same_as_csv(db, release, name)
    assert_same_as_csv(db, release, "docs", booleans=("sample",))


def test_decimals_are_exact_and_typed_as_numbers(release, tmp_path):
    db = build_sqlite(release, tmp_path / "toy.sqlite")
    connection = sqlite3.connect(db)
    stored = dict(connection.execute("SELECT grant_id, amount FROM grants").fetchall())
    for row in csv_rows(release, "grants"):
        if row["amount"]:
            assert Decimal(sql_text(stored[row["grant_id"]])) == Decimal(row["amount"])
        else:
            assert stored[row["grant_id"]] is None
    # numbers compare as numbers, not text
    big = connection.execute("SELECT grant_id FROM grants WHERE amount > 1000 ORDER BY amount").fetchall()
    assert [r[0] for r in big] == ["g1", "g2"]
    connection.close()


def test_a_fraction_sqlite_cannot_hold_exactly_is_refused_not_rounded(tmp_path):
    grants = [["g1", "12345678901234567.25", "KZ", "230000000", SHA_A, "", "", ""]]
    folder = make_release(tmp_path / "release", grants=grants)
    out = tmp_path / "toy.sqlite"
    with pytest.raises(WarehouseError, match=r"grants\.csv.*12345678901234567\.25"):
        build_sqlite(folder, out)
    assert not out.exists() and list(tmp_path.glob(".toy.sqlite*")) == []


def test_foreign_and_primary_keys_are_enforced_in_the_file(release, tmp_path):
    db = build_sqlite(release, tmp_path / "toy.sqlite")
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA foreign_keys=ON")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        connection.execute("INSERT INTO grants (grant_id, country, code, document) VALUES ('g9', 'KZ', '999999999', ?)", (SHA_A,))
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE|PRIMARY"):
        connection.execute("INSERT INTO places VALUES ('KZ', '230000000', 'again')")
    with pytest.raises(sqlite3.IntegrityError, match="NOT NULL"):
        connection.execute("INSERT INTO docs (sha256, retrieved_at) VALUES ('c', NULL)")
    connection.close()


def test_a_dangling_reference_in_the_release_fails_the_build(tmp_path):
    grants = [["g1", "5", "KZ", "999999999", SHA_A, "", "", ""]]
    folder = make_release(tmp_path / "release", grants=grants)
    with pytest.raises(WarehouseError, match="grants"):
        build_sqlite(folder, tmp_path / "toy.sqlite")
    assert not (tmp_path / "toy.sqlite").exists()


def test_same_release_same_bytes_and_datasette_metadata_describes_it(release, tmp_path):
    first = build_sqlite(release, tmp_path / "a" / "toy.sqlite").read_bytes()
    second = build_sqlite(release, tmp_path / "b" / "toy.sqlite").read_bytes()
    assert first == second
    descriptor = json.loads((release / "datapackage.json").read_text())
    metadata = json.loads((tmp_path / "a" / "toy.metadata.json").read_text())
    assert metadata["title"] == descriptor["title"] and metadata["license"] == descriptor["licenses"][0]["name"]
    tables = metadata["databases"]["toy"]["tables"]
    for resource in descriptor["resources"]:
        described = {f["name"]: f.get("description", "") for f in resource["schema"]["fields"]}
        assert tables[resource["name"]]["columns"] == described
        assert tables[resource["name"]]["description"] == resource["description"]


def test_columns_table_is_the_data_dictionary(release, tmp_path):
    db = build_sqlite(release, tmp_path / "toy.sqlite")
    rows = sqlite_rows(db, "_columns")
    descriptor = json.loads((release / "datapackage.json").read_text())
    expected = [(r["name"], f["name"], f["type"], f.get("description")) for r in descriptor["resources"] for f in r["schema"]["fields"]]
    assert [(r["resource"], r["name"], r["type"], r["description"]) for r in rows] == expected


def test_a_csv_that_does_not_match_its_recorded_sha256_is_not_loaded(tmp_path):
    folder = make_release(tmp_path / "release", corrupt_hash=True)
    with pytest.raises(WarehouseError, match="sha256"):
        build_sqlite(folder, tmp_path / "toy.sqlite")


def test_load_records_the_release_and_reload_replaces_the_tables(tmp_path):
    url = f"sqlite:///{tmp_path / 'wh' / 'warehouse.sqlite'}"
    first = make_release(tmp_path / "1.0.0")
    loaded = load_release(first, url)
    assert loaded.rows == {name: len(csv_rows(first, name)) for name in ("grants", "places", "docs", "notes")}
    db = tmp_path / "wh" / "warehouse.sqlite"
    recorded = {(r["version"], r["resource"]): r["sha256"] for r in sqlite_rows(db, "releases")}
    for name in loaded.rows:
        assert recorded[("1.0.0", name)] == hashlib.sha256((first / f"{name}.csv").read_bytes()).hexdigest()

    second = make_release(tmp_path / "1.1.0", version="1.1.0", grants=GRANTS[1:3], notes=False)
    load_release(second, url)
    assert_same_as_csv(db, second, "grants")
    tables = {r[0] for r in sqlite3.connect(db).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "notes" not in tables  # a resource the new release dropped is gone too
    assert {r["version"] for r in sqlite_rows(db, "releases")} == {"1.0.0", "1.1.0"}


def _release_with_its_sqlite(tmp_path: Path, version="1.0.0") -> Path:
    """A release folder with the SQLite file publishing adds (<name>-<version>.sqlite)."""
    folder = make_release(tmp_path / version, version=version)
    build_sqlite(folder, folder / f"toy-package-{version}.sqlite")
    return folder


def test_a_sqlite_warehouse_copies_the_releases_own_file_and_gets_what_the_csvs_give(tmp_path):
    folder = _release_with_its_sqlite(tmp_path)
    copied = load_release(folder, f"sqlite:///{tmp_path / 'copied.sqlite'}")
    (folder / "toy-package-1.0.0.sqlite").rename(tmp_path / "aside.sqlite")
    read = load_release(folder, f"sqlite:///{tmp_path / 'read.sqlite'}")
    assert (copied.via, read.via) == ("sqlite", "csv")
    assert copied.rows == read.rows == {name: len(csv_rows(folder, name)) for name in ("grants", "places", "docs", "notes")}
    for name in ("grants", "places", "docs", "notes", "_columns"):
        assert sqlite_rows(tmp_path / "copied.sqlite", name) == sqlite_rows(tmp_path / "read.sqlite", name), name
    assert_same_as_csv(tmp_path / "copied.sqlite", folder, "grants")
    # the load is recorded with its own time, not the release file's
    assert {r["loaded_at"] for r in sqlite_rows(tmp_path / "copied.sqlite", "releases")} != {"2026-01-01T00:00:00Z"}


def test_a_release_file_that_does_not_vouch_for_these_csvs_is_not_copied(tmp_path):
    folder = _release_with_its_sqlite(tmp_path)
    connection = sqlite3.connect(folder / "toy-package-1.0.0.sqlite")
    connection.execute("UPDATE grants SET amount = 1 WHERE grant_id = 'g3'")
    connection.execute("UPDATE releases SET sha256 = 'edited' WHERE resource = 'grants'")
    connection.commit()
    connection.close()
    loaded = load_release(folder, f"sqlite:///{tmp_path / 'wh.sqlite'}")
    assert loaded.via == "csv"
    assert_same_as_csv(tmp_path / "wh.sqlite", folder, "grants")


@pytest.mark.parametrize("bad_grant, message", [
    (["g9", "12", "KZ", "230000000", SHA_A, "", "", "twenty"], r"grants\.csv: row 2, column 'year'"),  # bad cell
    (["g9", "12", "KZ", "111111111", SHA_A, "", "", ""], r"grants\.csv: rows 2-2"),  # dangling key
])
def test_a_load_failing_midway_keeps_the_previous_tables(tmp_path, bad_grant, message):
    url = f"sqlite:///{tmp_path / 'warehouse.sqlite'}"
    good = make_release(tmp_path / "1.0.0")
    load_release(good, url)
    db = tmp_path / "warehouse.sqlite"
    before = {name: sqlite_rows(db, name) for name in ("grants", "places", "docs", "notes", "releases")}
    # grants load last (they reference places and docs), so the failure comes after tables were replaced
    bad = make_release(tmp_path / "1.1.0", version="1.1.0", grants=[bad_grant], places=PLACES[:1], notes=False)
    with pytest.raises(WarehouseError, match=message):
        load_release(bad, url)
    assert {name: sqlite_rows(db, name) for name in before} == before


def test_tables_are_created_parents_first_whatever_the_descriptor_order(release):
    descriptor = json.loads((release / "datapackage.json").read_text())
    order = release_tables(descriptor).load_order
    assert order.index("places") < order.index("grants") and order.index("docs") < order.index("grants")


def test_cli_builds_the_file_and_prints_ddl(release, tmp_path, capsys):
    assert warehouse_cli(["sqlite", str(release), "-o", str(tmp_path / "cli.sqlite")]) == 0
    assert (tmp_path / "cli.sqlite").exists()
    assert warehouse_cli(["ddl", str(release), "--dialect", "postgresql"]) == 0
    assert "FOREIGN KEY(country, code) REFERENCES places (country, code)" in capsys.readouterr().out


def test_a_release_of_the_real_package_builds(tmp_path):
    """The project's own schemas (every resource, real keys) through the real publisher."""
    from pipelines.release import publish
    from test_validation import REGION, document, memorandum

    outcome = publish({"memoranda": [memorandum("1", amount=Decimal("2500000.75"))], "documents": [document(SHA_A)],
                       "regions": [REGION], "quarantine": []}, tmp_path / "pub", sample=True, sources=[])
    db = build_sqlite(outcome.path, tmp_path / "real.sqlite")
    assert_same_as_csv(db, outcome.path, "memoranda", booleans=("sample",))
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    descriptor = json.loads((outcome.path / "datapackage.json").read_text())
    assert {r["name"] for r in descriptor["resources"]} <= tables


def _budget_release(folder: Path, rows: list[dict]) -> Path:
    """A release of budget_lines alone as pipelines.release writes one (its foreign keys left out)."""
    from pipelines.release import descriptor_for
    from sources.files import dump_json

    descriptor, files = descriptor_for({"budget_lines": rows}, sample=True, sources=[], only=["budget_lines"])
    descriptor["resources"][0]["schema"].pop("foreignKeys")
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "datapackage.json").write_bytes(dump_json({**descriptor, "version": "1.0.0", "created": "2026-01-01T00:00:00Z"}))
    return folder


def _built_from_csv_and_from_cells(folder: Path, rows: list[dict], chunk: int) -> list[tuple[str, object]]:
    """("built", file bytes) or ("refused", message) for the CSV path and for the path of the cells the CSV
    was written from (in chunks of `chunk` rows)."""
    from pipelines.schemas import csv_with_columns

    release = _budget_release(folder / "release", rows)
    data, cells = csv_with_columns("budget_lines", rows, chunk=chunk)
    assert data == (release / "budget_lines.csv").read_bytes()
    outcomes = []
    for label, given in (("csv", None), ("cells", {"budget_lines": cells})):
        try:
            outcomes.append(("built", build_sqlite(release, folder / f"{label}.sqlite", columns=given).read_bytes()))
        except WarehouseError as exc:
            outcomes.append(("refused", str(exc)))
    return outcomes


def test_the_cells_a_csv_was_written_from_build_the_same_file_as_the_csv_or_fail_the_same_way(tmp_path_factory):
    """build_sqlite's `columns` (publishing has them from validation) stand in for reading the CSV back: every
    cell the same value, so the same bytes; a cell SQLite cannot hold is refused with the same row and column."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from pipelines.schemas import schema
    from test_schemas import _awkward_text, _decimal_cell

    def cells(field):  # mostly values a release holds (required cells filled), sometimes one SQLite refuses
        small, money = st.integers(-10**6, 10**6), st.decimals(-10**9, 10**9, places=2)
        kind = {"integer": st.one_of(small, small, small, st.integers(-10**20, 10**20)),
                "number": st.one_of(money, money, st.integers(-10**12, 10**12).map(Decimal), _decimal_cell), "boolean": st.booleans()}
        value = kind.get(field["type"], _awkward_text.filter(bool))
        return value if field.get("constraints", {}).get("required") else st.none() | value | st.just("")

    row = st.fixed_dictionaries({field["name"]: cells(field) for field in schema("budget_lines")["fields"]})

    @settings(max_examples=100, deadline=None)
    @given(st.lists(row, max_size=6, unique_by=lambda r: str(r["line_id"])), st.integers(1, 4))
    def check(rows, chunk):
        folder = tmp_path_factory.mktemp("both")
        from_csv, from_cells = _built_from_csv_and_from_cells(folder, rows, chunk)
        assert from_csv == from_cells
        built.append(from_cells[0] == "built")

    built = []
    check()
    assert sum(built) > len(built) / 4  # many examples are files, not refusals


def test_rows_that_sqlite_cannot_hold_are_refused_naming_the_row_and_column(tmp_path):
    from test_schemas import budget_line

    rows = [budget_line(1), budget_line(2, amount=Decimal("0.12345678901234567")), budget_line(3)]
    from_csv, from_cells = _built_from_csv_and_from_cells(tmp_path, rows, chunk=1)
    assert from_csv == from_cells and from_cells[0] == "refused"
    assert "row 3, column 'amount': '0.12345678901234567' is not a valid number" in from_cells[1]


def test_the_sqlite_download_is_built_beside_and_a_failed_build_leaves_nothing(tmp_path):
    from pipelines.downloads import sqlite_building

    good = make_release(tmp_path / "good")
    with sqlite_building(good, scratch=tmp_path / ".scratch-good") as built:
        path = built()
    assert path == good / "toy-package-1.0.0.sqlite" and (good / "toy-package-1.0.0.metadata.json").exists()
    assert_same_as_csv(path, good, "grants")
    assert not (tmp_path / ".scratch-good").exists()

    bad = make_release(tmp_path / "bad", corrupt_hash=True)
    with pytest.raises(ValueError, match="SQLite download could not be built: .*sha256"):
        with sqlite_building(bad, scratch=tmp_path / ".scratch-bad") as built:
            built()
    assert not list(bad.glob("*.sqlite")) and not (tmp_path / ".scratch-bad").exists()

    with pytest.raises(RuntimeError):  # the release failed elsewhere while the build ran: it is stopped and cleared
        with sqlite_building(good, scratch=tmp_path / ".scratch-left"):
            raise RuntimeError("diff failed")
    assert not (tmp_path / ".scratch-left").exists()


def test_a_copy_with_a_dangling_key_is_rolled_back_though_keys_are_checked_once_at_the_end(tmp_path):
    """Copying from a release file runs with SQLite's per-row key checks off (the file was checked when built);
    the whole-database check before commit still refuses a file whose parent rows went missing since."""
    url = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    load_release(_release_with_its_sqlite(tmp_path / "first"), url)
    before = {name: sqlite_rows(tmp_path / "wh.sqlite", name) for name in ("grants", "places", "releases")}
    folder = _release_with_its_sqlite(tmp_path / "second", version="1.1.0")
    connection = sqlite3.connect(folder / "toy-package-1.1.0.sqlite")
    connection.execute("DELETE FROM places")  # the release's own key check long done; the vouching rows untouched
    connection.commit()
    connection.close()
    with pytest.raises(WarehouseError, match="reference missing parents: grants rowid 1 -> places"):
        load_release(folder, url)
    assert {name: sqlite_rows(tmp_path / "wh.sqlite", name) for name in before} == before


def test_a_sqlite_warehouse_is_written_to_disk_during_the_load_and_still_rolls_back(tmp_path, monkeypatch):
    """The load hands the file's pages to the disk as it goes (so its commit's fsync has little left); a load
    that fails after such writes still leaves the previous tables, and no writer thread outlives a load."""
    import os
    import threading
    import time

    import pipelines.warehouse.load as load

    synced, fdatasync, write_release = [], os.fdatasync, load.write_release
    monkeypatch.setattr(load, "WRITE_BACK_EVERY", 0.0005)
    monkeypatch.setattr(os, "fdatasync", lambda fd: synced.append(fd) or fdatasync(fd))

    def write_then_await_a_write_back(*args, **kwargs):
        # A small release loads within one GIL switch interval, before the thread first runs: hold the
        # transaction open, after its writes (or its failure), until the thread has synced once (or 10 s).
        try:
            return write_release(*args, **kwargs)
        finally:
            deadline = time.monotonic() + 10
            while not synced and time.monotonic() < deadline:
                time.sleep(0.001)

    monkeypatch.setattr(load, "write_release", write_then_await_a_write_back)
    url = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    load_release(make_release(tmp_path / "1.0.0"), url)
    assert synced, "written back during the load"
    before = {name: sqlite_rows(tmp_path / "wh.sqlite", name) for name in ("grants", "places", "releases")}
    synced.clear()
    bad = make_release(tmp_path / "1.1.0", version="1.1.0", grants=[["g9", "12", "KZ", "111111111", SHA_A, "", "", ""]], notes=False)
    with pytest.raises(WarehouseError, match="rows 2-2"):
        load_release(bad, url)
    assert synced and {name: sqlite_rows(tmp_path / "wh.sqlite", name) for name in before} == before
    assert not [t for t in threading.enumerate() if t.name == "warehouse-write-back"]


def _number_texts():
    from hypothesis import strategies as st

    digits = st.text("0123456789", min_size=0, max_size=18)
    return st.one_of(
        st.builds(lambda sign, whole, dot, fraction: sign + whole + dot + fraction, st.sampled_from(["", "-", "+"]), digits,
                  st.sampled_from(["", "."]), digits),
        st.decimals(allow_nan=False, allow_infinity=False).map(str),
        st.sampled_from(["٣", "1_000", "1e5", "-0", "0.0", "5.", ".5", "９", "00012.3400"]),
    )


def test_plain_numbers_read_off_their_text_as_decimal_and_the_column_type_would_bind_them():
    """types.plain_number is a shortcut for ExactNumber's bind of Decimal(text): same value, same Python type
    (int or float, which decides SQLite's storage class), or None to take that path."""
    from decimal import InvalidOperation

    from hypothesis import given, settings
    from sqlalchemy.dialects import sqlite

    from pipelines.warehouse.types import ExactNumber, plain_number

    dialect = sqlite.dialect()

    @settings(max_examples=1000, deadline=None)
    @given(_number_texts())
    def check(text):
        fast = plain_number(text)
        if fast is None:
            return
        try:
            slow = ExactNumber().process_bind_param(Decimal(text), dialect)
        except (InvalidOperation, ValueError):
            raise AssertionError(f"{text!r}: the shortcut took a text the general path refuses") from None
        assert (type(fast), fast) == (type(slow), slow), text

    check()
