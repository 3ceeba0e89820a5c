"""Benchmark: `python -m bench.run [--quick] [--sizes 100000,1000000,10000000]` (`make bench`).

Generates the budget-line Data Packages (bench/generate.py, ~1% dirty rows) into bench/data/ (git-ignored,
reused), validates each with Ashyq's DuckDB validator and with Frictionless's library, each run in its own
process (wall time and peak RSS from os.wait4, like `/usr/bin/time -v`), checks that both report the same
errors, and writes docs/benchmarks.md.

Frictionless is measured on every size; at 10M rows it needs 5 to 15 minutes and 3 GB (it holds every
key in memory). `--quick` leaves it out there. Up to 1M rows each engine runs REPEATS times, the engines taking turns, the fastest kept.

Adding a measurement (e.g. the whole pipeline): write a function `measure_x(context) -> Section` and append
it to MEASUREMENTS; its section lands in docs/benchmarks.md after the validation one.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.generate import DATA_DIR, write_package

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SIZES = [100_000, 1_000_000, 10_000_000]
FRICTIONLESS_MAX = 1_000_000  # with --quick
COMPARE_MAX = 1_000_000  # reports compared error by error up to this size
REPEATS = 3  # runs per engine up to 1M rows, the fastest kept (as timeit does): the machine is shared


@dataclass
class Run:
    engine: str
    rows: int
    wall: float  # seconds, the whole process (interpreter start, imports, validation)
    seconds: float  # validation only, inside the process
    peak_mib: float
    errors: int
    cpu: float = 0.0  # user + system seconds of the process up to the result (less sensitive than wall time to a busy machine)


@dataclass
class Section:
    title: str
    markdown: str


@dataclass
class Context:
    sizes: list[int]
    quick: bool
    notes: list[str] = field(default_factory=list)


def best_of(engines: list[str], descriptor: Path, rows: int, reports: dict[str, Path | None]) -> dict[str, Run]:
    """Each engine's fastest of REPEATS runs (one above 1M rows, where a run takes minutes), the engines taking
    turns (ours, theirs, ours, theirs ...): this machine's speed drifts within minutes, and runs of one engine
    after the other's would compare two machines. Each engine's report comes from its first run."""
    runs: dict[str, list[Run]] = {engine: [] for engine in engines}
    for n in range(REPEATS if rows <= COMPARE_MAX else 1):
        for engine in engines:
            runs[engine].append(measure(engine, descriptor, rows, reports.get(engine) if n == 0 else None))
    return {engine: min(found, key=lambda run: run.wall) for engine, found in runs.items()}


def measure(engine: str, descriptor: Path, rows: int, report: Path | None) -> Run:
    """Run bench.worker in a child process; its peak RSS comes from wait4's rusage."""
    command = [sys.executable, "-m", "bench.worker", engine, descriptor.name] + ([str(report)] if report else [])
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=str(descriptor.parent), stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    line = child.stdout.readline()  # printed when validation is done (before the report is saved for the comparison)
    wall = time.perf_counter() - started
    child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{engine} on {rows:,} rows failed ({child.returncode})")
    result = json.loads(line.decode())
    return Run(engine, rows, wall, result["seconds"], usage.ru_maxrss / 1024, result["errors"], result["cpu"])


def agreement(ours: Path, theirs: Path) -> str:
    from pipelines.tablecheck.compare import differences

    with open(ours, encoding="utf-8") as a, open(theirs, encoding="utf-8") as b:
        found = differences(json.load(a), json.load(b))
    return "identical reports (every error, message, row and field; stats)" if not found else "DIFFERENT: " + "; ".join(found)


def measure_validation(context: Context) -> Section:
    runs: list[Run] = []
    checks: list[str] = []
    reports = DATA_DIR / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    for rows in context.sizes:
        directory = DATA_DIR / f"rows-{rows}"
        print(f"data: {rows:,} rows ...", flush=True)
        descriptor = write_package(directory, rows)
        compare = rows <= COMPARE_MAX and (rows <= FRICTIONLESS_MAX or not context.quick)
        engines = ["tablecheck"] + (["frictionless"] if rows <= FRICTIONLESS_MAX or not context.quick else [])
        report_paths = {engine: reports / f"{engine}-{rows}.json" if compare else None for engine in engines}
        best = best_of(engines, descriptor, rows, report_paths)
        runs += best.values()
        ours = best["tablecheck"]
        print(f"  tablecheck   {ours.wall:8.2f} s  cpu {ours.cpu:7.2f} s  {ours.peak_mib:8.0f} MiB  {ours.errors:,} errors", flush=True)
        if "frictionless" in best:
            theirs = best["frictionless"]
            print(f"  frictionless {theirs.wall:8.2f} s  cpu {theirs.cpu:7.2f} s  {theirs.peak_mib:8.0f} MiB  {theirs.errors:,} errors  -> {theirs.wall / ours.wall:.1f}x", flush=True)
            if compare:
                verdict = agreement(report_paths["tablecheck"], report_paths["frictionless"])
                checks.append(f"- {rows:,} rows: {verdict}.")
                print(f"  agreement: {verdict}", flush=True)
    return Section("Validation: `ashyq validate` (DuckDB) vs Frictionless", _validation_markdown(runs, checks, context))


def _validation_markdown(runs: list[Run], checks: list[str], context: Context) -> str:
    by = {(run.engine, run.rows): run for run in runs}
    lines = [
        "The benchmark Data Package: `budget_lines` (12 columns: ids with patterns, year, region code with a",
        "foreign key to `regions`, names, enum category, amounts with minimum 0, date, boolean, integer; primary",
        "key `line_id`; missing values `\"\"` and `n/a`) with every 100th row made dirty (bad numbers, empty",
        "required cells, duplicate keys, pattern/enum/minimum violations, bad dates and booleans, dangling foreign",
        "keys), and a 20-row `regions` table. Both engines validate the whole package with no error limit",
        "(Frictionless's default limit of 1,000 errors is lifted so that both check every row).",
        "",
        "| rows | tablecheck wall (CPU) | tablecheck peak RSS | Frictionless wall (CPU) | Frictionless peak RSS | speed-up (wall) | errors |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for rows in context.sizes:
        ours = by.get(("tablecheck", rows))
        theirs = by.get(("frictionless", rows))
        if ours is None:
            continue
        if theirs:
            lines.append(
                f"| {rows:,} | {ours.wall:.2f} s ({ours.cpu:.1f} s) | {ours.peak_mib:,.0f} MiB | {theirs.wall:.2f} s ({theirs.cpu:.1f} s) | "
                f"{theirs.peak_mib:,.0f} MiB | **{theirs.wall / ours.wall:.1f}x** | {ours.errors:,} |"
            )
        else:
            lines.append(f"| {rows:,} | {ours.wall:.2f} s ({ours.cpu:.1f} s) | {ours.peak_mib:,.0f} MiB | not measured (`--quick`) | | | {ours.errors:,} |")
    lines += ["", *_verdicts(by, context)]
    lines += [
        "",
        "Wall time and CPU (user+system, every thread) run from starting the process (interpreter, imports) to the",
        "validation result; peak RSS covers the whole process, including saving the JSON report for the comparison",
        "(`os.wait4`, as `/usr/bin/time -v` reports it). The machine is shared: the load average above says how busy it was.",
        f"Up to 1M rows each engine ran {REPEATS} times and the fastest run is shown (as `timeit` reports); at 10M rows once.",
        "Validation time alone (inside the process): "
        + ", ".join(f"{run.engine} {run.rows:,}: {run.seconds:.2f} s" for run in runs)
        + ".",
        "",
        "Agreement (reports compared error by error, timings aside):",
        *checks,
    ]
    if context.quick:
        lines += ["", "Frictionless at 10M rows was left out (`--quick`); `python -m bench.run` measures it (about 5 minutes and 3 GB)."]
    return "\n".join(lines)


SPEED_TARGET = 25.0  # issue 4: validation of 1M rows at least 25x faster than Frictionless
MEMORY_TARGET_MIB = 1024.0  # issue 4: peak memory at most 1 GiB at 10M rows


def _verdicts(by: dict, context: Context) -> list[str]:
    """The issue's targets, each said met or not met from this run's numbers."""
    lines = []
    ours, theirs = by.get(("tablecheck", 1_000_000)), by.get(("frictionless", 1_000_000))
    if ours and theirs:
        ratio = theirs.wall / ours.wall
        lines.append(f"- Target: 1M rows at least {SPEED_TARGET:.0f}x faster than Frictionless. Measured {ratio:.2f}x: "
                     + ("**met**." if ratio >= SPEED_TARGET else f"**not met** (needs {theirs.wall / SPEED_TARGET:.3f} s or less, took {ours.wall:.3f} s).")
                     + " One run: on a shared 2-core machine the ratio moves by about 10% from run to run (docs/validation.md,"
                     " Speed, lists the runs).")
        cores = os.cpu_count() or 1
        if ratio < SPEED_TARGET and ours.cpu / cores > theirs.wall / SPEED_TARGET:
            lines.append(f"  The validator used {ours.cpu:.2f} s of CPU: on {cores} cores no schedule can finish in under "
                         f"{ours.cpu / cores:.2f} s, so the target needs less work, not better use of the cores. Where the CPU goes "
                         "is in docs/validation.md (Speed).")
    big = by.get(("tablecheck", 10_000_000))
    if big:
        lines.append(f"- Target: peak memory at most 1 GiB at 10M rows. Measured {big.peak_mib:,.0f} MiB: "
                     + ("**met**." if big.peak_mib <= MEMORY_TARGET_MIB else "**not met**."))
    return lines


def measure_messy_file(context: Context) -> Section:
    from bench.messy import measure_messy

    return measure_messy(context)


def measure_whole_pipeline(context: Context) -> Section:
    from bench.pipeline import measure_pipeline

    return measure_pipeline(context)


# Add measurements here; each returns a Section for docs/benchmarks.md.
MEASUREMENTS = [measure_validation, measure_messy_file, measure_whole_pipeline]


def python_loop_seconds() -> float:
    """A fixed pure-Python loop, best of three: how fast this machine runs Frictionless's kind of work."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for i in range(10**7):
            total += i
        best = min(best, time.perf_counter() - started)
    return best


def python_dicts_seconds() -> float:
    """A million small dicts built and sorted, best of three: the memory-bound kind of work a refresh does
    (its budget rows). Measured here in session 9: the budget parser ran 1.6 times slower for a while as the
    loop above kept its 0.22 s (the cores are shared, and so are caches and memory), so the loop alone does
    not say how fast a refresh can be."""
    import gc

    best, was_enabled = float("inf"), gc.isenabled()
    gc.disable()
    try:
        for _ in range(3):
            started = time.perf_counter()
            rows = [{"a": i, "b": "x", "c": None, "d": i * 2, "e": "y", "f": 1.5, "g": "z", "h": i} for i in range(10**6)]
            rows.sort(key=lambda row: -row["a"])
            del rows
            best = min(best, time.perf_counter() - started)
    finally:
        if was_enabled:
            gc.enable()
    return best


def machine_now() -> str:
    """How fast the machine is at this moment, for a run's line: both probes, in a child process. Not in this
    one: its million dicts would leave this process ~400 MB larger, and a child forked from it starts with
    that as its peak RSS (Linux copies the resident size into the child's high-water mark), which is how
    the runs measured after it would report their memory."""
    probe = "from bench.run import python_loop_seconds as l, python_dicts_seconds as d; print(f'loop {l():.2f} s, dicts {d():.2f} s')"
    return subprocess.run([sys.executable, "-c", probe], cwd=str(ROOT), capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout.strip()


def machine() -> list[str]:
    import duckdb
    import frictionless

    cpu = "unknown"
    memory = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    speed = machine_now()
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; RAM {memory}; load average at start {load}",
        f"- Python speed of one core ({speed}): `loop` is `for i in range(10**7): total += i`, `dicts` a million small dicts",
        "  built and sorted (memory-bound, like a refresh's row dicts). Machines sold as the same \"2 cores\" differ more",
        "  than twofold here, and one machine from hour to hour: compare runs on these figures as well as on wall time",
        f"- {platform.system()} {platform.release()}, Python {platform.python_version()}",
        f"- duckdb {duckdb.__version__}, frictionless {frictionless.__version__}; DuckDB memory_limit 512MB, temp files spill to a temporary directory",
    ]


def compile_code() -> None:
    """Byte-compile Ashyq's code first, as installing a package does (pip compiles what it installs, so
    Frictionless and DuckDB run from bytecode): a checkout run with PYTHONDONTWRITEBYTECODE set would
    otherwise compile every module again in every measured process (about 0.03 s of each run)."""
    import compileall

    for folder in ("pipelines", "sources", "bench"):
        compileall.compile_dir(str(ROOT / folder), quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="leave Frictionless out at 10M rows (it takes ~5 min and ~3 GB there)")
    parser.add_argument("--sizes", help="comma-separated row counts (default 100000,1000000,10000000)")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")] if args.sizes else SIZES
    context = Context(sizes=sizes, quick=args.quick)
    compile_code()
    header = machine()
    sections = [measurement(context) for measurement in MEASUREMENTS]
    text = [
        "# Benchmarks",
        "",
        "Written by `python -m bench.run` (`make bench`); rerun it to refresh. Machine:",
        "",
        *header,
        "",
    ]
    for section in sections:
        text += [f"## {section.title}", "", section.markdown, ""]
    if not any(section.title.lower().startswith("whole pipeline") for section in sections):
        text += ["## Whole pipeline", "", "Not measured yet: add a `measure_...` function to `MEASUREMENTS` in bench/run.py.", ""]
    DOC.write_text("\n".join(text), encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
