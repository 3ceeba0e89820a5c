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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ashyq", description="Scrape, validate and publish subsoil users' social-investment data.")
    commands = parser.add_subparsers(dest="command", required=True)

    refresh = commands.add_parser("refresh", help="crawl every source, validate, and publish a new release if anything changed")
    refresh.add_argument("--published", metavar="DIR", help="publish into DIR instead of ./published")
    refresh.add_argument("-v", "--verbose", action="store_true", help="show Dagster's event log")
    refresh.set_defaults(run=cmd_refresh)

    extract = commands.add_parser("extract", help="print the amounts, dates, periods, regions and organisations in a document as JSON")
    extract.add_argument("file", metavar="FILE", help="HTML, PDF, DOCX or text file")
    extract.set_defaults(run=cmd_extract)

    ingest = commands.add_parser("ingest", help="validate local files (memoranda, project lists, budget files) into a data package")
    ingest.add_argument("family", choices=["memoranda", "projects", "budget"])
    ingest.add_argument("files", metavar="FILE", nargs="+", type=Path)
    ingest.add_argument("-o", "--output", metavar="DIR", required=True, type=Path, help="new (or empty) folder for the package")
    ingest.add_argument("--company", help="projects: the company that published the list, when the file does not say")
    ingest.add_argument("--region", metavar="CODE", help="budget: KATO/SOATE code to use when the file does not name its region")
    ingest.set_defaults(run=cmd_ingest)

    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # `ashyq extract x | head` is fine
        sys.stderr.close()
        return 0


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


def cmd_refresh(args) -> int:
    if args.published:
        os.environ["ASHYQ_PUBLISHED_DIR"] = str(Path(args.published).resolve())
    from pipelines.refresh import run_refresh

    return run_refresh(verbose=args.verbose)


if __name__ == "__main__":
    sys.exit(main())
