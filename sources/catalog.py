"""The source catalog (sources/catalog.yaml) as typed objects, with the adapter each source names."""
from __future__ import annotations

import importlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

CATALOG_PATH = Path(__file__).with_name("catalog.yaml")
FAMILIES = ("memoranda", "projects", "budget")  # in dependency order: projects are linked to memoranda
REQUIRED = ("id", "family", "publisher", "country", "base_url", "adapter", "licence")


@dataclass(frozen=True)
class Politeness:
    rate_per_second: float = 1.0
    concurrency: int = 1


@dataclass(frozen=True)
class Source:
    id: str
    family: str
    publisher: str
    country: str
    base_url: str
    adapter: str
    licence: str
    start_urls: tuple[str, ...] = ()
    region_code: str | None = None
    fictional: bool = False  # a sample publisher that exists only in the bundled mirror; never crawled live
    politeness: Politeness = field(default_factory=Politeness)
    allowed_hosts: tuple[str, ...] = ()  # hosts besides those of base_url and start_urls the crawl may reach (redirects, file hosts)

    def to_dict(self) -> dict:
        """The catalog entry as recorded in crawl manifests, so a release can be re-derived after the catalog changes."""
        entry = {**{k: v for k, v in asdict(self).items() if k not in ("politeness", "allowed_hosts")}, "start_urls": list(self.start_urls), "politeness": asdict(self.politeness)}
        return {**entry, "allowed_hosts": list(self.allowed_hosts)} if self.allowed_hosts else entry

    @classmethod
    def from_dict(cls, entry: dict) -> "Source":
        return cls(**{k: v for k, v in entry.items() if k not in ("start_urls", "politeness", "allowed_hosts")},
                   start_urls=tuple(entry.get("start_urls", ())), politeness=Politeness(**entry.get("politeness", {})),
                   allowed_hosts=tuple(entry.get("allowed_hosts", ())))

    def load_adapter(self):
        """Instantiate the adapter class named `module:Class` (relative to nothing: a dotted import path)."""
        module_name, _, class_name = self.adapter.partition(":")
        return getattr(importlib.import_module(module_name), class_name)(self)


def load_catalog(path: Path = CATALOG_PATH) -> list[Source]:
    import yaml  # here, not at the top: every `ashyq` command imports FAMILIES, few read the catalog

    entries = yaml.safe_load(Path(path).read_text("utf-8"))["sources"]
    sources, seen = [], set()
    for number, entry in enumerate(entries, start=1):
        missing = [key for key in REQUIRED if not entry.get(key)]
        if missing:
            raise ValueError(f"{path}: source #{number} lacks {', '.join(missing)}")
        if entry["id"] in seen:
            raise ValueError(f"{path}: source id {entry['id']!r} appears twice")
        if entry["family"] not in FAMILIES:
            raise ValueError(f"{path}: source {entry['id']!r} has unknown family {entry['family']!r}")
        seen.add(entry["id"])
        sources.append(Source.from_dict(entry))
    return sources
