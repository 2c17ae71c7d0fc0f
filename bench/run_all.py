"""Run every benchmark in sequence and print all results (`make bench`).

    .venv/bin/python bench/run_all.py [--only NAME ...] [--json]

Each benchmark runs in its own process (python bench/NAME.py --json); progress goes to stderr.
Exits non-zero only when a benchmark crashed, never on a missed target (see PASS/MISS).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from bench.harness import ROOT, Report, load_average

BENCHMARKS = ("search_latency", "tracker_store", "startup_memory", "rest_latency", "load",
              "train_time")
TIMEOUT_S = 1800  # per benchmark; each one bounds itself well below this


def run(name: str) -> dict:
    print(f"[run_all] {name} (load average {load_average()})", file=sys.stderr, flush=True)
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, str(ROOT / "bench" / f"{name}.py"), "--json"],
                              cwd=ROOT, stdout=subprocess.PIPE, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {"benchmark": name, "crashed": f"timed out after {TIMEOUT_S} s"}
    try:
        result = json.loads(done.stdout.decode())
    except ValueError:
        result = {"benchmark": name}
    if done.returncode != 0:
        result["crashed"] = f"exit code {done.returncode}"
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def text(result: dict) -> str:
    if "figures" not in result:
        return f"== {result['benchmark']} ==\n  CRASHED: {result.get('crashed')}"
    report = Report(result["benchmark"], result["figures"], result["targets"], result["notes"])
    lines = report.text()
    if result.get("crashed"):
        lines += f"\n  CRASHED: {result['crashed']}"
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    for name in args.only or BENCHMARKS:
        results.append(run(name))
        if not args.json:
            print(text(results[-1]), flush=True)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        misses = [f"{r['benchmark']}: {t['target']}" for r in results
                  for t in r.get("targets", []) if t["status"] == "MISS"]
        print(f"== summary: {len(results)} benchmarks, "
              f"{sum(1 for r in results if r.get('crashed') or 'figures' not in r)} crashed, "
              f"{len(misses)} targets missed ==")
    return 1 if any(r.get("crashed") or "figures" not in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
