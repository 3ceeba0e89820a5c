"""Walking a paged JSON API (`?page=N&size=M`, items plus a total and/or a next link).

Kept apart from sources/crawl.py (HTML listings): an API page is data, not markup. Every page is fetched
through the Fetcher, so it is archived like any document; the walk stops at the last page and fails loudly
on loops, on pages that are not JSON and on a total that the pages do not add up to.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterator
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from sources.crawl import LayoutError
from sources.http import Fetched, Fetcher

MAX_PAGES = 1000
NextRule = Callable[[str, dict, list], "str | None"]


@dataclass(frozen=True)
class ApiPage:
    number: int  # 1 for the first page fetched
    url: str
    fetched: Fetched
    body: dict
    items: list


def json_body(fetched: Fetched) -> dict | list:
    """The page's JSON (decimals kept exact); LayoutError naming the URL when it is not JSON."""
    try:
        return json.loads(fetched.data.decode("utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LayoutError(f"{fetched.final_url}: not a JSON API page ({error})") from None


def next_link(key: str = "next") -> NextRule:
    """Follow the URL the page gives under `key` (absolute or relative); none, null or "" ends the walk."""

    def rule(url: str, body: dict, items: list) -> str | None:
        target = body.get(key) if isinstance(body, dict) else None
        if isinstance(target, dict):  # {"links": {"next": ...}} style
            target = target.get("href")
        return urljoin(url, target) if target else None

    return rule


def page_param(param: str = "page", total_key: str = "total", size_param: str = "size") -> NextRule:
    """Increment `?page=` while fewer than `total` items have been seen (or while pages come back full)."""
    seen = {"items": 0}

    def rule(url: str, body: dict, items: list) -> str | None:
        seen["items"] += len(items)
        query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
        if not items:
            return None
        total = body.get(total_key) if isinstance(body, dict) else None
        size = int(query.get(size_param) or len(items))
        if total is not None and seen["items"] >= int(total):
            return None
        if total is None and len(items) < size:
            return None
        query[param] = str(int(query.get(param, "1")) + 1)
        parts = urlsplit(url)
        return urlunsplit(parts._replace(query=urlencode(query)))

    return rule


def walk_json_pages(fetcher: Fetcher, first_url: str, items_key: str = "items", next_rule: NextRule | None = None,
                    total_key: str | None = "total", role: str = "api") -> Iterator[ApiPage]:
    """Yield every page of a paged JSON API, from `first_url` until `next_rule` returns None.

    When the pages state `total_key`, the items counted over all pages must equal it (a page silently
    missing would otherwise publish a partial budget).
    """
    next_rule = next_rule or next_link()
    url, seen, count, total = first_url, set(), 0, None
    number = 0
    while url:
        if url in seen:
            raise LayoutError(f"{url}: pagination loops back to a page already seen")
        if len(seen) >= MAX_PAGES:
            raise LayoutError(f"{first_url}: more than {MAX_PAGES} pages")
        seen.add(url)
        fetched = fetcher.get(url, role=role)
        body = json_body(fetched)
        items = body if isinstance(body, list) else body.get(items_key)
        if not isinstance(items, list):
            raise LayoutError(f"{fetched.final_url}: no list under {items_key!r}")
        number += 1
        count += len(items)
        if total_key and isinstance(body, dict) and body.get(total_key) is not None:
            total = int(body[total_key])
        yield ApiPage(number, url, fetched, body if isinstance(body, dict) else {}, items)
        url = next_rule(fetched.final_url, body if isinstance(body, dict) else {}, items)
    if total is not None and count != total:
        raise LayoutError(f"{first_url}: the pages hold {count} items but state a total of {total}")
