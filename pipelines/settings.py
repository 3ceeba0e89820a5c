"""Where things live and which mode a run is in, from environment variables with project-local defaults.

ASHYQ_PUBLISHED_DIR   releases (default: <repo>/published)
ASHYQ_ARCHIVE_DIR     raw archive of fetched documents (default: <repo>/var/raw)
ASHYQ_MIRROR_URL      crawl this mirror (same /<host>/<path> layout) instead of the bundled one
ASHYQ_LIVE=1          crawl the real sites (no mirror)
ASHYQ_EXECUTOR        in_process (default) | multiprocess | celery | k8s (the last two need their dagster-* package)
ASHYQ_WAREHOUSE_URL   SQLAlchemy URL the published tables are loaded into (default sqlite:///<repo>/var/warehouse.sqlite)
DAGSTER_HOME          Dagster instance (default: <repo>/var/dagster, using <repo>/dagster.yaml)
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMAS_DIR = REPO_ROOT / "schemas"
BUNDLED_MIRROR = REPO_ROOT / "sources" / "mirror"


@dataclass(frozen=True)
class Settings:
    published_dir: Path
    archive_dir: Path
    mirror_url: str | None
    live: bool

    @property
    def uses_bundled_mirror(self) -> bool:
        return not self.live and not self.mirror_url

    @property
    def sample(self) -> bool:
        """Data served by a mirror is sample data unless crawled live from the real sites."""
        return not self.live


def settings() -> Settings:
    return Settings(
        published_dir=Path(os.environ.get("ASHYQ_PUBLISHED_DIR", REPO_ROOT / "published")).resolve(),
        archive_dir=Path(os.environ.get("ASHYQ_ARCHIVE_DIR", REPO_ROOT / "var" / "raw")).resolve(),
        mirror_url=os.environ.get("ASHYQ_MIRROR_URL") or None,
        live=os.environ.get("ASHYQ_LIVE", "") in ("1", "true", "yes"),
    )


def ensure_dagster_home() -> Path:
    """Point DAGSTER_HOME at a persistent project-local instance (var/dagster) that uses the repo's dagster.yaml.

    A DAGSTER_HOME set by the user is left alone, with its own dagster.yaml.
    """
    default = REPO_ROOT / "var" / "dagster"
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(default)))
    home.mkdir(parents=True, exist_ok=True)
    if home.resolve() == default.resolve():
        wanted = (REPO_ROOT / "dagster.yaml").read_text("utf-8")
        config = home / "dagster.yaml"
        if not config.exists() or config.read_text("utf-8") != wanted:
            config.write_text(wanted, "utf-8")
    return home
