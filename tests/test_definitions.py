"""The Dagster definitions `dagster dev` loads: layered asset graph, blocking check, job, schedule, executor."""
import importlib
import importlib.util

import dagster as dg
import pytest

import pipelines.definitions as definitions
from pipelines.schemas import resource_names
from sources.catalog import load_catalog


def asset_keys(defs):
    return {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}


def test_asset_graph_has_one_raw_asset_per_source_and_every_layer():
    keys = asset_keys(definitions.defs)
    raw = {f"raw_{s.id.replace('-', '_')}" for s in load_catalog()}
    assert raw <= keys
    published = {f"validated_{name}" for name in resource_names()}
    assert published <= keys and "published_release" in keys
    assert {f"parsed_{name}" for name in resource_names() if name != "quarantine"} <= keys
    graph = definitions.defs.resolve_asset_graph()
    upstream = {k.to_user_string() for k in graph.get(dg.AssetKey("published_release")).parent_keys}
    assert upstream == published | raw, "every resource of schemas/package.yaml is published, with every source's manifest"


def test_volume_check_is_blocking_and_validated_assets_carry_their_column_schema():
    check = definitions.defs.resolve_asset_graph().get_check_spec(dg.AssetCheckKey(dg.AssetKey("validated_memoranda"), "memoranda_volume"))
    assert check.blocking
    node = definitions.defs.resolve_asset_graph().get(dg.AssetKey("validated_memoranda"))
    columns = [c.name for c in node.metadata["dagster/column_schema"].columns]
    assert columns[0] == "memorandum_id" and "document_sha256" in columns


def test_refresh_job_and_nightly_schedule():
    job = definitions.defs.resolve_job_def("refresh")
    assert job.name == "refresh"
    schedule = definitions.defs.resolve_schedule_def("nightly_refresh")
    assert schedule.cron_schedule == "0 2 * * *" and schedule.job_name == "refresh"


def test_freshness_policies_on_the_release_and_every_source():
    graph = definitions.defs.resolve_asset_graph()
    release = graph.get(dg.AssetKey("published_release")).freshness_policy
    assert release is not None and release.deadline_cron == "0 6 * * *"
    for source in load_catalog():
        assert graph.get(dg.AssetKey(f"raw_{source.id.replace('-', '_')}")).freshness_policy is not None


def test_instance_config_retries_runs_and_limits_each_host_pool(tmp_path, monkeypatch):
    import shutil

    shutil.copy(definitions.__file__.replace("pipelines/definitions.py", "dagster.yaml"), tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    with dg.DagsterInstance.get() as instance:
        assert instance.run_retries_enabled and instance.run_retries_max_retries == 2
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1


def test_the_instance_stores_run_events_in_sqlite_keeping_one_engine_per_file(tmp_path, monkeypatch):
    """dagster.yaml's event log (pipelines/event_log.py) stores and reads a run's events like Dagster's own, in
    $DAGSTER_HOME/history/runs, creating one engine per database file for all of a run's events."""
    import shutil

    import sqlalchemy

    import pipelines.event_log as event_log

    shutil.copy(definitions.__file__.replace("pipelines/definitions.py", "dagster.yaml"), tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    made = []
    monkeypatch.setattr(event_log, "create_engine", lambda *a, **k: made.append(a[0]) or sqlalchemy.create_engine(*a, **k))

    @dg.asset
    def one() -> int:
        return 1

    @dg.asset
    def two(one: int) -> int:
        return one + 1

    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.event_log_storage, event_log.KeptEngineSqliteEventLogStorage)
        result = dg.materialize([one, two], instance=instance)
        assert result.success
        events = instance.all_logs(result.run_id)
        assert {e.dagster_event.event_type_value for e in events if e.dagster_event} >= {"STEP_START", "ASSET_MATERIALIZATION", "STEP_SUCCESS"}
        assert instance.get_latest_materialization_event(dg.AssetKey("two")).run_id == result.run_id
    assert (tmp_path / "history" / "runs" / f"{result.run_id}.db").is_file()
    assert len(events) > 10 and sorted(made) == sorted(set(made)), "one engine per file, not per event"


def test_build_defs_accepts_a_different_catalog():
    only_atyrau = [s for s in load_catalog() if s.id == "atyrau-akimat"]
    keys = asset_keys(definitions.build_defs(only_atyrau))
    assert "raw_atyrau_akimat" in keys and "raw_aktobe_akimat" not in keys
    assert "parsed_social_projects" not in keys, "a family without sources adds no assets"


def test_executor_is_in_process_by_default_and_selectable(monkeypatch):
    monkeypatch.delenv("ASHYQ_EXECUTOR", raising=False)
    assert definitions.executor_from_env() is dg.in_process_executor
    monkeypatch.setenv("ASHYQ_EXECUTOR", "multiprocess")
    assert definitions.executor_from_env() is dg.multiprocess_executor
    for distributed, (module, _, requirement) in definitions.PLUGGABLE.items():
        monkeypatch.setenv("ASHYQ_EXECUTOR", distributed)
        if importlib.util.find_spec(module) is None:
            with pytest.raises(ValueError, match=f"needs {requirement}: pip install"):
                definitions.executor_from_env()
        else:
            assert isinstance(definitions.executor_from_env(), dg.ExecutorDefinition)
    monkeypatch.setenv("ASHYQ_EXECUTOR", "warp-drive")
    with pytest.raises(ValueError, match="ASHYQ_EXECUTOR"):
        definitions.executor_from_env()
    monkeypatch.delenv("ASHYQ_EXECUTOR")
    importlib.reload(definitions)
