"""Budget files published on web pages, described declaratively: a listing, optional detail pages, file links.

Crawling fetches the listing pages, each item's detail page (when the site has them) and every linked
XLSX / CSV / JSON file; parsing reads each archived file with `parse_file`, so a crawled report and an
auditor's local copy are read identically. Links to other documents (PDF notes, pages) are recorded, not read.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from sources.archive import RawArchive
from sources.budget.parse import LINES, TOTALS, parse_file
from sources.budget.records import assign_line_ids
from sources.catalog import Source
from sources.crawl import Detail, Listing, download, read_detail, walk_listing
from sources.http import Fetcher
from sources.parsing import DocumentProblems, ParseError  # noqa: F401 - ParseError re-exported for callers

TABLE_FILE = re.compile(r"\.(?:xlsx|xlsm|csv|json)$", re.I)


def is_table_link(url: str) -> bool:
    return bool(TABLE_FILE.search(urlsplit(url).path))


class BudgetFilesSite:
    listing: Listing
    detail: Detail | None = None

    def __init__(self, source: Source):
        self.source = source

    def crawl(self, fetcher: Fetcher) -> dict:
        items, seen_files = [], set()
        for start_url in self.source.start_urls:
            for listed in walk_listing(fetcher, start_url, self.listing):
                links = list(listed.attachment_urls)
                detail_sha = None
                if is_table_link(listed.url):
                    links.append(listed.url)
                elif self.detail is not None:
                    page, parts = read_detail(fetcher, listed.url, self.detail)
                    detail_sha = page.sha256
                    links += parts["attachment_urls"]
                files, other = [], []
                for url in dict.fromkeys(links):
                    if not is_table_link(url):
                        other.append(url)
                        continue
                    if url in seen_files:
                        continue
                    seen_files.add(url)
                    fetched = download(fetcher, url)
                    files.append({"url": url, "sha256": fetched.sha256, "content_type": fetched.content_type})
                items.append({"title": listed.title, "url": listed.url, "detail_sha256": detail_sha,
                              "files": files, "other_links": other})
        return {
            "source_id": self.source.id,
            "family": self.source.family,
            "items": items,
            "documents": sorted({record.sha256 for record in fetcher.fetched}),
        }

    def parse(self, manifest: dict, archive: RawArchive) -> dict[str, list[dict]]:
        """Rows from archived files only; every unreadable file is reported, then all are raised together."""
        files = [f for item in manifest["items"] for f in item["files"]]
        return parse_archived(self.source, [(f["url"], f["sha256"]) for f in files], archive)


def parse_archived(source: Source, documents: list[tuple[str, str]], archive: RawArchive) -> dict[str, list[dict]]:
    lines, totals, problems = [], [], DocumentProblems(source.id)
    for url, sha in sorted(documents):
        with problems.reading(url):
            found = parse_file(archive.read(sha), name=url, source_id=source.id, region_code=source.region_code, line_ids=False)
            lines += found[LINES]
            totals += found[TOTALS]
    problems.raise_if_any()
    return {LINES: assign_line_ids(lines), TOTALS: totals}  # numbered across the source's files: a line stated twice gets ~2
