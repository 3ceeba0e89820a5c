"""Shared crawl patterns: a paginated listing of items, a detail page, a file download.

Adapters describe a site with CSS selectors (see sources/memoranda/); these functions do the walking.
All URLs here are the real site's URLs; `Fetcher` decides whether they travel through a mirror.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from sources.extract import read_document
from sources.http import Fetched, Fetcher

MAX_PAGES = 500


class LayoutError(Exception):
    """A page does not have the structure its adapter expects (the site changed, or served something else)."""


@dataclass(frozen=True)
class Listing:
    """A paginated listing: `item` elements each hold a `link` to a detail page; `next` links the next page."""

    item: str
    link: str
    next: str
    attachments: str | None = None  # file links inside the item, where sites put them on the listing
    date: str | None = None


@dataclass(frozen=True)
class Detail:
    """A detail page: its title, body text, optional date and attachment links."""

    title: str
    body: str
    date: str | None = None
    attachments: str | None = None


@dataclass(frozen=True)
class ListedItem:
    url: str
    title: str
    date: str
    attachment_urls: tuple[str, ...]
    listing: Fetched


def html(fetched: Fetched) -> BeautifulSoup:
    read_document(fetched.data, name=fetched.final_url, content_type=fetched.content_type)  # clear error on bad bytes/encoding
    return BeautifulSoup(fetched.data, "lxml", from_encoding=_charset(fetched.content_type))


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset":
            return value.strip('"') or None
    return None


def text_of(element: Tag | None) -> str:
    return element.get_text(" ", strip=True) if element is not None else ""


def absolute(base_url: str, href: str) -> str:
    """The link's real URL; a malformed one (e.g. an unclosed IPv6 bracket) is a layout error naming the page."""
    try:
        return urljoin(base_url, href)
    except ValueError as error:
        raise LayoutError(f"{base_url}: malformed link {href[:200]!r} ({error})") from None


def links(base_url: str, scope: Tag, selector: str | None) -> tuple[str, ...]:
    if not selector:
        return ()
    return tuple(absolute(base_url, a["href"]) for a in scope.select(selector) if a.get("href"))


def walk_listing(fetcher: Fetcher, start_url: str, listing: Listing) -> Iterator[ListedItem]:
    """Yield every item of a paginated listing, following `next` links until there are none."""
    url, seen = start_url, set()
    while url and len(seen) < MAX_PAGES:
        if url in seen:
            raise LayoutError(f"{url}: pagination loops back to a page already seen")
        seen.add(url)
        page = fetcher.get(url, role="listing")
        soup = html(page)
        items = soup.select(listing.item)
        found = 0
        for item in items:
            link = item.select_one(listing.link)
            if link is None or not link.get("href"):
                continue  # header rows and decorations
            found += 1
            yield ListedItem(
                url=absolute(page.final_url, link["href"]),
                title=text_of(link),
                date=text_of(item.select_one(listing.date)) if listing.date else "",
                attachment_urls=links(page.final_url, item, listing.attachments),
                listing=page,
            )
        if not found:
            raise LayoutError(f"{page.final_url}: no items match {listing.item!r} / {listing.link!r}")
        next_links = links(page.final_url, soup, listing.next)
        url = next_links[0] if next_links else None


def read_detail(fetcher: Fetcher, url: str, detail: Detail) -> tuple[Fetched, dict]:
    """Fetch a detail page and pull out its declared parts."""
    page = fetcher.get(url, role="detail")
    soup = html(page)
    body = soup.select_one(detail.body)
    if body is None:
        raise LayoutError(f"{page.final_url}: no element matches {detail.body!r}")
    return page, {
        "title": text_of(soup.select_one(detail.title)),
        "body": body,
        "body_selector": detail.body,
        "date": text_of(soup.select_one(detail.date)) if detail.date else "",
        "attachment_urls": links(page.final_url, soup, detail.attachments),
    }


def download(fetcher: Fetcher, url: str) -> Fetched:
    return fetcher.get(url, role="attachment")
