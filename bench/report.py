"""The targets, and the results as a Markdown table."""
from __future__ import annotations

from statistics import median

GROWTH_TOLERANCE = 1.1  # a fitted exponent up to this counts as linear: four sizes, some noise
ACTION_NAMES = {
    "thread_reply": "Answer in the prompt's thread", "answer_button": "Answer button (opens the modal)",
    "modal_submission": "Answer modal submitted", "status": "`/journey status`", "next": "`/journey next`",
    "summary": "`/journey summary`, 1,000 answers (Block Kit, posted)",
}
STAGE_NAMES = {"view": "view model (DB + build)", "blocks": "Block Kit", "markdown": "Markdown",
               "picture": "journey map pictures", "storyboard": "storyboard PNG"}
REQUESTS_INTRO = (
    "In one process, without HTTP: milliseconds, p50 / p99, from `app.dispatch` to the ack (Slack allows 3 s) "
    "and to every listener finished (the TrackingExecutor idle). The floor (bench/floor.py) is journeybot's app "
    "shape minus journeybot: `process_before_response=True`, listeners that ack and a lazy function that does "
    "nothing.")
HTTP_INTRO = (
    "Over HTTP, as Slack calls the bot: each side in its own process behind the server `journeybot serve` runs "
    "(gunicorn, one gthread worker, 8 threads), both on the same stand-in Web API; thread replies sent as signed "
    "`message` events on a new connection each. Rounds interleave the sides; each figure is the median over "
    "rounds. CPU is the server's user + system time per answer once its follow-up work (✅ and prompt count) is done.")
MEMORY_LIMIT_MB, MEMORY_GROWTH_MB, STARTUP_LIMIT_MS = 160, 15, 500
GROWTH_INTRO = ("Milliseconds, p50 wall clock (CPU time in brackets), by number of answers in five phases; "
                "the exponent is the log-log least-squares slope of the wall clock.")
READY_DEFINITION = (
    "Ready = a fresh process has imported the app factory, migrated a fresh SQLite database, built the Bolt app "
    "(one `auth.test`) and acked a first signed `/journey help` through `app.dispatch`. Milliseconds since spawn, "
    "median of runs:")


def targets(results: dict) -> list[dict]:
    actions, growth = results["requests"]["actions"], results["growth"]
    ours, floor = results["http"]["sides"]["journeybot"], results["http"]["sides"]["floor"]
    rows = _http_targets(ours, floor)
    acked = actions["modal_submission"]["journeybot"]["ack"]
    limit = 3 * actions["modal_submission"]["floor"]["ack"]["p99_ms"] + results["requests"]["commit"]["p99_ms"]
    rows.append(_row(f"{ACTION_NAMES['modal_submission']} (in process): stored and acknowledged p99 ≤ "
                     "3 × floor p99 + one commit p99", _p99_and_p50(acked), f"{limit:.1f} ms", acked["p99_ms"] <= limit))
    stages = growth["stages"]
    without_picture = {p: stages["view"]["1000"][p] + stages["blocks"]["1000"][p] for p in ("p50_ms", "p99_ms")}
    rows.append(_row("`/journey summary`, 1,000 answers, without the picture: view model + Block Kit p99",
                     _p99_and_p50(without_picture), "100 ms", without_picture["p99_ms"] < 100))
    summary = actions["summary"]["journeybot"]["done"]
    rows.append(_row("… with the picture: the whole `/journey summary` command (map drawn and uploaded) p99",
                     _p99_and_p50(summary), "1,500 ms", summary["p99_ms"] < 1500))
    for stage, exponent in growth["exponents"].items():
        rows.append(_row(f"Growth of the {STAGE_NAMES[stage]}: fitted exponent", f"{exponent:.2f}",
                         f"≤ {GROWTH_TOLERANCE} (linear)", exponent <= GROWTH_TOLERANCE))
    memory = results["http"]["memory_mb"]
    rows.append(_row(f"Memory: resident after {len(memory)} summaries with pictures, within {MEMORY_GROWTH_MB} MB "
                     f"of the first and under {MEMORY_LIMIT_MB} MB", f"{memory[0]:.0f} → {memory[-1]:.0f} MB",
                     f"≤ {memory[0] + MEMORY_GROWTH_MB:.0f} MB",
                     memory[-1] - memory[0] <= MEMORY_GROWTH_MB and max(memory) < MEMORY_LIMIT_MB))
    for action in ("thread_reply", "modal_submission"):
        calls = actions[action]["web_api_calls"]["max"]
        rows.append(_row(f"Web API calls per answer ({ACTION_NAMES[action].lower()})", str(calls), "≤ 2",
                         calls <= 2))
    return rows


def _http_targets(ours: dict, floor: dict) -> list[dict]:
    cpu_limit = 3 * floor["cpu_ms_per_answer"]
    ack_limit = 3 * floor["ack_p99_ms"] + 2
    rate_limit = floor["answers_per_second"] / 2
    rows = [
        _row("Thread reply over HTTP: CPU per answer ≤ 3 × floor", f"{ours['cpu_ms_per_answer']:.2f} ms",
             f"{cpu_limit:.2f} ms", ours["cpu_ms_per_answer"] <= cpu_limit),
        _row("Thread reply over HTTP: ack p99 ≤ 3 × floor p99 + 2 ms",
             f"{ours['ack_p99_ms']:.1f} ms (p50 {ours['ack_p50_ms']:.1f})", f"{ack_limit:.1f} ms",
             ours["ack_p99_ms"] <= ack_limit),
        _row("Answers per second, 8 concurrent senders ≥ ½ floor", f"{ours['answers_per_second']:.0f}",
             f"{rate_limit:.0f}", ours["answers_per_second"] >= rate_limit),
        _row("8 concurrent senders: no ack ≥ 1 s, no request failed",
             f"slowest {ours['slowest_ack_ms']:.0f} ms, {ours['failed']:.0f} failed", "< 1,000 ms, 0",
             ours["slowest_ack_ms"] < 1000 and not ours["failed"]),
    ]
    if "startup_ms" in ours:  # not measured by `python -m bench --only http`
        startup_limit = max(STARTUP_LIMIT_MS, 2 * floor["startup_ms"])
        rows.append(_row("Start-up to the first 200 ≤ 500 ms or ≤ 2 × floor, median", f"{ours['startup_ms']:.0f} ms",
                         f"{startup_limit:.0f} ms", ours["startup_ms"] <= startup_limit))
    return rows


def http_only(http: dict) -> str:
    """The answers over HTTP beside the floor, and their targets (`python -m bench --only http`)."""
    rows = _http_targets(http["sides"]["journeybot"], http["sides"]["floor"])
    return "\n".join([*_over_http(http), "| Target | Measured | Goal | Result |", "|---|---:|---:|:---:|",
                      *(f"| {t['target']} | {t['measured']} | {t['limit']} | **{t['result']}** |" for t in rows),
                      "", "Journeybot ÷ floor in each round (CPU per answer; answers per second): " + ", ".join(
                          f"{r['cpu']:.2f}×; {r['rate']:.2f}×" for r in _round_ratios(http)), ""])


def _round_ratios(http: dict) -> list[dict]:
    rounds = zip(http["rounds"]["journeybot"], http["rounds"]["floor"])
    return [{"cpu": ours["cpu_ms_per_answer"] / floor["cpu_ms_per_answer"],
             "rate": ours["answers_per_second"] / floor["answers_per_second"]} for ours, floor in rounds]


def _row(target: str, measured: str, limit: str, passed: bool) -> dict:
    return {"target": target, "measured": measured, "limit": limit, "result": "PASS" if passed else "MISS"}


def _p99_and_p50(summary: dict) -> str:
    return f"{summary['p99_ms']:.1f} ms (p50 {summary['p50_ms']:.1f})"


def markdown(results: dict) -> str:
    machine = results["machine"]
    lines = [
        "# journeybot benchmarks", "",
        f"`{results['command']}` · {machine['date']} · commit {machine['commit']} · {results['seconds']:.0f} s",
        (f"Machine: {machine['cpu']}, {machine['cores']} cores · Python {machine['python']} · {machine['os']}"
         f" · load average {machine['load_average_before']} before, {results['load_average_after']} after"), "",
        "## Targets", "", "| Target | Measured | Goal | Result |", "|---|---:|---:|:---:|",
        *(f"| {t['target']} | {t['measured']} | {t['limit']} | **{t['result']}** |" for t in results["targets"]),
        "",
    ]
    lines += _over_http(results["http"])
    lines += _requests(results["requests"])
    lines += _growth(results["growth"])
    lines += _startup(results["startup"])
    lines += ["", "## Iterations", "", ", ".join(f"{k} {v}" for k, v in results["iterations"].items()), ""]
    return "\n".join(lines)


def _over_http(http: dict) -> list[str]:
    sides = http["sides"]
    rows = (("ack p50 / p99, ms", lambda s: f"{s['ack_p50_ms']:.2f} / {s['ack_p99_ms']:.2f}"),
            ("CPU per answer, ms", lambda s: f"{s['cpu_ms_per_answer']:.2f}"),
            ("answers per second, 8 senders", lambda s: f"{s['answers_per_second']:.0f}"),
            ("slowest ack at 8 senders, ms", lambda s: f"{s['slowest_ack_ms']:.0f}"),
            ("failed requests", lambda s: f"{s['failed']:.0f}"),
            ("start-up to the first 200, ms", lambda s: f"{s['startup_ms']:.0f}"))
    lines = ["## Over HTTP", "", HTTP_INTRO, "", "| | journeybot | floor | ratio |", "|---|---:|---:|---:|",
             *(f"| {name} | {show(sides['journeybot'])} | {show(sides['floor'])} | {_ratio(name, sides)} |"
               for name, show in rows if name != "start-up to the first 200, ms" or "startup_ms" in sides["floor"]), ""]
    memory = http["memory_mb"]
    if memory:
        lines += [(f"Memory of journeybot's worker process (VmRSS) after each of {len(memory)} `/journey summary` "
                   f"commands on 1,000 answers (map drawn and uploaded): first {memory[0]} MB, median "
                   f"{median(memory)} MB, highest {max(memory)} MB, last {memory[-1]} MB."), ""]
    return lines


def _ratio(name: str, sides: dict) -> str:
    key = {"CPU per answer, ms": "cpu_ms_per_answer", "answers per second, 8 senders": "answers_per_second",
           "start-up to the first 200, ms": "startup_ms", "ack p50 / p99, ms": "ack_p99_ms"}.get(name)
    return f"{sides['journeybot'][key] / sides['floor'][key]:.1f}×" if key else ""


def _requests(requests: dict) -> list[str]:
    lines = ["## Requests", "", REQUESTS_INTRO, "",
             "| Action | Ack | Floor ack | Handled | Floor handled | Handled ÷ floor | Web API calls |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for action, result in requests["actions"].items():
        ours, floor = result["journeybot"], result["floor"]
        ratio = " / ".join(f"{ours['done'][p] / floor['done'][p]:.1f}×" for p in ("p50_ms", "p99_ms"))
        calls = result["web_api_calls"]
        count = str(calls["max"]) if calls["min"] == calls["max"] else f"{calls['min']}–{calls['max']}"
        lines.append(f"| {ACTION_NAMES[action]} | {_pair(ours['ack'])} | {_pair(floor['ack'])} "
                     f"| {_pair(ours['done'])} | {_pair(floor['done'])} | {ratio} "
                     f"| {count}: {', '.join(calls['methods']) or '—'} |")
    return lines + [
        "",
        (f"Floor commit (bare SQLModel insert + commit, same SQLite settings): {_pair(requests['commit'])} ms. "
         f"The stand-in's own cost, one empty Web API call over loopback (`auth.test`): "
         f"{_pair(requests['web_api_call'])} ms; each handled time includes one such round trip per call listed "
         "(`response_url` included)."),
        "",
    ]


def _growth(growth: dict) -> list[str]:
    lines = ["## Growth", "", GROWTH_INTRO, "",
             "| Answers | " + " | ".join(STAGE_NAMES.values()) + " |", "|---:|" + "---:|" * len(STAGE_NAMES)]
    for size in growth["sizes"]:
        cells = (growth["stages"][stage][str(size)] for stage in STAGE_NAMES)
        lines.append(f"| {size:,} | " + " | ".join(f"{c['p50_ms']:.1f} ({c['cpu_p50_ms']:.1f})" for c in cells) + " |")
    return lines + [
        "| exponent | " + " | ".join(f"{growth['exponents'][s]:.2f}" for s in STAGE_NAMES) + " |", "",
        (f"The first journey map in a process takes {growth['first_picture_ms']:.0f} ms "
         "(importing matplotlib, loading the font)."), "",
    ]


def _startup(startup: dict) -> list[str]:
    runs = startup["runs"]
    phases = ("interpreter", "imported", "migrated", "built", "ready")
    return [
        "## Where start-up goes", "", READY_DEFINITION, "",
        "| " + " | ".join(phases) + " |", "|" + "---:|" * len(phases),
        "| " + " | ".join(f"{median(run[p] for run in runs):.0f}" for p in phases) + " |", "",
        (f"A bare `python -c` takes {median(startup['bare_interpreter_ms']):.0f} ms. `import bot.wiring.app` loads: "
         f"{', '.join(runs[0]['app_factory_imports'])}."),
    ]


def _pair(summary: dict) -> str:
    return f"{summary['p50_ms']:.2f} / {summary['p99_ms']:.2f}"
