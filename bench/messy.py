"""A messy file for `make bench`: the benchmark package with every date written 31.12.2024, as Kazakh and
Russian spreadsheets show them, so that every row has a type error (about 1M errors per 1M rows).

This is when people run a validator, and the case the clean benchmark does not see: each error is built
in Python and would, held in memory, take ~2.6 KB. `ashyq validate` is measured as a user runs it (its
summary keeps counts and the first 20 errors; `--json` streams a spooled report), at 1M and 10M rows,
against Frictionless (no error limit) at 1M, whose report it must equal.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench.generate import DATA_DIR, write_package

if TYPE_CHECKING:
    from bench.run import Context, Section

ROOT = Path(__file__).resolve().parent.parent


def run_to(command: list[str], out: Path, cwd: Path) -> tuple[float, float, int, str]:
    """(wall seconds, peak MiB, exit code, the last line of stderr) of a command whose stdout goes to `out`."""
    started = time.perf_counter()
    with open(out, "wb") as handle, open(out.with_suffix(".err"), "w+b") as err:
        child = subprocess.Popen(command, cwd=str(cwd), stdout=handle, stderr=err, env={**os.environ, "PYTHONPATH": str(ROOT)})
        _, status, usage = os.wait4(child.pid, 0)
        err.seek(0)
        said = [line for line in err.read().decode("utf-8", "replace").splitlines() if line.strip()]
    return time.perf_counter() - started, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), said[-1] if said else ""


def measure_messy(context: "Context") -> "Section":
    from bench.run import Section, agreement, machine_now, measure

    sizes = [rows for rows in context.sizes if rows >= 1_000_000] or [max(context.sizes)]
    validate = [sys.executable, "-m", "pipelines.cli", "validate", "datapackage.json"]
    table = ["| rows | run | wall | peak RSS | machine just before |", "|---:|---|---:|---:|---|"]
    checks, ratios = [], []
    for rows in sizes:
        directory = DATA_DIR / f"messy-{rows}"
        print(f"messy: {rows:,} rows, every date 31.12.2024 ...", flush=True)
        write_package(directory, rows, dotted_dates=True)
        speed = machine_now()
        summary, peak, code, said = run_to(validate, directory / "summary.txt", directory)
        errors = ((directory / "summary.txt").read_text("utf-8").strip().splitlines() or [said])[-1]
        table.append(f"| {rows:,} | `ashyq validate` (summary; exit {code}: {errors}) | {summary:.1f} s | {peak:,.0f} MiB | {speed} |")
        print(f"  summary  {summary:7.1f} s  {peak:6.0f} MiB  {errors}", flush=True)
        if rows > 1_000_000:
            continue
        speed = machine_now()
        ours = directory / "ours.json"
        streamed, peak, code, said = run_to([*validate, "--json"], ours, directory)
        if code not in (0, 1):
            table.append(f"| {rows:,} | `ashyq validate --json` failed (exit {code}: {said}) | {streamed:.1f} s | {peak:,.0f} MiB | {speed} |")
            continue
        table.append(f"| {rows:,} | `ashyq validate --json > report.json` ({ours.stat().st_size / 2**20:,.0f} MiB of JSON) | {streamed:.1f} s | {peak:,.0f} MiB | {speed} |")
        print(f"  --json   {streamed:7.1f} s  {peak:6.0f} MiB", flush=True)
        if context.quick:
            continue
        speed = machine_now()
        theirs = directory / "frictionless.json"
        run = measure("frictionless", directory / "datapackage.json", rows, theirs)
        table.append(f"| {rows:,} | Frictionless, no error limit (its report written after the clock stops) | {run.wall:.1f} s | {run.peak_mib:,.0f} MiB | {speed} |")
        print(f"  frictionless {run.wall:7.1f} s  {run.peak_mib:6.0f} MiB", flush=True)
        checks.append(f"- {rows:,} rows: `ashyq validate --json` against Frictionless's report: {agreement(ours, theirs)}.")
        ratios.append(f"At {rows:,} rows Frictionless took {run.wall / summary:.1f} times as long as the summary and "
                      f"{run.wall / streamed:.1f} times as long as the JSON report (which also writes the report).")
        ours.unlink()
        theirs.unlink()
    notes = [
        "",
        "The benchmark package of the section above, with every `approved_on` date written 31.12.2024 (a type error",
        "on every row, plus the ~1% of dirty rows). Each command runs once, in its own process, as a user runs it.",
        "The summary keeps counts by type and the first 20 errors (`ErrorTally`); `--json` spools the errors as",
        "JSON lines to a temporary file and streams the report (`ErrorSpool`, docs/validation.md); a caller of",
        "`check_package` gets a list, as Frictionless holds them (2.6 GB at 1M errors).",
        "",
        *ratios,
        *checks,
    ]
    if context.quick:
        notes += ["Frictionless was left out (`--quick`): on this file it takes minutes (279 s and 2.9 GB at 1M rows in",
                  "session 11, docs/validation.md); `python -m bench.run` measures it and compares the reports."]
    return Section("Validation of a messy file: an error on every row", "\n".join(table + notes))
