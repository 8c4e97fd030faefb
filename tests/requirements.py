"""What a test needs from outside the repository, and what to do when it is missing.

On a developer's clone a missing browser, PostgreSQL or ../shared skips the test with the reason;
in CI (JOURNEYBOT_REQUIRE_ALL=1, set by .ci/run) it fails, so nothing silently stops being tested.
"""
import os

import pytest


def missing(reason: str) -> None:
    if os.environ.get("JOURNEYBOT_REQUIRE_ALL") == "1":
        pytest.fail(f"{reason} (JOURNEYBOT_REQUIRE_ALL=1: CI must provide it)", pytrace=False)
    pytest.skip(reason)
