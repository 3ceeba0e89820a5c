"""`ashyq ingest`: an auditor's local files, in layouts the parsers were not written against, become valid
packages whose totals match the files' own; bad input writes nothing."""
import csv
import gzip
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from test_budget_layouts import PHASES, grand_total, layout, xlsx

REPO = Path(__file__).resolve().parent.parent
MIRROR = REPO / "sources" / "mirror"


def ingest(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", "ingest", *map(str, args)], capture_output=True, text=True, cwd=REPO)


def rows(folder: Path, resource: str) -> list[dict]:
    with open(folder / f"{resource}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def frictionless_valid(folder: Path) -> bool:
    result = subprocess.run([sys.executable, "-m", "frictionless", "validate", str(folder / "datapackage.json")], capture_output=True, text=True)
    return result.returncode == 0


def test_budget_report_with_reordered_columns_extra_header_rows_and_a_missing_column(tmp_path):
    order = ("executed", "name", "sub", "prg", "abp", "fg", "approved")  # no "adjusted" column, codes reversed
    cells, merges = layout(order=order, extra_title_rows=3)
    report = tmp_path / "akimat-report.xlsx"
    report.write_bytes(xlsx(cells, merges, sheets_before=1))
    result = ingest("budget", report, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    assert frictionless_valid(out)
    lines = rows(out, "budget_lines")
    assert {r["phase"] for r in lines} == {"approved", "executed"}
    for phase in ("approved", "executed"):
        emitted = sum(Decimal(r["amount"]) for r in lines if r["phase"] == phase)
        assert emitted == grand_total()[PHASES.index(phase)] * 1000, "lines add up to the file's own grand total"
    assert rows(out, "quarantine") == []
    documents = rows(out, "documents")
    assert [d["url"] for d in documents] == ["file:akimat-report.xlsx"] and documents[0]["role"] == "file"
    assert {r["source_document"] for r in lines} == {documents[0]["sha256"]}


def test_a_total_that_does_not_add_up_is_quarantined_and_the_lines_kept(tmp_path):
    cells, merges = layout(tamper=(("04", "261"), 2, Decimal("0.1")))
    report = tmp_path / "tampered.xlsx"
    report.write_bytes(xlsx(cells, merges))
    result = ingest("budget", report, "-o", tmp_path / "out")
    assert result.returncode == 0 and "total-mismatch" not in result.stderr
    quarantine = rows(tmp_path / "out", "quarantine")
    assert [(q["resource"], q["field"], q["error_type"]) for q in quarantine] == [("budget_totals", "amount", "total-mismatch")]
    assert "lines sum to" in quarantine[0]["message"] and "quarantine: budget_totals" in result.stdout
    assert frictionless_valid(tmp_path / "out")


def test_memoranda_and_project_lists_from_the_mirror(tmp_path):
    memos = sorted((MIRROR / "aktobe.gov.kz" / "files" / "memoranda").iterdir())[:3]
    assert ingest("memoranda", *memos, "-o", tmp_path / "m").returncode == 0
    memoranda = rows(tmp_path / "m", "memoranda")
    assert len(memoranda) == 3 and all(r["memorandum_id"].startswith("ingest/") and r["language"] for r in memoranda)
    listing = sorted(MIRROR.glob("www.*.example/**/*.xlsx"))[0]
    result = ingest("projects", listing, "-o", tmp_path / "p", "--company", "Demo Caspian Oil LLP")
    assert result.returncode == 0, result.stderr
    projects = rows(tmp_path / "p", "social_projects")
    assert projects and all(p["sector"] and p["gender_marker"] in ("0", "1", "2") for p in projects)
    assert all(p["sample"] == "false" for p in projects), "an auditor's file is not sample data"
    assert frictionless_valid(tmp_path / "p")


def test_unparseable_input_names_the_file_and_writes_nothing(tmp_path):
    good = sorted((MIRROR / "aktobe.gov.kz" / "files" / "memoranda").iterdir())[0]
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not a docx")
    out = tmp_path / "out"
    result = ingest("memoranda", good, bad, "-o", out)
    assert result.returncode == 1 and "broken.docx" in result.stderr and "nothing written" in result.stderr
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".staging")]


def test_an_existing_package_is_never_overwritten(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "datapackage.json").write_text("{}")
    memo = sorted((MIRROR / "aktobe.gov.kz" / "files" / "memoranda").iterdir())[0]
    result = ingest("memoranda", memo, "-o", out)
    assert result.returncode == 1 and "already exists" in result.stderr
    assert json.loads((out / "datapackage.json").read_text()) == {}


def test_gzipped_files_give_the_plain_files_rows_citing_the_gzip_as_their_document(tmp_path):
    """As a portal may serve them: the rows are the plain file's, and lineage names the bytes as they came."""
    plain = {"budget": sorted(MIRROR.glob("www.gov.kz/**/*.csv"))[0], "projects": sorted(MIRROR.glob("www.demo-*/**/*.csv"))[0]}
    for family, source in plain.items():
        zipped = tmp_path / f"{source.name}.gz"
        zipped.write_bytes(gzip.compress(source.read_bytes()))
        options = ["--company", "Demo Aktobe Copper LLP"] if family == "projects" else []
        for name, given in (("plain", source), ("gz", zipped)):
            result = ingest(family, given, "-o", tmp_path / f"{family}-{name}", *options)
            assert result.returncode == 0, result.stderr
        resource = "budget_lines" if family == "budget" else "social_projects"
        ours, theirs = rows(tmp_path / f"{family}-gz", resource), rows(tmp_path / f"{family}-plain", resource)
        document = rows(tmp_path / f"{family}-gz", "documents")[0]
        assert ours and {r.pop("source_document") for r in ours} == {document["sha256"]}
        assert ours == [{k: v for k, v in r.items() if k != "source_document"} for r in theirs]
        assert document["url"] == f"file:{zipped.name}" and document["content_type"] == "application/gzip"
        assert int(document["bytes"]) == zipped.stat().st_size and frictionless_valid(tmp_path / f"{family}-gz")
