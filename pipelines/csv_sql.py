"""DuckDB reads of the CSVs Ashyq publishes (to_csv_bytes: a header, minimal quoting, UTF-8): every cell
VARCHAR as c0..cN, an empty cell "" and never NULL, so queries see the text csv.reader would give."""
from __future__ import annotations

import csv
from pathlib import Path

from pipelines.tablecheck.compile import lit
from pipelines.tablecheck.source import NULL  # the marker tablecheck gives DuckDB as its NULL: no cell holds it


def header(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle), [])


def read_sql(path: Path, labels: list[str]) -> str:
    """read_csv(...) of a published CSV whose header is `labels`; column i is c{i}."""
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(labels))) + "}"
    return (f"read_csv({lit(str(path))}, header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
            f"columns = {columns}, nullstr = {lit(NULL)}, strict_mode = true, encoding = 'utf-8')")


def column_counts(path: Path, column: str) -> dict[str, int]:
    """How many rows hold each value of `column` (a million-row release in a fraction of a second)."""
    from pipelines.tablecheck.duck import duckdb

    labels = header(path)
    position = labels.index(column)
    con = duckdb.connect()
    try:
        return dict(con.execute(f"SELECT c{position}, count(*) FROM {read_sql(path, labels)} GROUP BY 1").fetchall())
    finally:
        con.close()
