"""`python -m pipelines.warehouse`: build a release's SQLite file, load a release into the warehouse, print DDL."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipelines.settings import REPO_ROOT, settings
from pipelines.warehouse.errors import WarehouseError
from pipelines.warehouse.load import load_release, warehouse_url
from pipelines.warehouse.release_files import read_release
from pipelines.warehouse.sqlite_file import build_sqlite
from pipelines.warehouse.tables import ddl


def latest_release_dir() -> Path:
    """published/<package>/<latest version>/ of the one package under ASHYQ_PUBLISHED_DIR."""
    for latest in sorted(settings().published_dir.glob("*/latest.json")):
        return latest.parent / json.loads(latest.read_text("utf-8"))["version"]
    raise WarehouseError(f"no release under {settings().published_dir}: run `ashyq refresh` first")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.warehouse", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    sqlite = commands.add_parser("sqlite", help="write a release as one SQLite file (+ datasette metadata)")
    sqlite.add_argument("release", nargs="?", type=Path, help="release folder (default: the latest published)")
    sqlite.add_argument("-o", "--out", type=Path, help="SQLite file (default: var/sqlite/<package>-<version>.sqlite; "
                        "a published release folder is never written to)")
    load = commands.add_parser("load", help="replace the warehouse's tables with a release's, in one transaction")
    load.add_argument("release", nargs="?", type=Path, help="release folder (default: the latest published)")
    load.add_argument("--url", help="SQLAlchemy URL (default: $ASHYQ_WAREHOUSE_URL or sqlite:///var/warehouse.sqlite)")
    load.add_argument("--schema", help="database schema to load into (PostgreSQL)")
    show = commands.add_parser("ddl", help="print the CREATE TABLE statements for a release")
    show.add_argument("release", nargs="?", type=Path, help="release folder (default: the latest published)")
    show.add_argument("--dialect", default="sqlite", help="sqlite (default), postgresql, ...")
    args = parser.parse_args(argv)
    try:
        folder = args.release or latest_release_dir()
        if args.command == "sqlite":
            out = args.out
            if out is None:  # only then: reading a release hashes its CSVs, and build_sqlite reads it again
                release = read_release(folder)
                out = REPO_ROOT / "var" / "sqlite" / f"{release.name}-{release.version}.sqlite"
            print(build_sqlite(folder, out))
        elif args.command == "load":
            loaded = load_release(folder, args.url or warehouse_url(), schema=args.schema)
            total = sum(loaded.rows.values())
            print(f"loaded {loaded.package} {loaded.version}: {total} rows in {len(loaded.rows)} tables")
        else:
            sys.stdout.write(ddl(read_release(folder).descriptor, args.dialect))
    except WarehouseError as exc:
        print(f"warehouse: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
