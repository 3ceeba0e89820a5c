"""`ashyq refresh`: materialise every asset through Dagster on the persistent instance and summarise."""
from __future__ import annotations

import fcntl
import os
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


def run_refresh(verbose: bool = False) -> int:
    ensure_dagster_home()
    published_dir = settings().published_dir
    try:
        with refresh_lock(published_dir):
            return _run(verbose, published_dir)
    except RefreshRunning as error:
        print(f"ashyq refresh: {error}; nothing done", file=sys.stderr)
        return 1


def _run(verbose: bool, published_dir: Path) -> int:
    import dagster as dg

    from pipelines.definitions import refresh_job

    print(f"ashyq refresh: publishing into {published_dir}", file=sys.stderr)
    with dg.DagsterInstance.get() as instance:
        run_config = {"loggers": {"console": {"config": {"log_level": "DEBUG" if verbose else "CRITICAL"}}}}
        result = dg.execute_job(dg.reconstructable(refresh_job), instance=instance, run_config=run_config, raise_on_error=False)
        return report(result)


def root_cause(error) -> str:
    """The innermost error's message: what went wrong in our code, not Dagster's wrapper around it."""
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


def report(result) -> int:
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
    return 0
