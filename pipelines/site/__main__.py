"""Render the site by hand: `python -m pipelines.site PUBLISHED_DIR [--backfill]`.

Publishing renders each new release's page and the catalog by itself; this is for a published folder
that predates the site (--backfill adds index.html and charts/ to versions that lack them, leaving
their data untouched) or to refresh the catalog after copying releases around.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.site.catalog import render_catalog
from pipelines.site.release_data import version_key
from pipelines.site.release_page import render_release_site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.site", description="Write published/index.html (and missing release pages).")
    parser.add_argument("published", type=Path, help="the published/ folder")
    parser.add_argument("--backfill", action="store_true", help="also render release pages for versions that have none")
    args = parser.parse_args(argv)
    if not args.published.is_dir():
        print(f"python -m pipelines.site: {args.published} is not a folder", file=sys.stderr)
        return 2
    if args.backfill:
        for package in sorted(p for p in args.published.iterdir() if p.is_dir() and not p.name.startswith(".")):
            versions = sorted((p for p in package.iterdir() if p.is_dir() and version_key(p.name) and (p / "datapackage.json").is_file()),
                              key=lambda p: version_key(p.name))
            for previous, release in zip([None, *versions], versions):
                if not (release / "index.html").exists():
                    render_release_site(release, previous_release_dir=previous)
                    print(f"wrote {release / 'index.html'}")
    print(f"wrote {render_catalog(args.published)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
