"""Web API calls over kept-open connections: one per thread and host, reused from call to call.

slack_sdk's clients (the ones Bolt builds for every request too) call ``urllib.request.urlopen``, whose
handlers open a new connection for every call and close it after: a TCP (and against Slack, TLS) handshake
per ✅ on an answer. ``install()`` puts handlers in urllib's default opener that keep the connection
instead. Each response is read whole before the caller gets it (Slack's answers are small), so the
connection is ready for the next call however much of it the caller reads. A connection idle for a second
or more is checked before it is used again, in case the server closed it. A failure on the wire is raised
as urllib raises it, so slack_sdk's retry handlers decide as before (a timeout is not retried: Slack may
have done what was asked). Through a proxy, urllib's own handling (a connection per call) is kept.
"""
from __future__ import annotations

import http.client
import io
import selectors
import socket
import threading
import time
import urllib.request
import urllib.response
from collections import OrderedDict
from dataclasses import dataclass
from urllib.error import URLError
from urllib.parse import urlsplit

HOSTS_PER_THREAD = 4  # Slack's API, its file uploads, response URLs; the oldest host's connection is closed
CHECK_AFTER_IDLE_SECONDS = 1.0  # servers close idle connections after many seconds, not within one

Key = tuple[type, str]


@dataclass
class _Connection:
    connection: http.client.HTTPConnection
    kept_at: float


class _Kept(threading.local):
    """This thread's open connections, each between two calls."""

    def __init__(self) -> None:
        self.by_host: OrderedDict[Key, _Connection] = OrderedDict()

    def take(self, key: Key) -> http.client.HTTPConnection | None:
        """A connection to reuse, unless the server closed it since."""
        kept = self.by_host.pop(key, None)
        if kept is None:
            return None
        idle = time.monotonic() - kept.kept_at > CHECK_AFTER_IDLE_SECONDS
        if idle and _closed_by_server(kept.connection):
            kept.connection.close()
            return None
        return kept.connection

    def keep(self, key: Key, connection: http.client.HTTPConnection) -> None:
        self.by_host[key] = _Connection(connection, time.monotonic())
        while len(self.by_host) > HOSTS_PER_THREAD:
            self.by_host.popitem(last=False)[1].connection.close()


def _closed_by_server(connection: http.client.HTTPConnection) -> bool:
    """An idle connection has nothing to read; if it has, the server closed it (or broke the protocol)."""
    if connection.sock is None:
        return True
    with selectors.DefaultSelector() as selector:  # not select.select: it fails on descriptors past 1023
        selector.register(connection.sock, selectors.EVENT_READ)
        return bool(selector.select(0))


class _KeepAlive:
    """What the HTTP and HTTPS handlers share: urllib's do_open, without closing the connection after."""

    _kept = _Kept()

    def _open_kept(self, connection_class: type, request: urllib.request.Request):
        key = (connection_class, request.host)
        timeout = request.timeout if isinstance(request.timeout, (int, float)) else socket.getdefaulttimeout()
        connection = self._kept.take(key) or connection_class(request.host, timeout=timeout)
        connection.timeout = timeout
        if connection.sock is not None and connection.sock.gettimeout() != timeout:  # a syscall: only on a change
            connection.sock.settimeout(timeout)
        try:  # failures are raised as urllib's own handler raises them, which slack_sdk's retry handlers expect
            try:
                connection.request(request.get_method(), request.selector, request.data, _headers(request),
                                   encode_chunked=request.has_header("Transfer-encoding"))
            except OSError as error:
                raise URLError(error) from error
            response = connection.getresponse()
            body = response.read()  # all of it, so the connection is ready for the next call whatever the caller reads
        except BaseException:
            connection.close()
            raise
        if response.will_close:
            connection.close()
        else:
            self._kept.keep(key, connection)
        reply = urllib.response.addinfourl(io.BytesIO(body), response.headers, request.get_full_url(), response.status)
        reply.msg = response.reason  # what urllib's error handling reads, as from its own responses
        return reply


def _headers(request: urllib.request.Request) -> dict[str, str]:
    headers = dict(request.unredirected_hdrs)
    headers.update({name: value for name, value in request.headers.items() if name not in headers})
    return {name.title(): value for name, value in headers.items()}


def _through_proxy(request: urllib.request.Request) -> bool:
    return urlsplit(request.full_url).netloc != request.host


class KeepAliveHTTPHandler(_KeepAlive, urllib.request.HTTPHandler):
    def http_open(self, request):
        if _through_proxy(request):
            return super().http_open(request)
        return self._open_kept(http.client.HTTPConnection, request)


class KeepAliveHTTPSHandler(_KeepAlive, urllib.request.HTTPSHandler):
    def https_open(self, request):
        if _through_proxy(request):
            return super().https_open(request)
        return self._open_kept(http.client.HTTPSConnection, request)


def install() -> None:
    """Makes urllib's default opener (the one ``urlopen`` uses when not given an SSL context) keep its
    connections. Once per process is enough; again is harmless."""
    urllib.request.install_opener(urllib.request.build_opener(KeepAliveHTTPHandler(), KeepAliveHTTPSHandler()))
