"""The published site in a real browser: Debian's headless Chromium driven by Playwright.

A real release is built offline (`python -m pipelines.cli refresh` against the bundled mirror, in a
temporary folder), served on loopback with http.server, and every page is checked as a person would
meet it: no console errors, no request leaving the machine, every link and anchor resolving, nothing
wider than a 375 px phone, and the same pages working from file:// (a USB stick). Screenshots go to
tests/output/ (git-ignored) for a human to look at.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest

from pipelines.site import render_catalog, render_release_site

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = REPO / "tests" / "output"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def chromium_path() -> str:
    """Debian's Chromium, installed by .ci/install-browser when missing; skip (saying why) only if that fails."""
    if not CHROMIUM.exists():
        try:
            result = subprocess.run(["bash", str(REPO / ".ci" / "install-browser")], capture_output=True, text=True, timeout=900)
            why = (result.stdout + result.stderr).strip().splitlines()[-3:]
        except (OSError, subprocess.TimeoutExpired) as error:
            why = [str(error)]
        if not CHROMIUM.exists():
            pytest.skip(f"{CHROMIUM} is missing and .ci/install-browser could not install it: {' | '.join(why)}")
    return str(CHROMIUM)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, Path]:
    """(published dir, release dir) of a real offline release, with its site."""
    root = tmp_path_factory.mktemp("site-browser")
    home = root / "dagster"
    home.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    out = root / "published"
    env = {k: v for k, v in os.environ.items() if k not in ("ASHYQ_LIVE", "ASHYQ_MIRROR_URL", "ASHYQ_PUBLISHED_DIR")}
    env.update(DAGSTER_HOME=str(home), ASHYQ_ARCHIVE_DIR=str(root / "raw"), ASHYQ_WAREHOUSE_URL=f"sqlite:///{root / 'var' / 'warehouse.sqlite'}")
    run = subprocess.run([sys.executable, "-m", "pipelines.cli", "refresh", "--published", str(out)], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    (package,) = [p for p in out.iterdir() if (p / "latest.json").exists()]
    release = package / (package / "latest.json").read_text().split('"version": "')[1].split('"')[0]
    if not (release / "index.html").exists():  # publishing not yet wired to the site: render it here
        render_release_site(release)
    if not (out / "index.html").exists():
        render_catalog(out)
    return out, release


@pytest.fixture(scope="module")
def server(published):
    out, _ = published
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(out)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the playwright package is not installed: it is a test dependency in pyproject.toml (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def pages(published) -> list[str]:
    out, release = published
    return ["index.html", release.relative_to(out).as_posix() + "/index.html"]


class Visit:
    """A page opened in a fresh context that records errors and blocks every request off the test server."""

    def __init__(self, browser, base: str, path: str, **context):
        self.errors: list[str] = []
        self.external: list[str] = []
        self.context = browser.new_context(**context)
        self.context.route("**/*", self._route(base))
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: r.url not in self.external and self.errors.append(f"failed: {r.url} {r.failure}"))
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status}: {r.url}"))
        self.page.goto(urljoin(base, path), wait_until="load")

    def _route(self, base: str):
        def handle(route):
            if route.request.url.startswith(base) or route.request.url.startswith("data:"):
                route.continue_()
            else:
                self.external.append(route.request.url)
                route.abort()
        return handle

    def close(self):
        self.context.close()


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_every_page_loads_without_errors_or_outside_requests(browser, server, pages):
    for path in pages:
        visit = Visit(browser, server, path, **DESKTOP)
        try:
            assert visit.errors == [], path
            assert visit.external == [], f"{path} fetched from outside: {visit.external}"
            images = visit.page.eval_on_selector_all("img", "imgs => imgs.map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0])")
            assert all(ok for _, ok in images), images
            assert visit.page.eval_on_selector_all("script", "s => s.length") == 0
        finally:
            visit.close()


def test_every_link_resolves(browser, server, pages):
    ids_of: dict[str, set[str]] = {}

    def ids(url: str) -> set[str]:
        if url not in ids_of:
            visit = Visit(browser, server, url, **DESKTOP)
            ids_of[url] = set(visit.page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
            visit.close()
        return ids_of[url]

    checked = 0
    for path in pages:
        visit = Visit(browser, server, path, **DESKTOP)
        hrefs = visit.page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        here = visit.page.url
        visit.close()
        assert hrefs, path
        for href in hrefs:
            if href.startswith(("http://", "https://")):
                continue  # links out of the site (publishers, licences): never fetched offline
            assert ":" not in href.split("/")[0], f"{path}: unexpected scheme in {href}"
            target, fragment = urldefrag(urljoin(here, href))
            assert _status(target) == 200, f"{path}: {href} -> {target}"
            if fragment:
                assert fragment in ids(target), f"{path}: {href} has no #{fragment} on {target}"
            checked += 1
    assert checked > 20


def test_pages_fit_a_phone_and_screenshots_are_saved(browser, server, pages):
    OUTPUT.mkdir(exist_ok=True)
    for path, name in zip(pages, ("catalog", "release")):
        visit = Visit(browser, server, path, **PHONE)
        try:
            page = visit.page
            width = page.evaluate("window.innerWidth")
            assert width == 375, "the viewport meta tag must make the layout as wide as the phone"
            overflow = page.evaluate("""() => [document.documentElement.scrollWidth, document.body.scrollWidth]""")
            assert max(overflow) <= width, f"{path} is wider than the phone: {overflow}"
            wide = page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
                .filter(e => !e.closest('.scroll') && e.getBoundingClientRect().right > window.innerWidth + 0.5)
                .map(e => e.tagName + '.' + e.className).slice(0, 5)""")
            assert wide == [], f"{path}: elements past the right edge: {wide}"
            page.screenshot(path=str(OUTPUT / f"site-{name}-phone.png"), full_page=name == "catalog")
            if name == "release":
                page.locator("#chart-committed-vs-disclosed-by-region").screenshot(path=str(OUTPUT / "site-release-phone-chart.png"))
        finally:
            visit.close()
    visit = Visit(browser, server, pages[1], **DESKTOP)
    visit.page.screenshot(path=str(OUTPUT / "site-release-desktop.png"))
    visit.close()
    assert (OUTPUT / "site-release-phone.png").stat().st_size > 10_000


def test_release_page_works_from_a_folder_without_a_server(browser, published):
    _, release = published
    context = browser.new_context(**PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto((release / "index.html").as_uri(), wait_until="load")
    images = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete && i.naturalWidth > 0)")
    context.close()
    assert images and all(images)
    assert errors == []
