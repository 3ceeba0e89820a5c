"""`ashyq validate`: exit codes, the summary, the JSON report, and a quick start (no Dagster import)."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pipelines.tablecheck.small import SMALL_FILE_BYTES  # as the command sees it (the fixture below lowers it in this process)
from pipelines.validate_command import add_validate_command

pytestmark = pytest.mark.usefixtures("duckdb_for_small_files")  # these test the DuckDB paths; small.py has its own

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


def test_summary_cuts_a_message_quoting_a_huge_cell_and_json_keeps_it_whole(tmp_path, capsys):
    csv_path, schema = files(tmp_path, "id,name\n" + "9" * 30_000 + "x,a\n")
    assert run([csv_path, "--schema", schema]) == 1
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("    row 2, id:"))
    assert len(line) < 500 and line.endswith("characters; --json has the whole message]")
    assert run([csv_path, "--schema", schema, "--json"]) == 1
    assert "9" * 30_000 + "x" in json.loads(capsys.readouterr().out)["tasks"][0]["errors"][0]["message"]


def test_unusable_input_exits_2(tmp_path, capsys):
    csv_path, schema = files(tmp_path, "id,name\n1,a\n")
    assert run([str(tmp_path / "missing.csv"), "--schema", schema]) == 2
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert run([csv_path, "--schema", str(tmp_path / "bad.json")]) == 2
    capsys.readouterr()
    assert run([csv_path, "--schema", str(tmp_path / "nope.json")]) == 2
    assert capsys.readouterr().err == f"ashyq validate: {tmp_path / 'nope.json'}: No such file or directory\n"


def test_a_descriptor_nested_too_deeply_or_bad_yaml_exits_2_naming_the_file(tmp_path, capsys):
    csv_path, _ = files(tmp_path, "id,name\n1,a\n")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")  # a RecursionError in json
    (tmp_path / "bad.yaml").write_text("fields: [\n  - name: a\n", encoding="utf-8")
    for argv, named in (([csv_path, "--schema", str(tmp_path / "deep.json")], "deep.json: nested too deeply"),
                        ([str(tmp_path / "deep.json")], "deep.json: nested too deeply"),
                        ([csv_path, "--schema", str(tmp_path / "bad.yaml")], "bad.yaml: not valid YAML")):
        assert run(argv) == 2
        assert named in capsys.readouterr().err


def test_csv_without_schema_gets_frictionless_inferred_schema_and_findings(tmp_path, capsys, monkeypatch):
    from frictionless import Resource

    from pipelines.tablecheck.compare import comparable
    from pipelines.tablecheck.fallback import NO_LIMIT

    # types are guessed from the first rows; the rows after them break those types
    rows = [f"{n},{n * 1.5},2024-01-{n % 28 + 1:02d},name {n}" for n in range(1, 151)]
    rows += ["151,abc,2024-02-30,x", "x152,1.0,2024-03-01,y", "153,,,"]
    (tmp_path / "plain.csv").write_text("id,amount,day,name\n" + "\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # Frictionless reads relative paths only

    assert run(["plain.csv", "--json"]) == 1
    captured = capsys.readouterr()
    assert "no --schema" in captured.err and "id integer, amount number, day date, name string" in captured.err
    ours = comparable(json.loads(captured.out))
    theirs = comparable(Resource("plain.csv").validate(limit_errors=NO_LIMIT).to_descriptor())
    assert ours == theirs
    assert [(error["rowNumber"], error["fieldName"]) for error in ours["tasks"][0]["errors"]] == [(152, "amount"), (152, "day"), (153, "id")]


def test_file_left_to_frictionless_is_read_at_its_absolute_path(tmp_path, capsys):
    # an empty file falls back to Frictionless, which refuses absolute paths unless trusted
    (tmp_path / "empty.csv").write_bytes(b"")
    for argv in ([str(tmp_path / "empty.csv")], [str(tmp_path / "empty.csv"), "--schema", files(tmp_path, "id\n")[1]]):
        assert run([*argv, "--json"]) == 1
        captured = capsys.readouterr()
        errors = json.loads(captured.out)["tasks"][0]["errors"]
        assert [error["type"] for error in errors] == ["source-error"]
        assert "the source is empty" in errors[0]["message"]
        assert "no --schema" not in captured.err, "nothing was inferred from an empty file"
    # a file Frictionless cannot decode: no schema can be inferred, and its own report says why
    (tmp_path / "binary.csv").write_bytes(b"a,b\n" + bytes(range(256)) * 20)
    assert run([str(tmp_path / "binary.csv")]) == 1
    captured = capsys.readouterr()
    assert "file: The data source could not be successfully decoded" in captured.out
    assert "no --schema" not in captured.err


def package_of(tmp_path, csv_path: str) -> Path:
    """A datapackage.json beside `csv_path` (in tmp_path) declaring it with SCHEMA."""
    descriptor = {"name": "p", "resources": [{"name": "t", "path": Path(csv_path).name, "schema": SCHEMA}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return tmp_path / "datapackage.json"


def test_package_path(tmp_path, capsys):
    csv_path, _ = files(tmp_path, "id,name\n1,a\n")
    assert run([str(package_of(tmp_path, csv_path))]) == 0


def with_imports(*args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Python run with `args`, and the full names of the modules it imported (-X importtime)."""
    result = subprocess.run([sys.executable, "-X", "importtime", *args], cwd=ROOT, capture_output=True, text=True)
    return result, {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}


def test_starts_without_importing_dagster_or_frictionless():
    result, imported = with_imports("-c", "import argparse; from pipelines.validate_command import add_validate_command")
    assert result.returncode == 0, result.stderr
    assert not {name.split(".")[0] for name in imported} & {"dagster", "frictionless", "duckdb", "pandas"}


def test_checks_without_duckdbs_python_front_end(tmp_path):
    """`import duckdb` builds its relational API in Python (60-90 ms); tablecheck only runs SQL (duck.py)."""
    rows = "".join(f"{i},{'a' * 20}\n" for i in range(SMALL_FILE_BYTES // 20))  # past the small files Python checks alone
    csv_path, schema = files(tmp_path, "id,name\n" + rows + "1,b\n")
    result, imported = with_imports("-m", "pipelines.cli", "validate", csv_path, "--schema", schema)
    assert result.returncode == 1 and "primary-key" in result.stdout and "checked by duckdb" in result.stdout
    assert "_duckdb" in imported and not {"duckdb", "duckdb._relation"} & imported


def test_a_small_file_is_checked_without_loading_duckdb_at_all(tmp_path):
    csv_path, schema = files(tmp_path, "id,name\n1,a\n1,b\n")
    result, imported = with_imports("-m", "pipelines.cli", "validate", csv_path, "--schema", schema)
    assert result.returncode == 1 and "primary-key" in result.stdout and "[checked by python]" in result.stdout
    assert not {name.split(".")[0] for name in imported} & {"_duckdb", "duckdb", "frictionless"}


def test_the_library_keeps_numpy_from_starting_blas_threads_unless_the_caller_chose():
    """OpenBLAS's threads spin beside DuckDB's scans; tablecheck does no linear algebra (a caller's own setting wins)."""
    threads = "import os; import pipelines.tablecheck; n = len(os.listdir('/proc/self/task')); import numpy; " \
              "print(len(os.listdir('/proc/self/task')) - n, os.environ['OPENBLAS_NUM_THREADS'])"
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_NUM_THREADS"}
    ours = subprocess.run([sys.executable, "-c", threads], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert ours.stdout.split() == ["0", "1"]
    theirs = subprocess.run([sys.executable, "-c", threads], cwd=ROOT, env={**env, "OPENBLAS_NUM_THREADS": "2"},
                            capture_output=True, text=True, check=True)
    assert theirs.stdout.split()[1] == "2"


def test_wired_into_ashyq_main(tmp_path, capsys):
    from pipelines.cli import main

    csv_path, schema = files(tmp_path, "id,name\n1,a\n")
    assert main(["validate", csv_path, "--schema", schema, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["valid"] is True


def test_a_full_disk_under_the_json_spool_exits_2_with_the_os_message(tmp_path, capsys, monkeypatch):
    """--json spools errors to a temporary file; when the disk is full the command says so and exits 2."""
    from pipelines.tablecheck.error_store import ErrorSpool

    def full(self):
        if self.buffer:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(ErrorSpool, "BUFFER", 0)
    monkeypatch.setattr(ErrorSpool, "_flush", full)
    csv_path, schema = files(tmp_path, "id,name\n1,a\nx,b\n")
    assert run([csv_path, "--schema", schema, "--json"]) == 2
    captured = capsys.readouterr()
    assert "No space left on device" in captured.err and captured.out == ""


def test_duckdb_out_of_memory_exits_2_and_names_the_limit(tmp_path, capsys):
    """A limit too small for the file: a clear message naming the file and --memory-limit, exit 2, no traceback."""
    rows = "".join(f"{i},{'x' * 200}{i}\n" for i in range(1, 30_001))
    csv_path, schema = files(tmp_path, "id,name\n" + rows + "oops,y\n")
    assert run([csv_path, "--schema", schema, "--memory-limit", "1MB"]) == 2
    err = capsys.readouterr().err
    assert "t.csv: DuckDB ran out of memory within --memory-limit 1MB" in err and "larger --memory-limit" in err


@pytest.mark.parametrize("small_file", [False, True])
def test_a_memory_limit_duckdb_cannot_read_exits_2_and_says_so(tmp_path, capsys, monkeypatch, small_file):
    """Also for a small file, which Python checks without opening DuckDB."""
    if small_file:
        monkeypatch.setattr("pipelines.tablecheck.small.SMALL_FILE_BYTES", SMALL_FILE_BYTES)
    csv_path, schema = files(tmp_path, "id,name\n1,a\n")
    for target in ([csv_path, "--schema", schema], [str(package_of(tmp_path, csv_path))]):
        assert run([*target, "--memory-limit", "plenty"]) == 2
        err = capsys.readouterr().err
        assert "memory limit 'plenty' is not a size DuckDB reads, such as 512MB or 2GB" in err and "Traceback" not in err
    assert run([csv_path, "--schema", schema, "--memory-limit", "1GB"]) == 0, "a limit DuckDB reads"


def test_a_reader_stopping_early_leaves_the_exit_code_and_no_traceback(tmp_path):
    """`ashyq validate --json big.csv | head`: the report is cut short, the verdict is not (1: invalid)."""
    csv_path, schema = files(tmp_path, "id,name\n" + "".join(f"x{i},n\n" for i in range(20_000)))
    command = [sys.executable, "-m", "pipelines.cli", "validate", "--json", csv_path, "--schema", schema]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout.read(10) == b'{"valid": '
    child.stdout.close()  # more than a pipe's buffer is still to come
    err = child.stderr.read().decode()
    assert child.wait() == 1
    assert err == ""


def test_frictionless_failing_on_a_schema_it_accepts_exits_2_naming_the_file(tmp_path, capsys):
    """A bound of the wrong type (minimum "x" on a number) goes to Frictionless, which raises comparing it."""
    csv_path, _ = files(tmp_path, "id,name\n1,a\n")
    schema = {"fields": [{"name": "id", "type": "number", "constraints": {"minimum": "x"}}, {"name": "name", "type": "string"}]}
    (tmp_path / "x.json").write_text(json.dumps(schema), encoding="utf-8")
    assert run([csv_path, "--schema", str(tmp_path / "x.json")]) == 2
    err = capsys.readouterr().err
    assert f"ashyq validate: {csv_path}: Frictionless failed while checking it (TypeError: " in err and "Traceback" not in err


@pytest.mark.parametrize("pattern", ["(?i)алматы", "a(?i)", "[a-", "x{2,1}"])
def test_a_pattern_python_cannot_compile_as_frictionless_does_exits_2_naming_the_file(tmp_path, capsys, pattern):
    """Frictionless compiles "^pattern$" for each cell: a global flag not at the start fails there though the
    pattern compiles alone; it must not reach cells.py as a traceback either."""
    csv_path, _ = files(tmp_path, "city\nАлматы\n")
    (tmp_path / "s.json").write_text(json.dumps({"fields": [{"name": "city", "type": "string", "constraints": {"pattern": pattern}}]}), encoding="utf-8")
    assert run([csv_path, "--schema", str(tmp_path / "s.json")]) == 2
    err = capsys.readouterr().err
    assert f"ashyq validate: {csv_path}: Frictionless failed while checking it (error: " in err and "Traceback" not in err


def test_a_folder_is_its_datapackage_json_or_exits_2(tmp_path, capsys):
    csv_path, _ = files(tmp_path, "id,name\n1,a\n1,b\n")
    assert run([str(tmp_path)]) == 2
    assert f"{tmp_path}: a folder without a datapackage.json" in capsys.readouterr().err
    descriptor = {"resources": [{"name": "t", "path": "t.csv", "schema": SCHEMA}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert run([str(tmp_path)]) == 1
    assert "1  primary-key" in capsys.readouterr().out
    assert run([str(tmp_path), "--schema", str(tmp_path / "s.json")]) == 2
    assert "a folder: --schema goes with a CSV file" in capsys.readouterr().err


def test_encoding_option_overrides_the_guess_as_frictionless_does(tmp_path, capsys, monkeypatch):
    """chardet reads the cp1251 bytes of `Київ` as gb18030 (疏库): --encoding says what the file is, for the
    check and for the inferred schema, as `frictionless validate --encoding` does."""
    from pipelines.tablecheck.compare import comparable, frictionless_resource

    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.csv").write_bytes("id,name\n1,Київ\n".encode("cp1251"))
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string", "constraints": {"pattern": "[А-Яа-яІіЇїЄєҐґ]+"}}]}
    (tmp_path / "s.json").write_text(json.dumps(schema), encoding="utf-8")
    for argv, encoding, valid in ((["t.csv", "--schema", "s.json"], None, False), (["t.csv", "--schema", "s.json", "--encoding", "cp1251"], "cp1251", True)):
        assert run([*argv, "--json"]) == (0 if valid else 1)
        ours = comparable(json.loads(capsys.readouterr().out))
        assert ours == comparable(frictionless_resource("t.csv", schema, encoding=encoding))
    assert run(["t.csv", "--encoding", "cp1251"]) == 0  # the inferred schema is read with it too
    assert "name string" in capsys.readouterr().err
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [{"name": "t", "path": "t.csv"}]}), encoding="utf-8")
    assert run(["datapackage.json", "--encoding", "cp1251"]) == 2
    assert "--encoding goes with a CSV file" in capsys.readouterr().err


def zipped(path, members: dict[str, str]) -> str:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return str(path)


def test_a_release_zip_is_checked_as_the_package_in_its_folder(tmp_path, capsys):
    """A release's zip keeps its package in one folder, where `frictionless validate` does not look (it calls
    the zip a valid file); the download is checked as the package it holds, with the folder's report."""
    descriptor = {"name": "r", "resources": [{"name": "t", "path": "t.csv", "schema": SCHEMA}]}
    members = {"r-1.0.0/datapackage.json": json.dumps(descriptor), "r-1.0.0/t.csv": "id,name\n1,a\n1,b\nx,c\n", "r-1.0.0/archive/a.txt": "kept"}
    release = zipped(tmp_path / "r-1.0.0.zip", members)
    assert run([release, "--json"]) == 1
    from_zip = json.loads(capsys.readouterr().out)
    for name, text in members.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert run([str(tmp_path / "r-1.0.0"), "--json"]) == 1
    from_folder = json.loads(capsys.readouterr().out)
    from pipelines.tablecheck.compare import comparable

    assert comparable(from_zip) == comparable(from_folder)
    found = [(e["type"], e["rowNumber"]) for e in from_zip["tasks"][0]["errors"]]
    assert ("primary-key", 3) in found and ("type-error", 4) in found
    assert run([release]) == 1
    assert f"ashyq validate: checking {release} -> r-1.0.0/datapackage.json" in capsys.readouterr().err


def test_a_zip_with_the_package_at_its_top_reports_as_frictionless_does(tmp_path, monkeypatch, capsys):
    from pipelines.tablecheck.compare import differences, frictionless_package

    descriptor = {"name": "p", "resources": [{"name": "t", "path": "t.csv", "schema": SCHEMA}]}
    zipped(tmp_path / "p.zip", {"datapackage.json": json.dumps(descriptor), "t.csv": "id,name\n1,a\n,b\n2\n"})
    monkeypatch.chdir(tmp_path)  # Frictionless refuses absolute paths
    assert run(["p.zip", "--json"]) == 1
    ours = json.loads(capsys.readouterr().out)
    assert differences(ours, frictionless_package("p.zip")) == []


def test_a_zipped_csv_is_that_csv_named_as_frictionless_names_it(tmp_path, capsys):
    _, schema = files(tmp_path, "")
    archive = zipped(tmp_path / "c.zip", {"t.csv": "id,name\n1,a\nx,c\n"})
    assert run([archive, "--schema", schema, "--json"]) == 1
    task = json.loads(capsys.readouterr().out)["tasks"][0]
    assert task["place"] == f"{archive} -> t.csv" and ("type-error", 3) in [(e["type"], e["rowNumber"]) for e in task["errors"]]


@pytest.mark.parametrize("members, schema, said", [
    (None, False, "not a readable zip archive"),
    ({"../t.csv": "id\n1\n"}, True, "zip member '../t.csv' would be unpacked outside its folder"),
    ({"a/datapackage.json": "{}", "b/datapackage.json": "{}"}, False, "2 datapackage.json files in the zip (a/datapackage.json, b/datapackage.json)"),
    ({"notes.txt": "x"}, False, "the zip holds no CSV file; ashyq validate needs a datapackage.json at its top or in one folder, or one CSV file"),
    ({"a.csv": "id\n1\n", "b.csv": "id\n2\n"}, True, "the zip holds 2 CSV files; ashyq validate needs one CSV file for --schema"),
])
def test_a_zip_holding_nothing_to_check_exits_2_saying_why(tmp_path, capsys, members, schema, said):
    _, schema_path = files(tmp_path, "")
    archive = tmp_path / "x.zip"
    if members is None:
        archive.write_bytes(b"PK not really a zip")
    else:
        zipped(archive, members)
    assert run([str(archive), *(["--schema", schema_path] if schema else [])]) == 2
    assert f"ashyq validate: {archive}: {said}" in capsys.readouterr().err
    assert not (tmp_path.parent / "t.csv").exists()


def test_a_file_written_to_while_it_is_checked_exits_2_saying_so(tmp_path, monkeypatch, capsys):
    """A download still being written: the hashes, scan 1 and the replay would describe different files."""
    from pipelines.tablecheck import engine

    csv_path, schema = files(tmp_path, "id,name\n" + "".join(f"{i},n\n" for i in range(1, 1000)))
    keys_scan = engine.ResourceRun.keys_scan

    def then_appended(run):
        keys_scan(run)
        with open(csv_path, "a", encoding="utf-8") as handle:
            handle.write("1000,n\n")

    monkeypatch.setattr(engine.ResourceRun, "keys_scan", then_appended)
    assert run([csv_path, "--schema", schema]) == 2
    assert capsys.readouterr().err == (f"ashyq validate: {csv_path}: the file changed while it was being checked (still being written?); "
                                       "check it again once it is complete\n")
    monkeypatch.setattr(engine.ResourceRun, "keys_scan", keys_scan)
    assert run([csv_path, "--schema", schema]) == 0


def test_a_zip_member_that_fails_to_inflate_exits_2_naming_it(tmp_path, capsys):
    archive = tmp_path / "d.zip"
    zipped(archive, {"t.csv": "id,name\n" + "1,a\n" * 100})
    data = bytearray(archive.read_bytes())
    at = data.index(b"1,a\n")
    data[at] = ord("2")  # the stored bytes no longer match their CRC-32
    archive.write_bytes(bytes(data))
    assert run([str(archive)]) == 2
    assert f"ashyq validate: {archive}: zip member 't.csv' could not be unpacked (BadZipFile: Bad CRC-32" in capsys.readouterr().err


@pytest.mark.parametrize("bad_rows, said", [(1000, False), (1001, True)])
def test_the_summary_says_when_frictionless_would_have_stopped_short(tmp_path, capsys, bad_rows, said):
    """Frictionless stops each resource at 1,000 errors by default (a warning "reached error limit"): past
    that, the counts differ from `frictionless validate` and the summary says why."""
    csv_path, _ = files(tmp_path, "id,name\n" + "".join(f"x{i},n\n" for i in range(bad_rows)))
    schema = tmp_path / "plain.json"  # no key: one error a row
    schema.write_text(json.dumps({"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}), encoding="utf-8")
    assert run([csv_path, "--schema", str(schema)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == f"invalid: {bad_rows:,} errors in 1 resource(s)"  # the verdict stays last
    assert ("`frictionless validate` stops a resource at 1,000 errors unless given --limit-errors" in out) is said
