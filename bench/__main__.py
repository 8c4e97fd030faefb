"""python -m bench [--quick] [--only http]: every benchmark in one run; writes bench/results/latest.{json,md}.

--only http compares the answers over HTTP with the floor (CPU, acks, 8 concurrent senders), without the
start-ups and the summaries' memory, and prints the table and its targets without saving them."""
from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
import time
from pathlib import Path

from bench import growth, latency, machine, over_http, report, startup
from bot.standin import WebAPI

RESULTS = Path(__file__).parent / "results"
QUICK = latency.Iterations(replies=20, modals=10, status=10, next=14, summary=5, web_api=20, commit=20, warmup=2)
HTTP = {False: over_http.Plan(), True: over_http.QUICK}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few iterations, to try the bench; results not saved")
    parser.add_argument("--only", choices=["http"], help="only the answers over HTTP beside the floor; not saved")
    options = parser.parse_args()
    if options.only == "http":
        print(report.http_only(over_http.run(over_http.answers_only(HTTP[options.quick]))))
        return
    iterations = QUICK if options.quick else latency.Iterations()
    startup_runs = 2 if options.quick else 5
    print("iterations:", dataclasses.asdict(iterations), f"start-up runs {startup_runs}", flush=True)
    results = {"command": "python -m bench" + (" --quick" if options.quick else ""), "machine": machine.describe()}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="journeybot-bench-") as workdir:
        work = Path(workdir)
        print("requests: journeybot and the floor …", flush=True)
        results["requests"] = latency.run(f"sqlite:///{work / 'requests.sqlite3'}", iterations)
        print("growth: 10 to 10,000 answers …", flush=True)
        results["growth"] = growth.run(f"sqlite:///{work / 'growth.sqlite3'}")
        print("start-up, in fresh processes …", flush=True)
        with WebAPI() as web_api:
            results["startup"] = startup.measure_ready(web_api, work, startup_runs)
        print("over HTTP: answers, 8 senders, start-up and 100 summaries, beside the floor …", flush=True)
        results["http"] = over_http.run(HTTP[options.quick])
    results |= {"seconds": round(time.perf_counter() - started, 1), "load_average_after": machine.load_average(),
                "iterations": {**dataclasses.asdict(iterations), "startup_runs": startup_runs}}
    results["targets"] = report.targets(results)
    table = report.markdown(results)
    print(table)
    if not options.quick:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "latest.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        (RESULTS / "latest.md").write_text(table)
        print(f"written: {RESULTS / 'latest.json'}, {RESULTS / 'latest.md'}")


if __name__ == "__main__":
    main()
