"""The fetcher against a real loopback HTTP server: archive, conditional GET, redirects, failures."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import write
from sources.http import FetchError, Fetcher
from sources.urls import UrlMap


def fetcher_for(archive, base, **kwargs):
    return Fetcher(archive, source_id="test", url_map=UrlMap(base), sample=True, min_interval=0, **kwargs)


def test_fetch_archives_bytes_with_a_sidecar_in_real_url_space(archive, mirror_tree, served):
    write(mirror_tree, "example.kz/a.html", "<p>hello</p>")
    fetched = fetcher_for(archive, served).get("https://example.kz/a.html", role="detail")
    assert fetched.data == b"<p>hello</p>" and not fetched.not_modified
    sidecar = archive.sidecar(fetched.sha256)
    assert sidecar.url == sidecar.final_url == "https://example.kz/a.html"
    assert sidecar.http_status == 200 and sidecar.etag and sidecar.last_modified and sidecar.retrieved_at.endswith("Z")
    assert sidecar.source_id == "test" and sidecar.role == "detail" and sidecar.sample is True


def test_second_fetch_is_conditional_and_adds_nothing(archive, mirror_tree, served):
    write(mirror_tree, "example.kz/a.html", "<p>hello</p>")
    first = fetcher_for(archive, served).get("https://example.kz/a.html", role="detail")
    files_before = sorted(p for p in archive.root.rglob("*"))
    second = fetcher_for(archive, served).get("https://example.kz/a.html", role="detail")
    assert second.not_modified and second.sha256 == first.sha256 and second.data == first.data
    assert sorted(p for p in archive.root.rglob("*")) == files_before


def test_changed_content_is_archived_as_a_new_document(archive, mirror_tree, served):
    page = write(mirror_tree, "example.kz/a.html", "<p>v1</p>")
    first = fetcher_for(archive, served).get("https://example.kz/a.html", role="detail")
    page.write_text("<p>v2, longer</p>")
    second = fetcher_for(archive, served).get("https://example.kz/a.html", role="detail")
    assert second.sha256 != first.sha256 and archive.read(first.sha256) == b"<p>v1</p>"


def test_redirect_records_the_final_real_url(archive, mirror_tree, served):
    write(mirror_tree, "example.kz/_redirects", "/list /list/page/1/ 302\n")
    write(mirror_tree, "example.kz/list/page/1/index.html", "<p>one</p>")
    fetched = fetcher_for(archive, served).get("https://example.kz/list", role="listing")
    assert fetched.url == "https://example.kz/list"
    assert fetched.final_url == "https://example.kz/list/page/1/"


def test_missing_page_is_an_error_naming_the_url(archive, served):
    with pytest.raises(FetchError, match=r"https://example.kz/gone.html: HTTP 404"):
        fetcher_for(archive, served).get("https://example.kz/gone.html", role="detail")


class Flaky(BaseHTTPRequestHandler):
    """Answers 503 (Retry-After: 0) twice, then 200."""

    calls = 0

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).calls += 1
        if type(self).calls <= 2:
            self.send_response(503)
            self.send_header("Retry-After", "0")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"<p>finally</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_retries_server_errors_then_succeeds(archive):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Flaky)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        fetched = fetcher_for(archive, base).get("https://example.kz/x", role="detail")
        assert fetched.data == b"<p>finally</p>" and Flaky.calls == 3
    finally:
        server.shutdown()
        server.server_close()


def test_body_over_the_cap_is_refused(archive, mirror_tree, served):
    write(mirror_tree, "example.kz/big.html", "x" * 5000)
    with pytest.raises(FetchError, match="larger than 1000 bytes"):
        fetcher_for(archive, served, max_bytes=1000).get("https://example.kz/big.html", role="detail")
