"""Kazakhstan's open-budget portal as a paged JSON API: each start URL is the first page of one query
(e.g. programme execution of one region and year); every page is archived and read with `parse_file`."""
from __future__ import annotations

from sources.archive import RawArchive
from sources.budget.site import parse_archived
from sources.catalog import Source
from sources.crawl_api import next_link, walk_json_pages
from sources.http import Fetcher


class BudgetApi:
    items_key = "items"
    total_key = "total"

    def __init__(self, source: Source):
        self.source = source

    def next_rule(self):
        return next_link("next")

    def crawl(self, fetcher: Fetcher) -> dict:
        pages = []
        for start_url in self.source.start_urls:
            for page in walk_json_pages(fetcher, start_url, self.items_key, self.next_rule(), self.total_key):
                pages.append({"url": page.url, "sha256": page.fetched.sha256, "page": page.number, "items": len(page.items)})
        return {
            "source_id": self.source.id,
            "family": self.source.family,
            "items": pages,
            "documents": sorted({record.sha256 for record in fetcher.fetched}),
        }

    def parse(self, manifest: dict, archive: RawArchive) -> dict[str, list[dict]]:
        return parse_archived(self.source, [(p["url"], p["sha256"]) for p in manifest["items"]], archive)
