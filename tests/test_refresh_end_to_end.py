"""`ashyq refresh` end to end through a real Dagster instance, offline, into temporary folders."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sources.catalog import load_catalog
from sources.mirror_server import serve_mirror

REPO = Path(__file__).resolve().parent.parent
ASHYQ = [sys.executable, "-m", "pipelines.cli"]


def refresh(tmp: Path, published: Path, *options: str, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DAGSTER_HOME": str(tmp / "dagster"), "ASHYQ_ARCHIVE_DIR": str(tmp / "raw"),
                   "ASHYQ_WAREHOUSE_URL": f"sqlite:///{tmp / 'warehouse.sqlite'}", **env}
    if "ASHYQ_MIRROR_URL" not in env:
        environment.pop("ASHYQ_MIRROR_URL", None)
    (tmp / "dagster").mkdir(exist_ok=True)
    shutil.copy(REPO / "dagster.yaml", tmp / "dagster" / "dagster.yaml")
    return subprocess.run([*ASHYQ, "refresh", *options, "--published", str(published)], cwd=REPO, env=environment,
                          capture_output=True, text=True, timeout=600)


def package(published: Path) -> Path:
    return published / "ashyq-social-investments"


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    published = tmp / "published"
    result = refresh(tmp, published)
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp, published, result


def test_refresh_publishes_a_valid_sample_release(first_run):
    tmp, published, result = first_run
    assert "published version 1.0.0" in result.stdout
    release = package(published) / "1.0.0"
    descriptor = json.loads((release / "datapackage.json").read_text())
    assert descriptor["sample"] is True and "SAMPLE" in descriptor["title"] and "fictional" in descriptor["description"].lower()
    assert {s["path"] for s in descriptor["sources"]} == {s.base_url for s in load_catalog()}
    for resource in ("memoranda", "social_projects", "budget_lines", "budget_totals", "organisations", "regions", "documents"):
        assert len((release / f"{resource}.csv").read_text().splitlines()) > 10, resource
    cli = subprocess.run([sys.executable, "-m", "frictionless", "validate", str(release / "datapackage.json")], capture_output=True, text=True)
    assert cli.returncode == 0, cli.stdout


def test_documents_point_at_archived_bytes(first_run):
    import csv
    import hashlib

    tmp, published, _ = first_run
    with open(package(published) / "1.0.0" / "documents.csv", encoding="utf-8") as handle:
        documents = list(csv.DictReader(handle))
    assert documents
    for document in documents:
        data = (package(published) / "1.0.0" / document["archive_path"]).read_bytes()
        assert (tmp / "raw" / document["archive_path"].removeprefix("archive/")).read_bytes() == data
        assert hashlib.sha256(data).hexdigest() == document["sha256"] and len(data) == int(document["bytes"])


def test_the_run_and_auditors_metadata_are_recorded_in_the_persistent_dagster_instance(first_run, monkeypatch):
    import dagster as dg

    tmp, published, _ = first_run
    monkeypatch.setenv("DAGSTER_HOME", str(tmp / "dagster"))
    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs()
        assert runs and runs[-1].job_name == "refresh"
        release = instance.get_latest_materialization_event(dg.AssetKey("published_release")).asset_materialization
        assert release.metadata["version"].value == "1.0.0" and release.metadata["code_version"].value.startswith("ashyq ")
        assert release.metadata["source_documents"].value == str(package(published) / "1.0.0" / "archive")
        assert "https://aktobe.gov.kz" in release.metadata["sources"].value.values()
        validated = instance.get_latest_materialization_event(dg.AssetKey("validated_memoranda")).asset_materialization
        lineage = validated.metadata["dagster/column_lineage"].value
        assert lineage.deps_by_column["amount"][0].asset_key == dg.AssetKey("parsed_memoranda")
        published_rows = len((package(published) / "1.0.0" / "memoranda.csv").read_text("utf-8").splitlines()) - 1
        assert validated.metadata["dagster/row_count"].value == published_rows


def _runs(tmp: Path, monkeypatch) -> list:
    import dagster as dg

    monkeypatch.setenv("DAGSTER_HOME", str(tmp / "dagster"))
    with dg.DagsterInstance.get() as instance:
        return [(run, {key.to_user_string() for key in (run.asset_selection or [])}) for run in instance.get_runs()]


def test_second_refresh_with_unchanged_sources_publishes_nothing(first_run, monkeypatch):
    from pipelines.release import code_version
    from pipelines.unchanged import pinned

    tmp, published, _ = first_run
    before = sorted(p.name for p in package(published).iterdir())
    runs_before = len(_runs(tmp, monkeypatch))
    result = refresh(tmp, published)
    assert result.returncode == 0, result.stderr
    assert "nothing new to publish" in result.stdout
    assert sorted(p.name for p in package(published).iterdir()) == before
    runs = _runs(tmp, monkeypatch)
    new_runs = runs[: len(runs) - runs_before]  # newest first
    if pinned(code_version()):  # a clean checkout (CI): the crawl alone shows nothing changed; nothing downstream runs
        assert "no source changed since 1.0.0" in result.stdout
        assert len(new_runs) == 1 and all(name.startswith("raw_") for name in new_runs[0][1]), new_runs
    else:  # uncommitted changes: the code may differ from the release's, so everything is re-derived
        assert "unchanged since 1.0.0" in result.stdout
        assert any("published_release" in names for _, names in new_runs)


def test_full_re_derives_the_release_even_when_nothing_changed(first_run, monkeypatch):
    tmp, published, _ = first_run
    before = sorted(p.name for p in package(published).iterdir())
    result = refresh(tmp, published, "--full")
    assert result.returncode == 0, result.stderr
    assert "nothing new to publish; version 1.0.0 (unchanged since 1.0.0)" in result.stdout
    assert sorted(p.name for p in package(published).iterdir()) == before
    _, names = _runs(tmp, monkeypatch)[0]  # the newest run
    assert not names or "published_release" in names  # the whole job: no selection, or every asset


def corrupt_mirror(tmp: Path) -> Path:
    mirror = tmp / "mirror"
    shutil.copytree(REPO / "sources" / "mirror", mirror)
    pdf = sorted(mirror.rglob("*.pdf"))[0]
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage, truncated")
    return pdf


def test_corrupt_attachment_fails_clearly_and_publishes_nothing(first_run, tmp_path):
    _, published, _ = first_run
    before = {p.name: p.stat().st_mtime_ns for p in package(published).iterdir()}
    pdf = corrupt_mirror(tmp_path)
    with serve_mirror(tmp_path / "mirror") as base:
        result = refresh(tmp_path, published, ASHYQ_MIRROR_URL=base)
    assert result.returncode == 1
    assert pdf.name in result.stderr and "PDF" in result.stderr and "nothing published" in result.stderr
    assert {p.name: p.stat().st_mtime_ns for p in package(published).iterdir()} == before


def test_a_source_that_shrinks_is_blocked_by_the_volume_check(first_run, tmp_path):
    _, published, _ = first_run
    before = {p.name: p.stat().st_mtime_ns for p in package(published).iterdir()}
    mirror = tmp_path / "mirror"
    shutil.copytree(REPO / "sources" / "mirror", mirror)
    page_one = mirror / "aktobe.gov.kz" / "ru" / "memorandumy" / "page" / "1" / "index.html"
    page_one.write_text(page_one.read_text("utf-8").replace('class="next"', 'class="gone"'), "utf-8")  # 4 of 10 rows left
    with serve_mirror(mirror) as base:
        result = refresh(tmp_path, published, ASHYQ_MIRROR_URL=base)
    assert result.returncode == 1
    assert "memoranda_volume" in result.stderr and "aktobe-akimat" in result.stderr and "down from" in result.stderr
    assert {p.name: p.stat().st_mtime_ns for p in package(published).iterdir()} == before


def test_the_sqlite_download_built_from_the_validated_cells_is_the_one_the_csvs_give(first_run, tmp_path):
    """The refresh builds the SQLite download from the cells validation wrote the CSVs from (in memory, same
    process); building it from the published CSVs, as `python -m pipelines.warehouse sqlite` does, gives the
    same bytes."""
    tmp, published, _ = first_run
    release = package(published) / "1.0.0"
    rebuilt = subprocess.run([*ASHYQ[:2], "pipelines.warehouse", "sqlite", str(release), "-o", str(tmp_path / "from-csv.sqlite")],
                             cwd=REPO, capture_output=True, text=True, timeout=300)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert (tmp_path / "from-csv.sqlite").read_bytes() == (release / "ashyq-social-investments-1.0.0.sqlite").read_bytes()
