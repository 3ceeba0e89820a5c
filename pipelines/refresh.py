"""`ashyq refresh`: materialise every asset through Dagster on the persistent instance and summarise."""
from __future__ import annotations

import sys

from pipelines.settings import ensure_dagster_home, settings


def run_refresh(verbose: bool = False) -> int:
    ensure_dagster_home()
    import dagster as dg

    from pipelines.definitions import refresh_job

    print(f"ashyq refresh: publishing into {settings().published_dir}", file=sys.stderr)
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
