"""Gzipped CSVs (budget.csv.gz): checked decompressed, reported with the compressed file's stats, as
Frictionless does; what gzip cannot read is left to Frictionless or named."""
from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.tablecheck import check_package, check_resource
from pipelines.tablecheck.compare import (
    differences,
    frictionless_package,
    frictionless_resource,
)
from pipelines.tablecheck.small import SMALL_FILE_ROWS

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = {
    "fields": [{"name": "id", "type": "integer"}, {"name": "region", "type": "string", "constraints": {"enum": ["Атырау", "Мангистау"]}},
               {"name": "amount", "type": "number", "constraints": {"minimum": 0}}],
    "primaryKey": ["id"],
}


def lines(count: int, *, bad_every: int = 997) -> str:
    """A budget-like table with a bad cell, a duplicate key or a region off the list every `bad_every` rows."""
    rows = ["id,region,amount"]
    for i in range(count):
        region = "Алматы" if i % bad_every == 5 else ("Атырау" if i % 2 else "Мангистау")
        amount = "-1" if i % bad_every == 7 else ("x" if i % bad_every == 9 else f"{i * 1.5:.2f}")
        rows.append(f"{i - 1 if i % bad_every == 11 else i},{region},{amount}")
    return "\n".join(rows) + "\n"


@pytest.fixture
def here(tmp_path, monkeypatch):
    """Frictionless reads relative paths only; decompressed copies go under tmp_path, to be seen going."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "scratch"))
    (tmp_path / "scratch").mkdir()
    return tmp_path


@pytest.mark.parametrize("rows, engine", [(40, "python"), (SMALL_FILE_ROWS * 2, "duckdb")])
@pytest.mark.parametrize("encoding", ["utf-8", "cp1251"])
def test_a_gzipped_csv_is_checked_as_frictionless_checks_it(here, rows, engine, encoding):
    data = lines(rows).encode(encoding)
    Path("budget.csv.gz").write_bytes(gzip.compress(data))
    ours = check_resource("budget.csv.gz", SCHEMA)
    assert differences(ours, frictionless_resource("budget.csv.gz", SCHEMA)) == []
    assert ours.engines[0]["engine"] == engine and not ours["valid"]
    task = ours["tasks"][0]
    assert task["name"] == "budget" and task["place"] == "budget.csv.gz" and task["stats"]["bytes"] == Path("budget.csv.gz").stat().st_size
    assert not list((here / "scratch").iterdir()), "the decompressed copy is removed"


def test_a_package_mixing_gzipped_and_plain_files_with_declared_hashes(here):
    Path("regions.csv").write_text("name\nАтырау\nМангистау\n", "utf-8")
    Path("lines.csv.gz").write_bytes(gzip.compress(lines(50).encode()) + gzip.compress("50,Атырау,1\n".encode()))  # two gzip members
    Path("other.tsv.gz").write_bytes(gzip.compress(b"a\tb\n1\t2\n"))
    compressed = check_resource("lines.csv.gz", SCHEMA)["tasks"][0]["stats"]
    schema = {**SCHEMA, "foreignKeys": [{"fields": ["region"], "reference": {"resource": "regions", "fields": ["name"]}}]}
    descriptor = {"name": "p", "resources": [
        {"name": "lines", "path": "lines.csv.gz", "schema": schema, "hash": f"sha256:{compressed['sha256']}", "bytes": compressed["bytes"]},
        {"name": "stale", "path": "lines.csv.gz", "compression": "gz", "format": "csv", "schema": SCHEMA, "hash": "0" * 32},
        {"name": "regions", "path": "regions.csv", "schema": {"fields": [{"name": "name", "type": "string"}], "primaryKey": ["name"]}},
        {"name": "other", "path": "other.tsv.gz", "schema": {"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "integer"}]}},
        {"name": "zipped", "path": "lines.csv.gz", "compression": "zip", "schema": SCHEMA},
    ]}
    Path("datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), "utf-8")
    ours = check_package("datapackage.json")
    assert differences(ours, frictionless_package("datapackage.json")) == []
    assert [engine["engine"] for engine in ours.engines] == ["python"] * 4 + ["frictionless"]
    assert "compression 'zip'" in ours.engines[4]["reason"]
    by_name = {task["name"]: task for task in ours["tasks"]}
    assert by_name["lines"]["stats"]["rows"] == 51 and not [e for e in by_name["lines"]["errors"] if e["type"] == "hash-count"]
    assert [e["type"] for e in by_name["stale"]["errors"]][-1] == "hash-count" and by_name["other"]["valid"]
    assert not list((here / "scratch").iterdir())


def test_what_gzip_cannot_read_goes_to_frictionless_or_exits_2_naming_the_file(here):
    Path("notgzip.csv.gz").write_bytes(b"id,region,amount\n1,x,2\n")
    ours = check_resource("notgzip.csv.gz", SCHEMA)
    assert differences(ours, frictionless_resource("notgzip.csv.gz", SCHEMA)) == []
    assert ours.engines[0]["engine"] == "frictionless" and "notgzip.csv.gz: gzip cannot read it" in ours.engines[0]["reason"]
    assert [e["type"] for e in ours["tasks"][0]["errors"]] == ["compression-error"]
    Path("schema.json").write_text(json.dumps(SCHEMA), "utf-8")
    Path("cut.csv.gz").write_bytes(gzip.compress(lines(2000).encode())[:-100])  # a download cut short
    result = subprocess.run([sys.executable, "-m", "pipelines.cli", "validate", "cut.csv.gz", "--schema", "schema.json"],
                            cwd=here, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "TMPDIR": str(here / "scratch")},
                            capture_output=True, text=True)
    assert result.returncode == 2 and "cut.csv.gz" in result.stderr and "Compressed file ended" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not list((here / "scratch").iterdir())


def test_a_file_that_would_fill_the_disk_is_left_to_frictionless_which_streams_it(here, monkeypatch):
    Path("budget.csv.gz").write_bytes(gzip.compress(lines(3000).encode()))
    monkeypatch.setattr("pipelines.tablecheck.gzipped.KEEP_FREE", shutil.disk_usage(here).free + (1 << 30))  # no room, whatever else writes
    ours = check_resource("budget.csv.gz", SCHEMA)
    assert ours.engines[0]["engine"] == "frictionless" and "would leave less than" in ours.engines[0]["reason"]
    assert differences(ours, frictionless_resource("budget.csv.gz", SCHEMA)) == [] and not ours["valid"]
    assert not list((here / "scratch").iterdir())
