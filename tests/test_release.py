"""Releases: versioned by the Data Package rules, immutable, atomic, and valid for Frictionless."""
import json
import subprocess
import sys

import pytest

from pipelines import release
from pipelines.release import PublishLocked, bump, classify_change, publish, publish_lock
from pipelines.schemas import resource_names
from test_validation import REGION, SHA_A, document, memorandum


def tables(**overrides):
    base = {"memoranda": [memorandum("1")], "documents": [document(SHA_A)], "regions": [REGION], "quarantine": []}
    return {**base, **overrides}


def release_dir(root):
    return root / "ashyq-social-investments"


def test_first_release_is_complete_checksummed_and_valid(tmp_path):
    outcome = publish(tables(), tmp_path, sample=True, sources=[])
    assert outcome.published and outcome.version == "1.0.0"
    folder = release_dir(tmp_path) / "1.0.0"
    descriptor = json.loads((folder / "datapackage.json").read_text())
    assert descriptor["version"] == "1.0.0" and descriptor["sample"] is True and "SAMPLE" in descriptor["title"]
    assert [r["name"] for r in descriptor["resources"]] == resource_names()
    for resource in descriptor["resources"]:
        data = (folder / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + __import__("hashlib").sha256(data).hexdigest()
    header = (folder / "memoranda.csv").read_text().splitlines()[0].split(",")
    assert header == [f["name"] for f in descriptor["resources"][0]["schema"]["fields"]]
    assert json.loads((release_dir(tmp_path) / "latest.json").read_text()) == {"version": "1.0.0"}
    cli = subprocess.run([sys.executable, "-m", "frictionless", "validate", str(folder / "datapackage.json")], capture_output=True, text=True)
    assert cli.returncode == 0, cli.stdout + cli.stderr


def test_a_first_release_counts_its_rows_in_the_changelog_and_lists_none(tmp_path):
    """Against no release every row is added: the changelog and summary count CSV records (a title with a
    line break is one row), and no key is listed."""
    memoranda = [memorandum("1", title="Memo\non two lines"), memorandum("2"), memorandum("3")]
    outcome = publish(tables(memoranda=memoranda), tmp_path, sample=True, sources=[])
    changelog = (release_dir(tmp_path) / "1.0.0" / "CHANGELOG.md").read_text("utf-8")
    assert "First release." in changelog
    assert "## memoranda\n\nRows: 3 added, 0 removed, 0 changed." in changelog
    assert "## regions\n\nRows: 1 added, 0 removed, 0 changed." in changelog
    assert "- Added:" not in changelog
    assert "memoranda 3 rows" in outcome.summary and "regions 1 rows" in outcome.summary


def test_unchanged_data_publishes_nothing_and_changed_data_is_a_minor_version(tmp_path):
    publish(tables(), tmp_path, sample=True, sources=[])
    again = publish(tables(), tmp_path, sample=True, sources=[])
    assert not again.published and again.version == "1.0.0"
    changed = publish(tables(memoranda=[memorandum("1"), memorandum("2")]), tmp_path, sample=True, sources=[])
    assert changed.published and changed.version == "1.1.0"
    assert sorted(p.name for p in release_dir(tmp_path).iterdir() if not p.name.startswith(".")) == ["1.0.0", "1.1.0", "latest.json"]


def test_version_rules():
    assert bump(None, "major") == "1.0.0"
    assert [bump("1.4.2", c) for c in ("major", "minor", "patch")] == ["2.0.0", "1.5.0", "1.4.3"]
    base = {"name": "p", "title": "t", "resources": [{"name": "r", "hash": "sha256:1", "schema": {"fields": [{"name": "a"}]}}]}
    assert classify_change(base, base) is None
    assert classify_change(base, {**base, "title": "t2"}) == "patch"
    assert classify_change(base, {**base, "resources": [{**base["resources"][0], "hash": "sha256:2"}]}) == "minor"
    assert classify_change(base, {**base, "resources": [{**base["resources"][0], "schema": {"fields": [{"name": "b"}]}}]}) == "major"


def test_a_failure_while_building_leaves_no_version_and_latest_untouched(tmp_path, monkeypatch):
    publish(tables(), tmp_path, sample=True, sources=[])

    def explode(folder, validated=None, digests=None):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(release, "check_release", explode)
    with pytest.raises(RuntimeError, match="disk on fire"):
        publish(tables(memoranda=[memorandum("1"), memorandum("2")]), tmp_path, sample=True, sources=[])
    entries = sorted(p.name for p in release_dir(tmp_path).iterdir() if p.name != ".lock")
    assert entries == ["1.0.0", "latest.json"]
    assert json.loads((release_dir(tmp_path) / "latest.json").read_text()) == {"version": "1.0.0"}


def test_stale_staging_from_a_crash_is_cleared(tmp_path):
    stale = release_dir(tmp_path) / ".staging-1.0.0-999"
    stale.mkdir(parents=True)
    (stale / "memoranda.csv").write_text("half")
    publish(tables(), tmp_path, sample=True, sources=[])
    assert not stale.exists() and (release_dir(tmp_path) / "1.0.0").is_dir()


def test_a_second_publisher_is_refused_while_one_holds_the_lock(tmp_path):
    with publish_lock(release_dir(tmp_path)):
        with pytest.raises(PublishLocked, match="another ashyq process is publishing"):
            publish(tables(), tmp_path, sample=True, sources=[])


def _rewritten(folder, path, edit):
    """Edit one CSV of a release copy and restate its hash and size, so that only the schemas can object."""
    import hashlib

    target = folder / path
    target.write_bytes(edit(target.read_bytes()))
    descriptor = json.loads((folder / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        if resource["path"] == path:
            resource["hash"] = "sha256:" + hashlib.sha256(target.read_bytes()).hexdigest()
            resource["bytes"] = target.stat().st_size
    (folder / "datapackage.json").write_text(json.dumps(descriptor))


def test_check_release_trusts_validated_bytes_only_under_the_schema_they_passed(tmp_path):
    """A resource published as the bytes validation checked, under the same schema, is not checked twice; a
    resource it did not check (the quarantine), another schema, a key into an unchecked resource, or bytes
    that are not the ones datapackage.json states are."""
    import shutil

    from pipelines.validation import candidate_schemas

    publish(tables(memoranda=[memorandum("1"), memorandum("2")]), tmp_path, sample=True, sources=[])
    names = [name for name in resource_names() if name != "quarantine"]
    vouched = candidate_schemas(names)

    def copy(name):
        folder = tmp_path / name
        shutil.copytree(release_dir(tmp_path) / "1.0.0", folder)
        return folder

    dangling = copy("dangling")  # a memorandum whose region no region row has
    _rewritten(dangling, "memoranda.csv", lambda data: data.replace(b",230000000,", b",990000000,", 1))
    with pytest.raises(ValueError, match="memoranda: row 2"):
        release.check_release(dangling)
    release.check_release(dangling, vouched)  # validation's own bytes and schemas: trusted
    with pytest.raises(ValueError, match="memoranda: row 2"):
        release.check_release(dangling, {**vouched, "memoranda": {**vouched["memoranda"], "description": "another schema"}})
    with pytest.raises(ValueError, match="memoranda: row 2"):
        release.check_release(dangling, {name: schema for name, schema in vouched.items() if name != "regions"})

    bad_quarantine = copy("bad_quarantine")
    _rewritten(bad_quarantine, "quarantine.csv", lambda data: data + b"memoranda,s/9,1,title,x,y,{}\n")
    with pytest.raises(ValueError, match="quarantine: row 2"):
        release.check_release(bad_quarantine, vouched)

    tampered = copy("tampered")
    (tampered / "memoranda.csv").write_bytes((tampered / "memoranda.csv").read_bytes().replace(b",230000000,", b",990000000,", 1))
    with pytest.raises(ValueError, match="memoranda.csv: sha256 differs"):
        release.check_release(tampered, vouched)


def test_digests_taken_while_the_release_is_made_stand_only_for_files_unchanged_since(tmp_path):
    """publish hashes the CSVs while the SQLite download is built; the release's check reuses a digest only
    for a file whose size, mtime and inode are the same, and reads any other file again."""
    import os
    import shutil

    from pipelines.validation import candidate_schemas

    publish(tables(memoranda=[memorandum("1"), memorandum("2")]), tmp_path, sample=True, sources=[])
    folder = tmp_path / "copy"
    shutil.copytree(release_dir(tmp_path) / "1.0.0", folder)
    digests = release.file_digests(folder)
    assert set(digests) >= {"memoranda.csv", "regions.csv"}
    release.check_release(folder, digests=digests)

    target = folder / "memoranda.csv"
    before = target.stat()
    target.write_bytes(target.read_bytes().replace(b",230000000,", b",990000000,", 1))  # same size
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns + 1))
    with pytest.raises(ValueError, match="memoranda.csv: sha256 differs"):
        release.check_release(folder, digests=digests)
    # the same size, mtime and inode as when hashed: the digest stands (the rule's trade: a file rewritten in the
    # staging folder within the same nanosecond is not read again); the schemas, when not vouched for, still object
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    vouched = candidate_schemas([name for name in resource_names() if name != "quarantine"])
    release.check_release(folder, vouched, digests)
    with pytest.raises(ValueError, match="memoranda: row 2"):
        release.check_release(folder, digests=digests)
