from pathlib import Path

import pytest

SLACK_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "slack-reference"


@pytest.fixture
def slack_reference() -> Path:
    """Slack's own payloads and response shapes; only CI and the dev machines have them, beside the checkout."""
    if not SLACK_REFERENCE.is_dir():
        pytest.skip("../shared/slack-reference not found (only CI and the dev machines have it)")
    return SLACK_REFERENCE
