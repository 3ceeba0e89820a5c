"""Checks one CSV resource with DuckDB and returns its Frictionless-format task.

Scans of the file (each a vectorised DuckDB query over `read_csv`, all columns VARCHAR; the header is row 1):
0. only for fields SQL cannot judge (email, uri, `any` dates, exotic patterns): their distinct values,
   judged in Python and joined back as dictionary tables;
1. in parallel: every per-cell check, kept as a small table of per-row facts in file order (rowid + 2 is
   the row number): a hash of the row when it needs a look (a cell SQL cannot vouch for, a structural
   problem, an all-empty key), key hashes, foreign-key values. Aggregates over that table find repeated
   keys (unique fields, primary key), keys missing from another resource, self-referenced keys, the count;
2. skipped when scan 1 marked nothing: the marked rows and the repeated-key candidates with their raw
   cells; `lag` over the key partitions names the previous occurrence (Frictionless flags the 2nd+).
   When every row is one line, the candidates' lines are picked out of the file by number (numpy, a
   tenth of a second for a million lines) and checked against scan 1's facts; otherwise the file is read
   again, numbered (`WITH ORDINALITY`, one thread). Python replays Frictionless's per-row logic on just
   those rows (rows.py).
A parallel thread hashes the file (md5/sha256/bytes stats) and spots layouts DuckDB reads differently
from Python's csv module (blank lines, lone CR); those, rows DuckDB rejects, other encodings and TSV go
through `source.normalize` first (the exact path), then the same SQL.
"""
from __future__ import annotations

import csv
import itertools
import json
import os
import re
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field as dc_field
from typing import Callable

from pipelines.bulk import cyclic_gc_paused
from pipelines.tablecheck import small, source as S
from pipelines.tablecheck.cells import NAN_KEY, cell_reader, key as py_key
from pipelines.tablecheck.compile import Compiled, compile_field, in_list, lit
from pipelines.tablecheck.error_store import ErrorList
from pipelines.tablecheck.rows import RowChecker, header_errors
from pipelines.tablecheck.schema import Field, Schema, Unsupported

EXTRA_COLUMNS = 2  # cells beyond the header that the fast path reads; longer rows take the exact path
FETCH = 20_000
PICK_AT_MOST = 0.25  # candidates picked by line up to this share of the rows; beyond, a numbered scan is cheaper
PICK_ALWAYS = 10_000  # ... or up to this many, whatever the share (a small file costs little either way)
PLAN_FROM_BYTES = 1 << 20  # files from this size have their facts query's plan read (keys_scan)
UNSURE_FROM = 100  # candidates from which scan 2 marks the cells SQL vouched for; fewer are read whole in Python
WIDE_FIELDS = 100  # fields beyond which DuckDB plans without common subexpressions (ResourceRun)
MAX_FIELDS = 1000  # beyond, Frictionless checks the file: 2,000 columns took 11 s here and ran out of 512 MB
MAX_LINE_BYTES = 2_000_000  # DuckDB's default max_line_size
NEW_LINE = "'\\n'"  # files written here end lines with LF; told, DuckDB does not guess CRLF from a cell holding one


@dataclass
class Resource:
    name: str
    path: str  # file system path
    place: str  # as written in the descriptor / given by the caller
    schema: Schema
    dialect: dict | None = None
    tsv: bool = False
    encoding: str | None = None  # as declared; else guessed as Frictionless guesses it
    stats: dict | None = None  # md5, sha256, bytes known before the check (a gzipped file's download): not hashed again


@dataclass
class Lookup:
    """A referenced resource's key tuples, registered as a DuckDB table."""

    table: str
    width: int


class ExactPathNeeded(Exception):
    pass


@dataclass
class Settings:
    memory_limit: str = "512MB"
    threads: int = dc_field(default_factory=lambda: os.cpu_count() or 1)
    temp_directory: str | None = None
    scanning: threading.Event | None = None  # set when a scan 1 starts: DuckDB then has the cores, Python is idle
    errors: Callable[[], object] = ErrorList  # a new store for each resource's errors (error_store.py)
    databases: "Databases | None" = None  # a package's open DuckDB databases; None: one per resource


class Databases:
    """The DuckDB databases of a package's checks, one per thread, each resource on a cursor of its own.

    Opening a database costs 12 ms, a cursor on an open one 11 us: 200 small resources spent 3 of their 9.5 s
    opening databases. A cursor's temp tables go when it closes. The settings a check switches (insertion
    order, optimizers) are the database's, so a database serves one thread, whose checks run one at a time."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.local = threading.local()
        self.opened: list[tuple[object, str]] = []  # (database, its temporary directory)

    def cursor(self):
        database = getattr(self.local, "database", None)
        if database is None:
            temp_dir = tempfile.mkdtemp(prefix="tablecheck-", dir=self.settings.temp_directory)
            database = self.local.database = connect(self.settings, temp_dir)
            self.opened.append((database, temp_dir))  # list.append is atomic under the GIL
        cursor = database.cursor()
        cursor.execute("SET enable_progress_bar = false")
        return cursor

    def close(self) -> None:
        for database, temp_dir in self.opened:
            database.close()
            shutil.rmtree(temp_dir, ignore_errors=True)
        self.opened.clear()


def connect(settings: Settings, temp_dir: str):
    from pipelines.tablecheck.duck import duckdb

    con = duckdb.connect()
    try:
        con.execute(f"SET memory_limit = {lit(settings.memory_limit)}")
    except duckdb.ParserException as error:  # a limit DuckDB cannot read is the caller's input, not a crash
        con.close()
        raise ValueError(f"memory limit {settings.memory_limit!r} is not a size DuckDB reads, such as 512MB or 2GB "
                         f"({str(error).splitlines()[0]})") from None
    con.execute(f"SET threads = {int(settings.threads)}")
    con.execute(f"SET temp_directory = {lit(settings.temp_directory or temp_dir)}")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    return con


def check_memory_limit(limit: str) -> None:
    """The ValueError `connect` raises for a limit DuckDB cannot read, raised up front: small files never open
    DuckDB, and a wrong option should not pass unnoticed because the files happened to be small."""
    if limit != Settings.memory_limit:
        connect(Settings(memory_limit=limit, threads=1), tempfile.gettempdir()).close()


class ResourceRun:
    """One resource on one DuckDB connection."""

    ids = itertools.count(1)  # table names: unique per connection (next() is atomic under the GIL)

    def __init__(self, con, resource: Resource, temp_dir: str, lookups: dict[int, Lookup] | None = None):
        self.id = next(ResourceRun.ids)
        self.con = con
        self.resource = resource
        self.temp_dir = temp_dir
        self.lookups = lookups or {}
        self.layout = S.inspect(resource.path, resource.dialect, tsv=resource.tsv, encoding=resource.encoding)
        schema = resource.schema
        labels = self.layout.labels
        self.header_errors = header_errors(labels, schema.fields)
        self.fields = _expected_fields(labels, schema.fields)
        self.n = len(self.fields)
        if self.n > MAX_FIELDS:
            raise Unsupported(f"{self.n} columns (DuckDB plans the checks of more than {MAX_FIELDS} slowly, and reads them past its memory limit)")
        names = [spec.name for spec in self.fields]
        self.unique = [i for i, spec in enumerate(self.fields) if spec.unique]
        self.primary = [names.index(name) for name in schema.primary_key] if schema.primary_key and set(schema.primary_key) <= set(names) else None
        self.foreign = []
        for position, fk in enumerate(schema.foreign_keys):
            if set(fk.fields) <= set(names):
                self.foreign.append((position, [names.index(name) for name in fk.fields], fk))
                if not fk.resource or fk.resource == resource.name:
                    by_name = {spec.name: spec for spec in schema.fields}
                    same_types(fk, [by_name[name] for name in fk.fields], [by_name.get(name) for name in fk.reference_fields])
        self.compiled = [compile_field(spec, f"c{i}") for i, spec in enumerate(self.fields)]
        # Planning a row check over hundreds of fields, DuckDB's search for common subexpressions grows
        # faster than the SQL (1,000 fields: 1.9 of 2.5 s, for a 10-row file); narrow tables keep it
        self.optimizers_off = ["common_subexpressions"] if self.n > WIDE_FIELDS else []  # set as `run` and `lookup` start
        self.dictionaries: dict[int, str] = {}
        self.residue_keys: dict[int, str] = {}
        self.mode = "exact" if self.layout.exact_reasons else "fast"
        self.parallel = True
        self.rows = None
        self.normalized = None
        self.line_bytes = 0  # the most bytes a line of `normalized` can hold
        self.replayed = 0
        self.rows_from = None  # where scan 2 took its rows: "picked lines" or "numbered scan"
        self.scan = S.ByteScan()  # the file's stats and line index: `run` is given the one being made
        self.self_lookups: dict[int, list[int]] = {}  # foreign key -> the fields it points at in this resource (keys_scan)
        self.scanning: threading.Event | None = None

    def _set_optimizers(self, *also_off: str) -> None:
        """This resource's optimizer settings on its connection, with `also_off` disabled for one query."""
        off = [*also_off, *self.optimizers_off]
        if off:
            self.con.execute(f"SET disabled_optimizers = '{','.join(off)}'")
        else:
            self.con.execute("RESET disabled_optimizers")

    # SQL building blocks -------------------------------------------------

    def width(self) -> int:
        return self.n + EXTRA_COLUMNS if self.mode == "fast" else self.n

    def source_sql(self, numbered: bool = True) -> str:
        """The rows as c0..cN VARCHAR (+ `o`, the Frictionless row number, when `numbered`: WITH ORDINALITY
        makes DuckDB read the file on one thread, so scans that need no row numbers leave it out)."""
        layout = self.layout
        if self.mode == "fast":
            cells = ", ".join(f"c{i}" for i in range(self.width()))
            options = self._fast_options()
            if not numbered:
                return f"(SELECT {cells} FROM read_csv({lit(layout.path)}, {options}))"
            return f"(SELECT ordinality + 1 AS o, {cells} FROM read_csv({lit(layout.path)}, {options}) WITH ORDINALITY)"
        columns = ["o", "nc"] + [f"c{i}" for i in range(self.n)] + ["rest"]
        spec = "{" + ", ".join(f"'{name}': '{'BIGINT' if name in ('o', 'nc') else 'VARCHAR'}'" for name in columns) + "}"
        options = f"auto_detect = false, header = false, delim = ',', quote = '\"', escape = '\"', columns = {spec}, nullstr = {lit(S.NULL)}, strict_mode = true, parallel = false, new_line = {NEW_LINE}"
        if self.line_bytes > MAX_LINE_BYTES:  # DuckDB's limit; the fast path's reader rejects such lines into this path
            options += f", max_line_size = {self.line_bytes + 1}"
        return f"(SELECT * FROM read_csv({lit(self.normalized)}, {options}))"

    def _fast_options(self, *, numbered_file: bool = False) -> str:
        """read_csv options of the fast path; `numbered_file` reads a file of picked lines, each led by its
        row number (`lines_source`), and keeps its rejects apart from the resource's."""
        layout = self.layout
        names = (["o"] if numbered_file else []) + [f"c{i}" for i in range(self.width())]
        columns = "{" + ", ".join(f"'{name}': '{'BIGINT' if name == 'o' else 'VARCHAR'}'" for name in names) + "}"
        quote = layout.quotechar
        rejects = f"picked_{self.id}" if numbered_file else str(self.id)
        return (
            f"auto_detect = false, header = true, delim = {lit(layout.delimiter)}, quote = {lit(quote)}, escape = {lit(quote)}, "
            f"columns = {columns}, nullstr = {lit(S.NULL)}, null_padding = true, strict_mode = true, "
            f"store_rejects = true, rejects_table = 'rejects_{rejects}', rejects_scan = 'rejects_scan_{rejects}', "
            f"parallel = {'true' if self.parallel and not numbered_file else 'false'}, encoding = 'utf-8'"
        )

    def missing_sql(self, i: int) -> str:
        values = self.fields[i].missing_values
        column = f"c{i}"
        return f"({column} IS NULL OR {in_list(column, values)})" if values else f"({column} IS NULL)"

    def fine_sql(self, i: int) -> str:
        spec, compiled = self.fields[i], self.compiled[i]
        if i in self.dictionaries:
            fine = f"c{i} IN (SELECT raw FROM {self.dictionaries[i]} WHERE fine)"
        else:
            fine = compiled.fine
        missing_ok = "false" if spec.required else "true"
        values = spec.missing_values
        missing = f"WHEN {in_list(f'c{i}', values)} THEN {missing_ok} " if values else ""
        return f"coalesce(CASE WHEN c{i} IS NULL THEN false {missing}ELSE {fine} END, false)"

    def key_sql(self, i: int) -> str:
        compiled = self.compiled[i]
        if i in self.dictionaries:
            key = f"(SELECT k FROM {self.dictionaries[i]} d WHERE d.raw = c{i})"
        else:
            key = compiled.key or "CAST(NULL AS VARCHAR)"  # a column of keys is VARCHAR, even one SQL cannot type
        if i in self.residue_keys:
            residue = f"(SELECT k FROM {self.residue_keys[i]} r WHERE r.raw = c{i})"
            # NaN equals nothing, not even NaN: a token of its own each time (scans without row numbers key it too)
            key = f"coalesce({key}, CASE WHEN {residue} = {lit(NAN_KEY)} THEN {lit(NAN_KEY)} || CAST(gen_random_uuid() AS VARCHAR) ELSE {residue} END)"
        return f"(CASE WHEN {self.missing_sql(i)} THEN NULL ELSE {key} END)"

    # Scans ----------------------------------------------------------------

    def query(self, sql: str):
        try:
            return self.con.execute(sql)
        except Exception as error:  # duckdb errors: retry serially, else take the exact path
            from pipelines.tablecheck.duck import duckdb

            if isinstance(error, duckdb.OutOfMemoryException):
                raise  # the exact path would need as much memory, after normalising the whole file
            message = str(error)
            if self.mode == "fast" and self.parallel and "parallel" in message.lower():
                self.parallel = False
                return self.query(sql.replace("parallel = true", "parallel = false"))
            if self.mode == "fast":
                raise ExactPathNeeded(message.splitlines()[0])
            raise

    def _rejected(self, name) -> int:
        try:
            return self.con.execute(f"SELECT count(*) FROM rejects_{name}").fetchone()[0]
        except Exception:  # no rejects table: the read rejected nothing
            return 0

    def check_rejects(self):
        if self.mode != "fast":
            return
        rejected = self._rejected(self.id)
        if rejected:
            raise ExactPathNeeded(f"{rejected} rows DuckDB reads differently")

    def build_dictionaries(self):
        """Scan 0: distinct values of fields SQL cannot judge, judged in Python."""
        wanted = [i for i, compiled in enumerate(self.compiled) if compiled.dictionary]
        wanted += [i for i in self._pattern_fallbacks() if i not in wanted]
        if not wanted:
            return
        columns = ", ".join(f"c{i}" for i in wanted)
        parts = [f"SELECT {i} AS f, c{i} AS raw FROM d WHERE NOT {self.missing_sql(i)} GROUP BY c{i}" for i in wanted]
        sql = f"WITH d AS MATERIALIZED (SELECT {columns} FROM {self.source_sql(numbered=False)}) " + " UNION ALL ".join(parts)
        rows = self.query(sql).fetchall()
        self.check_rejects()
        for i in wanted:
            self.dictionaries[i] = self._register(f"dict_{self.id}_{i}", ["raw VARCHAR", "fine BOOLEAN", "k VARCHAR"])
        by_field: dict[int, list] = {i: [] for i in wanted}
        readers = {i: cell_reader(self.fields[i]) for i in wanted}
        for i, raw in rows:
            value, notes = readers[i](raw)
            by_field[i].append((raw, not notes, py_key(value) if not (notes and notes[0][0] == "type") else None))
        for i, entries in by_field.items():
            self._fill(self.dictionaries[i], entries)

    def _pattern_fallbacks(self) -> list[int]:
        """String fields whose pattern RE2 refuses to compile go to the dictionary path."""
        result = []
        for i, spec in enumerate(self.fields):
            if spec.type == "string" and "pattern" in spec.constraints and not self.compiled[i].dictionary:
                from pipelines.tablecheck.compile import pattern_sql

                regex = pattern_sql(spec.constraints["pattern"])[0]
                try:
                    self.con.execute(f"SELECT regexp_matches('', {lit(regex)})").fetchall()
                except Exception:
                    self.compiled[i] = Compiled("false", None, dictionary=True)
                    result.append(i)
        return result

    def _register(self, name: str, columns: list[str]) -> str:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({', '.join(columns)})")
        return name

    def _fill(self, table: str, entries: list[tuple]):
        if not entries:
            return
        path = os.path.join(self.temp_dir, f"{table}.csv")
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = S.RowWriter(handle)
            for entry in entries:
                writer.writerow([S.NULL if value is None else ("true" if value is True else "false" if value is False else value) for value in entry])
        width = len(entries[0])
        self.con.execute(
            f"INSERT INTO {table} SELECT * FROM read_csv({lit(path)}, header = false, auto_detect = false, "
            f"columns = {{{', '.join(f''''c{j}': 'VARCHAR' ''' for j in range(width))}}}, nullstr = {lit(S.NULL)}, quote = '\"', escape = '\"', delim = ',', new_line = {NEW_LINE})"
        )

    def row_columns(self) -> list[str]:
        """The source columns that make up a row (all but `o`): what a row's hash is taken over."""
        if self.mode == "fast":
            return [f"c{i}" for i in range(self.width())]
        return ["nc", *(f"c{i}" for i in range(self.n)), "rest"]

    def look_sql(self) -> str:
        """True for a row Python must look at whatever the other rows hold: a cell SQL cannot vouch for or
        key, a structural problem, an all-empty row or primary key. (Keys missing from another resource are found
        over the facts table, into `chosen_table`: a join in scan 1 would cost more and lose the file order.)"""
        conditions = [f"NOT {self.fine_sql(i)}" for i in range(self.n)]
        if self.mode == "fast":
            conditions += [f"c{i} IS NOT NULL" for i in range(self.n, self.width())]
        else:
            conditions += ["rest IS NOT NULL", "nc < " + str(self.n)]
        conditions.append("(" + " AND ".join(self.missing_sql(i) for i in range(self.n)) + ")")
        if self.primary:
            conditions.append("(" + " AND ".join(f"{self.key_sql(i)} IS NULL" for i in self.primary) + ")")
        # a valid key cell SQL cannot key (the number 1e0): Python keys it, then the keys are compared again
        conditions += [f"(NOT {self.missing_sql(i)} AND {self.key_sql(i)} IS NULL)" for i in self.key_fields() if not self._key_is_certain(i)]
        return " OR ".join(conditions)

    def foreign_missing_sql(self, j: int, target: list[str] | None = None) -> str:
        """True when foreign key j of a row points at no row of the referenced resource; `target` names
        columns that already hold the key (the facts table's) instead of the row's cells."""
        position, group, fk = self.foreign[j]
        target = target or [self.key_sql(i) for i in group]
        all_null = " AND ".join(f"{key} IS NULL" for key in target)
        if j in self.self_lookups:
            names = self.ref_columns[j]
            lookup = f"(SELECT {', '.join(f'{name} AS l{n}' for n, name in enumerate(names))} FROM {self.keys_table} WHERE g = {self.sets[f'f{j}']})"
        else:
            lookup = self.lookups[position].table
        # uncorrelated membership (a correlated EXISTS would make DuckDB materialise the whole scan);
        # NULLs compare equal, as None does in Frictionless's key tuples
        target_key = _tuple_sql(target)
        lookup_key = _tuple_sql([f"l{n}" for n in range(len(target))])
        return f"(NOT ({all_null}) AND NOT coalesce({target_key} IN (SELECT {lookup_key} FROM {lookup}), false))"

    def keys_scan(self) -> None:
        """Scan 1, in parallel (no row numbers): the rows needing a look, which key hashes repeat (unique
        fields, primary key), the self-reference lookups, and the row count.

        The facts table keeps, per row, 8-byte hashes of the canonical keys and, for a row needing a look
        (`look_sql`, the costly per-cell checks, run here on every core), of the whole row; one hash
        aggregate with GROUPING SETS over the key hashes then keeps those that repeat. Hash collisions only
        add candidates: scan 2 settles them on the rows' own cells.
        """
        self.sets = {}
        self.self_lookups = {}
        refs = []
        for j, (_, group, fk) in enumerate(self.foreign):
            if not fk.resource or fk.resource == self.resource.name:
                self.self_lookups[j] = self._self_reference(fk)
                refs.append(j)
        columns, sets, having = [], [], []
        for i in self.unique:
            columns.append((f"hu{i}", f"(CASE WHEN {self.key_sql(i)} IS NULL THEN NULL ELSE hash({self.key_sql(i)}) END)"))
        if self.primary:
            keys = [self.key_sql(i) for i in self.primary]
            all_null = " AND ".join(f"{key} IS NULL" for key in keys)
            columns.append(("hpk", f"(CASE WHEN {all_null} THEN NULL ELSE hash({', '.join(keys)}) END)"))
        ref_columns = {}
        for j in refs:
            names = []
            for n, i in enumerate(self.self_lookups[j]):
                names.append(f"r{j}_{n}")
                columns.append((f"r{j}_{n}", self.key_sql(i)))
            ref_columns[j] = names
        grouping = [name for name, _ in columns]
        columns.append(("hb", f"(CASE WHEN {self.look_sql()} THEN hash({', '.join(self.row_columns())}) END)"))
        other_refs = {j: [f"f{j}_{n}" for n in range(len(group))] for j, (_, group, _) in enumerate(self.foreign) if j not in self.self_lookups}
        for j, names in other_refs.items():
            columns += [(name, self.key_sql(i)) for name, i in zip(names, self.foreign[j][1])]
        bit = {name: 1 << (len(grouping) - 1 - position) for position, name in enumerate(grouping)}
        full = (1 << len(grouping)) - 1

        def gid(names):
            return full - sum(bit[name] for name in names)

        for i in self.unique:
            self.sets[f"u{i}"] = gid([f"hu{i}"])
            sets.append(f"(hu{i})")
            having.append(f"(g = {gid([f'hu{i}'])} AND count(*) > 1 AND hu{i} IS NOT NULL)")
        if self.primary:
            self.sets["pk"] = gid(["hpk"])
            sets.append("(hpk)")
            having.append(f"(g = {gid(['hpk'])} AND count(*) > 1 AND hpk IS NOT NULL)")
        for j in refs:
            self.sets[f"f{j}"] = gid(ref_columns[j])
            sets.append("(" + ", ".join(ref_columns[j]) + ")")
            having.append(f"(g = {gid(ref_columns[j])} AND NOT ({' AND '.join(f'{name} IS NULL' for name in ref_columns[j])}))")
        self.projected = columns
        projected = ", ".join(f"{expr} AS {name}" for name, expr in columns)
        # the per-row facts in file order (rowid + 2 is the row number): scan 2 can then pick rows by number
        self.facts_table = f"facts_{self.id}"
        facts = f"CREATE OR REPLACE TEMP TABLE {self.facts_table} AS SELECT {projected} FROM {self.source_sql(numbered=False)}"
        self.con.execute("SET preserve_insertion_order = true")
        # DuckDB turns an IN list of more than a few values (an enum, boolean words) into a join
        self._set_optimizers("in_clause")
        try:
            # only an order-keeping (batch) insert numbers the rows as the file does; a join (a dictionary
            # or residue lookup) makes DuckDB insert as threads finish. A big file's plan says which it is; a
            # small or wide one's is not planned twice for it (6 ms; a second at 1,000 columns): the replay
            # checks each picked line against its facts anyway, and reads the file numbered if one is not the
            # row scan 1 saw
            self.facts_in_order = not (self.dictionaries or self.residue_keys)
            if os.path.getsize(self.resource.path) >= PLAN_FROM_BYTES and self.n <= WIDE_FIELDS:
                plan = " ".join(str(part) for row in self.query(f"EXPLAIN {facts}").fetchall() for part in row)
                self.facts_in_order = re.search(r"batch.?create.?table.?as", plan, re.IGNORECASE) is not None
            if self.scanning is not None:
                self.scanning.set()
            with self.scan.paused():
                self.query(facts)
        finally:
            self.con.execute("SET preserve_insertion_order = false")
            self._set_optimizers()
        self.check_rejects()
        table = f"keys_{self.id}"
        if sets:  # keys to compare: unique fields, a primary key, a foreign key into this resource
            g = f"grouping({', '.join(grouping)})"
            self.query(
                f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM (SELECT {g} AS g, {', '.join(grouping)}, count(*) AS n "
                f"FROM {self.facts_table} GROUP BY GROUPING SETS ({', '.join(sets)}) HAVING {' OR '.join(having)})"
            )
        self.keys_table = table
        self.ref_columns = ref_columns
        self.rows = self.con.execute(f"SELECT count(*) FROM {self.facts_table}").fetchone()[0]
        # The candidates' facts, in file order: rows marked, repeated keys, keys pointing at no row of another
        # resource (an anti-join over the facts). Scan 2 has nothing to find when there are none and no key
        # points into this resource.
        wanted = ["hb IS NOT NULL"] + [f"hu{i} IN (SELECT hu{i} FROM {table} WHERE g = {self.sets[f'u{i}']})" for i in self.unique]
        if self.primary:
            wanted.append(f"hpk IN (SELECT hpk FROM {table} WHERE g = {self.sets['pk']})")
        wanted += [self.foreign_missing_sql(j, names) for j, names in other_refs.items()]
        self.chosen_table = f"chosen_{self.id}"
        self.query(f"CREATE OR REPLACE TEMP TABLE {self.chosen_table} AS SELECT rowid AS r, * FROM {self.facts_table} WHERE {' OR '.join(wanted)}")
        self.chosen = self.con.execute(f"SELECT count(*) FROM {self.chosen_table}").fetchone()[0]
        self.candidates = bool(refs) or self.chosen > 0

    def row_scan(self, store) -> bool:
        """Scan 2, in row order: the rows scan 1 marked, and those whose keys repeat or point at no row of
        this resource, with their key facts, replayed in Python in row order.

        The rows come from `lines_source` when the file has one line per row (scan 1's facts say which row
        numbers to pick); otherwise from a numbered read of the whole file on one thread. Either way only
        cheap work runs here, a hash per row and the key probes; the per-cell checks ran in parallel in
        scan 1. The row errors go to `store`; returns whether a key cell SQL could not type turned out valid.
        """
        self.replayed = 0
        if not self.candidates:
            self.check_rejects()
            return False
        picked = self.lines_source()
        if picked is not None:
            replayed = self._replay(store, picked[0], picked_rows=picked[1])
            if replayed is not None:
                self.rows_from = "picked lines"
                return replayed
        self.rows_from = "numbered scan"
        return self._replay(store, self.source_sql())

    def _replay(self, store, source: str, *, picked_rows: int | None = None) -> bool | None:
        """The candidates' errors, added to `store` in row order. With `picked_rows` the source is picked lines,
        each compared with scan 1's facts at its row number in the same query; None (and `store` as it was)
        when any of them is not the row scan 1 saw."""
        self.replayed = 0
        sets = self.sets
        look = f"hash({', '.join(self.row_columns())}) IN (SELECT hb FROM {self.facts_table} WHERE hb IS NOT NULL)"
        flags = []  # (name, SQL boolean) computed per candidate row and returned
        keys = []  # (name, SQL canonical key) returned for candidates
        for i in self.unique:
            key = self.key_sql(i)
            flags.append((f"cu{i}", f"coalesce(hash({key}) IN (SELECT hu{i} FROM {self.keys_table} WHERE g = {sets[f'u{i}']}) AND {key} IS NOT NULL, false)"))
            keys.append((f"ku{i}", key))
        if self.primary:
            pk = [self.key_sql(i) for i in self.primary]
            all_null = " AND ".join(f"{key} IS NULL" for key in pk)
            flags.append(("cpk", f"coalesce(hash({', '.join(pk)}) IN (SELECT hpk FROM {self.keys_table} WHERE g = {sets['pk']}) AND NOT ({all_null}), false)"))
            flags.append(("npk", f"({all_null})"))
            for n, key in enumerate(pk):
                keys.append((f"kpk{n}", key))
        for j in range(len(self.foreign)):
            flags.append((f"mf{j}", self.foreign_missing_sql(j)))
        key_fields = self.key_fields()
        for i in key_fields:
            keys.append((f"k{i}", self.key_sql(i)))
        # a bit per cell SQL cannot vouch for: Python reads only those of a row without key facts (a few
        # candidates are read whole: cheaper than binding every field's check again, ~half of a small file's time)
        vouched = 0 < self.n < 63 and (self.chosen >= UNSURE_FROM or bool(self.self_lookups))  # a self-reference's rows are not counted
        unsure = " + ".join(f"(CASE WHEN {self.fine_sql(i)} THEN 0 ELSE CAST({1 << i} AS BIGINT) END)" for i in range(self.n)) if vouched else "NULL"
        keys.append(("unsure", unsure))
        # a candidate: marked by scan 1, or a key scan 1 found repeated, or a foreign key pointing at nothing
        candidates = [look] + [expr for name, expr in flags if name.startswith("cu") or name == "cpk" or name.startswith("mf")]
        columns = ", ".join(f"c{i}" for i in range(self.width())) + (", nc, rest" if self.mode == "exact" else "")
        inner = ", ".join([f"{expr} AS {name}" for name, expr in flags + keys])
        # the previous occurrence of a repeated key, over just the rows whose key repeats (a window over every
        # candidate held them all in memory: 10M rows each with an error did not fit in 512MB)
        windows = [(f"pu{i}", f"SELECT o, lag(o) OVER (PARTITION BY ku{i} ORDER BY o) AS pu{i} FROM f WHERE cu{i}") for i in self.unique]
        if self.primary:
            pk_keys = ", ".join(f"kpk{n}" for n in range(len(self.primary)))
            windows.append(("ppk", f"SELECT o, lag(o) OVER (PARTITION BY {pk_keys} ORDER BY o) AS ppk FROM f WHERE cpk"))
        # only the candidate rows are read, then their facts computed once (f is materialized: the windows read it too)
        if picked_rows is None:
            rows = f"SELECT o, {columns} FROM {source} WHERE {' OR '.join(candidates)}"
        else:  # every picked line is a candidate if it is the row scan 1 saw: `same` says so
            same = " AND ".join(f"{expr} IS NOT DISTINCT FROM s.{name}" for name, expr in self.projected)
            rows = f"SELECT o, {columns}, coalesce({same}, false) AS same FROM {source} p LEFT JOIN {self.chosen_table} s ON s.r = p.o - 2"
            columns += ", same"
        outer = ", ".join(["o", columns] + [name for name, _ in flags] + [f"k{i}" for i in key_fields] + ["unsure"] + [name for name, _ in windows])
        ctes = "".join(f", {name}_w AS ({query})" for name, query in windows)
        joins = "".join(f" LEFT JOIN {name}_w USING (o)" for name, _ in windows)
        sql = (
            f"WITH r AS ({rows}), "
            f"f AS MATERIALIZED (SELECT o, {columns}{', ' + inner if inner else ''} FROM r){ctes} SELECT {outer} FROM f{joins} ORDER BY o"
        )
        width = self.width()
        base = 1 + width + (2 if self.mode == "exact" else 0) + (picked_rows is not None)
        names = [name for name, _ in flags] + [f"k{i}" for i in key_fields] + ["unsure"] + [name for name, _ in windows]
        position = {name: base + n for n, name in enumerate(names)}
        checker = RowChecker(self.fields, unique=self.unique, primary=self.primary, foreign=[(group, fk) for _, group, fk in self.foreign])
        # where each fact is in a result row, looked up once
        repeated = [(("u", i), position[f"pu{i}"]) for i in self.unique] + ([(("pk",), position["ppk"])] if self.primary else [])
        dangling = [(("fk", j), position[f"mf{j}"]) for j in range(len(self.foreign))]
        key_columns = [(i, position[f"k{i}"]) for i in key_fields]
        unsure_at, fast = position["unsure"], self.mode == "fast"
        cursor = self.query(sql)
        before = store.mark()
        residue_valid = False
        with cyclic_gc_paused():  # a million errors alive: each collection would walk them all (22 s of 51 s)
            while True:
                batch = cursor.fetchmany(FETCH)
                if not batch:
                    break
                self.replayed += len(batch)
                if picked_rows is not None and not all(row[width + 1] for row in batch):
                    store.rollback(before)
                    return None
                for row in batch:
                    o = row[0]
                    if fast:
                        cells = list(row[1 : width + 1])
                        while cells and cells[-1] is None:
                            cells.pop()
                    else:
                        count, rest = row[width + 1], row[width + 2]
                        cells = list(row[1 : 1 + min(count, width)]) + (json.loads(rest) if rest is not None else [])
                    facts = {fact: row[at] for fact, at in repeated if row[at] is not None}
                    facts.update((fact, True) for fact, at in dangling if row[at])
                    row_errors = checker.errors(o, cells, facts, unsure=row[unsure_at])
                    if row_errors:
                        store.add(row_errors)
                    for i, at in key_columns:
                        if row[at] is None and not residue_valid:
                            raw = cells[i] if i < len(cells) else None
                            if raw is not None and raw not in self.fields[i].missing_values:
                                value, notes = checker.readers[i](raw)
                                if value is not None and not (notes and notes[0][0] == "type"):
                                    residue_valid = True
        if picked_rows is not None and (self.replayed != picked_rows or self._rejected(f"picked_{self.id}")):
            store.rollback(before)
            return None
        self.check_rejects()
        return residue_valid

    def lines_source(self) -> tuple[str, int] | None:
        """The candidate rows as a small CSV of their own lines, each led by its row number (with how many),
        or None when rows cannot be picked by line: the exact path, a row spanning lines, a self-referencing
        key (its candidates need every row's key); or should not be: more than a quarter of many rows.

        Scan 1 kept its per-row facts in file order, so a candidate's row number is its rowid + 2 and its
        line (header = line 0) rowid + 1. The picked lines are read with the same options as the file, and
        the replay compares their facts with scan 1's at the same rowid before anything is trusted."""
        if self.mode != "fast" or self.self_lookups or self.layout.header_newlines or not self.facts_in_order:
            return None
        if self.chosen > max(PICK_ALWAYS, self.rows * PICK_AT_MOST):
            return None  # reading one line costs ~4 us, a numbered read of the whole file ~1.3 us a row
        numbers = [row[0] for row in self.con.execute(f"SELECT r + 1 FROM {self.chosen_table} ORDER BY r").fetchall()]
        lines = S.lines_at(self.layout.path, [0, *numbers], scan=self.scan)
        if not S.one_record_a_line(lines.newlines, lines.ends_with_newline, self.rows):
            return None  # a quoted cell holds a line break: line numbers are not row numbers
        path = os.path.join(self.temp_dir, f"picked_{self.id}.csv")
        delimiter = self.layout.delimiter.encode("utf-8")
        with open(path, "wb") as handle:
            handle.write(b"o" + delimiter + lines.picked[0] + b"\n")
            handle.writelines(b"%d%b%b\n" % (number + 1, delimiter, line) for number, line in zip(numbers, lines.picked[1:]))
        return f"(SELECT * FROM read_csv({lit(path)}, {self._fast_options(numbered_file=True)}))", len(numbers)

    def _self_reference(self, fk) -> list[int]:
        names = [spec.name for spec in self.fields]
        if not set(fk.reference_fields) <= set(names):
            raise Unsupported("self-referencing foreign key to fields missing from the header")
        return [names.index(name) for name in fk.reference_fields]

    def residue_key_tables(self) -> None:
        """Key cells SQL could not type but Python can (e.g. " 5" or "1_000" for integers): a raw -> key table
        per field, joined into the key expressions, so scans 1 and 2 see the same keys as Frictionless."""
        for i in self.key_fields():
            if i in self.residue_keys or self._key_is_certain(i):
                continue
            compiled_key = self.key_sql(i)
            raws = [row[0] for row in self.query(
                f"SELECT DISTINCT c{i} FROM {self.source_sql(numbered=False)} WHERE {compiled_key} IS NULL AND NOT {self.missing_sql(i)}"
            ).fetchall()]
            read = cell_reader(self.fields[i])
            entries = []
            for raw in raws:
                value, notes = read(raw)
                if value is not None and not (notes and notes[0][0] == "type"):
                    entries.append((raw, py_key(value)))
            if entries:
                table = self._register(f"resid_{self.id}_{i}", ["raw VARCHAR", "k VARCHAR"])
                self._fill(table, entries)
                self.residue_keys[i] = table

    def key_fields(self) -> list[int]:
        """The fields whose keys are compared: unique, primary, foreign, and those a self-reference points at."""
        return sorted(set(self.unique) | set(self.primary or []) | {i for _, group, _ in self.foreign for i in group}
                      | {i for indexes in self.self_lookups.values() for i in indexes})

    def _key_is_certain(self, i: int) -> bool:
        """Plain strings (and any) have a key exactly when they are not missing: no residue to look at."""
        spec = self.fields[i]
        return i not in self.dictionaries and (spec.type == "any" or (spec.type == "string" and spec.format == "default"))

    def lookup(self, fields: list[str], table: str) -> Lookup:
        """This resource's key tuples for `fields` (rows whose cells are all None left out), as a table l0..ln."""
        names = [spec.name for spec in self.fields]
        width = len(fields)
        columns = ", ".join(f"l{n} VARCHAR" for n in range(width))
        self._set_optimizers()
        if not set(fields) <= set(names):
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {table} ({columns})")
            return Lookup(table, width)
        if self.mode == "fast" and (reason := S.misread(self.layout)):
            self.layout.exact_reasons.append(reason)
            self.mode = "exact"
        indexes = [names.index(name) for name in fields]
        for _ in range(2):
            try:
                self._normalize()
                keys = ", ".join(f"{self.key_sql(i)} AS l{n}" for n, i in enumerate(indexes))
                raws = ", ".join(f"CASE WHEN NOT {self.missing_sql(i)} THEN c{i} END AS r{n}" for n, i in enumerate(indexes))
                self.query(f"CREATE OR REPLACE TEMP TABLE {table}_raw AS SELECT DISTINCT {keys}, {raws} FROM {self.source_sql(numbered=False)}")
                self.check_rejects()
                break
            except ExactPathNeeded as reason:
                self.layout.exact_reasons.append(str(reason))
                self.mode = "exact"
        unsure = " OR ".join(f"(l{n} IS NULL AND r{n} IS NOT NULL)" for n in range(width))
        rows = self.con.execute(f"SELECT * FROM {table}_raw WHERE {unsure}").fetchall()
        readers = [cell_reader(self.fields[i]) for i in indexes]
        fixed = []
        for row in rows:
            keys = list(row[:width])
            for n in range(width):
                if keys[n] is None and row[width + n] is not None:
                    value, notes = readers[n](row[width + n])
                    keys[n] = None if (notes and notes[0][0] == "type") else py_key(value)
            fixed.append(tuple(keys))
        all_null = " AND ".join(f"l{n} IS NULL" for n in range(width))
        self.con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT DISTINCT {', '.join(f'l{n}' for n in range(width))} FROM {table}_raw "
            f"WHERE NOT ({unsure}) AND NOT ({all_null})"
        )
        fixed = [keys for keys in fixed if any(value is not None for value in keys)]
        if fixed:
            self._fill(table, fixed)
        return Lookup(table, width)

    # Whole resource -------------------------------------------------------

    def run(self, scan: S.ByteScan, store) -> int:
        """The resource's errors into `store` (header first, then rows in order); returns the row count.
        `scan` (hashes, layout facts, the line index) has been running since before DuckDB was imported;
        scan 2 picks its lines with the index when it is done."""
        self.scan = scan
        scan.quoting = (self.layout.delimiter, self.layout.quotechar)  # before its index thread starts
        self._set_optimizers()  # this resource's: a lookup built on the connection may have set its own
        start = store.mark()
        try:
            result = self._run_once(store)
            scan.wait()
            one_line_header = not self.layout.header_newlines
            if self.mode == "fast" and (reason := scan.misread(serial=not self.parallel, rows=self.rows if one_line_header else None)):
                raise ExactPathNeeded(reason)
            return result
        except ExactPathNeeded as reason:
            scan.wait()
            self.layout.exact_reasons.append(str(reason))
            self.mode = "exact"
            self.dictionaries, self.residue_keys, self.rows, self.sets = {}, {}, None, {}
            store.rollback(start)
            return self._run_once(store)

    def _normalize(self) -> None:
        """The exact path's plain copy of the file (once), its row count and longest line."""
        if self.mode != "exact" or self.normalized is not None:
            return
        self.normalized = os.path.join(self.temp_dir, f"normalized_{self.id}.csv")
        try:
            self.exact_rows, self.line_bytes = S.normalize(self.layout, self.normalized, self.n)
        except (UnicodeDecodeError, csv.Error) as error:
            raise Unsupported(f"unreadable as {self.layout.encoding} CSV: {error}")

    def _run_once(self, store) -> int:
        self._normalize()
        self.build_dictionaries()
        self.keys_scan()
        store.add(self.header_errors)
        rows_start = store.mark()
        if self.row_scan(store):  # a key cell SQL could not type is valid: key it as Python does, and again
            store.rollback(rows_start)
            self.residue_key_tables()
            self.keys_scan()
            self.row_scan(store)
        rows = self.exact_rows if self.mode == "exact" else self.rows
        return max(rows, 0)


def _tuple_sql(keys: list[str]) -> str:
    """One comparable value for a key tuple, NULL-safe (NULL becomes a marker no canonical key has)."""
    parts = [f"coalesce({key}, {lit(S.NULL)})" for key in keys]
    return parts[0] if len(parts) == 1 else f"[{', '.join(parts)}]"


def same_types(fk, fields: list[Field], references: list[Field | None]) -> None:
    """Keys compare typed values; across different types Python's equality rules (1 == True...) would apply."""
    for spec, reference in zip(fields, references):
        if reference is None or (spec.type, spec.format) != (reference.type, reference.format):
            raise Unsupported(f"foreign key {fk.fields} -> {fk.reference_fields} compares different types")


def _expected_fields(labels: list[str], fields: list[Field]) -> list[Field]:
    """Frictionless's Header.get_expected_fields for fieldsMatch "exact"."""
    names = []
    used: set[str] = set()
    result = []
    for position, label in enumerate(labels):
        spec = fields[position] if position < len(fields) else None
        name = spec.name if spec is not None else label
        candidate, suffix = name, 2
        while candidate in used:
            candidate = f"{name}{suffix}"
            suffix += 1
        used.add(candidate)
        names.append(candidate)
        result.append(spec if spec is not None else Field(name=candidate, type="any", missing_values=[""]))
    return result


def _version(path: str) -> tuple[int, int, int]:
    """What tells that a file's content changed: its size, modification time and inode (replaced by a rename)."""
    stat = os.stat(path)
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def check(resource: Resource, *, settings: Settings | None = None, lookups_for=None, references: dict | None = None) -> tuple[dict, dict]:
    """The Frictionless-format task (report["tasks"][i]) of one resource, and how it was checked.
    `references`: foreign key position -> the Resource it points at, when that is another one (small files)."""
    settings = settings or Settings()
    started = time.perf_counter()
    errors = settings.errors()
    try:
        before = _version(resource.path)
        run = ResourceRun(None, resource, "") if small.sized(resource, references or {}) else None
        others = {position: ResourceRun(None, target, "") for position, target in (references or {}).items()} if run else {}
        if run is not None and small.fits(run):
            rows = small.check_rows(run, errors, others)
            stats, engine = resource.stats or small.file_stats(resource.path), {"engine": "python", "path": "small file"}
        else:
            run, rows, stats, engine = _check_in_duckdb(resource, settings, lookups_for, errors)
        if _version(resource.path) != before:  # the hashes, the scans and the replay may each have read another file
            raise ValueError(f"{resource.path}: the file changed while it was being checked (still being written?); check it again once it is complete")
    except BaseException:
        errors.close()  # a spool's temporary file, whatever failed (the temporary directory, DuckDB, a check)
        raise
    stats = {"errors": len(errors), "warnings": 0, "seconds": round(time.perf_counter() - started, 3), **{k: v for k, v in stats.items() if v}}
    if resource.schema.fields:
        stats["fields"] = len(resource.schema.fields)
    if rows:
        stats["rows"] = rows
    task = {
        "name": resource.name,
        "type": "table",
        "valid": not errors,
        "place": resource.place,
        "labels": run.layout.labels,
        "stats": stats,
        "warnings": [],
        "errors": errors,
    }
    return task, engine


def _check_in_duckdb(resource: Resource, settings: Settings, lookups_for, errors) -> tuple["ResourceRun", int, dict, dict]:
    """(the run, its row count, the file's stats (md5, sha256, bytes; empty when not known), how it was checked)
    of a resource DuckDB checks."""
    scan, con, temp_dir = S.ByteScan(), None, None
    try:
        temp_dir = tempfile.mkdtemp(prefix="tablecheck-", dir=settings.temp_directory)
        scan.start(resource.path, hashes=resource.stats is None)
        con = settings.databases.cursor() if settings.databases else connect(settings, temp_dir)
        run = ResourceRun(con, resource, temp_dir)
        run.scanning = settings.scanning
        if lookups_for is not None:
            run.lookups = lookups_for(run, con)
        rows = run.run(scan, errors)
    finally:
        scan.stop()  # only matters on the way out of a failure (e.g. Frictionless takes over)
        if con is not None:
            con.close()
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)
    stats = resource.stats or {"md5": scan.md5, "sha256": scan.sha256, "bytes": scan.bytes}
    engine = {"engine": "duckdb", "path": run.mode, "replayed": run.replayed, "rows_from": run.rows_from}  # replayed: candidate rows
    if run.layout.exact_reasons:
        engine["reasons"] = list(run.layout.exact_reasons)
    return run, rows, stats, engine
