"""What a test needs from the machine (a browser, PostgreSQL, ../shared), and what happens when it is missing."""
from __future__ import annotations

import os
from typing import NoReturn

import pytest

REQUIRE_ALL = "JOURNEYBOT_REQUIRE_ALL"


def missing(reason: str) -> NoReturn:
    """Skips the test with ``reason``, or fails it when CI (.ci/run) promised everything is installed."""
    if os.environ.get(REQUIRE_ALL) == "1":
        pytest.fail(f"{reason} ({REQUIRE_ALL}=1, so nothing may skip)", pytrace=False)
    pytest.skip(reason)
