"""The fetcher against a misbehaving server (tests/faults/server.py): every fault ends in a success after
retries or in a FetchError naming the URL and the reason — never a hang, a crash or a request to a host
the source may not reach. Traffic goes to 127.0.0.1 only: internal addresses are refused before any
connection, which the `connections` fixture checks socket by socket."""
from __future__ import annotations

import dataclasses
import email.utils
import ipaddress
import socket
import threading
import time
import tracemalloc
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import pytest

from faults.server import fault_server
from pipelines.settings import Settings
from pipelines.steps import raw_crawl
from sources.archive import RawArchive
from sources.catalog import load_catalog
from sources.crawl import LayoutError, Listing, walk_listing
from sources.http import FetchError, Fetcher, source_hosts
from sources.mirror_server import serve_mirror
from sources.politeness import HostGate, backoff_delay, retry_after_seconds
from sources.safety.net import Refused, UrlPolicy, address_problem, is_public_address
from sources.urls import UrlMap

SITE = "https://www.demo-faults.example"
MIRROR = __import__("pathlib").Path(__file__).resolve().parent.parent / "sources" / "mirror"


@pytest.fixture
def server():
    with fault_server() as running:
        yield running


@pytest.fixture(autouse=True)
def connections(monkeypatch):
    """Every socket connect in the test, recorded; anything but loopback is blocked, never attempted."""
    seen: list = []
    original = socket.socket.connect

    def connect(sock, address):
        seen.append(address)
        if str(address[0]) not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"test tried to connect to {address}")
        return original(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return seen


def fetcher(tmp_path, base: str | None, **options) -> Fetcher:
    options = {"min_interval": 0, "backoff_base": 0.001, "timeout": 2.0, "retries": 3, **options}
    made = Fetcher(RawArchive(tmp_path / "raw"), source_id="faults", url_map=UrlMap(base), **options)
    made.waits = []
    made.sleep = made.waits.append  # record every wait instead of sleeping
    return made


def html(fetcher_: Fetcher, path: str):
    return fetcher_.get(f"{SITE}{path}", role="detail")


# ------------------------------------------------------------------ retries and backoff


def test_server_errors_are_retried_with_growing_backoff_then_succeed(tmp_path, server):
    f = fetcher(tmp_path, server.base, backoff_base=0.01)
    # a wait is measured when the next request starts: with the gate's clock stopped, the time a busy machine
    # takes between scheduling it and starting does not come off it (no slack to guess)
    f.gate = HostGate(0, sleep=f.waits.append, clock=lambda: 100.0)
    fetched = html(f, "/status/500?times=2")
    assert b"ok" in fetched.data and server.hits["/status/500?times=2"] == 3
    # backoff 0.01·2^n·[0.5, 1)
    assert len(f.waits) == 2 and 0.005 <= f.waits[0] < 0.01 and 0.01 <= f.waits[1] < 0.02


def test_503_retry_after_seconds_is_honoured(tmp_path, server):
    f = fetcher(tmp_path, server.base)
    assert html(f, "/status/503?times=1&retry_after=7").data
    assert 6.5 < max(f.waits) <= 7.0


def test_retry_after_http_date_is_honoured_and_capped(tmp_path, server):
    soon = email.utils.format_datetime(datetime.now(timezone.utc) + timedelta(seconds=30), usegmt=True)
    f = fetcher(tmp_path, server.base, retry_after_cap=60)
    assert html(f, f"/status/503?times=1&retry_after={quote(soon)}").data
    assert 25 < max(f.waits) <= 30.0
    late = fetcher(tmp_path, server.base, retry_after_cap=5)
    assert html(late, "/status/429?times=1&retry_after=3600").data
    assert max(late.waits) <= 5.0


def test_persistent_429_gives_up_naming_the_url_and_the_attempts(tmp_path, server):
    f = fetcher(tmp_path, server.base, retries=2)
    with pytest.raises(FetchError, match=r"demo-faults\.example/status/429: HTTP 429 .*after 3 attempts"):
        html(f, "/status/429")
    assert server.hits["/status/429"] == 3


def test_client_errors_are_not_retried(tmp_path, server):
    f = fetcher(tmp_path, server.base)
    with pytest.raises(FetchError, match="HTTP 404"):
        html(f, "/status/404")
    assert server.hits["/status/404"] == 1 and f.waits == []


def test_a_response_slower_than_the_timeout_is_retried_then_reported(tmp_path, server):
    f = fetcher(tmp_path, server.base, timeout=0.1, retries=1)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"slow\?delay=0\.3: timed out .*after 2 attempts"):
        html(f, "/slow?delay=0.3")
    assert time.monotonic() - started < 1.0


def test_a_body_dripping_in_past_the_total_deadline_is_cut_off(tmp_path, server):
    f = fetcher(tmp_path, server.base, timeout=1.0, total_timeout=0.1, retries=0)
    with pytest.raises(FetchError, match=r"drip.*not received within 0\.1 s"):
        html(f, "/drip?size=100&interval=0.02")


def test_connection_resets_are_retried(tmp_path, server):
    f = fetcher(tmp_path, server.base)
    assert html(f, "/reset?times=2").data
    assert server.hits["/reset?times=2"] == 3


@pytest.mark.parametrize("after", [0, 200])
def test_a_connection_reset_every_time_is_an_error(tmp_path, server, after):
    f = fetcher(tmp_path, server.base, retries=1)
    with pytest.raises(FetchError, match=r"reset|aborted|truncated|Connection"):
        html(f, f"/reset?after={after}")


def test_a_truncated_body_is_an_error_not_a_short_document(tmp_path, server):
    f = fetcher(tmp_path, server.base, retries=1)
    with pytest.raises(FetchError, match="truncated"):
        html(f, "/truncated?length=1000&send=10")
    assert list((tmp_path / "raw").rglob("sha256/*/*")) == []  # nothing archived


# ------------------------------------------------------------------ redirects


def test_a_redirect_loop_is_detected(tmp_path, server):
    with pytest.raises(FetchError, match=r"redirect loop: .*loop/a -> .*loop/b -> .*loop/a"):
        html(fetcher(tmp_path, server.base), "/loop/a")


def test_ten_redirects_are_followed_an_eleventh_is_refused(tmp_path, server):
    assert html(fetcher(tmp_path, server.base), "/chain/10").final_url == f"{SITE}/chain/0"
    with pytest.raises(FetchError, match="more than 10 redirects"):
        html(fetcher(tmp_path, server.base), "/chain/11")


def test_a_redirect_off_the_allow_list_is_refused_before_it_is_requested(tmp_path, server):
    f = fetcher(tmp_path, server.base, allowed_hosts=["www.demo-faults.example"])
    with pytest.raises(FetchError, match=r"redirect to https://evil\.example/steal refused: host evil\.example is not in the source's allow-list"):
        html(f, "/redirect?to=https://evil.example/steal")
    assert server.hits["/steal"] == 0


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1/admin",
        "http://127.0.0.1:8080/",
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://0.0.0.0/",
        "http://2130706433/",  # 127.0.0.1 spelled as one number
        "http://0x7f.0.0.1/",
        "http://192.168.1.1/",
        "http://172.16.0.1/",
    ],
)
def test_a_redirect_to_an_internal_address_is_refused(tmp_path, server, connections, target):
    f = fetcher(tmp_path, server.base)  # no allow-list: the address check alone refuses
    with pytest.raises(FetchError, match=r"redirect to .* refused: .* is an? .*address"):
        html(f, f"/redirect?to={quote(target, safe='')}")
    assert {address[:2] for address in connections} <= {("127.0.0.1", server.server_address[1])}
    assert sum(server.hits.values()) == 1  # only the redirecting page itself was requested


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://www.demo-faults.example/x", "gopher://www.demo-faults.example/",
                                 "https://user:secret@www.demo-faults.example/"])
def test_other_schemes_and_credentials_are_refused(tmp_path, server, url):
    with pytest.raises(FetchError, match=r"scheme|credentials"):
        fetcher(tmp_path, server.base).get(url, role="detail")
    assert sum(server.hits.values()) == 0


def test_a_redirect_to_another_scheme_is_refused(tmp_path, server):
    with pytest.raises(FetchError, match=r"refused: scheme 'file'"):
        html(fetcher(tmp_path, server.base), "/redirect?to=" + quote("file:///etc/passwd", safe=""))


# ------------------------------------------------------------------ live mode: addresses checked at the connection


def fake_dns(mapping):
    def resolve(host, port, *args, **kwargs):
        family = socket.AF_INET6 if ":" in mapping[host][0] else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port)) for address in mapping[host]]

    return resolve


@pytest.mark.parametrize("address", ["10.0.0.1", "169.254.169.254", "127.0.0.1", "::1", "fd12::1", "100.100.1.1"])
def test_a_name_resolving_to_an_internal_address_is_never_connected_to(tmp_path, connections, address):
    f = fetcher(tmp_path, None, resolver=fake_dns({"intranet.demo-faults.example": [address]}))
    with pytest.raises(FetchError, match=rf"intranet\.demo-faults\.example resolves to {address}"):
        f.get("https://intranet.demo-faults.example/", role="detail")
    assert connections == [] and f.requests_made == 1  # refused once, not retried


def test_one_internal_address_among_public_ones_is_enough_to_refuse(tmp_path, connections):
    f = fetcher(tmp_path, None, resolver=fake_dns({"www.demo-faults.example": ["93.184.216.34", "10.0.0.1"]}))
    with pytest.raises(FetchError, match="resolves to 10.0.0.1, a private address"):
        html(f, "/")
    assert connections == []


def test_without_a_mirror_even_a_loopback_server_is_refused(tmp_path, server, connections):
    with pytest.raises(FetchError, match="127.0.0.1 is a loopback address"):
        fetcher(tmp_path, None).get(f"{server.base}/x/ok", role="detail")
    assert connections == [] and server.connections == 0


# ------------------------------------------------------------------ sizes and encodings


def test_a_gzip_bomb_is_refused_without_being_inflated(tmp_path, server):
    f = fetcher(tmp_path, server.base, max_bytes=1024 * 1024)
    server_side = __import__("faults.server", fromlist=["gzip_of_zeros"]).gzip_of_zeros(32 * 1024 * 1024)
    assert len(server_side) < 64 * 1024  # a tiny body on the wire ...
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match=r"gzip-bomb.*larger than 1048576 bytes \(after decompression\)"):
            html(f, "/gzip-bomb?size=33554432")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024  # ... that would inflate to 32 MiB: never held whole


def test_a_declared_oversized_body_is_refused_before_reading(tmp_path, server):
    with pytest.raises(FetchError, match=r"larger than 1000 bytes \(Content-Length 5000\)"):
        html(fetcher(tmp_path, server.base, max_bytes=1000), "/big?size=5000")


def test_an_oversized_chunked_body_is_cut_off_while_streaming(tmp_path, server):
    with pytest.raises(FetchError, match=r"larger than 100000 bytes \(after decompression\)"):
        html(fetcher(tmp_path, server.base, max_bytes=100_000), "/big?size=2000000&chunked=1")


# ------------------------------------------------------------------ content types per role


@pytest.mark.parametrize(
    "path, role, expect, message",
    [
        ("/ok?type=application/pdf&body=%25PDF-1.4", "listing", None, r"expected HTML for a listing, got application/pdf"),
        ("/ok?type=application/json&body=%7B%7D", "detail", None, r"expected HTML for a detail, got application/json"),
        ("/file/memo.pdf", "attachment", None, r"expected PDF for an attachment, got text/html"),
        ("/ok?type=application/octet-stream&body=%3C!doctype+html%3E%3Chtml%3E", "attachment", None,
         r"expected .* for an attachment, got application/octet-stream \(the body looks like HTML\)"),
        ("/ok?type=application/pdf&body=%3Chtml%3E%3Cbody%3ELogin%3C/body%3E%3C/html%3E", "attachment", "pdf",
         r"expected PDF for an attachment, got application/pdf \(the body looks like HTML\)"),
        ("/ok?type=application/pdf&body=%25PDF-1.4", "attachment", "xlsx", r"expected XLSX for an attachment, got application/pdf"),
    ],
)
def test_a_response_of_the_wrong_kind_for_its_role_is_refused(tmp_path, server, path, role, expect, message):
    f = fetcher(tmp_path, server.base)
    with pytest.raises(FetchError, match=message):
        f.get(f"{SITE}{path}", role=role, expect=expect)
    assert list((tmp_path / "raw").rglob("sha256/*/*")) == []


@pytest.mark.parametrize(
    "query, expect",
    [
        ("type=application/vnd.ms-excel&body=a;b", "csv"),  # what many servers call a CSV
        ("type=text/plain&body=a,b", "csv"),
        ("type=application/octet-stream&body=%25PDF-1.4+x", "pdf"),  # a PDF sent as a generic download
        ("type=application/zip&body=PK%03%04x", "xlsx"),
    ],
)
def test_common_but_compatible_content_types_are_accepted(tmp_path, server, query, expect):
    assert fetcher(tmp_path, server.base).get(f"{SITE}/ok?{query}", role="attachment", expect=expect).data


def test_an_attachment_kind_follows_its_link_extension(tmp_path, server):
    f = fetcher(tmp_path, server.base)
    with pytest.raises(FetchError, match=r"memo\.docx: expected DOCX for an attachment, got text/html"):
        f.get(f"{SITE}/file/memo.docx", role="attachment")
    assert f.get(f"{SITE}/file/lines.csv?type=text/csv&body=a;b", role="attachment").data == b"a;b"


# ------------------------------------------------------------------ layout changes


def test_a_layout_change_is_a_layout_error_naming_the_page(tmp_path, server):
    listing = Listing(item="table.memoranda tr", link="td.title a", next="a.next")
    items = list(walk_listing(fetcher(tmp_path, server.base), f"{SITE}/listing?layout=old", listing))
    assert [item.url for item in items] == [f"{SITE}/ru/memorandumy/1/", f"{SITE}/ru/memorandumy/2/"]
    with pytest.raises(LayoutError, match=r"listing\?layout=new: no items match"):
        list(walk_listing(fetcher(tmp_path, server.base), f"{SITE}/listing?layout=new", listing))


# ------------------------------------------------------------------ politeness


def test_the_gate_spaces_requests_per_host_and_not_across_hosts():
    clock = [100.0]
    waits = []
    gate = HostGate(0.5, sleep=lambda s: (waits.append(round(s, 6)), clock.__setitem__(0, clock[0] + s)), clock=lambda: clock[0])
    for host in ("a", "a", "b", "a"):
        with gate.slot(host):
            pass
    assert waits == [0.5, 0.5]  # the second and fourth requests to "a"; "b" did not wait


def test_the_gate_caps_concurrent_requests_per_host():
    gate, lock = HostGate(0, concurrency=2), threading.Lock()
    state = {"now": 0, "max": 0}
    release = threading.Event()

    def work():
        with gate.slot("host"):
            with lock:
                state["now"] += 1
                state["max"] = max(state["max"], state["now"])
            release.wait(0.05)
            with lock:
                state["now"] -= 1

    threads = [threading.Thread(target=work) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert state["max"] == 2


def test_backoff_grows_is_capped_and_jittered():
    assert backoff_delay(0, base=1, cap=30, rng=lambda: 0) == 0.5
    assert backoff_delay(3, base=1, cap=30, rng=lambda: 0.999) == pytest.approx(8 * 0.9995)
    assert backoff_delay(10, base=1, cap=30, rng=lambda: 0.999) < 30
    assert retry_after_seconds("120") == 120 and retry_after_seconds("soon") is None and retry_after_seconds(None) is None
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert retry_after_seconds("Thu, 01 Jan 2026 00:01:00 GMT", now=now) == 60
    assert retry_after_seconds("Wed, 31 Dec 2025 00:00:00 GMT", now=now) == 0


def test_for_source_takes_rate_concurrency_and_allow_list_from_the_catalog(tmp_path):
    source = next(s for s in load_catalog() if s.id == "atyrau-akimat")
    source = dataclasses.replace(source, politeness=dataclasses.replace(source.politeness, rate_per_second=0.5, concurrency=2),
                                 allowed_hosts=("files.gov.kz",))
    live = Fetcher.for_source(RawArchive(tmp_path), source, url_map=UrlMap(None))
    assert live.gate.interval == 2.0 and live.gate.concurrency == 2
    assert source_hosts(source) == ("files.gov.kz", "www.gov.kz")
    assert Fetcher.for_source(RawArchive(tmp_path), source, url_map=UrlMap("http://127.0.0.1:9")).gate.interval == 0


# ------------------------------------------------------------------ sources stay separate


def test_every_catalog_source_crawls_within_its_allow_list(tmp_path):
    with serve_mirror(MIRROR) as base:
        for source in load_catalog():
            f = Fetcher.for_source(RawArchive(tmp_path / "raw"), source, url_map=UrlMap(base), sample=True)
            manifest = source.load_adapter().crawl(f)
            assert manifest["documents"], source.id


def test_one_failing_source_does_not_spoil_another(tmp_path):
    catalog = {s.id: s for s in load_catalog()}
    broken = dataclasses.replace(catalog["aktobe-akimat"], start_urls=("https://aktobe.gov.kz/ru/moved-away/",))
    with serve_mirror(MIRROR) as base:
        settings = Settings(published_dir=tmp_path / "pub", archive_dir=tmp_path / "raw", mirror_url=base, live=False)
        with pytest.raises(FetchError, match=r"aktobe\.gov\.kz/ru/moved-away/: HTTP 404"):
            raw_crawl(broken, settings)
        manifest = raw_crawl(catalog["atyrau-akimat"], settings)
    archive = RawArchive(settings.archive_dir)
    assert manifest["source_id"] == "atyrau-akimat" and manifest["documents"]
    assert all(archive.read(sha) and archive.sidecar(sha).source_id == "atyrau-akimat" for sha in manifest["documents"])


# ------------------------------------------------------------------ the address rules themselves


@pytest.mark.parametrize("address", ["93.184.216.34", "2a00:1450:4001:80b::200e", "8.8.8.8", "195.210.46.1"])
def test_public_addresses_pass(address):
    assert is_public_address(address)


@pytest.mark.parametrize("address, kind", [
    ("127.0.0.1", "loopback"), ("10.1.2.3", "private"), ("172.31.255.255", "private"), ("192.168.0.1", "private"),
    ("169.254.169.254", "link-local"), ("100.64.0.1", "carrier-grade NAT"), ("0.0.0.0", "unspecified"),
    ("224.0.0.251", "multicast"), ("255.255.255.255", "reserved"), ("::1", "loopback"), ("::", "unspecified"),
    ("fe80::1", "link-local"), ("fd00::1", "unique-local"), ("ff02::1", "multicast"), ("::ffff:10.0.0.1", "private"),
    ("64:ff9b::a00:1", "private"), ("2002:a00:1::", "private"), ("192.0.2.1", "private"),
])
def test_internal_addresses_are_named(address, kind):
    assert kind in address_problem(ipaddress.ip_address(address))


def test_the_policy_trusts_only_the_configured_mirror():
    policy = UrlPolicy(["www.gov.kz"], trusted=["http://127.0.0.1:8765"])
    policy.check("http://127.0.0.1:8765/www.gov.kz/x")  # the mirror itself
    policy.check("https://WWW.GOV.KZ./memleket")  # case and a trailing dot do not matter
    for url in ("http://127.0.0.1:8766/", "http://localhost.:8765/", "https://gov.kz/", "https://www.gov.kz.evil.example/"):
        with pytest.raises(Refused):
            policy.check(url)
