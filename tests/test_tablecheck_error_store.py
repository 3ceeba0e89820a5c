"""Error stores: a report's errors kept in memory, only counted, or spooled to disk, with the same findings."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile

import pytest

from pipelines.tablecheck import check_package, check_resource
from pipelines.tablecheck.compare import differences, frictionless_resource
from pipelines.tablecheck.error_store import ErrorList, ErrorSpool, ErrorTally, error_counts, first_errors, write_report

pytestmark = pytest.mark.usefixtures("duckdb_for_small_files")  # these test the DuckDB paths; small.py has its own

SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True}},
        {"name": "signed", "type": "date"},
        {"name": "amount", "type": "number", "constraints": {"minimum": 0}},
    ],
    "primaryKey": ["id"],
}


def write_rows(path, rows):
    path.write_text("id,signed,amount\n" + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path.name  # tests run in its folder: Frictionless reads relative paths only


def many_errors(tmp_path, name="t.csv"):
    """Every date in another format, some amounts negative, a repeated key: 300 rows, 360 errors."""
    rows = [f"{i},{1 + i % 28:02d}.01.2024,{-i if i % 5 == 0 else i}" for i in range(1, 301)]
    rows[40] = "7,2024-01-07,1"
    return write_rows(tmp_path / name, rows)


def listed(report: dict) -> dict:
    """The report with each task's store read back into a list."""
    return {**report, "tasks": [{**task, "errors": list(task["errors"])} for task in report["tasks"]]}


@pytest.fixture
def small_buffer(monkeypatch):
    monkeypatch.setattr(ErrorSpool, "BUFFER", 200)  # a write to disk every few errors


def test_a_spooled_report_is_the_list_report_and_writes_the_same_json(tmp_path, monkeypatch, small_buffer):
    monkeypatch.chdir(tmp_path)
    path = many_errors(tmp_path)
    in_memory = check_resource(path, SCHEMA)
    spooled = check_resource(path, SCHEMA, errors=ErrorSpool)
    errors = spooled["tasks"][0]["errors"]
    assert isinstance(errors, ErrorSpool) and len(errors) == in_memory["stats"]["errors"] == 360
    assert list(errors) == in_memory["tasks"][0]["errors"]
    assert first_errors(errors, 5) == in_memory["tasks"][0]["errors"][:5]
    assert error_counts(errors) == error_counts(in_memory["tasks"][0]["errors"])
    for indent in (None, 2):
        stream = io.StringIO()
        write_report(spooled, stream, indent=indent)
        assert stream.getvalue() == json.dumps(listed(spooled), ensure_ascii=False, indent=indent)
    errors.close()


def test_a_tally_counts_every_error_and_keeps_the_first(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = many_errors(tmp_path)
    in_memory = check_resource(path, SCHEMA)["tasks"][0]["errors"]
    tally = check_resource(path, SCHEMA, errors=lambda: ErrorTally(keep=3))
    errors = tally["tasks"][0]["errors"]
    assert len(errors) == len(in_memory) and tally["stats"]["errors"] == len(in_memory) and not tally["valid"]
    assert error_counts(errors) == error_counts(in_memory)
    assert first_errors(errors, 10) == in_memory[:3]
    with pytest.raises(ValueError, match="kept 3 of 360"):
        list(errors)
    with pytest.raises(ValueError, match="cannot be written"):
        write_report(tally, io.StringIO())


@pytest.mark.parametrize("store", [ErrorList, ErrorSpool, lambda: ErrorTally(keep=1000)], ids=["list", "spool", "tally"])
def test_errors_of_a_replay_done_again_are_not_counted_twice(tmp_path, monkeypatch, store, small_buffer):
    """Two ways the engine replays a resource a second time: a blank line (found once scan 1 is done) sends
    it down the exact path; a key cell SQL could not type but Python can (" 5" for 5) has it keyed again.
    Each store must hold the second replay's errors only, as Frictionless reports them."""
    monkeypatch.chdir(tmp_path)
    rows = [f"{i},2024-01-{1 + i % 28:02d},{-i if i % 10 == 0 else i}" for i in range(1, 61)]
    blank = write_rows(tmp_path / "blank.csv", rows[:30] + [""] + rows[30:])
    residue = write_rows(tmp_path / "residue.csv", rows + [" 5,2024-01-05,1"])
    for path, reason in ((blank, "blank lines"), (residue, None)):
        report = check_resource(path, SCHEMA, errors=store)
        theirs = frictionless_resource(path, SCHEMA)
        assert differences(listed(report), theirs) == []
        assert len(report["tasks"][0]["errors"]) == theirs["stats"]["errors"]
        if reason:
            assert any(reason in text for text in report.engines[0]["reasons"])
        report["tasks"][0]["errors"].close()


def test_a_package_takes_a_store_per_resource(tmp_path, monkeypatch, small_buffer):
    monkeypatch.chdir(tmp_path)
    many_errors(tmp_path, "lines.csv")
    (tmp_path / "regions.csv").write_text("code\nA\n", encoding="utf-8")
    descriptor = {"resources": [{"name": "lines", "path": "lines.csv", "schema": SCHEMA},
                                {"name": "regions", "path": "regions.csv", "schema": {"fields": [{"name": "code", "type": "string"}]}}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    spooled = check_package(str(tmp_path / "datapackage.json"), errors=ErrorSpool)
    in_memory = check_package(str(tmp_path / "datapackage.json"))
    assert [len(task["errors"]) for task in spooled["tasks"]] == [360, 0]
    assert differences(listed(spooled), in_memory) == []


def test_a_failed_check_closes_its_store_and_removes_its_scratch(tmp_path, monkeypatch):
    """A setting DuckDB refuses (here a memory limit it cannot read) fails the check before any row is read:
    the store's temporary file is closed and the scratch directory is gone, not left for the process's end."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    closed = []

    class Closing(ErrorList):
        def close(self) -> None:
            closed.append(self)

    path = many_errors(tmp_path)
    # the API checks the limit before any store exists; without that, DuckDB's refusal comes mid-check
    monkeypatch.setattr("pipelines.tablecheck.api.check_memory_limit", lambda limit: None)
    with pytest.raises(ValueError, match="memory limit 'plenty' is not a size"):
        check_resource(tmp_path / path, SCHEMA, memory_limit="plenty", errors=Closing)
    assert len(closed) == 1
    assert list(scratch.iterdir()) == []


def test_validate_json_streams_the_frictionless_report(tmp_path, monkeypatch):
    """`ashyq validate --json` (piped: compact) spools its errors and prints Frictionless's report."""
    monkeypatch.chdir(tmp_path)
    many_errors(tmp_path)
    (tmp_path / "schema.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pipelines.cli", "validate", "t.csv", "--schema", "schema.json", "--json"],
                          capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["stats"]["errors"] == 360
    assert differences(report, frictionless_resource("t.csv", SCHEMA)) == []
