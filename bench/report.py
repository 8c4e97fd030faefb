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
MEMORY_GROWTH_MB = 2  # resident memory may grow this much from the 3rd to the last of several summaries
# (the first two fill the caches: fonts, glyphs, prepared statements)
REQUESTS_INTRO = (
    "Milliseconds, p50 / p99, from `app.dispatch` to the ack (Slack allows 3 s) and to every listener finished "
    "(the TrackingExecutor idle). The floor is a bare Bolt app whose listeners only ack the same signed payloads. "
    "Bolt acks events before any listener runs; for commands and interactions it polls for the ack every 10 ms, "
    "which is the ~10 ms in both columns.")
GROWTH_INTRO = ("Milliseconds, p50 wall clock (CPU time in brackets), by number of answers in five phases; "
                "the exponent is the log-log least-squares slope of the wall clock.")
READY_DEFINITION = (
    "Ready = a fresh process has imported the app factory, migrated a fresh SQLite database, built the Bolt app "
    "(one `auth.test`) and acked a first signed `/journey help` through `app.dispatch`. Milliseconds since spawn, "
    "median of runs:")


def targets(results: dict) -> list[dict]:
    actions, growth = results["requests"]["actions"], results["growth"]
    commit = results["requests"]["commit"]
    rows = []
    for action in ("thread_reply", "modal_submission"):
        # An answer is stored before the ack (so an acknowledged answer is never lost); what follows
        # the ack is the quiet confirmation in Slack, shown in the requests table as "handled".
        acked = actions[action]["journeybot"]["ack"]
        limit = 3 * actions[action]["floor"]["ack"]["p99_ms"] + commit["p99_ms"]
        rows.append(_row(f"{ACTION_NAMES[action]}: stored and acknowledged p99 ≤ 3 × floor p99 + one commit p99",
                         _p99_and_p50(acked), f"{limit:.1f} ms", acked["p99_ms"] <= limit))
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
    summaries = results["memory"]["summaries_mb"]
    growth_mb = summaries[-1] - summaries[2]
    rows.append(_row(f"Memory from the 3rd to the {len(summaries)}th `/journey summary` of 1,000 answers",
                     f"{growth_mb:+.1f} MB", f"≤ {MEMORY_GROWTH_MB} MB", growth_mb <= MEMORY_GROWTH_MB))
    ready = median(run["ready"] for run in results["startup"]["runs"])
    rows.append(_row("Start-up: process start to ready, median", f"{ready:.0f} ms", "1,000 ms", ready < 1000))
    for action in ("thread_reply", "modal_submission"):
        calls = actions[action]["web_api_calls"]["max"]
        rows.append(_row(f"Web API calls per answer ({ACTION_NAMES[action].lower()})", str(calls), "≤ 2",
                         calls <= 2))
    return rows


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
    lines += _requests(results["requests"])
    lines += _growth(results["growth"])
    lines += _startup(results["startup"], results["memory"])
    lines += ["", "## Iterations", "", ", ".join(f"{k} {v}" for k, v in results["iterations"].items()), ""]
    return "\n".join(lines)


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


def _startup(startup: dict, memory: dict) -> list[str]:
    runs = startup["runs"]
    phases = ("interpreter", "imported", "migrated", "built", "ready")
    return [
        "## Start-up and memory", "", READY_DEFINITION, "",
        "| " + " | ".join(phases) + " |", "|" + "---:|" * len(phases),
        "| " + " | ".join(f"{median(run[p] for run in runs):.0f}" for p in phases) + " |", "",
        (f"A bare `python -c` takes {median(startup['bare_interpreter_ms']):.0f} ms. `import bot.wiring.app` loads: "
         f"{', '.join(runs[0]['app_factory_imports'])}."), "",
        (f"Resident memory (VmRSS), one process with the app and the stand-in: {memory['built_mb']} MB built; "
         f"{memory['after_summary_mb']} MB after `/journey summary` and `status` on 1,000 answers; "
         f"{memory['after_picture_mb']} MB after drawing its journey map (peak {memory['peak_mb']} MB); after each "
         f"of {len(memory['summaries_mb'])} summaries in a row: "
         f"{', '.join(str(mb) for mb in memory['summaries_mb'])} MB."),
    ]


def _pair(summary: dict) -> str:
    return f"{summary['p50_ms']:.2f} / {summary['p99_ms']:.2f}"
