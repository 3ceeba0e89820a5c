"""published/index.html: every package and version, newest first, latest marked, links that resolve."""
from __future__ import annotations

import json

from bs4 import BeautifulSoup

from pipelines.site import render_catalog, render_release_site
from test_site_release import build_release


def test_catalog_lists_every_version_newest_first_and_marks_latest(tmp_path):
    first = build_release(tmp_path)
    second = build_release(tmp_path, extra_memoranda=1)
    third = build_release(tmp_path, extra_memoranda=2)
    for folder in (second, third):
        render_release_site(folder)
    (first / "index.html").unlink()  # as if the first release predated the site: it has no release page
    (tmp_path / "ashyq-social-investments" / ".staging-9.9.9-1").mkdir()  # never listed
    (tmp_path / "ashyq-social-investments" / "not-a-version").mkdir()

    path = render_catalog(tmp_path)
    assert path == tmp_path / "index.html"
    page = BeautifulSoup(path.read_text("utf-8"), "html.parser")
    items = page.select("ul.versions > li")
    versions = [li.find("strong").get_text() for li in items]
    assert versions == ["Version 1.2.0", "Version 1.1.0", "Version 1.0.0"]
    latest = json.loads((tmp_path / "ashyq-social-investments" / "latest.json").read_text())["version"]
    marked = [li.find("strong").get_text() for li in items if li.select_one(".badge.latest")]
    assert marked == [f"Version {latest}"]
    assert items[0].find("a")["href"] == "ashyq-social-investments/1.2.0/index.html"
    assert items[2].find("a")["href"] == "ashyq-social-investments/1.0.0/datapackage.json"
    assert all(li.select_one(".badge.sample") for li in items)
    for a in page.select("a[href]"):
        href = a["href"]
        if not href.startswith(("http://", "https://", "#")):
            assert (tmp_path / href).is_file(), href
    assert first.exists()


def test_catalog_write_is_atomic_and_deterministic(tmp_path):
    build_release(tmp_path)
    before = render_catalog(tmp_path).read_bytes()
    assert render_catalog(tmp_path).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ashyq-social-investments", "index.html"]  # no temp file left


def test_empty_published_folder_gets_a_page_saying_so(tmp_path):
    page = BeautifulSoup(render_catalog(tmp_path).read_text("utf-8"), "html.parser")
    assert "Nothing has been published yet" in page.get_text()
