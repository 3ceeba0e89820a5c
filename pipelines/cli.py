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


def cmd_refresh(args) -> int:
    if args.published:
        os.environ["ASHYQ_PUBLISHED_DIR"] = str(Path(args.published).resolve())
    from pipelines.refresh import run_refresh

    return run_refresh(verbose=args.verbose)


if __name__ == "__main__":
    sys.exit(main())
