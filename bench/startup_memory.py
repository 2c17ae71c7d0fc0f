"""Start-up time and memory of the real bot: the action server and Rasa (BotStack, temp SQLite
tracker store) are started together, as `make run` does; the clock stops at the first correct
answer over REST. Then ~50 warm-up messages, then the resident memory of both.

    .venv/bin/python bench/startup_memory.py [--warmup 50] [--json]

Memory is VmRSS from /proc/PID/status, each process summed with its descendants;
MB = 10^6 bytes. Targets: first correct answer <= 30 s, RSS of Rasa + actions <= 1,600 MB.
"""
from __future__ import annotations

import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench.harness import (
    Report,
    cli,
    emit,
    log,
    require_model,
    rss_bytes,
    terminate_children,
    warm_up,
)
from ops.local_stack import BotStack

STARTUP_TARGET_S = 30.0
RSS_TARGET_MB = 1600.0
ANSWER_DEADLINE_S = 240
QUESTION = "社保卡补办"
EXPECTED = "社会保障卡补领、换领、换发"  # the item's name, as tests/e2e checks it


def start_both(stack: BotStack, model: Path, started: float) -> dict:
    """Start both servers in parallel threads; seconds from `started` until each is ready."""
    ready, failures = {}, []

    def run(name, start):
        try:
            start()
            ready[name] = time.perf_counter() - started
        except Exception as error:  # reported after both threads end
            failures.append(f"{name}: {error}")

    threads = [threading.Thread(target=run, args=("actions", stack.start_actions)),
               threading.Thread(target=run, args=("rasa", lambda: stack.start_rasa(model)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError("; ".join(failures))
    return ready


def first_answer(stack: BotStack, started: float) -> tuple:
    """(seconds since start, tries) at the first reply that contains the expected answer."""
    tries = 0
    while time.perf_counter() - started < ANSWER_DEADLINE_S:
        tries += 1
        try:
            reply = stack.ask(f"startup-{uuid.uuid4().hex[:8]}", QUESTION)
        except (AssertionError, OSError):
            reply = ""
        if EXPECTED in reply:
            return time.perf_counter() - started, tries
        time.sleep(0.2)
    raise RuntimeError(f"no correct answer to {QUESTION} within {ANSWER_DEADLINE_S} s")


def main() -> int:
    parser = cli(__doc__.splitlines()[0])
    parser.add_argument("--warmup", type=int, default=50, help="messages before measuring RSS")
    args = parser.parse_args()
    model = require_model()
    report = Report("startup_memory (action server + one Rasa, started together)")
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        stack = BotStack(Path(tmp))
        try:
            log("starting actions + Rasa")
            started = time.perf_counter()
            ready = start_both(stack, model, started)
            answer_s, tries = first_answer(stack, started)
            log(f"first correct answer after {answer_s:.1f} s; warm-up")
            rss_start = {"rasa": rss_bytes(stack.rasa[0].pid),
                         "actions": rss_bytes(stack.actions.pid)}
            warm = warm_up(stack.url(), args.warmup)
            time.sleep(1)
            rss = {"rasa": rss_bytes(stack.rasa[0].pid), "actions": rss_bytes(stack.actions.pid)}
        finally:
            stack.stop()
            terminate_children()
    total_mb = sum(rss.values()) / 1e6
    report.add("action server ready s", ready["actions"])
    report.add("Rasa ready (REST route up) s", ready["rasa"])
    report.add("first correct answer s", answer_s)
    report.add("answer tries", tries)
    report.add("RSS Rasa after start MB", rss_start["rasa"] / 1e6)
    report.add("RSS actions after start MB", rss_start["actions"] / 1e6)
    report.add("warm-up messages (errors)", f"{warm.turns} ({len(warm.errors)})")
    report.add("RSS Rasa after warm-up MB", rss["rasa"] / 1e6)
    report.add("RSS actions after warm-up MB", rss["actions"] / 1e6)
    report.add("RSS total after warm-up MB", total_mb)
    report.target("start to first correct answer", answer_s, STARTUP_TARGET_S, unit=" s")
    report.target("RSS Rasa + actions", total_mb, RSS_TARGET_MB, unit=" MB")
    emit(report, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
