"""Socket Mode under a misbehaving network: journeybot's runner against Bolt's two synchronous adapters.

    python -m bench.socket_mode [--quick]     # writes bench/results/socket_mode.md (not with --quick)

Each client runs the real app in its own process, connected to the stand-in Socket Mode server
(bot/standin/socket_mode.py) and Web API on loopback, on a fresh SQLite file. Measured, per client:

- start-up: how many connection URLs (apps.connections.open) it asked for before serving;
- ack: `/journey status` envelopes one after another, seconds from sending to the ack;
- refresh: Slack's `disconnect` (refresh_requested); the first envelope on the new connection, sent
  as soon as it said hello, and whether one sent on the old connection then is still acknowledged;
- drop: the TCP connection ends without a close frame; seconds until a new connection says hello,
  and the CPU the process used from the drop until then, or for CPU_WINDOW seconds if that is longer
  (seconds of CPU per second of wall time: 1.0 is a core kept busy);
- silent: the connection goes dark (no FIN, pings unanswered); seconds until a new one says hello.

A client that has not reconnected after GIVE_UP seconds is reported as "> GIVE_UP s".
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.standin import WebAPI, payloads
from bot.standin.payloads import AppInstall
from bot.standin.socket_mode import NoAck, SocketModeServer

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results"
LEAD, CHANNEL = "U0LEAD", "C0WORKSHOP"
GIVE_UP = 90.0
CPU_WINDOW = 5.0  # CPU is measured from the drop until the reconnection, and at least this long
CLIENTS = {
    "journeybot": None,  # `journeybot run`
    "bolt builtin": "slack_bolt.adapter.socket_mode.builtin",
    "bolt websocket_client": "slack_bolt.adapter.socket_mode.websocket_client",
}


def serve_with_bolt_adapter(module: str) -> None:
    """The child process for Bolt's adapters: journeybot's app, started as Bolt's docs show."""
    import importlib

    from slack_sdk import WebClient

    from bot.wiring.app import create_app
    from bot.wiring.settings import Settings
    from storage.db import make_engine
    from storage.schema import upgrade

    settings = Settings.load()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    handler = importlib.import_module(module).SocketModeHandler
    web_client = WebClient(base_url=settings.slack_api_url)
    handler(create_app(settings, engine), settings.app_token, web_client=web_client).start()


class Client:
    def __init__(self, name: str, web_api: WebAPI, workdir: Path):
        module = CLIENTS[name]
        command = ["-m", "bot.run.cli", "run"] if module is None else ["-m", "bench.socket_mode", "--serve", module]
        env = {**os.environ, "PYTHONPATH": str(ROOT), "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": "unused",
               "SLACK_APP_TOKEN": "xapp-1-bench", "SLACK_API_URL": web_api.base_url,
               "DATABASE_URL": f"sqlite:///{workdir / (name.replace(' ', '-') + '.sqlite3')}"}
        self.process = subprocess.Popen([sys.executable, *command], cwd=workdir, env=env,
                                        stdout=subprocess.DEVNULL, stderr=open(workdir / f"{name}.log", "w"))

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


def status_envelope(web_api: WebAPI) -> dict:
    install = AppInstall(web_api.team_id, web_api.state.domain, web_api.state.app_id, web_api.bot_user_id)
    return payloads.slash_command_form(install, user=web_api.user(LEAD), channel_id=CHANNEL,
                                       channel_name="journey-workshop", command="/journey", text="status",
                                       response_url=web_api.response_url(CHANNEL, LEAD),
                                       trigger_id=web_api.issue_trigger(LEAD))


def ack_seconds(slack: SocketModeServer, web_api: WebAPI, link=None) -> float | None:
    try:
        return slack.deliver("slash_commands", status_envelope(web_api), link=link, timeout=GIVE_UP).seconds
    except (NoAck, OSError):
        return None


def next_hello(slack: SocketModeServer, after) -> float | None:
    """Seconds until a connection newer than `after` says hello, or None after GIVE_UP."""
    started = time.monotonic()
    try:
        slack.wait_for_links(1, timeout=GIVE_UP, newer_than=after)
    except AssertionError:
        return None
    return time.monotonic() - started


def measure(name: str, workdir: Path, acks: int, refreshes: int) -> dict:
    with WebAPI() as web_api, SocketModeServer(web_api, ack_timeout=GIVE_UP) as slack:
        web_api.add_user(LEAD, "lena")
        web_api.add_channel(CHANNEL, "journey-workshop", [LEAD])
        client = Client(name, web_api, workdir)
        try:
            slack.wait_for_links(1, timeout=60)
            time.sleep(1.5)  # let a client that opens extra connections at start-up settle
            result = {"urls_at_start": len(web_api.calls_of("apps.connections.open"))}
            result["ack"] = [ack_seconds(slack, web_api) for _ in range(acks)]
            result["refresh_new"], result["refresh_old_acked"] = [], []
            for _ in range(refreshes):
                old = slack.open_links()[-1]
                slack.refresh(old)
                new = slack.wait_for_links(1, timeout=30, newer_than=old)[-1]
                result["refresh_new"].append(ack_seconds(slack, web_api, new))
                result["refresh_old_acked"].append(old.is_open and ack_seconds(slack, web_api, old) is not None)
                time.sleep(1)
            link = slack.open_links()[-1]
            cpu, wall = client.cpu_seconds(), time.monotonic()
            slack.drop(link)
            result["drop"] = next_hello(slack, link)
            time.sleep(max(0.0, wall + CPU_WINDOW - time.monotonic()))
            result["drop_cpu"] = (client.cpu_seconds() - cpu) / (time.monotonic() - wall)
            link = slack.wait_for_links(1, timeout=5)[-1]
            slack.silence(link)
            result["silent"] = next_hello(slack, link)
        finally:
            client.stop()
    return result


def markdown(results: dict) -> str:
    def seconds(value: float | None) -> str:
        return f"> {GIVE_UP:g} s" if value is None else f"{value:.2f} s"

    def spread(values: list) -> str:
        known = [v for v in values if v is not None]
        if not known:
            return "never"
        text = f"median {statistics.median(known) * 1000:.0f} ms, max {max(known) * 1000:.0f} ms"
        return text + (f", {len(values) - len(known)} never" if len(known) < len(values) else "")

    rows = ["| | " + " | ".join(results) + " |", "|---" * (len(results) + 1) + "|"]
    lines = {
        "connection URLs at start-up": lambda r: str(r["urls_at_start"]),
        "ack of `/journey status`": lambda r: spread(r["ack"]),
        "refresh: first envelope on the new connection": lambda r: spread(r["refresh_new"]),
        "refresh: envelope on the old connection acked":
            lambda r: f"{sum(r['refresh_old_acked'])} of {len(r['refresh_old_acked'])}",
        "drop (TCP close): new connection after": lambda r: seconds(r["drop"]),
        "drop: CPU from the drop (s per s, ≥ 5 s)": lambda r: f"{r['drop_cpu']:.2f}",
        "silent (no FIN, no pongs): new connection after": lambda r: seconds(r["silent"]),
    }
    rows += [f"| {label} | " + " | ".join(cell(r) for r in results.values()) + " |" for label, cell in lines.items()]
    return "\n".join(rows) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.socket_mode", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="few iterations; results not saved")
    parser.add_argument("--serve", help=argparse.SUPPRESS)  # the child process for one of Bolt's adapters
    parser.add_argument("--only", choices=list(CLIENTS), help="measure one client")
    options = parser.parse_args()
    if options.serve:
        return serve_with_bolt_adapter(options.serve)
    acks, refreshes = (5, 2) if options.quick else (30, 5)
    results = {}
    with tempfile.TemporaryDirectory(prefix="journeybot-socket-bench-") as workdir:
        for name in [options.only] if options.only else CLIENTS:
            print(f"{name} …", flush=True)
            results[name] = measure(name, Path(workdir), acks, refreshes)
    table = markdown(results)
    print(table)
    if not options.quick and not options.only:
        machine = f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, {time.strftime('%Y-%m-%d')}"
        (RESULTS / "socket_mode.md").write_text(f"`python -m bench.socket_mode` ({machine})\n\n{table}")


if __name__ == "__main__":
    main()
