"""The warehouse on a real PostgreSQL (ASHYQ_TEST_PG_URL): exact NUMERICs, enforced keys, column comments, and
loads that replace the tables in one transaction or leave them untouched. Each test gets its own schema."""
from __future__ import annotations

import os
import uuid
from datetime import datetime, timezone
from decimal import Decimal

import pytest
import sqlalchemy as sa

from pipelines.warehouse import WarehouseError, load_release
from test_warehouse import DOCS, GRANTS, PLACES, SHA_A, csv_rows, make_release

PG_URL = os.environ.get("ASHYQ_TEST_PG_URL")
pytestmark = pytest.mark.skipif(not PG_URL, reason="ASHYQ_TEST_PG_URL is not set (no PostgreSQL to test against)")


@pytest.fixture
def pg():
    """(engine, schema): a fresh schema, dropped with everything in it afterwards."""
    engine = sa.create_engine(PG_URL)
    schema = f"ashyq_test_{uuid.uuid4().hex[:10]}"
    try:
        yield engine, schema
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def rows(engine, schema, table, order="1, 2, 3"):
    with engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(sa.text(f'SELECT * FROM "{schema}"."{table}" ORDER BY {order}'))]


def test_load_into_postgres_keeps_values_exact_and_keys_enforced(pg, tmp_path):
    engine, schema = pg
    precise = ["g5", "12345678901234567890.123456789", "KZ", "230000000", SHA_A, "", "", ""]  # too precise for SQLite
    release = make_release(tmp_path / "r", grants=GRANTS + [precise])
    loaded = load_release(release, PG_URL, schema=schema)
    assert loaded.rows["grants"] == len(GRANTS) + 1

    stored = {r["grant_id"]: r for r in rows(engine, schema, "grants")}
    for row in csv_rows(release, "grants"):
        got = stored[row["grant_id"]]
        assert got["amount"] == (Decimal(row["amount"]) if row["amount"] else None)
        assert got["year"] == (int(row["year"]) if row["year"] else None)
        assert (got["signed"].isoformat() if got["signed"] else "") == row["signed"]
    docs = {r["sha256"]: r for r in rows(engine, schema, "docs")}
    for sha, retrieved, _, sample in DOCS:
        assert docs[sha]["retrieved_at"] == datetime.fromisoformat(retrieved).astimezone(timezone.utc)
        assert docs[sha]["sample"] is (sample == "true")

    inspector = sa.inspect(engine)
    assert inspector.get_pk_constraint("places", schema=schema)["constrained_columns"] == ["country", "code"]
    composite = [fk for fk in inspector.get_foreign_keys("grants", schema=schema) if fk["referred_table"] == "places"]
    assert composite and composite[0]["constrained_columns"] == ["country", "code"]
    comments = {c["name"]: c["comment"] for c in inspector.get_columns("grants", schema=schema)}
    assert comments["amount"] == "Amount in currency units."

    with pytest.raises(sa.exc.IntegrityError):
        with engine.begin() as connection:
            connection.execute(sa.text(f"INSERT INTO \"{schema}\".grants (grant_id, country, code, document) VALUES ('x', 'KZ', '1', :d)"), {"d": SHA_A})


def test_reload_replaces_and_a_failing_load_keeps_the_previous_tables(pg, tmp_path):
    engine, schema = pg
    load_release(make_release(tmp_path / "1.0.0"), PG_URL, schema=schema)
    second = make_release(tmp_path / "1.1.0", version="1.1.0", grants=GRANTS[1:3], places=PLACES, notes=False)
    load_release(second, PG_URL, schema=schema)
    assert [r["grant_id"] for r in rows(engine, schema, "grants")] == [r["grant_id"] for r in csv_rows(second, "grants")]
    assert "notes" not in sa.inspect(engine).get_table_names(schema=schema)
    assert {r["version"] for r in rows(engine, schema, "releases")} == {"1.0.0", "1.1.0"}

    before = {name: rows(engine, schema, name) for name in ("grants", "places", "docs", "releases")}
    for bad_grant in (["g9", "1", "KZ", "230000000", SHA_A, "", "not-a-date", ""],  # bad cell
                      ["g9", "1", "KZ", "111111111", SHA_A, "", "", ""]):  # dangling key, refused by PostgreSQL
        bad = make_release(tmp_path / f"bad-{bad_grant[6]}", version="1.2.0", grants=[bad_grant], places=PLACES[:1], notes=False)
        with pytest.raises(WarehouseError, match="grants"):
            load_release(bad, PG_URL, schema=schema)
        assert {name: rows(engine, schema, name) for name in before} == before
