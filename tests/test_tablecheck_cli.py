"""`ashyq validate`: exit codes, the summary, the JSON report, and a quick start (no Dagster import)."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from pipelines.validate_command import add_validate_command

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = {"fields": [{"name": "id", "type": "integer", "constraints": {"required": True}}, {"name": "name", "type": "string"}], "primaryKey": ["id"]}


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="ashyq")
    add_validate_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["validate", *argv])
    return args.run(args)


def files(tmp_path, data: str):
    (tmp_path / "t.csv").write_text(data, encoding="utf-8")
    (tmp_path / "s.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    return str(tmp_path / "t.csv"), str(tmp_path / "s.json")


def test_valid_file_exits_0(tmp_path, capsys):
    csv_path, schema = files(tmp_path, "id,name\n1,a\n2,b\n")
    assert run([csv_path, "--schema", schema]) == 0
    assert capsys.readouterr().out.strip().endswith("valid")


def test_invalid_file_exits_1_with_counts_and_first_errors(tmp_path, capsys):
    csv_path, schema = files(tmp_path, "id,name\n1,a\n1,b\nx,c\n")
    assert run([csv_path, "--schema", schema]) == 1
    out = capsys.readouterr().out
    assert "2  primary-key" in out and "1  type-error" in out
    assert "row 3" in out and "row 4, id" in out


def test_json_report_is_frictionless_shaped(tmp_path, capsys):
    csv_path, schema = files(tmp_path, "id,name\n,a\n")
    assert run([csv_path, "--schema", schema, "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert list(report) == ["valid", "stats", "warnings", "errors", "tasks"]
    error = report["tasks"][0]["errors"][0]
    assert error["type"] == "constraint-error" and error["rowNumber"] == 2 and error["fieldName"] == "id"


def test_unusable_input_exits_2(tmp_path, capsys):
    csv_path, schema = files(tmp_path, "id,name\n1,a\n")
    assert run([str(tmp_path / "missing.csv"), "--schema", schema]) == 2
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert run([csv_path, "--schema", str(tmp_path / "bad.json")]) == 2
    assert run([csv_path]) == 2
    assert run([csv_path, "--schema", str(tmp_path / "nope.json")]) == 2
    assert "ashyq validate:" in capsys.readouterr().err


def test_package_path(tmp_path, capsys):
    files(tmp_path, "id,name\n1,a\n")
    descriptor = {"name": "p", "resources": [{"name": "t", "path": "t.csv", "schema": SCHEMA}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert run([str(tmp_path / "datapackage.json")]) == 0


def test_starts_without_importing_dagster_or_frictionless():
    code = "import argparse; from pipelines.validate_command import add_validate_command"
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    assert not imported & {"dagster", "frictionless", "duckdb", "pandas"}


def test_wired_into_ashyq_main(tmp_path, capsys):
    from pipelines.cli import main

    csv_path, schema = files(tmp_path, "id,name\n1,a\n")
    assert main(["validate", csv_path, "--schema", schema, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["valid"] is True
