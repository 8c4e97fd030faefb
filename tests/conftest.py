import pytest

from tests.factories import make_workshop, many_items, sample_items, summary_of
from tests.databases import database_url, engine  # noqa: F401  (fixtures any test may ask for)
from tests.postgres import postgres_server, postgres_url  # noqa: F401

SIZES = {"empty": lambda w: [], "small": sample_items, "1000 items": lambda w: many_items(1000, w)}


@pytest.fixture(params=list(SIZES))
def any_view(request):
    """The summary of an empty, a small and a 1,000-item workshop."""
    workshop = make_workshop()
    return summary_of(workshop, SIZES[request.param](workshop))
