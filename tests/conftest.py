from pathlib import Path

import pytest

from bot.standin import TrackingExecutor, WebAPI
from tests.databases import database_url, engine  # noqa: F401  (fixtures any test may ask for)
from tests.factories import make_workshop, many_items, sample_items, summary_of
from tests.postgres import own_postgres_server, postgres_server, postgres_url  # noqa: F401
from tests.requirements import missing
from tests.test_workshop import PEOPLE

SLACK_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "slack-reference"
WORKSHOP_CHANNEL = "C0WORKSHOP"
SIZES = {"empty": lambda w: [], "small": sample_items, "1000 items": lambda w: many_items(1000, w)}


@pytest.fixture(params=list(SIZES))
def any_view(request):
    """The summary of an empty, a small and a 1,000-item workshop."""
    workshop = make_workshop()
    return summary_of(workshop, SIZES[request.param](workshop))


@pytest.fixture
def slack_reference() -> Path:
    """Slack's own payloads and response shapes; only CI and the dev machines have them, beside the checkout."""
    if not SLACK_REFERENCE.is_dir():
        missing("../shared/slack-reference not found (only CI and the dev machines have it)")
    return SLACK_REFERENCE


@pytest.fixture
def executor():
    """The listener executor a test's Bolt app runs on; the stand-in waits for it to be idle."""
    executor = TrackingExecutor()
    yield executor
    executor.shutdown()


@pytest.fixture
def web_api():
    """The stand-in's Web API for a workspace whose channel holds the workshop's people (a test module
    that needs another workspace defines its own `web_api`)."""
    with WebAPI() as web_api:
        for user_id, name in PEOPLE.items():
            web_api.add_user(user_id, name)
        web_api.add_channel(WORKSHOP_CHANNEL, "journey-workshop", list(PEOPLE))
        yield web_api
