"""Waiting for a journeybot server process to answer /healthz."""
from __future__ import annotations

import json
import subprocess
import time
import urllib.error
import urllib.request


def wait_for_health(url: str, server: subprocess.Popen, timeout: float = 60) -> tuple[int, dict]:
    """The first answer of /healthz once the server listens; fails if the server exits first."""
    deadline = time.monotonic() + timeout
    while True:
        assert server.poll() is None, server.communicate()[1]
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())
        except OSError:  # not listening yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
