"""Where a fetch may go: http(s) only, hosts on the source's allow-list, never an internal address.

A scraped page (or a redirect) can point the crawler at anything; without these checks a hostile or
compromised site could make it read cloud metadata (169.254.169.254), a router's admin page or a
service on this machine (SSRF). Two layers:

- `UrlPolicy.check(url)` runs on every real URL before it is requested, redirect hops included:
  scheme, credentials, allow-list, and literal IP addresses (also inet_aton spellings such as
  `2130706433` or `0x7f.1`).
- `connect_public(...)` is how the fetcher's connections are opened: it resolves the name once,
  refuses if any address is not public, and connects only to those vetted addresses, so a DNS answer
  cannot change between the check and the connection (DNS rebinding).

The configured mirror (the bundled loopback one, or ASHYQ_MIRROR_URL) is the one exception.
"""
from __future__ import annotations

import ipaddress
import re
import socket
from typing import Callable, Iterable
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[..., list]

SCHEMES = ("http", "https")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
CGNAT = ipaddress.ip_network("100.64.0.0/10")
_INET_ATON = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?$", re.I)


class Refused(Exception):
    """A URL or address the policy does not allow; `str()` says why."""


def literal_ip(host: str) -> Address | None:
    """The address a URL host spells literally (any form `inet_aton` accepts too), else None."""
    host = host.strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if _INET_ATON.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def address_problem(ip: Address) -> str | None:
    """Why `ip` is not a public unicast address (None when it is)."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or (ip.sixtofour) or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = address_problem(embedded)
            if inner:
                return f"{inner} (embedded in {ip})"
    for test, kind in (
        ("is_unspecified", "unspecified"),
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
    ):
        if getattr(ip, test):
            return f"a {kind} address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in CGNAT:
        return "a carrier-grade NAT (100.64/10) address"
    if isinstance(ip, ipaddress.IPv6Address) and ip in ipaddress.ip_network("fc00::/7"):
        return "an IPv6 unique-local address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private:
        return "a private address"  # also documentation and benchmarking ranges: Python's list of non-public blocks
    if not ip.is_global:
        return "a reserved (non-global) address"
    return None


def is_public_address(ip: Address | str) -> bool:
    return address_problem(ipaddress.ip_address(ip) if isinstance(ip, str) else ip) is None


def origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of a URL, with the scheme's default port filled in; None if unparsable."""
    try:
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme, 0)
    except ValueError:
        return None
    return parts.scheme.lower(), (parts.hostname or "").rstrip("."), port


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").rstrip(".")


class UrlPolicy:
    """Checks a real URL before it is fetched. `allowed_hosts=None` means no allow-list (addresses are still checked)."""

    def __init__(self, allowed_hosts: Iterable[str] | None = None, trusted: Iterable[str] = ()):
        self.allowed = None if allowed_hosts is None else frozenset(h.lower().rstrip(".") for h in allowed_hosts)
        self.trusted = {o for o in map(origin, trusted) if o}

    def check(self, url: str) -> None:
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
        except ValueError as error:
            raise Refused(f"malformed URL ({error})") from None
        if parts.scheme.lower() not in SCHEMES:
            raise Refused(f"scheme {parts.scheme or '(none)'!r} is not allowed (only http and https)")
        if parts.username is not None or parts.password is not None:
            raise Refused("URL carries credentials (user@host)")
        host = (parts.hostname or "").rstrip(".")
        if not host:
            raise Refused("URL has no host")
        if origin(url) in self.trusted:
            return
        ip = literal_ip(host)
        if ip is not None:
            problem = address_problem(ip)
            if problem:
                raise Refused(f"{host} is {problem}")
        if self.allowed is not None and host not in self.allowed:
            raise Refused(f"host {host} is not in the source's allow-list ({', '.join(sorted(self.allowed))})")


def public_addresses(host: str, port: int, resolver: Resolver = socket.getaddrinfo) -> list[tuple]:
    """getaddrinfo results for host:port, refusing (Refused) if any resolved address is not public."""
    try:
        infos = resolver(host, port, 0, socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise OSError(f"cannot resolve {host}: {error}") from None
    if not infos:
        raise OSError(f"cannot resolve {host}: no addresses")
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        problem = address_problem(ip)
        if problem:
            raise AddressRefused(f"{host} resolves to {ip}, {problem}")
    return infos


class AddressRefused(OSError):
    """Raised at connection time: the name resolves to a non-public address. An OSError so urllib3 passes it on."""


def connect_public(host: str, port: int, timeout, *, resolver: Resolver = socket.getaddrinfo,
                   source_address=None, socket_options=None) -> socket.socket:
    """Like socket.create_connection, but only to addresses `public_addresses` vetted from one resolution."""
    last: OSError | None = None
    for family, socktype, proto, _, address in public_addresses(host, port, resolver):
        sock = socket.socket(family, socktype, proto)
        try:
            for option in socket_options or ():
                sock.setsockopt(*option)
            if timeout is not None:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(address)
            return sock
        except OSError as error:
            last = error
            sock.close()
    raise last or OSError(f"cannot connect to {host}:{port}")
