"""Public entry points: a resource (CSV + schema) or a Data Package, checked into a Frictionless report."""
from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Callable

from pipelines.tablecheck import errors as E
from pipelines.tablecheck import fallback
from pipelines.tablecheck.descriptor import check_package_metadata, is_safe_path
from pipelines.tablecheck.engine import Databases, Resource, ResourceRun, Settings, check, check_memory_limit, same_types
from pipelines.tablecheck.error_store import ErrorList
from pipelines.tablecheck.gzipped import Scratch, inner_path, is_gzipped
from pipelines.tablecheck.schema import Unsupported, load_schema, parse_schema
from pipelines.tablecheck.source import file_name, is_local_csv

RESOURCE_KEYS = {
    "name", "path", "schema", "dialect", "format", "mediatype", "encoding", "profile", "title", "description",
    "licenses", "sources", "hash", "bytes", "fields", "rows", "scheme", "type", "homepage", "$schema", "compression",
}


class Report(dict):
    """A Frictionless report descriptor; `engines` lists, per task, the engine used and why (not serialised)."""

    engines: list[dict]


def _report(tasks: list[dict], engines: list[dict], seconds: float, errors: list[dict] | None = None) -> Report:
    errors = errors or []
    count = len(errors) + sum(task["stats"]["errors"] for task in tasks)
    report = Report(
        valid=not count,
        stats={"tasks": len(tasks), "errors": count, "warnings": 0, "seconds": round(seconds, 3)},
        warnings=[],
        errors=errors,
        tasks=tasks,
    )
    report.engines = engines
    return report


def _as_report(descriptor: dict, engines: list[dict]) -> Report:
    report = Report(descriptor)
    report.engines = engines
    return report


def check_resource(path, schema=None, *, dialect: dict | None = None, encoding: str | None = None, memory_limit: str = "512MB",
                   threads: int | None = None, errors: Callable = ErrorList) -> Report:
    """Validate one CSV file against a Table Schema (dict or file path), like `Resource(path, schema).validate()`;
    without one, against the schema Frictionless infers from the first rows, like `Resource(path).validate()`.
    `encoding`: the file's, instead of the guess (`frictionless validate --encoding`).
    `errors`: where each task's errors go (error_store.py; default: a list each, in memory)."""
    started = time.perf_counter()
    check_memory_limit(memory_limit)
    descriptor = load_schema(schema) if schema is not None else fallback.inferred_schema(str(path), encoding)
    if descriptor is None:  # Frictionless could not read the file to infer a schema: its own report says why
        return _as_report(fallback.resource_report(str(path), None, dialect, encoding), [{"engine": "frictionless", "reason": "no schema could be inferred"}])
    inferred = {"inferred_schema": descriptor} if schema is None else {}  # the engines say which schema was guessed
    settings = Settings(memory_limit=memory_limit, errors=errors, **({"threads": threads} if threads else {}))
    try:
        if not is_local_csv(str(path)):
            raise Unsupported("not a local .csv/.tsv file (or .csv.gz/.tsv.gz)")
        parsed = parse_schema(descriptor)
        if any(fk.resource for fk in parsed.foreign_keys):
            raise Unsupported("foreign keys to other resources need a package")
        tsv = inner_path(str(path)).lower().endswith(".tsv")
        with Scratch() as scratch:
            resource = scratch.plain(Resource(file_name(str(path)), str(path), str(path), parsed, dialect, tsv=tsv, encoding=encoding))
            task, engine = check(resource, settings=settings)
    except Unsupported as reason:
        return _as_report(fallback.resource_report(str(path), descriptor, dialect, encoding), [{"engine": "frictionless", "reason": str(reason), **inferred}])
    return _report([task], [{**engine, **inferred}], time.perf_counter() - started)


def check_package(datapackage_json_path, *, memory_limit: str = "512MB", threads: int | None = None, errors: Callable = ErrorList) -> Report:
    """Validate every resource of a Data Package, like `Package(path).validate()` (foreign keys across resources).
    `errors`: where each task's errors go (error_store.py; default: a list each, in memory)."""
    started = time.perf_counter()
    check_memory_limit(memory_limit)
    descriptor_path = Path(datapackage_json_path)
    base = descriptor_path.parent
    try:
        descriptor = load_schema(str(descriptor_path))
        check_package_metadata(descriptor)  # Frictionless rejects the whole package, with no tasks, for any error in it
        plans = [_plan(item, base) for item in descriptor["resources"]]
        names = [plan["name"] for plan in plans]
        if len(set(names)) != len(names) or not plans:
            raise Unsupported("resource names are not unique or there are no resources")
    except (Unsupported, OSError, ValueError, AttributeError, TypeError) as reason:
        return _as_report(fallback.package_report(str(descriptor_path)), [{"engine": "frictionless", "reason": str(reason)}])
    settings = Settings(memory_limit=memory_limit, scanning=threading.Event(), errors=errors, **({"threads": threads} if threads else {}))
    with Scratch() as scratch:  # gzipped files' decompressed copies, for as long as any check may read them
        _decompress(plans, scratch)
        tasks, engines, package_errors = _check_plans(plans, settings, descriptor_path)
    return _report(tasks, engines, time.perf_counter() - started, package_errors)


def _decompress(plans: list[dict], scratch: Scratch) -> None:
    """Point each gzipped resource at a decompressed copy (carrying the compressed file's stats)."""
    for plan in plans:
        if "resource" in plan:
            try:
                plan["resource"] = scratch.plain(plan["resource"])
            except Unsupported as reason:
                plan["unsupported"] = str(reason)


def _check_plans(plans: list[dict], settings: Settings, descriptor_path: Path) -> tuple[list, list, list]:
    """(tasks, engines, package errors) of every resource, in the descriptor's order."""
    by_name = {plan["name"]: plan for plan in plans}
    settings.databases = Databases(settings)
    outcomes: dict[str, tuple[list, list, list]] = {}

    def run(plan: dict) -> None:
        outcomes[plan["name"]] = _check_plan(plan, by_name, settings, descriptor_path)

    # Small tables (lookups: regions, categories) are checked on a thread of their own beside the big ones,
    # from the moment a big one's scan 1 has DuckDB busy and Python idle; the big ones go one after
    # another, for memory.
    small = [plan for plan in plans if _small(plan)] if len(plans) > 1 else []
    helper = _Helper(settings.scanning, [lambda plan=plan: run(plan) for plan in small]) if small and len(small) < len(plans) else None
    try:
        for plan in plans:
            if helper is None or plan not in small:
                run(plan)
    finally:
        settings.scanning.set()
        try:
            if helper is not None:
                helper.finish()
        finally:
            settings.databases.close()
    tasks, engines, package_errors = [], [], []
    for plan in plans:
        found, used, general = outcomes[plan["name"]]
        tasks.extend(found)
        engines.extend(used)
        package_errors.extend(general)
    return tasks, engines, package_errors

SMALL_BYTES = 4 << 20


def _small(plan: dict) -> bool:
    resource = plan.get("resource")
    return resource is not None and not plan.get("unsupported") and os.path.getsize(resource.path) < SMALL_BYTES


class _Helper:
    """Runs jobs on a thread once `go` is set; `finish` waits and re-raises what a job raised."""

    def __init__(self, go: threading.Event, jobs: list):
        self.go, self.jobs, self.error = go, jobs, None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.go.wait()
            for job in self.jobs:
                job()
        except BaseException as error:  # handed to the caller's thread
            self.error = error

    def finish(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error


def _check_plan(plan: dict, by_name: dict, settings: Settings, descriptor_path: Path) -> tuple[list, list, list]:
    """(tasks, engines, package errors) of one resource: DuckDB's, or Frictionless's when it must."""
    try:
        if plan.get("unsupported"):
            raise Unsupported(plan["unsupported"])
        references = {}  # foreign key position -> the other resource it points at
        for position, fk in enumerate(plan["resource"].schema.foreign_keys):
            target = fk.resource
            if target and target != plan["name"]:
                if target not in by_name or by_name[target].get("unsupported"):
                    raise Unsupported(f'foreign key to resource "{target}" that is missing or checked by Frictionless')
                own = {spec.name: spec for spec in plan["resource"].schema.fields}
                theirs = {spec.name: spec for spec in by_name[target]["resource"].schema.fields}
                same_types(fk, [own[name] for name in fk.fields], [theirs.get(name) for name in fk.reference_fields])
                references[position] = by_name[target]["resource"]
        task, engine = check(plan["resource"], settings=settings, lookups_for=_lookups(plan["resource"], references), references=references)
        task["errors"].add(_declared_counts(plan["item"], task))
        task["stats"]["errors"] = len(task["errors"])
        task["valid"] = not task["errors"]
    except Unsupported as reason:
        report = fallback.package_report(str(descriptor_path), plan["name"])
        return report.get("tasks", []), [{"engine": "frictionless", "reason": str(reason)}], report.get("errors", [])
    return [task], [engine], []


def _plan(item: dict, base: Path) -> dict:
    """How one resource descriptor will be checked (or why Frictionless must do it). Its metadata has
    passed `check_package_metadata`: a name, text where text belongs, a safe or remote path."""
    name = item["name"]
    plan = {"name": name, "item": item}
    path = item.get("path")
    reason = None
    if set(item) - RESOURCE_KEYS:
        reason = f"resource keys {sorted(set(item) - RESOURCE_KEYS)}"
    elif not isinstance(path, str) or not is_safe_path(path):  # a remote, multipart or inline resource
        reason = f"path {path!r}"
    elif _format(item, path) not in ("csv", "tsv"):
        reason = f"format of {path}"
    elif item.get("compression", _compression(path)) != _compression(path):
        reason = f"compression {item.get('compression')!r} of {path}"
    elif item.get("hash") and not str(item["hash"]).startswith(("sha256:", "md5:")) and ":" in str(item["hash"]):
        reason = f"hash {item['hash']}"
    elif item.get("scheme", "file") != "file" or item.get("type", "table") != "table":
        reason = "scheme/type"
    if reason:
        plan["unsupported"] = reason
        return plan
    try:
        schema = item.get("schema", {})
        if isinstance(schema, str):
            schema = load_schema(str(base / schema))
        dialect = item.get("dialect")
        if isinstance(dialect, str):
            dialect = load_schema(str(base / dialect))
        parsed = parse_schema(schema)
        full = base / path
        if not full.is_file():
            raise Unsupported(f"{path} is not a file")
        plan["resource"] = Resource(name, str(full), path, parsed, dialect, tsv=_format(item, path) == "tsv", encoding=item.get("encoding") or None)
    except (Unsupported, OSError, ValueError) as error:
        plan["unsupported"] = str(error)
    return plan


def _format(item: dict, path: str) -> str:
    """As declared, else from the path as Frictionless infers it (`lines.csv.gz` is csv)."""
    return item.get("format", Path(inner_path(path)).suffix.lstrip(".").lower())


def _compression(path: str) -> str | None:
    """The one compression checked here, inferred from the path: gzip."""
    return "gz" if is_gzipped(path) else None


def _lookups(resource: Resource, references: dict):
    """Key tables of the other resources `resource`'s foreign keys point at (`references`, by the foreign
    key's position), built on the same connection."""

    def build(run: ResourceRun, con) -> dict:
        result = {}
        runs: dict[str, ResourceRun] = {}
        for position, target in references.items():
            if target.name not in runs:
                runs[target.name] = ResourceRun(con, target, run.temp_dir)
            result[position] = runs[target.name].lookup(resource.schema.foreign_keys[position].reference_fields, f"lookup_{run.id}_{position}")
        return result

    return build


def _declared_counts(item: dict, task: dict) -> list[dict]:
    """Frictionless's end-of-resource checks of declared hash, bytes, fields and rows."""
    stats = task["stats"]
    found = []
    if item.get("hash"):
        algorithm, expected = (item["hash"].split(":", 1) + [None])[:2] if ":" in item["hash"] else ("md5", item["hash"])
        actual = stats.get(algorithm)
        if actual and expected and actual != expected:  # "md5:" declares nothing (Frictionless drops it on reading)
            found.append(E.plain_error("hash-count", f'expected is "{expected}" and actual is "{actual}"'))
    for key, kind in (("bytes", "byte-count"), ("fields", "field-count"), ("rows", "row-count")):
        if item.get(key) and item[key] != stats.get(key):
            found.append(E.plain_error(kind, f'expected is "{item[key]}" and actual is "{stats.get(key)}"'))
    return found


def errors_of(report: dict) -> list[dict]:
    """Flat list of {resource, row_number, field, error_type, message} (field "(row)" for row-level errors)."""
    result = []
    for error in report.get("errors", []):
        result.append({"resource": None, "row_number": error.get("rowNumber"), "field": error.get("fieldName") or "(row)", "error_type": error["type"], "message": error["message"]})
    for task in report.get("tasks", []):
        for error in task.get("errors", []):
            result.append(
                {
                    "resource": task.get("name"),
                    "row_number": error.get("rowNumber"),
                    "field": error.get("fieldName") or "(row)",
                    "error_type": error["type"],
                    "message": error["message"],
                }
            )
    return result


def dumps(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)
