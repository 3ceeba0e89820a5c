"""walk_json_pages over real HTTP: next links, page numbers, and the failures that must stop a crawl."""
import json

import pytest

from sources.crawl import LayoutError
from sources.crawl_api import next_link, page_param, walk_json_pages
from sources.http import Fetcher
from sources.urls import UrlMap

HOST = "api.example.kz"
PATH = "/v1/lines"


def page_file(root, query: str, body) -> None:
    path = root / HOST / (PATH.lstrip("/") + f"@{query}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body if isinstance(body, bytes) else json.dumps(body).encode("utf-8"))


def fetcher(archive, served):
    return Fetcher(archive, source_id="api-test", url_map=UrlMap(served), min_interval=0)


def url(query: str) -> str:
    return f"https://{HOST}{PATH}?{query}"


def items(first: int, count: int) -> list:
    return [{"code": str(n), "executed": n * 1.5} for n in range(first, first + count)]


def test_following_next_links_relative_and_absolute(mirror_tree, served, archive):
    page_file(mirror_tree, "page=1&size=2", {"total": 5, "next": f"{PATH}?page=2&size=2", "items": items(0, 2)})
    page_file(mirror_tree, "page=2&size=2", {"total": 5, "next": url("page=3&size=2"), "items": items(2, 2)})
    page_file(mirror_tree, "page=3&size=2", {"total": 5, "next": None, "items": items(4, 1)})
    f = fetcher(archive, served)
    pages = list(walk_json_pages(f, url("page=1&size=2")))
    assert [p.number for p in pages] == [1, 2, 3]
    assert [i["code"] for p in pages for i in p.items] == ["0", "1", "2", "3", "4"]
    assert all(p.fetched.sidecar.role == "api" for p in pages) and len(f.fetched) == 3
    assert str(pages[0].items[1]["executed"]) == "1.5", "decimals stay exact"


def test_counting_pages_by_total(mirror_tree, served, archive):
    for n, chunk in ((1, items(0, 3)), (2, items(3, 3)), (3, items(6, 1))):
        page_file(mirror_tree, f"page={n}&size=3", {"total": 7, "content": chunk})
    pages = list(walk_json_pages(fetcher(archive, served), url("page=1&size=3"), "content", page_param()))
    assert sum(len(p.items) for p in pages) == 7 and len(pages) == 3


def test_without_a_total_a_short_page_is_the_last(mirror_tree, served, archive):
    page_file(mirror_tree, "page=1&size=2", items(0, 2))
    page_file(mirror_tree, "page=2&size=2", items(2, 1))
    pages = list(walk_json_pages(fetcher(archive, served), url("page=1&size=2"), next_rule=page_param(), total_key=None))
    assert [len(p.items) for p in pages] == [2, 1]


def test_a_total_the_pages_do_not_reach_is_an_error(mirror_tree, served, archive):
    page_file(mirror_tree, "page=1&size=2", {"total": 9, "next": None, "items": items(0, 2)})
    with pytest.raises(LayoutError, match="hold 2 items but state a total of 9"):
        list(walk_json_pages(fetcher(archive, served), url("page=1&size=2"), next_rule=next_link()))


def test_a_loop_is_an_error(mirror_tree, served, archive):
    page_file(mirror_tree, "page=1", {"next": f"{PATH}?page=2", "items": items(0, 1)})
    page_file(mirror_tree, "page=2", {"next": f"{PATH}?page=1", "items": items(1, 1)})
    with pytest.raises(LayoutError, match="loops back"):
        list(walk_json_pages(fetcher(archive, served), url("page=1"), total_key=None))


def test_a_page_that_is_not_json_names_its_url(mirror_tree, served, archive):
    page_file(mirror_tree, "page=1", b"<html><body>Service temporarily unavailable</body></html>")
    with pytest.raises(LayoutError, match=r"api\.example\.kz/v1/lines\?page=1: not a JSON API page"):
        list(walk_json_pages(fetcher(archive, served), url("page=1")))


def test_a_page_without_the_items_key(mirror_tree, served, archive):
    page_file(mirror_tree, "page=1", {"data": []})
    with pytest.raises(LayoutError, match="no list under 'items'"):
        list(walk_json_pages(fetcher(archive, served), url("page=1")))
