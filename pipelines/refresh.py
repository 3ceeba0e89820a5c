"""`ashyq refresh`: materialise the assets through Dagster on the persistent instance and summarise.

Two runs, the second only when needed: the raw assets first (every source crawled and archived); then, unless
the crawl found exactly the documents the latest release was built from, by the same code (pipelines/unchanged.py),
everything downstream: parse, validate, publish, warehouse. With nothing changed the second run would only
re-derive the latest release and publish nothing, at Dagster's cost per step; `--full` runs it anyway.
"""
from __future__ import annotations

import fcntl
import os
import socket
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from pipelines.settings import ensure_dagster_home, settings


class RefreshRunning(Exception):
    """Another refresh holds the lock for this published folder."""


@contextmanager
def refresh_lock(published_dir: Path):
    """One refresh at a time per published folder; the holder's pid is in the lock file for the message."""
    published_dir.mkdir(parents=True, exist_ok=True)
    path = published_dir / ".refresh.lock"
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise RefreshRunning(f"another ashyq refresh ({holder}) is running for {published_dir}; wait for it to finish") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {datetime.now(timezone.utc):%Y-%m-%dT%H:%M:%SZ}")
        handle.flush()
        yield


def run_refresh(verbose: bool = False, full: bool = False) -> int:
    ensure_dagster_home()
    published_dir = settings().published_dir
    try:
        with refresh_lock(published_dir):
            return _run(verbose, published_dir, full)
    except RefreshRunning as error:
        print(f"ashyq refresh: {error}; nothing done", file=sys.stderr)
        return 1


def _run(verbose: bool, published_dir: Path, full: bool) -> int:
    import dagster as dg

    from pipelines.definitions import defs, refresh_job
    from pipelines.steps import warehouse_is_current
    from pipelines.unchanged import unchanged_release

    print(f"ashyq refresh: publishing into {published_dir}", file=sys.stderr)
    with dg.DagsterInstance.get() as instance:
        reap_dead_runs(instance)
        run_config = {"loggers": {"console": {"config": {"log_level": "DEBUG" if verbose else "CRITICAL"}}}}
        tags = {"ashyq/host": socket.gethostname(), "ashyq/pid": str(os.getpid())}

        def execute(keys: list | None):
            return dg.execute_job(dg.reconstructable(refresh_job), instance=instance, run_config=run_config, tags=tags,
                                  raise_on_error=False, asset_selection=keys)

        if full:
            return report(execute(None))
        every = list(defs.resolve_asset_graph().get_all_asset_keys())
        raw = sorted((key for key in every if key.to_user_string().startswith("raw_")), key=lambda key: key.to_user_string())
        crawled = execute(raw)
        if not crawled.success:
            return report(crawled)
        digests = {}  # source id -> sha256 of its manifest, recorded with each raw materialization
        for event in crawled.get_asset_materialization_events():
            meta = event.materialization.metadata
            digests[meta["source_id"].value] = meta["manifest_sha256"].value
        same = unchanged_release(published_dir, digests, settings()) if len(digests) == len(raw) else None
        if same is None:
            return report(execute([key for key in every if key not in raw]))
        if not warehouse_is_current(settings()):
            loaded = execute([dg.AssetKey("warehouse_tables")])
            if not loaded.success:
                return report(loaded)
        print(f"ashyq refresh: nothing new to publish; version {same.version} (no source changed since {same.version}: "
              f"{len(digests)} sources crawled, the same documents; the same code) at {same.path}")
        return 0


def reap_dead_runs(instance) -> None:
    """Mark refresh runs whose process died (kill -9, power cut) as failed and free the concurrency-pool
    slots they held; without the Dagster daemon nothing else would, and the next run would wait forever.
    Only runs started by `ashyq refresh` on this machine are touched, and only when their process is gone."""
    import dagster as dg

    alive = {dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED}
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=list(alive), tags={"ashyq/host": socket.gethostname()})):
        pid = int(run.tags.get("ashyq/pid", "0"))
        if pid and not _process_alive(pid):
            instance.report_run_failed(run, message=f"the ashyq refresh process (pid {pid}) died before the run finished")
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
            print(f"ashyq refresh: run {run.run_id} (pid {pid}) had died; marked failed and its pool slots freed", file=sys.stderr)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def root_cause(error) -> str:
    """The innermost error's message: what went wrong in our code, not Dagster's wrapper around it."""
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


def report(result) -> int:
    from pipelines.handoff import wait_for_writers

    unwritten = wait_for_writers()  # Dagster's stored values being written by child processes (pipelines/handoff.py)
    failures = [f"{event.step_key}: {root_cause(event.event_specific_data.error)}" for event in result.get_step_failure_events()]
    failed_checks = [
        f"{evaluation.asset_key.to_user_string()} / {evaluation.check_name}: {evaluation.metadata.get('problems').value if evaluation.metadata.get('problems') else 'failed'}"
        for evaluation in result.get_asset_check_evaluations()
        if not evaluation.passed
    ]
    release = next(
        (event.materialization for event in result.get_asset_materialization_events() if event.asset_key.to_user_string() == "published_release"),
        None,
    )
    for line in failures:
        print(f"FAILED {line}", file=sys.stderr)
    for line in failed_checks:
        print(f"BLOCKED by check {line}", file=sys.stderr)
    if release is None or failures or failed_checks:
        print(f"ashyq refresh: nothing published; the latest release is unchanged (run {result.run_id}; -v shows the full log)", file=sys.stderr)
        return 1
    meta = {key: value.value for key, value in release.metadata.items()}
    if meta["published"]:
        print(f"ashyq refresh: published version {meta['version']} ({meta['reason']}) at {meta['path']}")
        print(f"  changes: {meta['changes']}")
    else:
        print(f"ashyq refresh: nothing new to publish; version {meta['version']} ({meta['reason']}) at {meta['path']}")
    for path in unwritten:
        print(f"FAILED to store {path} (Dagster's copy of an asset value; the release is not affected): a run reading it "
              "from storage fails until the asset is materialized again", file=sys.stderr)
    return 1 if unwritten else 0
