"""One measured run, in its own process: `python -m bench.worker ENGINE DATAPACKAGE [REPORT.json]`.

ENGINE is `tablecheck` (Ashyq's DuckDB validator) or `frictionless` (Frictionless's library, no error
limit). Prints one JSON line (validation seconds, error count, valid, CPU seconds so far), then writes the report if asked. The
parent stops its clock at that line and reads the process's peak RSS and CPU time from os.wait4.
"""
from __future__ import annotations

import json
import resource
import sys
import time


def main(argv: list[str]) -> int:
    engine, descriptor = argv[0], argv[1]
    report_path = argv[2] if len(argv) > 2 else None
    started = time.perf_counter()
    if engine == "tablecheck":
        from pipelines.tablecheck import check_package

        report = check_package(descriptor)
    elif engine == "frictionless":
        from frictionless import Package

        report = Package(descriptor).validate(limit_errors=10**9).to_descriptor()
    else:
        raise SystemExit(f"unknown engine {engine}")
    seconds = time.perf_counter() - started
    # the parent stops the clock at this line; the report is written afterwards, for the comparison only
    used = resource.getrusage(resource.RUSAGE_SELF)  # every thread of this process, up to the result
    print(json.dumps({"seconds": seconds, "errors": report["stats"]["errors"], "valid": report["valid"],
                      "cpu": used.ru_utime + used.ru_stime}), flush=True)
    if report_path:
        with open(report_path, "w", encoding="utf-8") as handle:
            json.dump(report, handle, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
