"""A memoranda site described declaratively: listing, detail page, how to read a document's id.

Crawling (network) and parsing (archived bytes only) are separate steps: `crawl` returns a manifest
of what was fetched; `parse` rebuilds every row from the manifest and the raw archive alone, so a
release can be re-derived later without touching the web.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup

from sources.archive import RawArchive
from sources.catalog import Source
from sources.crawl import Detail, LayoutError, Listing, download, read_detail, walk_listing
from sources.http import Fetcher
from sources.memoranda.record import memorandum_row
from sources.parsing import DocumentProblems, ParseError  # noqa: F401 - ParseError re-exported for callers


class MemorandaSite:
    listing: Listing
    detail: Detail
    native_id: str  # regex with one group, matched against the detail page URL

    def __init__(self, source: Source):
        self.source = source

    def document_id(self, url: str) -> str:
        match = re.search(self.native_id, url)
        if not match:
            raise LayoutError(f"{url}: cannot read a document id with {self.native_id!r}")
        return match.group(1)

    def crawl(self, fetcher: Fetcher) -> dict:
        """Walk the listing, each detail page and its attachments; return the manifest of what was read."""
        items = {}
        for start_url in self.source.start_urls:
            for listed in walk_listing(fetcher, start_url, self.listing):
                native_id = self.document_id(listed.url)
                if native_id in items:
                    continue
                page, parts = read_detail(fetcher, listed.url, self.detail)
                attachment_urls = dict.fromkeys(listed.attachment_urls + parts["attachment_urls"])
                attachments = [download(fetcher, url) for url in attachment_urls]
                items[native_id] = {
                    "native_id": native_id,
                    "detail_url": listed.url,
                    "detail_sha256": page.sha256,
                    "listing_title": listed.title,
                    "listing_date": listed.date,
                    "attachments": [{"url": a.url, "sha256": a.sha256, "content_type": a.content_type} for a in attachments],
                }
        return {
            "source_id": self.source.id,
            "family": self.source.family,
            "items": [items[key] for key in sorted(items)],
            "documents": sorted({record.sha256 for record in fetcher.fetched}),
        }

    def parse(self, manifest: dict, archive: RawArchive) -> dict[str, list[dict]]:
        """Rows from the manifest and archived bytes only; every failure is collected, then raised together."""
        rows, problems = [], DocumentProblems(self.source.id)
        for item in manifest["items"]:
            with problems.reading(item["detail_url"]):
                soup = BeautifulSoup(archive.read(item["detail_sha256"]), "lxml")
                rows.append(memorandum_row(self.source, item, soup, self.detail, archive))
        problems.raise_if_any()
        return {"memoranda": rows}
