"""journeybot and the floor, side by side on the same signed payloads in one process.

The floor (bench/floor.py) is journeybot's app shape minus journeybot, on the same executor, driven by a
People on the same WebAPI. Each action is timed from the
moment the request reaches `app.dispatch` to the ack (what Slack waits 3 s for) and to the moment
the TrackingExecutor is idle (every listener finished, Web API calls included).
"""
from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from slack_bolt import App, BoltRequest, BoltResponse
from sqlmodel import Field, Session, SQLModel

from bench.floor import floor_app
from bench.seed import PHASES, seed_workshop
from bench.stats import repeat_ms, summarize
from bot.standin.session import Standin, open_standin
from bot.standin import People, TrackingExecutor
from flows.catalog import load_catalog
from flows.engine import build_plan

LEAD, ANA, BRAM, CHLOE = "U0LEAD", "U0ANA", "U0BRAM", "U0CHLOE"
PEOPLE = {LEAD: "Lena Lead", ANA: "Ana", BRAM: "Bram", CHLOE: "Chloé"}
NEXT_CHANNEL, SUMMARY_CHANNEL = "C0NEXT", "C0SUMMARY"
SUMMARY_SIZE = 1_000
COUNTED_SAMPLES = 10  # Web API calls are counted on the first few samples: they do not vary


@dataclass(frozen=True)
class Iterations:
    replies: int = 200
    modals: int = 100
    status: int = 100
    next: int = 56  # four workshops of fifteen steps
    summary: int = 30
    web_api: int = 200
    commit: int = 200
    warmup: int = 5


class TimedApp:
    """What People needs of an app (dispatch, logger), noting when each dispatch started and acked."""

    def __init__(self, app: App):
        self.app = app
        self.logger = app.logger
        self.last: tuple[float, float] = (0.0, 0.0)

    def dispatch(self, request: BoltRequest) -> BoltResponse:
        start = time.perf_counter()
        response = self.app.dispatch(request)
        self.last = (start, time.perf_counter())
        return response


@dataclass
class Side:
    """One app as the people in the channel use it."""

    timed: TimedApp
    slack: Standin
    ack_ms: list[float] = field(default_factory=list)
    done_ms: list[float] = field(default_factory=list)

    def measure(self, action: Callable[[], object]) -> None:
        """Runs a People verb (which returns once the listeners are idle) and keeps both times."""
        action()
        done = time.perf_counter()
        start, ack = self.timed.last
        self.ack_ms.append((ack - start) * 1000)
        self.done_ms.append((done - start) * 1000)

    def results(self, warmup: int) -> dict:
        return {"ack": summarize(self.ack_ms[warmup:]).as_dict(), "done": summarize(self.done_ms[warmup:]).as_dict()}


class FloorRow(SQLModel, table=True):
    """The floor's commit: one row, nothing else, in journeybot's database."""

    __tablename__ = "bench_floor_row"
    id: int | None = Field(default=None, primary_key=True)
    text: str


def run(database_url: str, iterations: Iterations) -> dict:
    with open_standin(database_url=database_url, people=PEOPLE) as slack:
        for channel in (NEXT_CHANNEL, SUMMARY_CHANNEL):
            slack.web_api.add_channel(channel, channel.lower(), list(PEOPLE))
        floor_executor = TrackingExecutor()
        try:
            floor = floor_app(slack.web_api.base_url, slack.settings.signing_secret, floor_executor)
            return Scenarios(slack, floor, floor_executor, iterations).run_all()
        finally:
            floor_executor.shutdown()


class Scenarios:
    def __init__(self, slack: Standin, floor_app: App, floor_executor: TrackingExecutor, iterations: Iterations):
        self.slack = slack
        self.iterations = iterations
        self.journeybot = _side(slack, slack.app, slack.people.executor)
        self.floor = _side(slack, floor_app, floor_executor)

    def run_all(self) -> dict:
        it = self.iterations
        lead = self.journeybot.slack
        lead.command(LEAD, "start Ordering online")
        lead.command(LEAD, "next")  # past the phases step: the customer default phases stay
        lead.command(LEAD, "next")
        prompt_ts = lead.open_prompt()["ts"]
        actions = {
            "thread_reply": self._compare(it.replies, lambda slack, n, _: slack.people.say(
                ANSWERING[n % 3], f"does: compares web shop number {n}", thread_ts=prompt_ts)),
            "answer_button": self._compare(it.modals, lambda slack, n, _: slack.people.click(
                ANSWERING[n % 3], message_ts=prompt_ts, action_id="answer")),
            "modal_submission": self._compare(
                it.modals, lambda slack, n, view_id: slack.people.submit(
                    ANSWERING[n % 3], view_id, {"lane": "thinks", "text": f"which shop is cheapest? ({n})"}),
                prepare=lambda n: self._open_answer_modal(ANSWERING[n % 3], prompt_ts)),
            "status": self._compare(it.status, lambda slack, n, _: slack.people.slash(LEAD, "status")),
            "next": self._next_steps(it.next),
            "summary": self._summary(it.summary),
        }
        return {"actions": actions, "web_api_call": self._web_api_call(it.web_api),
                "commit": summarize(self._commits(it.commit)).as_dict()}

    def _compare(self, times: int, act: Callable[[Standin, int, object], object], *,
                 prepare: Callable[[int], object] | None = None) -> dict:
        """Runs the n-th action on the floor, then on journeybot, `times` times after a warm-up.

        `prepare(n)`, untimed and through journeybot, sets the scene (e.g. opens a modal) for each side.
        Web API calls are counted around journeybot's action.
        """
        sides = (self.floor, self.journeybot)
        for side in sides:
            side.ack_ms.clear(), side.done_ms.clear()
        calls: list[list[str]] = []
        for n in range(self.iterations.warmup + times):
            for side in sides:
                scene = prepare(n) if prepare else None
                counted = side is self.journeybot and n < COUNTED_SAMPLES
                before = len(self.slack.web_api.calls) if counted else 0
                side.measure(lambda side=side, n=n, scene=scene: act(side.slack, n, scene))
                if counted:
                    calls.append([call["method"] for call in self.slack.web_api.calls[before:]])
        warmup = self.iterations.warmup
        return {"floor": self.floor.results(warmup), "journeybot": self.journeybot.results(warmup),
                "samples": times, "web_api_calls": _call_counts(calls)}

    def _open_answer_modal(self, user: str, prompt_ts: str) -> str:
        self.journeybot.slack.people.click(user, message_ts=prompt_ts, action_id="answer")
        return self.slack.web_api.open_views(user)[-1]["id"]

    def _next_steps(self, times: int) -> dict:
        """`/journey next` through whole workshops in their own channel: started, moved to the end, closed."""
        steps = len(build_plan(template="full", phases=PHASES, catalog=load_catalog())) - 1
        lead = self.journeybot.slack.people
        state = {"left": 0}

        def prepare(n: int) -> None:
            if state["left"] == 0:
                lead.slash(LEAD, "close", channel=NEXT_CHANNEL)
                lead.slash(LEAD, f"start Workshop {n}", channel=NEXT_CHANNEL)
                state["left"] = steps * 2  # prepared once per side
            state["left"] -= 1

        return self._compare(times, lambda slack, n, _: slack.people.slash(LEAD, "next", channel=NEXT_CHANNEL),
                             prepare=prepare)

    def _summary(self, times: int) -> dict:
        """`/journey summary` by the lead on a workshop of SUMMARY_SIZE answers: posted to the channel."""
        seed_workshop(self.slack.engine, team_id=self.slack.web_api.team_id, channel_id=SUMMARY_CHANNEL,
                      lead_id=LEAD, size=SUMMARY_SIZE)
        return self._compare(times, lambda slack, n, _: slack.people.slash(LEAD, "summary", channel=SUMMARY_CHANNEL))

    def _web_api_call(self, times: int) -> dict:
        """One empty call to the stand-in over loopback with journeybot's client: the stand-in's own cost."""
        client = self.slack.app.client
        return summarize(repeat_ms(client.auth_test, times=times, warmup=self.iterations.warmup)).as_dict()

    def _commits(self, times: int) -> list[float]:
        FloorRow.__table__.create(self.slack.engine, checkfirst=True)

        def commit() -> None:
            with Session(self.slack.engine) as session:
                session.add(FloorRow(text="one answer, nothing else"))
                session.commit()

        return repeat_ms(commit, times=times, warmup=self.iterations.warmup)


ANSWERING = (ANA, BRAM, CHLOE)


def _side(slack: Standin, app: App, executor: TrackingExecutor) -> Side:
    timed = TimedApp(app)
    people = People(slack.web_api, timed, signing_secret=slack.settings.signing_secret, channel=slack.channel,
                            listener_executor=executor)
    return Side(timed, dataclasses.replace(slack, people=people))


def _call_counts(calls: list[list[str]]) -> dict:
    counts = [len(methods) for methods in calls]
    return {"min": min(counts), "max": max(counts), "methods": sorted({m for methods in calls for m in methods})}
