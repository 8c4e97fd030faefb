import pytest

from tests.factories import make_workshop, many_items, sample_items, summary_of

SIZES = {"empty": lambda w: [], "small": sample_items, "1000 items": lambda w: many_items(1000, w)}


@pytest.fixture(params=list(SIZES))
def any_view(request):
    """The summary of an empty, a small and a 1,000-item workshop."""
    workshop = make_workshop()
    return summary_of(workshop, SIZES[request.param](workshop))
