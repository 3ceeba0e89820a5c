"""`ashyq validate PATH [--schema FILE] [--json]`: Frictionless-compatible validation of big CSVs via DuckDB.

A CSV without --schema is checked against the schema Frictionless infers from its first rows, as
`frictionless validate file.csv` does (only then is Frictionless imported). A zip is the package or the CSV
it holds (pipelines/zipped.py).

Exit codes: 0 valid, 1 invalid, 2 unusable input (missing file, unreadable schema or descriptor, a memory
limit DuckDB cannot read or runs out of, a schema Frictionless fails on); the verdict stands when the
reader of the output stops early (`ashyq validate --json big.csv | head`).
Imports nothing heavy until it runs (no Dagster; DuckDB only when checking).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

SHOWN = 20
FRICTIONLESS_LIMIT = 1000  # frictionless validate's default --limit-errors


def add_validate_command(subparsers) -> None:
    parser = subparsers.add_parser("validate", help="check a CSV (against --schema) or a datapackage.json like Frictionless, fast")
    parser.add_argument("path", metavar="PATH", help="a CSV file, a datapackage.json, a folder holding one (a release), or a zip of either")
    parser.add_argument("--schema", metavar="FILE", help="Table Schema (JSON or YAML) for a CSV file; without it, the schema Frictionless infers from the first rows")
    parser.add_argument("--encoding", metavar="NAME", help="a CSV file's encoding (cp1251, utf-8...), instead of the guess from its first 100 KB, as frictionless validate --encoding")
    parser.add_argument("--json", action="store_true", help="print the Frictionless-format JSON report (indented at a terminal, compact when piped)")
    parser.add_argument("--memory-limit", default="512MB", help="DuckDB memory limit (default 512MB; spills to disk beyond)")
    parser.set_defaults(run=run_validate)


def run_validate(args) -> int:
    path = Path(args.path)
    if path.is_dir() and (path / "datapackage.json").is_file() and not args.schema:
        path = path / "datapackage.json"  # a release's folder: its package
    if not path.is_file():
        why = "no such file" if not path.is_dir() else "a folder: --schema goes with a CSV file" if args.schema else "a folder without a datapackage.json"
        print(f"ashyq validate: {path}: {why}", file=sys.stderr)
        return 2
    from pipelines.zipped import is_zip, unzipped

    if not is_zip(path):
        return _validate(args, path)
    try:
        with unzipped(path, table=bool(args.schema)) as (inner, folder):
            inside = f"{folder}{os.sep}"

            def shown(text: str) -> str:  # an unpacked file as Frictionless names one in a zip
                return text.replace(inside, f"{path} -> ")

            print(f"ashyq validate: checking {shown(str(inner))}", file=sys.stderr)
            return _validate(args, inner, shown=shown)
    except ValueError as error:  # unreadable, unsafe, or holding nothing to check: said before any check ran
        print(f"ashyq validate: {error}", file=sys.stderr)
        return 2


def _validate(args, path: Path, *, shown=str) -> int:
    """Check `path` (a CSV, or a package descriptor) and print the verdict. `shown` names the files in
    messages and a CSV's place (unpacked from a zip: Frictionless's `x.zip -> t.csv`)."""
    from pipelines.tablecheck import check_package, check_resource
    from pipelines.tablecheck.error_store import ErrorSpool, ErrorTally, write_report
    from pipelines.tablecheck.schema import load_schema

    # Errors are not held in memory: a summary counts them and keeps the first few, a JSON report streams
    # them from a temporary file (a million errors would take 2.6 GB as dicts).
    store = ErrorSpool if args.json else (lambda: ErrorTally(keep=SHOWN))

    is_package = path.suffix.lower() in (".json", ".yaml", ".yml") and not args.schema
    if is_package and args.encoding:
        print(f"ashyq validate: {shown(str(path))}: --encoding goes with a CSV file (a package declares each resource's encoding)", file=sys.stderr)
        return 2
    try:
        if is_package:
            descriptor = load_schema(str(path))
            if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
                raise ValueError("not a Data Package descriptor (no resources)")
            report = check_package(str(path), memory_limit=args.memory_limit, errors=store)
        else:
            schema = None  # none given: check_resource takes the one Frictionless infers
            if args.schema:
                schema = load_schema(args.schema)
                if not isinstance(schema, dict):
                    raise ValueError(f"{args.schema} is not a Table Schema")
            report = check_resource(str(path), schema, encoding=args.encoding, memory_limit=args.memory_limit, errors=store)
            for task in report["tasks"]:
                task["place"] = shown(task["place"])
            for engine in report.engines:
                if engine.get("inferred_schema", {}).get("fields"):  # an empty file infers no fields: its report says so
                    print(f"ashyq validate: no --schema: checked against the schema Frictionless infers from the first rows "
                          f"({describe(engine['inferred_schema'])})", file=sys.stderr)
    except (OSError, ValueError) as error:
        plain = isinstance(error, OSError) and error.filename and error.strerror  # "nope.json: No such file or directory"
        message = f"{error.filename}: {error.strerror}" if plain else str(error)
        print(f"ashyq validate: {shown(message)}", file=sys.stderr)
        return 2
    except Exception as error:
        from pipelines.tablecheck.duck import duckdb

        if not isinstance(error, duckdb.OutOfMemoryException):
            raise
        # DuckDB spills to disk past its limit, but not everything can spill: say which limit to raise
        print(f"ashyq validate: {shown(str(path))}: DuckDB ran out of memory within --memory-limit {args.memory_limit} "
              f"({str(error).splitlines()[0]}); a larger --memory-limit lets it finish", file=sys.stderr)
        return 2
    try:
        if args.json:
            # indented for a person at a terminal; compact when piped, which lets json use its C encoder
            # (10,908 errors: 0.1 s instead of 2 s)
            write_report(report, sys.stdout, indent=2 if sys.stdout.isatty() else None)
            sys.stdout.write("\n")
        else:
            print(summary(report))
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped early (`| head`): the verdict stands
        from pipelines.cli import stdout_gone

        stdout_gone()
    finally:
        for task in report.get("tasks", []):
            getattr(task["errors"], "close", lambda: None)()
    return 0 if report["valid"] else 1


def describe(schema: dict) -> str:
    """`name type, ...` of a schema's fields, for one line on stderr."""
    return ", ".join(f"{field.get('name')} {field.get('type', 'any')}" for field in schema.get("fields", []))


def shortened(message: str, limit: int = 400) -> str:
    """A message fit for a terminal: one quoting a cell of a megabyte is cut, saying so (--json has it all)."""
    if len(message) <= limit:
        return message
    return f"{message[:limit]}... [{len(message):,} characters; --json has the whole message]"


def summary(report: dict) -> str:
    """Counts by error type and the first errors with row, field and message."""
    from pipelines.tablecheck.error_store import error_counts, first_errors

    lines = []
    engines = getattr(report, "engines", [])
    for index, task in enumerate(report.get("tasks", [])):
        engine = engines[index] if index < len(engines) else {}
        how = engine.get("engine", "?")
        if engine.get("reason"):
            how += f" ({engine['reason']})"
        elif engine.get("path") == "exact":
            how += " (exact CSV path: " + "; ".join(engine.get("reasons", [])) + ")"
        stats = task.get("stats", {})
        status = "valid" if task.get("valid") else f"INVALID: {stats.get('errors', 0)} errors"
        lines.append(f"{task.get('name')} ({task.get('place')}): {stats.get('rows', 0)} rows, {status} [checked by {how}]")
        errors = task.get("errors", [])
        for kind, count in error_counts(errors).most_common():
            lines.append(f"  {count:>9,}  {kind}")
        for error in first_errors(errors, SHOWN):
            where = f"row {error['rowNumber']}" if "rowNumber" in error else "header" if "#header" in error.get("tags", []) else "file"
            field = error.get("fieldName") or ""
            lines.append(f"    {where}{', ' + field if field else ''}: {shortened(error['message'])}")
        if len(errors) > SHOWN:
            lines.append(f"    ... {len(errors) - SHOWN:,} more (use --json for all)")
    for error in report.get("errors", []):
        lines.append(f"package: {error['type']}: {error['message']}")
    if any(len(task.get("errors", [])) > FRICTIONLESS_LIMIT for task in report.get("tasks", [])):
        lines.append(f"(every row was checked: `frictionless validate` stops a resource at {FRICTIONLESS_LIMIT:,} errors unless given --limit-errors)")
    # the verdict last: scripts (and make bench) read it with `tail -1`
    lines.append("valid" if report.get("valid") else f"invalid: {report['stats']['errors']:,} errors in {report['stats']['tasks']} resource(s)")
    return "\n".join(lines)
