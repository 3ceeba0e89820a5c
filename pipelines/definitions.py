"""Dagster entry point (`dagster dev` finds it through pyproject.toml's [tool.dagster]).

`build_defs()` takes overrides so tests can wire a different catalog; the executor is chosen by
ASHYQ_EXECUTOR (in_process by default: each multiprocess step costs ~2 s of subprocess start-up here).
Values pass between assets through pipelines/handoff.py: Dagster's pickle files, handed over in memory
within one process.
"""
from __future__ import annotations

import importlib
import os

import dagster as dg

from pipelines.assets import build_assets
from pipelines.handoff import HandoffIOManager
from pipelines.settings import settings
from pipelines.steps import catalog_for
from sources.catalog import Source, load_catalog

EXECUTORS = {"in_process": dg.in_process_executor, "multiprocess": dg.multiprocess_executor}
# Distributed executors live in their own packages (pinned with dagster: 0.29.27); imported only when chosen.
PLUGGABLE = {"celery": ("dagster_celery", "celery_executor", "dagster-celery==0.29.27"),
             "k8s": ("dagster_k8s", "k8s_job_executor", "dagster-k8s==0.29.27")}


def executor_from_env() -> dg.ExecutorDefinition:
    name = os.environ.get("ASHYQ_EXECUTOR", "in_process")
    if name in EXECUTORS:
        return EXECUTORS[name]
    if name in PLUGGABLE:
        module, attribute, requirement = PLUGGABLE[name]
        try:
            return getattr(importlib.import_module(module), attribute)
        except ImportError:
            raise ValueError(f"ASHYQ_EXECUTOR={name} needs {requirement}: pip install '{requirement}' (see docs/operations.md)") from None
    raise ValueError(f"ASHYQ_EXECUTOR={name!r}: choose one of {', '.join([*EXECUTORS, *PLUGGABLE])}")


def build_defs(sources: list[Source] | None = None) -> dg.Definitions:
    catalog = sources if sources is not None else catalog_for(settings(), load_catalog())
    assets = build_assets(catalog)
    refresh = dg.define_asset_job(
        "refresh",
        selection=dg.AssetSelection.all(),
        description="Crawl, parse, validate and publish everything.",
        tags={"ashyq/publish": "release"},  # dagster.postgres.yaml allows one run with this tag at a time
    )
    return dg.Definitions(
        assets=assets,
        jobs=[refresh],
        schedules=[dg.ScheduleDefinition(name="nightly_refresh", job=refresh, cron_schedule="0 2 * * *", execution_timezone="Asia/Almaty")],
        executor=executor_from_env(),
        resources={"io_manager": HandoffIOManager()},
    )


defs = build_defs()


def refresh_job() -> dg.JobDefinition:
    """Module-level factory so `reconstructable` can rebuild the job in a subprocess executor."""
    return defs.resolve_job_def("refresh")
