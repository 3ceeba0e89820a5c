"""When `ashyq refresh` may stop after the crawl: the latest release was built from these manifests by this code."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import pipelines.unchanged as unchanged
from pipelines.settings import Settings
from sources.files import dump_json, sha256_bytes

CODE = "ashyq 0.1.0+0123456789ab"
MANIFESTS = {"atyrau-akimat": {"documents": ["a" * 64], "items": [{"url": "https://atyrau.gov.kz/1"}], "source": {"id": "atyrau-akimat"}},
             "kz-open-budgets": {"documents": [], "items": [], "source": {"id": "kz-open-budgets"}}}


def digests(manifests=MANIFESTS) -> dict[str, str]:
    return {source: sha256_bytes(dump_json(manifest)) for source, manifest in manifests.items()}


@pytest.fixture
def published(tmp_path, monkeypatch):
    """A latest release 1.2.0 whose archive holds MANIFESTS, built by CODE, as a sample."""
    monkeypatch.setattr(unchanged, "code_version", lambda: CODE)
    package = tmp_path / "ashyq-social-investments"
    release = package / "1.2.0"
    (release / "archive" / "manifests").mkdir(parents=True)
    for source, manifest in MANIFESTS.items():
        (release / "archive" / "manifests" / f"{source}.json").write_bytes(dump_json(manifest))
    (release / "datapackage.json").write_text(json.dumps({"name": package.name, "sample": True, "ashyq": {"code_version": CODE}}))
    (package / "latest.json").write_text(json.dumps({"version": "1.2.0"}))
    return tmp_path


def sample_settings(live: bool = False) -> Settings:
    return Settings(published_dir=Path("published"), archive_dir=Path("raw"), mirror_url=None, live=live)


def test_the_same_manifests_by_the_same_clean_code_are_the_latest_release(published):
    same = unchanged.unchanged_release(published, digests(), sample_settings())
    assert same is not None and same.version == "1.2.0" and same.path == published / "ashyq-social-investments" / "1.2.0"


@pytest.mark.parametrize("change", ["document", "source added", "source gone"])
def test_any_other_crawl_is_not(published, change):
    crawled = {**MANIFESTS}
    if change == "document":
        crawled["atyrau-akimat"] = {**MANIFESTS["atyrau-akimat"], "documents": ["b" * 64]}
    elif change == "source added":
        crawled["aktobe-akimat"] = {"documents": [], "items": [], "source": {"id": "aktobe-akimat"}}
    else:
        crawled.pop("kz-open-budgets")
    assert unchanged.unchanged_release(published, digests(crawled), sample_settings()) is None


@pytest.mark.parametrize("code", ["ashyq 0.1.0+0123456789ab.dirty", "ashyq 0.1.0+ba9876543210", "ashyq 0.1.0", "ashyq (not installed)"])
def test_other_or_unpinned_code_is_not(published, monkeypatch, code):
    monkeypatch.setattr(unchanged, "code_version", lambda: code)
    assert unchanged.unchanged_release(published, digests(), sample_settings()) is None


def test_a_live_run_against_a_sample_release_is_not(published):
    assert unchanged.unchanged_release(published, digests(), sample_settings(live=True)) is None


def test_no_release_yet_is_not(tmp_path):
    assert unchanged.unchanged_release(Path(tmp_path), digests(), sample_settings()) is None
