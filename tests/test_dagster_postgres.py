"""dagster.postgres.yaml puts a Dagster instance on PostgreSQL with no code change: Dagster accepts the file, and
(with ASHYQ_TEST_PG_URL) an instance built from it materialises an asset and keeps the run and its events in PostgreSQL."""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from pipelines.settings import REPO_ROOT

CONFIG = REPO_ROOT / "dagster.postgres.yaml"
PG_URL = os.environ.get("ASHYQ_TEST_PG_URL")
needs_pg = pytest.mark.skipif(not PG_URL, reason="ASHYQ_TEST_PG_URL is not set (no PostgreSQL to test against)")


def pg_env(url: sa.URL, database: str) -> dict[str, str]:
    return {"DAGSTER_PG_HOST": url.host or "127.0.0.1", "DAGSTER_PG_PORT": str(url.port or 5432), "DAGSTER_PG_DB": database,
            "DAGSTER_PG_USERNAME": url.username or "postgres", "DAGSTER_PG_PASSWORD": url.password or ""}


def dagster_home(tmp_path: Path, monkeypatch, env: dict[str, str]) -> Path:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(CONFIG, home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return home


def test_dagster_accepts_the_file_and_it_names_a_psycopg2_database_from_the_environment(tmp_path, monkeypatch):
    pytest.importorskip("dagster_postgres", reason="dagster-postgres is not installed (pip install -e '.[postgres]')")
    from dagster._config import process_config
    from dagster._core.instance.config import dagster_instance_config
    from dagster._core.instance.ref import InstanceRef
    from dagster._core.run_coordinator import QueuedRunCoordinator
    from dagster_postgres import PostgresRunStorage
    from dagster_postgres.utils import pg_url_from_config

    env = pg_env(sa.make_url("postgresql://someone:s3cret@db.internal:6543/x"), "dagster_prod")
    home = dagster_home(tmp_path, monkeypatch, env)
    dagster_instance_config(str(home))  # validates the whole file, concurrency rules included
    ref = InstanceRef.from_dir(str(home))
    assert isinstance(ref.run_coordinator, QueuedRunCoordinator)
    for data in (ref.run_storage_data, ref.event_storage_data, ref.schedule_storage_data):
        assert data.module_name == "dagster_postgres"
    processed = process_config(PostgresRunStorage.config_type(), yaml.safe_load(ref.run_storage_data.config_yaml))
    assert processed.success, processed.errors
    url = sa.make_url(pg_url_from_config(processed.value))
    assert url.get_driver_name() == "psycopg2"
    assert (url.host, url.port, url.database, url.username, url.password) == ("db.internal", 6543, "dagster_prod", "someone", "s3cret")


@pytest.fixture
def database():
    """A throwaway PostgreSQL database for one Dagster instance, dropped afterwards."""
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"ashyq_dagster_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield name
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@needs_pg
def test_an_instance_from_the_file_runs_and_stores_the_run_in_postgres(tmp_path, monkeypatch, database):
    import dagster as dg
    from dagster._core.run_coordinator import QueuedRunCoordinator
    from dagster._core.storage.dagster_run import DagsterRunStatus

    home = dagster_home(tmp_path, monkeypatch, pg_env(sa.make_url(PG_URL), database))
    settings = yaml.safe_load(CONFIG.read_text())

    @dg.asset
    def tiny() -> int:
        return 42

    with dg.DagsterInstance.get() as instance:
        assert Path(instance.root_directory) == home
        result = dg.materialize([tiny], instance=instance)
        assert result.success
        run = instance.get_run_by_id(result.run_id)
        assert run is not None and run.status == DagsterRunStatus.SUCCESS
        event = instance.get_latest_materialization_event(dg.AssetKey("tiny"))
        assert event is not None and event.run_id == result.run_id

        assert isinstance(instance.run_coordinator, QueuedRunCoordinator)  # UI/schedule runs wait for the daemon
        assert instance.run_retries_enabled == settings["run_retries"]["enabled"]
        assert instance.run_retries_max_retries == settings["run_retries"]["max_retries"]
        pools = instance.get_concurrency_config().pool_config
        assert pools.default_pool_limit == settings["concurrency"]["pools"]["default_limit"]

    # The run history really is in PostgreSQL: read it back with plain SQL.
    engine = sa.create_engine(sa.make_url(PG_URL).set(database=database))
    try:
        with engine.connect() as connection:
            stored = dict(connection.execute(sa.text("SELECT run_id, status FROM runs")).fetchall())
    finally:
        engine.dispose()
    assert stored == {result.run_id: "SUCCESS"}
