"""Which files Python checks alone (small.py): few rows, estimated from the file's first lines, under a byte cap."""
from __future__ import annotations

import pytest

from pipelines.tablecheck import check_resource
from pipelines.tablecheck.small import SAMPLE_BYTES, SMALL_FILE_BYTES, SMALL_FILE_ROWS


@pytest.mark.parametrize("rows, width, engine", [
    (SMALL_FILE_ROWS - 500, 2, "python"),      # few short rows
    (SMALL_FILE_ROWS + 500, 2, "duckdb"),      # many short rows, in a file of 120 KB: DuckDB's fixed cost pays
    (SMALL_FILE_ROWS // 2, 20, "python"),      # wide rows: many bytes, few rows
    (SMALL_FILE_ROWS // 2, 40, "duckdb"),      # past the byte cap
])
def test_python_checks_files_of_few_rows_alone_and_duckdb_the_rest(tmp_path, rows, width, engine):
    header = ",".join(f"c{i}" for i in range(width))
    line = ",".join(str(100_000 + i) for i in range(width))  # 7 bytes a cell: the rows are estimated past the sample
    (tmp_path / "t.csv").write_text(header + "\n" + (line + "\n") * rows + "x\n", "utf-8")
    size = (tmp_path / "t.csv").stat().st_size
    assert (size > SAMPLE_BYTES) and ((size < SMALL_FILE_BYTES) == (width < 40))
    report = check_resource(str(tmp_path / "t.csv"), {"fields": [{"name": f"c{i}", "type": "integer"} for i in range(width)]})
    assert report.engines[0]["engine"] == engine
    assert [(e["type"], e["rowNumber"]) for e in report["tasks"][0]["errors"]][:2] == [("type-error", rows + 2), ("missing-cell", rows + 2)]
