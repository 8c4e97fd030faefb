"""Serving a WSGI app over real HTTP on 127.0.0.1 in a background thread, for the duration of a test."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args) -> None:
        """No access log in the test output."""


@contextmanager
def serving(application) -> Iterator[str]:
    """Yields the server's root URL, e.g. http://127.0.0.1:43121"""
    server = make_server("127.0.0.1", 0, application, server_class=_ThreadingServer, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
