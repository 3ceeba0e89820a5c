"""Whether a crawl found nothing new: the latest release was built from exactly these documents, by this code.

Parsing is a function of the archived bytes, the code (schemas and reference tables are committed with it)
and whether the run is a sample run. A release keeps the crawl manifests it was built from (every document's
sha256, every item) and the code version that built it, so when a new crawl's manifests are byte for byte the
release's, the code version is the same clean commit and the sample flag agrees, re-deriving the release
could only give it again. A code version that cannot be pinned (uncommitted changes, no git) never counts
as the same.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pipelines.release import code_version, latest_version, package_dir
from pipelines.settings import Settings
from sources.files import sha256_file


@dataclass(frozen=True)
class LatestRelease:
    version: str
    path: Path


def pinned(version: str) -> bool:
    """A version naming a commit with no uncommitted changes ("ashyq 0.1.0+1a2b3c4d5e6f")."""
    _, plus, commit = version.partition("+")
    return bool(plus and commit) and not commit.endswith(".dirty")


def unchanged_release(published_dir: Path, manifests: dict[str, str], settings: Settings) -> LatestRelease | None:
    """The latest release if it was built from these crawl manifests (source id -> sha256 of the manifest as
    the release archives it) by this code; else None."""
    package = package_dir(published_dir)
    version = latest_version(package)
    if version is None:
        return None
    release = package / version
    try:
        descriptor = json.loads((release / "datapackage.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    current = code_version()
    if not pinned(current) or descriptor.get("ashyq", {}).get("code_version") != current:
        return None
    if descriptor.get("sample") != settings.sample:
        return None
    folder = release / "archive" / "manifests"
    recorded = {path.stem: sha256_file(path) for path in folder.glob("*.json")} if folder.is_dir() else {}
    return LatestRelease(version, release) if recorded == manifests else None

