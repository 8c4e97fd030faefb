"""How the summary and the journey map grow with a workshop's size.

Each size is a seeded workshop in the database; the stages are timed apart: the view model
(loading the items and building the SummaryView), Block Kit, Markdown, the journey-map pictures
the summary posts (the one for Slack's preview, and the full map when the notes do not fit it)
and the storyboard picture.
Every author's name is stored, so no stage calls Slack.
"""
from __future__ import annotations

import time

from slack_sdk import WebClient

from bench.seed import seed_workshop
from bench.stats import growth_exponent, percentile, summarize, time_ms
from bot.wiring.context import AppContext
from bot.wiring.settings import Settings
from bot.usecases.reporting import workshop_summary
from renderers.markdown import to_markdown
from renderers.pictures import journey_map, storyboard_png
from renderers.slack import summary_message
from storage.db import make_engine, unit_of_work
from storage.models import Workshop
from storage.schema import upgrade

SIZES = (10, 100, 1_000, 10_000)
STAGE_BUDGET_MS = {"view": 600, "blocks": 300, "markdown": 300, "picture": 2_500, "storyboard": 1_000}  # per stage and size
MIN_REPEATS, MAX_REPEATS = 3, 30
UNUSED_SLACK = "http://127.0.0.1:9/"  # names are stored; a call to Slack here would fail loudly


def run(database_url: str, sizes: tuple[int, ...] = SIZES) -> dict:
    engine = make_engine(database_url)
    upgrade(engine)
    ctx = AppContext(engine=engine, settings=Settings(database_url=database_url))
    client = WebClient(base_url=UNUSED_SLACK, token="xoxb-unused")
    start = time.perf_counter()
    try:
        first_picture_ms = _first_picture_ms(engine, ctx, client)
        by_size = {size: _stages(engine, ctx, client, size) for size in sizes}
    finally:
        engine.dispose()
    stages = list(STAGE_BUDGET_MS)
    return {
        "sizes": list(sizes),
        "stages": {stage: {str(size): by_size[size][stage] for size in sizes} for stage in stages},
        "exponents": {stage: round(growth_exponent(sizes, [by_size[size][stage]["p50_ms"] for size in sizes]), 3)
                      for stage in stages},
        "first_picture_ms": round(first_picture_ms, 1),
        "seconds": round(time.perf_counter() - start, 1),
    }


def _first_picture_ms(engine, ctx: AppContext, client: WebClient) -> float:
    """The first journey map of a process pays for importing matplotlib and loading the font."""
    view = workshop_summary(client, ctx, _seeded(engine, 1))
    return time_ms(lambda: journey_map(view))


def _stages(engine, ctx: AppContext, client: WebClient, size: int) -> dict:
    workshop = _seeded(engine, size)
    view = workshop_summary(client, ctx, workshop)
    actions = {"view": lambda: workshop_summary(client, ctx, workshop), "blocks": lambda: summary_message(view),
               "markdown": lambda: to_markdown(view), "picture": lambda: journey_map(view),
               "storyboard": lambda: storyboard_png(view)}
    return {stage: _adaptive(action, STAGE_BUDGET_MS[stage]) for stage, action in actions.items()}


def _seeded(engine, size: int) -> Workshop:
    workshop_id = seed_workshop(engine, team_id="T0GROWTH", channel_id=f"C0SIZE{size}", lead_id="U0LEAD", size=size)
    with unit_of_work(engine) as session:
        return session.get(Workshop, workshop_id)  # stays readable: the unit does not expire on commit


def _adaptive(action, budget_ms: float) -> dict:
    """As many repeats as fit the budget (after one untimed run), at least MIN_REPEATS.

    Besides the wall clock, the CPU time: on a shared machine it shows what the stage itself costs.
    """
    first = time_ms(action)
    times = max(MIN_REPEATS, min(MAX_REPEATS, int(budget_ms / max(first, 0.01))))
    wall, cpu = [], []
    for _ in range(times):
        cpu_start = time.process_time()
        wall.append(time_ms(action))
        cpu.append((time.process_time() - cpu_start) * 1000)
    return summarize(wall).as_dict() | {"cpu_p50_ms": round(percentile(cpu, 0.5), 3)}
