"""Auditors: every release carries its sources, re-derives byte for byte, explains its changes, and any row
traces back to the archived bytes it came from."""
import csv
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sources.files import sha256_file
from sources.mirror_server import serve_mirror
from sources.urls import mirror_file
from test_refresh_end_to_end import REPO, package, refresh

TRUTH = REPO / "tests" / "fixtures" / "sample_memoranda_truth.csv"


def ashyq(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *map(str, args)], capture_output=True, text=True, cwd=REPO)


def html_only_memorandum() -> dict:
    with open(TRUTH, encoding="utf-8") as handle:
        return next(t for t in csv.DictReader(handle) if not t["attachment_url"] and t["source_id"] == "atyrau-akimat")


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory):
    """1.0.0 from the bundled mirror, then 1.1.0 after one memorandum's title changed on its page."""
    tmp = tmp_path_factory.mktemp("lineage")
    published = tmp / "published"
    assert refresh(tmp, published).returncode == 0
    mirror = tmp / "mirror"
    shutil.copytree(REPO / "sources" / "mirror", mirror)
    memo = html_only_memorandum()
    page = mirror / mirror_file(memo["detail_url"])
    page.write_text(page.read_text("utf-8").replace('class="document-title">', 'class="document-title">Обновлено: ', 1), "utf-8")
    with serve_mirror(mirror) as base:
        second = refresh(tmp, published, ASHYQ_MIRROR_URL=base)
    assert second.returncode == 0, second.stderr
    assert "published version 1.1.0" in second.stdout
    return tmp, published, f"atyrau-akimat/{memo['native_id']}"


def test_a_release_carries_every_document_and_manifest_it_was_built_from(two_releases):
    _, published, _ = two_releases
    release = package(published) / "1.1.0"
    with open(release / "documents.csv", encoding="utf-8") as handle:
        documents = list(csv.DictReader(handle))
    for document in documents:
        archived = release / document["archive_path"]
        assert sha256_file(archived) == document["sha256"]
        assert json.loads(archived.with_name(document["sha256"] + ".json").read_text())["url"] == document["url"]
    descriptor = json.loads((release / "datapackage.json").read_text())
    assert descriptor["ashyq"]["code_version"].startswith("ashyq ")
    for manifest in descriptor["ashyq"]["manifests"]:
        assert json.loads((release / manifest).read_text())["source"]["adapter"]


def test_verify_re_derives_each_release_byte_for_byte(two_releases):
    _, published, _ = two_releases
    for version in ("1.0.0", "1.1.0"):
        result = ashyq("verify", version, "--published", published)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "OK" in result.stdout and "built by ashyq" in result.stdout


def release_copy(published: Path, tmp_path: Path) -> tuple[Path, Path]:
    copy = tmp_path / "published"
    shutil.copytree(package(published), copy / package(published).name)
    return copy, copy / package(published).name / "1.1.0"


def test_verify_names_a_tampered_csv(two_releases, tmp_path):
    copy, release = release_copy(two_releases[1], tmp_path)
    memoranda = release / "memoranda.csv"
    memoranda.write_text(memoranda.read_text("utf-8").replace("KZT", "USD", 1), "utf-8")
    result = ashyq("verify", "1.1.0", "--published", copy)
    assert result.returncode == 1
    assert "memoranda.csv: sha256 differs" in result.stdout
    assert "memoranda.csv: re-derived bytes differ" in result.stdout and "first at line" in result.stdout


def test_verify_names_a_tampered_source_document(two_releases, tmp_path):
    copy, release = release_copy(two_releases[1], tmp_path)
    blob = next(p for p in sorted((release / "archive" / "sha256").rglob("*")) if p.is_file() and p.suffix != ".json")
    blob.unlink()  # break the hard link to the published copy before changing the bytes
    blob.write_bytes(b"tampered")
    result = ashyq("verify", "1.1.0", "--published", copy)
    assert result.returncode == 1
    assert f"{blob.name}: archived bytes no longer hash to their name" in result.stdout
    assert "re-derivation failed" in result.stdout and "corrupt" in result.stdout
    assert ashyq("verify", "1.1.0", "--published", two_releases[1]).returncode == 0, "the original release is untouched"


def test_verify_takes_a_release_as_downloaded_its_folder_or_its_zip(two_releases, tmp_path):
    """An auditor holds a copy, not our published/ tree: the folder alone, or the zip the catalog offers."""
    release = package(two_releases[1]) / "1.1.0"
    folder = shutil.copytree(release, tmp_path / "download")
    result = ashyq("verify", folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("release 1.1.0: built by ashyq") and f"matches ({folder})" in result.stdout
    zipped = release / "ashyq-social-investments-1.1.0.zip"
    result = ashyq("verify", zipped)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"matches ({zipped})" in result.stdout
    (folder / "memoranda.csv").write_text((folder / "memoranda.csv").read_text("utf-8").replace("KZT", "USD", 1), "utf-8")
    assert "DIFFERS memoranda.csv: sha256 differs" in ashyq("verify", folder).stdout


def test_verify_refuses_what_is_not_a_release_with_exit_2_naming_it(tmp_path):
    table = tmp_path / "table.zip"
    with zipfile.ZipFile(table, "w") as archive:
        archive.writestr("t.csv", "a\n1\n")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "datapackage.json").write_text("{not json", "utf-8")
    listless = tmp_path / "listless"
    listless.mkdir()
    (listless / "datapackage.json").write_text('{"name": "x"}', "utf-8")
    for given, said in [(table, f"{table}: holds no datapackage.json, so it is not a release's zip"),
                        (broken, f"{broken / 'datapackage.json'}: not readable as JSON"),
                        (listless, f"{listless / 'datapackage.json'}: not a Data Package (it has no list of resources)"),
                        (tmp_path / "gone.zip", f"{tmp_path / 'gone.zip'}: no such file or folder"),
                        ("9.9.9", "no release 9.9.9 (none published yet); give a published version, or a release's folder or zip")]:
        result = ashyq("verify", given, "--published", tmp_path / "published")
        assert result.returncode == 2 and said in result.stderr, (given, result.stderr)
        assert "Traceback" not in result.stderr


def test_a_version_not_published_is_named_with_those_that_are_by_every_command(two_releases):
    _, published, key = two_releases
    said = f"{package(published)}: no release 1.2.0 (published: 1.0.0, 1.1.0)"
    for command, code in [(["verify", "1.2.0"], 2), (["diff", "1.0.0", "1.2.0"], 2), (["trace", "memoranda", key, "--version", "1.2.0"], 1)]:
        result = ashyq(*command, "--published", published)
        assert result.returncode == code and f"ashyq {command[0]}: {said}" in result.stderr, (command, result.stderr)
    empty = ashyq("trace", "memoranda", key, "--published", published.parent / "nothing-here")
    assert empty.returncode == 1 and "no release (none published yet)" in empty.stderr


def test_the_changelog_and_diff_name_the_changed_row(two_releases):
    _, published, key = two_releases
    changelog = (package(published) / "1.1.0" / "CHANGELOG.md").read_text("utf-8")
    assert "A minor change since 1.0.0" in changelog and f"Changed: `{key}` (document_sha256, title)" in changelog
    assert "Rows: 0 added, 0 removed, 1 changed" in changelog
    result = ashyq("diff", "1.0.0", "1.1.0", "--published", published)
    assert result.returncode == 0 and f"memoranda ~ {key} (document_sha256, title)" in result.stdout
    as_json = json.loads(ashyq("diff", "1.0.0", "1.1.0", "--published", published, "--json").stdout)
    assert as_json["memoranda"]["changed"] == [{"key": [key], "fields": ["document_sha256", "title"]}]
    assert len(as_json["documents"]["added"]) == len(as_json["documents"]["removed"]) == 1, "the changed page is a new document"
    assert as_json["budget_lines"]["added"] == [] and as_json["budget_lines"]["changed"] == []
    counted = ashyq("diff", "1.0.0", "1.1.0", "--published", published, "--limit", "0").stdout
    assert "memoranda … and 1 more changed" in counted and f"memoranda ~ {key}" not in counted, "--limit 0: counts, no keys"
    assert "documents … and 1 more added" in counted and "memoranda +0 -0 ~1" in counted.splitlines()[0]


def test_trace_follows_a_row_to_its_document_and_history(two_releases):
    _, published, key = two_releases
    result = ashyq("trace", "memoranda", key, "--published", published)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["row"]["memorandum_id"] == key and found["row"]["title"].startswith("Обновлено: ")
    assert found["releases"] == {"first_appeared": "1.0.0", "last_changed": "1.1.0"}
    assert found["validation"] == {"status": "valid"} and found["parser"] == "sources.memoranda.gov_kz:GovKzMemoranda"
    assert found["locator"].startswith("html:")
    document = found["document"]
    assert document["url"] == found["row"]["source_url"] and sha256_file(Path(document["path"])) == document["sha256"]
    assert document["retrieved_at"].endswith("Z")


def test_trace_reports_quarantined_rows_and_unknown_keys(two_releases):
    _, published, _ = two_releases
    with open(package(published) / "1.1.0" / "quarantine.csv", encoding="utf-8") as handle:
        entry = next(csv.DictReader(handle))
    found = json.loads(ashyq("trace", entry["resource"], entry["row_key"], "--published", published).stdout)
    assert found["validation"]["status"] == "quarantined" and found["validation"]["errors"][0]["error_type"] == entry["error_type"]
    missing = ashyq("trace", "memoranda", "nope/0", "--published", published)
    assert missing.returncode == 1 and "no row" in missing.stderr
