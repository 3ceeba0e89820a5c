"""Loading a release into a SQL database in ONE transaction: drop the previous tables, create, insert parents
first, record the load in `releases`, commit. A failure anywhere (bad cell, dangling key, lost connection)
rolls everything back, so readers keep seeing the previous release's tables, never half of a new one.

This relies on transactional DDL, which PostgreSQL and SQLite have (MySQL does not: not supported).
ASHYQ_WAREHOUSE_URL  any SQLAlchemy URL (default: sqlite:///<repo>/var/warehouse.sqlite); for a PostgreSQL
                     schema other than public, pass schema= or add ?options=-csearch_path%3D<schema> to the URL.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import sqlalchemy as sa
from sqlalchemy import event

from pipelines.settings import REPO_ROOT
from pipelines.warehouse.errors import WarehouseError
from pipelines.warehouse.release_files import CONVERTED_TYPES, DEFAULT_FALSE, DEFAULT_TRUE, Release, cell_value, iter_cells, read_release
from pipelines.warehouse.tables import RELEASES_TABLE, ReleaseTables, column_rows, release_tables
from pipelines.warehouse.types import plain_number

if TYPE_CHECKING:
    from pipelines.schemas import CsvColumns

BATCH = 5000
WRITE_BACK_EVERY = 0.5  # seconds (_written_back_meanwhile)
COPY_SCHEMA = "release_copy"


@dataclass(frozen=True)
class Loaded:
    package: str
    version: str
    rows: dict[str, int] = field(default_factory=dict)  # resource -> rows loaded
    via: str = "csv"  # "csv": read from the release's CSVs; "sqlite": copied from the release's SQLite file


def warehouse_url() -> str:
    return os.environ.get("ASHYQ_WAREHOUSE_URL") or f"sqlite:///{REPO_ROOT / 'var' / 'warehouse.sqlite'}"


def engine_for(url: str, *, scratch: bool = False, attach: Path | None = None) -> sa.Engine:
    """An engine whose transactions cover DDL too; on SQLite also foreign keys ON (off by default there)
    unless the rows come from a checked file (`scratch`, `attach`: write_release checks them before commit).
    `scratch`: a SQLite file nobody reads until it is renamed into place (no journal, no fsync: a failed
    build is deleted, never rolled back; keys checked once, at the end). `attach`: a SQLite file attached
    to every connection as `release_copy` (SQLite refuses ATTACH inside a transaction, so it happens on connect)."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(parsed)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None  # the sqlite3 module would commit before DDL; we BEGIN ourselves
            cursor = dbapi_connection.cursor()
            # A scratch file, and a copy from a release file (whose keys were checked when it was built), are
            # checked whole by `PRAGMA foreign_key_check` before the load commits (write_release; a failed check
            # rolls it back). Enforcing each row's keys as well cost a tenth of a million-line build, a third of
            # copying a million lines, and made dropping the previous tables delete them row by row first
            # (SQLite's implicit DELETE on DROP TABLE when keys are on): seconds each. Loading CSVs, keys are
            # enforced per batch, so an error names the CSV rows.
            cursor.execute("PRAGMA foreign_keys=OFF" if scratch or attach is not None else "PRAGMA foreign_keys=ON")
            if scratch:
                cursor.execute("PRAGMA journal_mode=OFF")
                cursor.execute("PRAGMA synchronous=OFF")
                # 16 KiB pages (SQLite's default is 4): a million budget lines of ~600 bytes load in a sixth less
                # time, check in a third less, and take 7% less space
                cursor.execute("PRAGMA page_size=16384")
            if attach is not None:
                cursor.execute(f"ATTACH DATABASE ? AS {COPY_SCHEMA}", (str(attach),))
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection):
            connection.exec_driver_sql("BEGIN IMMEDIATE")  # take the write lock now: concurrent loads queue

    return engine


def load_release(release_dir: Path, url: str | None = None, *, schema: str | None = None) -> Loaded:
    """Replace the warehouse's tables with `release_dir`'s, atomically; returns what was loaded.

    A SQLite warehouse copies the rows from the release's own SQLite file when that file vouches for the
    same CSVs (copy_source): SQLite moves them table to table in C, where reading the CSVs again costs a
    Python round trip per row. Any other database, or a release without a matching file, loads the CSVs."""
    release = read_release(release_dir)
    tables = release_tables(release.descriptor, schema)
    url = url or warehouse_url()
    source = copy_source(release) if sa.make_url(url).get_backend_name() == "sqlite" and schema is None else None
    engine = engine_for(url, attach=source)
    loaded_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        with engine.begin() as connection, _written_back_meanwhile(engine.url):
            if schema and connection.dialect.name != "sqlite":
                connection.execute(sa.schema.CreateSchema(schema, if_not_exists=True))
            return write_release(connection, release, tables, loaded_at=loaded_at, copy=source is not None)
    except sa.exc.SQLAlchemyError as exc:
        where = engine.url.render_as_string(hide_password=True)
        raise WarehouseError(f"loading {release.folder} into {where} failed, previous tables kept: {exc}") from exc
    finally:
        engine.dispose()


@contextmanager
def _written_back_meanwhile(url: sa.URL) -> Iterator[None]:
    """While a load writes a SQLite file, have the disk take its pages every WRITE_BACK_EVERY s (fdatasync on a
    thread): the commit's own fsync then finds little left to write, where a million budget lines (500 MB)
    took it 1.5 s at the end. Early writing changes nothing SQLite relies on: until the commit, the rollback
    journal (synced before SQLite overwrites a page) restores the file. No-op for other databases."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        yield
        return
    done = threading.Event()

    def write_back() -> None:
        try:
            handle = os.open(url.database, os.O_RDONLY)
        except OSError:
            return
        try:
            while not done.wait(WRITE_BACK_EVERY):
                os.fdatasync(handle)
        except OSError:
            pass  # SQLite's own fsync at the commit reports what the disk refuses
        finally:
            os.close(handle)

    thread = threading.Thread(target=write_back, name="warehouse-write-back", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def copy_source(release: Release) -> Path | None:
    """The release's SQLite file (downloads.sqlite_building, named as downloads.release_stem names it), if it
    records this very release: every resource with the sha256 of the CSV verified on disk (the file was
    built from those bytes, and checked, before the release was sealed)."""
    path = release.folder / f"{release.name}-{release.version}.sqlite"
    if not release.version or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            recorded = connection.execute(
                f"SELECT resource, sha256 FROM {RELEASES_TABLE} WHERE package = ? AND version = ?", (release.name, release.version)
            ).fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return path if dict(recorded) == release.sha256 else None


def write_release(connection: sa.Connection, release: Release, tables: ReleaseTables, *, loaded_at: str, copy: bool = False,
                  columns: dict[str, CsvColumns] | None = None) -> Loaded:
    """Inside the caller's transaction: drop the package's tables, recreate them and load every CSV (or,
    with `copy`, every table of the attached release SQLite file). `columns`: for some resources, the cells
    their CSV was written from (schemas.csv_with_columns), read instead of the CSV (_column_batches)."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"ashyq-warehouse:{release.name}"})
    _drop_previous(connection, release, tables)
    tables.metadata.create_all(connection)
    counts = {}
    for name in tables.load_order:
        counts[name] = (_copy_resource(connection, tables.table(name)) if copy
                        else _insert_resource(connection, release, tables.table(name), name, (columns or {}).get(name)))
    connection.execute(sa.insert(tables.columns), column_rows(release.descriptor))
    connection.execute(
        sa.delete(tables.releases).where(tables.releases.c.package == release.name, tables.releases.c.version == release.version)
    )
    connection.execute(
        sa.insert(tables.releases),
        [
            {"package": release.name, "version": release.version, "resource": name, "created": release.created or None,
             "path": release.resource(name)["path"], "sha256": release.sha256[name], "row_count": counts[name], "loaded_at": loaded_at}
            for name in tables.load_order
        ],
    )
    if connection.dialect.name == "sqlite":
        _check_sqlite_foreign_keys(connection)
    return Loaded(release.name, release.version, counts, via="sqlite" if copy else "csv")


def _drop_previous(connection: sa.Connection, release: Release, tables: ReleaseTables) -> None:
    """Drop this release's table names and any table an earlier load of the package created (children first)."""
    schema = tables.metadata.schema
    existing = set(sa.inspect(connection).get_table_names(schema=schema))
    names = set(tables.load_order) | {tables.columns.name}
    if RELEASES_TABLE in existing:
        history = sa.Table(RELEASES_TABLE, sa.MetaData(schema=schema), sa.Column("package"), sa.Column("resource"))
        names |= set(connection.scalars(sa.select(history.c.resource).where(history.c.package == release.name).distinct()))
    doomed = sorted(names & existing)
    if doomed:
        reflected = sa.MetaData(schema=schema)
        reflected.reflect(connection, schema=schema, only=doomed)
        keys = {f"{schema}.{name}" if schema else name for name in doomed}
        reflected.drop_all(connection, tables=[table for key, table in reflected.tables.items() if key in keys])


def _copy_resource(connection: sa.Connection, table: sa.Table) -> int:
    """All rows of the same table in the attached release file (same DDL generator, same columns)."""
    quote = connection.dialect.identifier_preparer.quote
    names = ", ".join(quote(column.name) for column in table.columns)
    result = connection.exec_driver_sql(f"INSERT INTO main.{quote(table.name)} ({names}) SELECT {names} FROM {COPY_SCHEMA}.{quote(table.name)}")
    return result.rowcount


def _insert_resource(connection: sa.Connection, release: Release, table: sa.Table, name: str, written: CsvColumns | None = None) -> int:
    """Insert one CSV's rows in batches. SQLite gets plain tuples through the driver, empty text turned into
    NULL by the statement itself (`NULLIF(?, '')`), so Python touches only the typed cells: a million rows
    in seconds; with `written` (the cells the CSV was written from) it does not even read the CSV.
    Other databases get SQLAlchemy's batched multi-row INSERT."""
    path = release.folder / release.resource(name)["path"]
    schema = release.resource(name)["schema"]
    fields = {field["name"]: field for field in schema["fields"]}
    missing = set(schema.get("missingValues", [""]))
    convert = [_driver_value(connection.dialect, column, fields[column.name]) for column in table.columns]
    driver = connection.dialect.name == "sqlite" and missing == {""}
    if driver:
        typed = [(i, to_driver) for i, to_driver in enumerate(convert) if to_driver is not None]
        placeholders = ", ".join("?" if to_driver is not None else "NULLIF(?, '')" for to_driver in convert)
        statement = f"INSERT INTO {connection.dialect.identifier_preparer.format_table(table)} " \
                    f"({', '.join(connection.dialect.identifier_preparer.quote(c.name) for c in table.columns)}) VALUES ({placeholders})"
    else:
        typed = list(enumerate(convert))
        statement = sa.insert(table)

    def flush(first: int, batch: list) -> None:
        try:
            if driver:
                connection.exec_driver_sql(statement, batch)
            else:
                connection.execute(statement, [dict(zip(table.columns.keys(), values)) for values in batch])
        except (sa.exc.StatementError, sa.exc.DBAPIError, ValueError, OverflowError) as exc:  # Overflow: an integer past 64 bits
            reason = exc.orig if isinstance(exc, sa.exc.StatementError) and exc.orig is not None else exc
            raise WarehouseError(f"{path}: rows {first}-{first + len(batch) - 1} cannot be loaded into {table.name}: {reason}") from exc

    def refused(row_number: int, i: int, text: str, exc: Exception) -> WarehouseError:
        field = fields[table.columns[i].name]
        return WarehouseError(f"{path}: row {row_number}, column {field['name']!r}: {text!r} is not a valid {field['type']} ({exc})")

    if driver and written is not None:
        count = 0
        for first, batch in _column_batches(written, [column.name for column in table.columns], convert, refused):
            flush(first, batch)
            count += len(batch)
        return count
    header, cells = iter_cells(release, name)
    order = [header.index(column.name) for column in table.columns]
    in_order = order == list(range(len(header)))  # the release's CSVs are: no copy of each row
    count = 0
    batch: list = []
    first = 2
    for row_number, values in cells:
        if not batch:
            first = row_number
        if not in_order:
            values = [values[position] for position in order]
        for i, to_driver in typed:
            text = values[i]
            if text in missing:
                values[i] = None
            elif to_driver is not None:
                try:
                    values[i] = to_driver(text)
                except (ValueError, InvalidOperation) as exc:
                    raise refused(row_number, i, text, exc) from None
        batch.append(tuple(values))
        count += 1
        if len(batch) >= BATCH:
            flush(first, batch)
            batch = []
    if batch:
        flush(first, batch)
    return count


def _column_batches(written: CsvColumns, table_columns: list[str], convert: list, refused) -> Iterator[tuple[int, list[tuple]]]:
    """(CSV row number of the first, driver tuples) from the cells the release's CSV was written from
    (schemas.csv_with_columns), in its order, each converted as the CSV's cell would be: the same values as
    reading the CSV, without parsing it back (csv.reader took seconds for a million rows) or formatting every
    cell again."""
    for start, by_column in written.batches(BATCH):
        columns = []
        for i, (column, to_driver) in enumerate(zip(table_columns, convert)):
            texts = by_column[column]
            if to_driver is None:
                columns.append(texts)  # as read from the CSV: the statement's NULLIF makes '' NULL
                continue
            try:
                columns.append([None if cell == "" else to_driver(cell) for cell in texts])
            except (ValueError, InvalidOperation):
                for offset, cell in enumerate(texts):
                    try:
                        if cell != "":
                            to_driver(cell)
                    except (ValueError, InvalidOperation) as exc:
                        raise refused(start + 2 + offset, i, cell, exc) from None
                raise
        yield start + 2, list(zip(*columns))


def _driver_value(dialect, column: sa.Column, field: dict):
    """CSV text -> what the statement takes for this column: None for text kept as it is; otherwise the
    field's Python value (cell_value), on SQLite through the column type's own bind processing (elsewhere
    SQLAlchemy binds it). On SQLite, plain numbers are read off their text (types.plain_number) and
    booleans looked up: a million-line table has a million of each."""
    bind = column.type.dialect_impl(dialect).bind_processor(dialect) if dialect.name == "sqlite" else None
    kind = field.get("type", "string")
    if bind is None:
        if dialect.name == "sqlite" and kind in ("integer", "year"):
            return int
        return None if kind not in CONVERTED_TYPES else lambda text: cell_value(field, text)

    def general(text):
        return bind(cell_value(field, text))

    if kind == "number":
        def number(text):
            value = plain_number(text)
            return general(text) if value is None else value
        return number
    if kind == "boolean":
        # false values first: a text listed as both is true, as cell_value reads it
        known = {text: bind(cell_value(field, text)) for text in (*field.get("falseValues", DEFAULT_FALSE), *field.get("trueValues", DEFAULT_TRUE))}
        return lambda text: known[text] if text in known else general(text)
    return general


def _check_sqlite_foreign_keys(connection: sa.Connection) -> None:
    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if problems:
        listed = "; ".join(f"{table} rowid {rowid} -> {parent}" for table, rowid, parent, _ in problems[:10])
        raise WarehouseError(f"{len(problems)} rows reference missing parents: {listed}")
