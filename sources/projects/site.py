"""Company sites that disclose social projects, described declaratively.

Two layouts cover what subsoil users publish: a page with an HTML table of projects (`HtmlTableProjects`:
declare `table`, a CSS selector), and a page linking downloadable lists, XLSX or CSV
(`DownloadedListProjects`: declare `links`). `crawl` fetches over the network and returns a manifest;
`parse` rebuilds every row from the manifest and the raw archive alone, through `parse_file`.
"""
from __future__ import annotations

from sources.archive import RawArchive
from sources.catalog import Source
from sources.crawl import LayoutError, download, html, links
from sources.http import Fetcher
from sources.organisations import default_index
from sources.projects.files import RESOURCE, read_rows
from sources.projects.record import assign_ids
from sources.parsing import DocumentProblems, ParseError  # noqa: F401 - ParseError re-exported for callers


class ProjectsSite:
    table: str | None = None  # CSS selector of the projects table on HTML pages (None: any recognisable table)

    def __init__(self, source: Source):
        self.source = source
        self.unresolved: list[dict] = []  # after `parse`: names no organisation matched, for the run's report

    def documents(self, fetcher: Fetcher) -> list:
        raise NotImplementedError

    def crawl(self, fetcher: Fetcher) -> dict:
        items = {}
        for fetched, role in self.documents(fetcher):
            items.setdefault(fetched.url, {"url": fetched.url, "final_url": fetched.final_url, "sha256": fetched.sha256,
                                           "content_type": fetched.content_type, "role": role})
        return {
            "source_id": self.source.id,
            "family": self.source.family,
            "items": [items[url] for url in sorted(items)],
            "documents": sorted({record.sha256 for record in fetcher.fetched}),
            "sample": fetcher.sample,
        }

    def parse(self, manifest: dict, archive: RawArchive) -> dict[str, list[dict]]:
        rows, problems = [], DocumentProblems(self.source.id)
        organisations = default_index(include_sample=manifest.get("sample", True))
        for item in manifest["items"]:
            with problems.reading(item["url"]):
                rows += read_rows(
                    archive.read(item["sha256"]),
                    name=item["final_url"],
                    content_type=item["content_type"],
                    source_id=self.source.id,
                    source_url=item["url"],
                    company=self.source.publisher,
                    region_code=self.source.region_code,
                    selector=self.table,
                    organisations=organisations,
                )
        problems.raise_if_any()
        self.unresolved = organisations.unresolved
        return {RESOURCE: assign_ids(rows)}


class HtmlTableProjects(ProjectsSite):
    """Each start URL is a page holding the projects table."""

    def documents(self, fetcher: Fetcher) -> list:
        return [(fetcher.get(url, role="detail"), "detail") for url in self.source.start_urls]


class DownloadedListProjects(ProjectsSite):
    """Each start URL is a page linking one or more XLSX/CSV lists of projects."""

    links: str = 'a[href$=".xlsx"], a[href$=".csv"]'

    def documents(self, fetcher: Fetcher) -> list:
        found = []
        for url in self.source.start_urls:
            page = fetcher.get(url, role="listing")
            targets = links(page.final_url, html(page), self.links)
            if not targets:
                raise LayoutError(f"{page.final_url}: no download link matches {self.links!r}")
            found += [(download(fetcher, target), "attachment") for target in dict.fromkeys(targets)]
        return found
