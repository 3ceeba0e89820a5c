"""A requests transport whose every connection goes through `connect_public` (no internal addresses).

requests/urllib3 resolve and connect on their own; mounting this adapter replaces that one step, so
the address that is checked is the address that is connected to, for the first request and for
every redirect hop alike. Only the configured mirror's host:port is connected to without checks.
"""
from __future__ import annotations

import socket
from typing import Iterable

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.timeout import Timeout

from sources.safety.net import Resolver, connect_public


class _Guarded:
    resolver: Resolver = staticmethod(socket.getaddrinfo)
    trusted: frozenset = frozenset()  # (host, port) pairs connected to without checks: the configured mirror

    def _new_conn(self) -> socket.socket:
        host = self._dns_host.strip("[]").lower()
        if (host, self.port) in self.trusted:
            return super()._new_conn()
        timeout = None if self.timeout is Timeout.DEFAULT_TIMEOUT else self.timeout
        try:
            return connect_public(host, self.port, timeout, resolver=self.resolver,
                                  source_address=self.source_address, socket_options=self.socket_options)
        except socket.timeout as error:
            raise ConnectTimeoutError(self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})") from error
        except OSError as error:
            raise NewConnectionError(self, f"Failed to establish a new connection: {error}") from error


def guarded_adapter(trusted: Iterable[tuple[str, int]] = (), resolver: Resolver = socket.getaddrinfo) -> HTTPAdapter:
    """An HTTPAdapter (no automatic retries) whose connections refuse non-public addresses except `trusted`."""
    attrs = {"resolver": staticmethod(resolver), "trusted": frozenset((h.lower(), p) for h, p in trusted)}
    pools = {
        "http": type("GuardedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": type("GuardedHTTPConnection", (_Guarded, HTTPConnection), attrs)}),
        "https": type("GuardedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": type("GuardedHTTPSConnection", (_Guarded, HTTPSConnection), attrs)}),
    }

    class GuardedAdapter(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = dict(pools)

        def proxy_manager_for(self, proxy, **kwargs):
            raise NewConnectionError(None, f"proxy {proxy} refused: a proxy would connect past the address checks")

    return GuardedAdapter()
