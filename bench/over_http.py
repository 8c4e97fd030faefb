"""journeybot beside the floor over HTTP, as Slack calls them (`python -m bench.over_http [--quick]`).

Each side runs in its own process behind the server `journeybot serve` runs (bench/http_side.py), both
on the same stand-in Web API. Thread replies to an open prompt are sent as signed `message` events, a new
connection each, as Slack sends them. Rounds interleave the two sides; each figure is the median over rounds:

- ack p50 / p99: one sender, from the request's first byte to the response;
- CPU per answer: the server process's user + system time over a round, divided by its answers, read
  from /proc once the side has finished its follow-up work (journeybot's ✅ and prompt count);
- answers per second with 8 concurrent senders, the slowest ack, and connections refused or dropped;
- start-up: from spawning the process to the first 200;
- memory: the resident memory of journeybot's worker process (gunicorn's master only supervises it) after
  each of 100 `/journey summary` commands (map drawn and uploaded) on a workshop of 1,000 answers.
"""
from __future__ import annotations

import argparse
import dataclasses
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from bench.seed import seed_workshop
from bench.stats import percentile
from bot.standin import WebAPI
from bot.standin import payloads

ROOT = Path(__file__).resolve().parents[1]
LEAD, ANSWERING = "U0LEAD", ("U0ANA", "U0BRAM", "U0CHLOE")
CHANNEL = "C0WORKSHOP"
SIDES = ("floor", "journeybot")
CONCURRENT_SENDERS = 8
SUMMARY_CHANNEL, SUMMARY_SIZE = "C0SUMMARY", 1_000


@dataclass(frozen=True)
class Plan:
    rounds: int = 5
    sequential: int = 200  # answers per side per round, one at a time
    concurrent: int = 400  # answers per side per round, CONCURRENT_SENDERS at a time
    startups: int = 5
    summaries: int = 100


QUICK = Plan(rounds=2, sequential=40, concurrent=80, startups=2, summaries=5)


def answers_only(plan: Plan) -> Plan:
    """The answers alone (CPU, acks, 8 senders): no start-ups, no summaries."""
    return dataclasses.replace(plan, startups=0, summaries=0)


@dataclass
class Side:
    name: str
    port: int
    process: subprocess.Popen
    started_ms: float
    rounds: list[dict] = field(default_factory=list)


class Sender:
    """Signs and posts Slack's requests to a side, one new connection per request."""

    def __init__(self, web_api: WebAPI, signing_secret: str):
        self.web_api = web_api
        self.verifier = SignatureVerifier(signing_secret)
        self.install = payloads.AppInstall(web_api.team_id, web_api.state.domain, web_api.state.app_id,
                                           web_api.bot_user_id)

    def post(self, port: int, body: str, content_type: str) -> tuple[int, float]:
        """(HTTP status, milliseconds to the response); status 0 when the connection failed."""
        timestamp = str(int(time.time()))
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp,
                   "X-Slack-Signature": self.verifier.generate_signature(timestamp=timestamp, body=body)}
        start = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("POST", "/slack/events", body=body.encode(), headers=headers)
            status = connection.getresponse().status
        except OSError:
            status = 0
        finally:
            connection.close()
        return status, (time.perf_counter() - start) * 1000

    def command(self, port: int, user: str, text: str, channel: str = CHANNEL) -> int:
        form = payloads.slash_command_form(
            self.install, user=self.web_api.user(user), channel_id=channel, channel_name=channel.lower(),
            command="/journey", text=text, response_url=self.web_api.response_url(channel, user),
            trigger_id=self.web_api.issue_trigger(user))
        return self.post(port, urlencode(form), "application/x-www-form-urlencoded")[0]

    def answer(self, port: int, prompt_ts: str, number: int) -> tuple[int, float]:
        """A thread reply to the prompt, as its `message` event (a fresh ts, so each is a new answer)."""
        user = ANSWERING[number % len(ANSWERING)]
        message = self.web_api.post_as_user(user, CHANNEL, payloads.user_message(f"does: compares web shop {number}"),
                                            thread_ts=prompt_ts)
        ts = message["ts"]
        event = payloads.message_event(message, channel_id=CHANNEL, channel_type="channel")
        body = payloads.event_callback(self.install, event, event_id=f"Ev{ts.replace('.', '')}",
                                       event_time=int(time.time()))
        return self.post(port, json.dumps(body), "application/json")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of one process."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system time of a process and its children (gunicorn's worker is the master's child)."""
    total = 0.0
    for child in [pid, *_children(pid)]:
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in map(int, children):
            found += [child, *_children(child)]
    return found


def start_side(name: str, sender: Sender, api_url: str, signing_secret: str, database_url: str) -> Side:
    port = free_port()
    spawn = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "bench.http_side", name, str(port), api_url, signing_secret,
                                database_url], cwd=ROOT, stdout=subprocess.DEVNULL)
    while sender.command(port, LEAD, "help") != 200:
        if process.poll() is not None:
            raise SystemExit(f"the {name} side exited with {process.returncode}")
        time.sleep(0.005)
    return Side(name, port, process, (time.perf_counter() - spawn) * 1000)


def wait_quiet(web_api: WebAPI, settle: float = 0.3) -> None:
    """Until the side's follow-up work is done: no Web API call for `settle` seconds."""
    seen = -1
    while web_api.call_count != seen:
        seen = web_api.call_count
        time.sleep(settle)


def one_round(side: Side, sender: Sender, prompt_ts: str, plan: Plan, first: int) -> dict:
    web_api = sender.web_api
    wait_quiet(web_api)
    cpu_before = cpu_seconds(side.process.pid)
    acks = [sender.answer(side.port, prompt_ts, first + n) for n in range(plan.sequential)]
    wait_quiet(web_api)
    cpu = cpu_seconds(side.process.pid) - cpu_before
    start = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENT_SENDERS) as pool:
        loaded = list(pool.map(lambda n: sender.answer(side.port, prompt_ts, first + plan.sequential + n),
                               range(plan.concurrent)))
    seconds = time.perf_counter() - start
    sequential_ms = [ms for status, ms in acks if status == 200]
    return {"ack_p50_ms": percentile(sequential_ms, 0.5), "ack_p99_ms": percentile(sequential_ms, 0.99),
            "cpu_ms_per_answer": cpu * 1000 / plan.sequential,
            "answers_per_second": plan.concurrent / seconds,
            "slowest_ack_ms": max(ms for _, ms in loaded),
            "failed": sum(status != 200 for status, _ in acks + loaded)}


def run(plan: Plan) -> dict:
    signing_secret = secrets.token_hex(16)
    with tempfile.TemporaryDirectory(prefix="journeybot-http-bench-") as workdir, WebAPI() as web_api:
        for user in (LEAD, *ANSWERING):
            web_api.add_user(user, user[2:].lower())
        web_api.add_channel(CHANNEL, "journey-workshop", [LEAD, *ANSWERING])
        web_api.add_channel(SUMMARY_CHANNEL, "journey-summary", [LEAD])
        sender = Sender(web_api, signing_secret)
        database_url = f"sqlite:///{Path(workdir) / 'bench.sqlite3'}"
        startups = {name: [] for name in SIDES}
        for _ in range(plan.startups):
            for name in SIDES:
                side = start_side(name, sender, web_api.base_url, signing_secret, database_url)
                startups[name].append(side.started_ms)
                stop(side)
        sides = [start_side(name, sender, web_api.base_url, signing_secret, database_url) for name in SIDES]
        try:
            prompt_ts = open_prompt(sender, sides[1])
            total = plan.sequential + plan.concurrent
            for number in range(plan.rounds):
                for side in sides:
                    side.rounds.append(one_round(side, sender, prompt_ts, plan, (number * 2 + SIDES.index(side.name)) * total))
            memory = summaries_memory(sender, sides[1], database_url, plan.summaries) if plan.summaries else []
        finally:
            for side in sides:
                stop(side)
    return {"plan": dataclasses.asdict(plan), "senders": CONCURRENT_SENDERS, "memory_mb": memory,
            "rounds": {side.name: side.rounds for side in sides},
            "sides": {side.name: {**medians(side.rounds),
                                  **({"startup_ms": statistics.median(startups[side.name])} if plan.startups else {})}
                      for side in sides}}


def summaries_memory(sender: Sender, journeybot: Side, database_url: str, times: int) -> list[float]:
    """journeybot's resident memory after each `/journey summary` of a 1,000-answer workshop."""
    from storage.db import make_engine
    seed_workshop(make_engine(database_url), team_id=sender.web_api.team_id, channel_id=SUMMARY_CHANNEL,
                  lead_id=LEAD, size=SUMMARY_SIZE)
    after = []
    for _ in range(times):
        answered = len(sender.web_api.calls_of("response_url"))
        assert sender.command(journeybot.port, LEAD, "summary", SUMMARY_CHANNEL) == 200
        while len(sender.web_api.calls_of("response_url")) == answered:  # the lead hears "posted" last
            time.sleep(0.05)
        after.append(rss_mb(_children(journeybot.process.pid)[0]))  # gunicorn's worker: the bot itself
    return after


def open_prompt(sender: Sender, journeybot: Side) -> str:
    """Starts a workshop through journeybot and moves to the first phase step; its prompt takes the answers."""
    for text in ("start Ordering online", "next", "next"):
        assert sender.command(journeybot.port, LEAD, text) == 200
        wait_quiet(sender.web_api, settle=0.2)
    prompts = [m for m in sender.web_api.messages(CHANNEL) if m.get("blocks")]
    return prompts[-1]["ts"]


def medians(rounds: list[dict]) -> dict:
    return {key: round(statistics.median(r[key] for r in rounds), 2) for key in rounds[0]}


def stop(side: Side) -> None:
    side.process.terminate()
    side.process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.over_http", description=__doc__)
    parser.add_argument("--quick", action="store_true")
    results = run(QUICK if parser.parse_args().quick else Plan())
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
