"""The `ashyq` command line.

Quick commands (extract) import nothing heavy; `refresh` imports Dagster only when it runs.
Exit codes: 0 done, 1 the run or input failed (the message says where and why), 2 usage error.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

# Ashyq does no linear algebra. pipelines.tablecheck sets this too, but `ingest` and `refresh` import numpy
# (pandas) before it, and OpenBLAS starts its spinning threads at that first import (set it to override).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from pipelines.validate_command import add_validate_command
from sources.catalog import FAMILIES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ashyq", description="Scrape, validate and publish subsoil users' social-investment data.")
    commands = parser.add_subparsers(dest="command", required=True)

    refresh = commands.add_parser("refresh", help="crawl every source, validate, and publish a new release if anything changed")
    refresh.add_argument("--published", metavar="DIR", help="publish into DIR instead of ./published")
    refresh.add_argument("-v", "--verbose", action="store_true", help="show Dagster's event log")
    refresh.add_argument("--full", action="store_true", help="parse, validate and re-derive the release even when no source changed")
    refresh.set_defaults(run=cmd_refresh)

    extract = commands.add_parser("extract", help="print the amounts, dates, periods, regions and organisations in a document as JSON")
    extract.add_argument("file", metavar="FILE", help="HTML, PDF, DOCX or text file")
    extract.set_defaults(run=cmd_extract)

    ingest = commands.add_parser("ingest", help="validate local files (memoranda, project lists, budget files) into a data package")
    ingest.add_argument("family", choices=FAMILIES)
    ingest.add_argument("files", metavar="FILE", nargs="+", type=Path)
    ingest.add_argument("-o", "--output", metavar="DIR", required=True, type=Path, help="new (or empty) folder for the package")
    ingest.add_argument("--company", help="projects: the company that published the list, when the file does not say")
    ingest.add_argument("--region", metavar="CODE", help="budget: KATO/SOATE code to use when the file does not name its region")
    ingest.set_defaults(run=cmd_ingest)

    verify = commands.add_parser("verify", help="re-derive a release from its archived documents; exit 1 naming what differs")
    verify.add_argument("version", nargs="?", help="a version (default: the latest release), or a release's folder or zip")
    verify.add_argument("--published", metavar="DIR", type=Path)
    verify.set_defaults(run=cmd_verify)

    diff = commands.add_parser("diff", help="rows added, removed and changed per resource between two releases")
    diff.add_argument("old", metavar="V1")
    diff.add_argument("new", metavar="V2")
    diff.add_argument("--published", metavar="DIR", type=Path)
    diff.add_argument("--json", action="store_true", help="machine-readable output")
    diff.add_argument("--limit", type=int, metavar="N", help="list at most N keys of each kind per resource (counts stay complete; "
                      "a revised budget report changes every one of its lines); default: every key")
    diff.set_defaults(run=cmd_diff)

    trace = commands.add_parser("trace", help="follow a published row to the archived document it came from")
    trace.add_argument("resource", metavar="RESOURCE")
    trace.add_argument("key", metavar="KEY", nargs="+", help="the row's primary-key values, in schema order")
    trace.add_argument("--version", help="default: the latest release")
    trace.add_argument("--published", metavar="DIR", type=Path)
    trace.set_defaults(run=cmd_trace)

    add_validate_command(commands)

    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # `ashyq extract x | head` is fine
        stdout_gone()
        return 0


def stdout_gone() -> None:
    """The reader of stdout stopped early (`| head`): point stdout at /dev/null, so that exiting does not
    write to the closed pipe again (and print "Exception ignored ... BrokenPipeError")."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def cmd_extract(args) -> int:
    from sources.extract import UnreadableDocument, extract_file

    try:
        result = extract_file(args.file)
    except (UnreadableDocument, OSError) as error:
        print(f"ashyq extract: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def cmd_ingest(args) -> int:
    from pipelines.ingest import IngestError, ingest

    options = {"company": args.company} if args.family == "projects" else {"region_code": args.region} if args.family == "budget" else {}
    try:
        outcome = ingest(args.family, args.files, args.output, **options)
    except IngestError as error:
        print(f"ashyq ingest: {error}\nashyq ingest: nothing written", file=sys.stderr)
        return 1
    rows = ", ".join(f"{count} {name}" for name, count in outcome.rows.items())
    print(f"ashyq ingest: wrote {outcome.path}/datapackage.json ({rows}; {outcome.quarantined} row(s) quarantined)")
    for finding in outcome.findings[:20]:
        print(f"  quarantine: {finding['resource']} row {finding['row_number']} {finding['field']}: {finding['message']}")
    return 0


def _package_dir(published: Path | None) -> Path:
    from pipelines.schemas import package_metadata
    from pipelines.settings import settings

    return (published.resolve() if published else settings().published_dir) / package_metadata()["name"]


def cmd_verify(args) -> int:
    """A version under --published, or a copy of a release: its folder or its zip, as downloaded."""
    from pipelines.release import NoRelease, published_release
    from pipelines.zipped import is_zip, unzipped

    given = Path(args.version) if args.version else None
    try:
        if given is not None and given.is_file() and is_zip(given):
            with unzipped(given, table=False) as (descriptor, _):
                if descriptor.name != "datapackage.json":
                    raise ValueError(f"{given}: holds no datapackage.json, so it is not a release's zip")
                return _verify(descriptor.parent, shown=given)
        if given is not None and (given / "datapackage.json").is_file():
            return _verify(given, shown=given)
        if given is not None and not given.exists() and ("/" in args.version or given.suffix == ".zip"):
            raise ValueError(f"{given}: no such file or folder")
        release = published_release(_package_dir(args.published), args.version)
        return _verify(release, shown=release)
    except NoRelease as error:
        print(f"ashyq verify: {error}; give a published version, or a release's folder or zip", file=sys.stderr)
        return 2
    except ValueError as error:  # a zip or a descriptor that is not a release's
        print(f"ashyq verify: {error}", file=sys.stderr)
        return 2


def _verify(release: Path, *, shown: Path) -> int:
    from pipelines.verify import verify

    result = verify(release)
    print(f"release {result.version}: built by {result.recorded_code_version}; re-derived by {result.code_version}")
    if result.ok:
        print(f"ashyq verify: OK: every CSV re-derived byte for byte and every hash matches ({shown})")
        return 0
    for problem in result.problems:
        print(f"DIFFERS {problem}")
    print(f"ashyq verify: {len(result.problems)} difference(s)", file=sys.stderr)
    return 1


def cmd_diff(args) -> int:
    from pipelines.diff import diff_releases, summary_line
    from pipelines.release import NoRelease, published_release

    package_dir = _package_dir(args.published)
    try:
        old, new = (published_release(package_dir, version) for version in (args.old, args.new))
    except NoRelease as error:
        print(f"ashyq diff: {error}", file=sys.stderr)
        return 2
    if args.limit is not None and args.limit < 0:
        print("ashyq diff: --limit must be 0 or more", file=sys.stderr)
        return 2
    report = diff_releases(old, new, listed=args.limit)
    if args.json:
        print(json.dumps({name: {**part, "added": [list(k) for k in part["added"]], "removed": [list(k) for k in part["removed"]],
                                 "changed": [{"key": list(k), "fields": f} for k, f in part["changed"].items()]}
                          for name, part in report.items()}, ensure_ascii=False, indent=2))
        return 0
    print(f"{args.old} → {args.new}: {summary_line(report)}")
    for name, part in report.items():
        for change in part["schema"]:
            print(f"  {name}: schema {change}")
        for label, kind in (("+", "added"), ("-", "removed")):
            for key in part[kind]:
                print(f"  {name} {label} {' | '.join(key)}")
            _unlisted(name, kind, part)
        for key, fields in part["changed"].items():
            print(f"  {name} ~ {' | '.join(key)} ({', '.join(fields)})")
        _unlisted(name, "changed", part)
    return 0


def _unlisted(name: str, kind: str, part: dict) -> None:
    """Say how many keys of a kind --limit left out."""
    left_out = part["counts"][kind] - len(part[kind])
    if left_out > 0:
        print(f"  {name} … and {left_out} more {kind}")


def cmd_trace(args) -> int:
    from pipelines.schemas import package_metadata
    from pipelines.trace import TraceError, trace

    package_dir = _package_dir(args.published)
    try:
        result = trace(package_dir.parent, package_metadata()["name"], args.resource, args.key, args.version)
    except TraceError as error:
        print(f"ashyq trace: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def cmd_refresh(args) -> int:
    if args.published:
        os.environ["ASHYQ_PUBLISHED_DIR"] = str(Path(args.published).resolve())
    from pipelines.refresh import run_refresh

    return run_refresh(verbose=args.verbose, full=args.full)


if __name__ == "__main__":
    sys.exit(main())
