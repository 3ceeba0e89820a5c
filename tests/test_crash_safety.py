"""kill -9 at any moment of a refresh or publish leaves no partial release and the previous `latest` intact;
the next run completes; two refreshes at once cannot both publish. The process is really killed."""
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.faults import POINTS
from pipelines.release import file_problems
from sources.mirror_server import serve_mirror
from test_refresh_end_to_end import REPO, package, refresh


def start_paused(tmp: Path, published: Path, point: str, **env) -> subprocess.Popen:
    environment = {**os.environ, "DAGSTER_HOME": str(tmp / "dagster"), "ASHYQ_ARCHIVE_DIR": str(tmp / "raw"), "ASHYQ_PAUSE_AT": point,
                   "ASHYQ_WAREHOUSE_URL": f"sqlite:///{tmp / 'warehouse.sqlite'}", **env}
    (tmp / "dagster").mkdir(exist_ok=True)
    shutil.copy(REPO / "dagster.yaml", tmp / "dagster" / "dagster.yaml")
    process = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "refresh", "--published", str(published)], cwd=REPO,
                               env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in process.stderr:
        if f"paused at {point}" in line:
            return process
    process.wait(timeout=60)
    raise AssertionError(f"the refresh ended (exit {process.returncode}) without reaching {point}")


def kill9(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def assert_only_whole_releases(published: Path, latest_expected: str | None) -> None:
    folder = package(published)
    versions = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")] if folder.exists() else []
    for release in versions:
        descriptor = json.loads((release / "datapackage.json").read_text())
        assert file_problems(release, descriptor) == [], f"{release.name} is partial"
    pointer = folder / "latest.json"
    assert (json.loads(pointer.read_text())["version"] if pointer.exists() else None) == latest_expected


def changed_mirror(tmp: Path) -> Path:
    """A copy of the mirror in which one budget file was re-issued, so the next release differs."""
    mirror = tmp / "mirror"
    shutil.copytree(REPO / "sources" / "mirror", mirror)
    page = next(mirror.glob("aktobe.gov.kz/ru/memorandumy/*.html"))
    page.write_text(page.read_text("utf-8").replace("<h2>", "<h2>Изм. ", 1), "utf-8")
    return mirror


@pytest.fixture(scope="module")
def first_release(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("crash-base")
    assert refresh(tmp, tmp / "published").returncode == 0
    return tmp


@pytest.fixture
def released(first_release, tmp_path):
    """A private copy of one published release with its archive and Dagster instance."""
    for part in ("published", "raw", "dagster"):
        shutil.copytree(first_release / part, tmp_path / part, symlinks=True)
    return tmp_path, tmp_path / "published"


@pytest.mark.parametrize("point", POINTS)
def test_kill_9_at_each_point_leaves_the_previous_release_latest_and_the_next_run_completes(released, point):
    tmp, published = released
    with serve_mirror(changed_mirror(tmp)) as base:
        kill9(start_paused(tmp, published, point, ASHYQ_MIRROR_URL=base))
        # a version renamed into place is complete; latest.json still names the previous one until the next run
        assert_only_whole_releases(published, "1.0.0")
        result = refresh(tmp, published, ASHYQ_MIRROR_URL=base)
    assert result.returncode == 0, result.stderr
    assert "had died; marked failed and its pool slots freed" in result.stderr, "the killed run no longer blocks its pools"
    assert_only_whole_releases(published, "1.1.0")
    assert not list(package(published).glob(".staging-*")), "stale staging is cleared"
    verify = subprocess.run([sys.executable, "-m", "pipelines.cli", "verify", "--published", str(published)], cwd=REPO, capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout


def test_kill_9_during_the_first_ever_publish_leaves_nothing_published(tmp_path):
    published = tmp_path / "published"
    kill9(start_paused(tmp_path, published, "release-staged"))
    assert_only_whole_releases(published, None)
    assert refresh(tmp_path, published).returncode == 0
    assert_only_whole_releases(published, "1.0.0")


def test_a_second_refresh_is_refused_while_one_runs(released):
    tmp, published = released
    with serve_mirror(changed_mirror(tmp)) as base:
        first = start_paused(tmp, published, "raw-crawled", ASHYQ_MIRROR_URL=base)
        try:
            second = refresh(tmp, published, ASHYQ_MIRROR_URL=base)
            assert second.returncode == 1
            assert "another ashyq refresh" in second.stderr and f"pid {first.pid}" in second.stderr and "nothing done" in second.stderr
        finally:
            kill9(first)
    assert_only_whole_releases(published, "1.0.0")
