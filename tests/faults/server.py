"""A scripted misbehaving web server on 127.0.0.1, for fault-injection tests of the fetcher.

Used as a mirror: the fetcher maps `https://HOST/PATH?Q` to `BASE/HOST/PATH?Q`, and the server ignores
HOST and acts on PATH. Every fault a real site can produce is one path:

    /ok?type=&body=              200 with that Content-Type (default text/html) and body
    /file/<name>?type=&body=     the same, under a file name (for checks by extension)
    /status/<code>?times=N&retry_after=V
                                 <code> for the first N requests of this URL (default: always), then /ok
    /slow?delay=S                wait S seconds before answering (a read timeout)
    /drip?size=N&interval=S      Content-Length N, then one byte every S seconds
    /reset?times=N&after=B       send B bytes of a response (0: nothing), then reset the connection (RST)
    /truncated?length=L&send=S   Content-Length L but only S bytes, then close
    /redirect?to=URL&status=302  Location: URL, verbatim (relative URLs stay on the mirror)
    /loop/a, /loop/b             redirect to each other
    /chain/<n>                   redirect to /chain/<n-1>; /chain/0 answers 200
    /gzip-bomb?size=N            Content-Encoding: gzip, a few KB that inflate to N zero bytes
    /big?size=N&chunked=1        N bytes of HTML (chunked: no Content-Length)
    /listing?layout=old|new      a memoranda listing; "new" renames its classes (a layout change)

`hits` counts requests per path+query, `connections` counts accepted connections.
"""
from __future__ import annotations

import collections
import contextlib
import functools
import gzip
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

OK_HTML = b"<!doctype html><html><body><p>ok</p></body></html>"


@functools.lru_cache(maxsize=4)
def gzip_of_zeros(size: int) -> bytes:
    return gzip.compress(b"\0" * size, compresslevel=9, mtime=0)


def listing_html(layout: str) -> bytes:
    item, title = ("memoranda", "title") if layout == "old" else ("memo-cards", "heading")
    rows = "".join(
        f'<tr><td class="{title}"><a href="/ru/memorandumy/{n}/">Меморандум {n} (ТОО «Демо»)</a></td></tr>' for n in (1, 2)
    )
    return f'<!doctype html><html><body><table class="{item}">{rows}</table></body></html>'.encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "FaultServer"

    def log_message(self, *args):
        pass

    def do_GET(self):
        parts = urlsplit(self.path)
        _, _, rest = parts.path.lstrip("/").partition("/")
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        with self.server.lock:
            self.server.hits[f"/{rest}" + (f"?{parts.query}" if parts.query else "")] += 1
            count = self.server.hits[f"/{rest}" + (f"?{parts.query}" if parts.query else "")]
        kind, _, arg = rest.partition("/")
        handler = getattr(self, "fault_" + kind.replace("-", "_"), None)
        if handler is None:
            self.answer(404, b"not found", "text/plain")
            return
        handler(arg, query, count)

    # ------------------------------------------------------------------ helpers

    def answer(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8", headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def promise(self, length: int):
        """Headers of a 200 text/html answer announcing `length` bytes; the fault then sends what it likes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def reset(self):
        """Abort the connection with a TCP RST (SO_LINGER 0), as a crashing server or a middlebox would."""
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def redirect(self, location: str, status: int = 302):
        self.answer(status, b"", headers={"Location": location})

    def own_host(self) -> str:
        return self.path.lstrip("/").split("/", 1)[0]

    # ------------------------------------------------------------------ faults

    def fault_ok(self, arg, query, count):
        self.answer(200, query.get("body", "").encode("utf-8") or OK_HTML, query.get("type", "text/html; charset=utf-8"))

    def fault_file(self, arg, query, count):  # /file/<name>: like /ok, under a file name with an extension
        self.fault_ok(arg, query, count)

    def fault_status(self, arg, query, count):
        times = int(query.get("times", "1000000"))
        if count > times:
            self.fault_ok(arg, {}, count)
            return
        headers = {"Retry-After": query["retry_after"]} if "retry_after" in query else {}
        self.answer(int(arg), b"<html><body>error</body></html>", headers=headers)

    def fault_slow(self, arg, query, count):
        time.sleep(float(query.get("delay", "1")))
        self.fault_ok(arg, {}, count)

    def fault_drip(self, arg, query, count):
        size, interval = int(query.get("size", "100")), float(query.get("interval", "0.05"))
        self.promise(size)
        with contextlib.suppress(OSError):
            for _ in range(size):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(interval)

    def fault_reset(self, arg, query, count):
        if count > int(query.get("times", "1000000")):
            self.fault_ok(arg, {}, count)
            return
        after = int(query.get("after", "0"))
        if after:
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
            self.wfile.write((head + b"x" * 100000)[:after])
        self.reset()

    def fault_truncated(self, arg, query, count):
        length, send = int(query.get("length", "1000")), int(query.get("send", "10"))
        self.promise(length)
        self.wfile.write(b"<p>" + b"x" * max(0, send - 3))
        self.wfile.flush()
        self.close_connection = True
        self.connection.shutdown(socket.SHUT_WR)

    def fault_redirect(self, arg, query, count):
        self.redirect(query["to"], int(query.get("status", "302")))

    def fault_loop(self, arg, query, count):
        self.redirect(f"/{self.own_host()}/loop/{'b' if arg == 'a' else 'a'}", 302)

    def fault_chain(self, arg, query, count):
        n = int(arg or "0")
        if n <= 0:
            self.fault_ok(arg, {}, count)
        else:
            self.redirect(f"/{self.own_host()}/chain/{n - 1}", 301)

    def fault_gzip_bomb(self, arg, query, count):
        body = gzip_of_zeros(int(query.get("size", str(64 * 1024 * 1024))))
        self.answer(200, body, "text/html", headers={"Content-Encoding": "gzip"})

    def fault_big(self, arg, query, count):
        size = int(query.get("size", "1000"))
        if query.get("chunked"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            with contextlib.suppress(OSError):
                block = b"x" * 65536
                sent = 0
                while sent < size:
                    piece = block[: min(len(block), size - sent)]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    sent += len(piece)
                self.wfile.write(b"0\r\n\r\n")
            return
        self.answer(200, b"x" * size, "text/html")

    def fault_listing(self, arg, query, count):
        self.answer(200, listing_html(query.get("layout", "old")))


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hits: collections.Counter = collections.Counter()
        self.connections = 0
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def get_request(self):
        request = super().get_request()
        with self.lock:
            self.connections += 1
        return request

    def handle_error(self, request, client_address):  # resets and aborted clients are the point here
        pass


@contextlib.contextmanager
def fault_server():
    """Run a FaultServer on 127.0.0.1 (a free port) for the block."""
    server = FaultServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True, name="fault-server")
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
