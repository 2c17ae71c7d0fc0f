"""REST reply latency of the real bot (action server + one Rasa, temp SQLite tracker store)
under 10 concurrent conversations, and of a bare Rasa bot with fixed replies (bench/bare_bot/,
trained here into a temp dir, same REST channel and tracker store type) under the same load.

    .venv/bin/python bench/rest_latency.py [--seconds 30] [--concurrency 10] [--json]

Two runs per bot. Paced (the targets): each conversation reads the reply and asks again after
0.5-1.5 s, as people do, so 10 conversations are open at once. Saturated (throughput): each sends
its next turn as soon as the reply arrives; on 2 cores the Rasa process then queues the turns.
A conversation is one sender: a service with an aspect (社保卡补办在哪办)
then 1-3 elliptical follow-ups (需要带什么, 哪天可以去 ...) — 2-5 turns, far under the channel's
30 messages/min per sender. Both bots get the same conversations, after the same warm-up.
The unloaded latency (one conversation at a time) is reported too, for reading the loaded one:
on 2 cores a saturated Rasa process queues the other 9 conversations' turns.
Targets: real p50 <= 30 ms, p99 <= 100 ms, real/bare <= 2x for p50 and p99.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bench.harness import (
    Report,
    cli,
    conversation_scripts,
    cpu_seconds,
    emit,
    log,
    percentile,
    require_model,
    run_load,
    senders,
    terminate_children,
    train_bare_bot,
    warm_up,
)
from ops.local_stack import BotStack

P50_TARGET_MS = 30.0
P99_TARGET_MS = 100.0
RATIO_TARGET = 2.0
MAX_CONVERSATIONS = 3000  # hard bound on turns: <= 5 per conversation
PROBE_CONVERSATIONS = 30  # one at a time after the warm-up: latency without queueing


def measure(stack: BotStack, pids, scripts, args, report: Report, prefix: str) -> dict:
    url = stack.url()
    warm = warm_up(url, args.warmup)
    if warm.errors:
        report.notes.append(f"{prefix} warm-up errors: {warm.errors[:3]}")
    # unloaded: one conversation at a time, after the warm-up
    probe = run_load(url, senders(f"probe-{prefix}", PROBE_CONVERSATIONS),
                     lambda i: scripts[-1 - i], concurrency=1, max_seconds=60)
    paced = run_load(url, senders(f"paced-{prefix}", len(scripts)), lambda i: scripts[i],
                     concurrency=args.concurrency, max_seconds=args.seconds,
                     think_seconds=args.think)
    paced.summary(report, f"{prefix} paced ")
    cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    result = run_load(url, senders(f"rest-{prefix}", len(scripts)), lambda i: scripts[i],
                      concurrency=args.concurrency, max_seconds=args.seconds)
    result.summary(report, f"{prefix} saturated ")
    for name, pid in pids.items():
        used = cpu_seconds(pid) - cpu_before[name]
        report.add(f"{prefix} {name} CPU ms/turn", used * 1000 / max(1, result.turns))
    report.add(f"{prefix} unloaded p50 ms (1 conv.)", percentile(probe.latencies_ms, 50))
    report.add(f"{prefix} unloaded p99 ms (1 conv.)", percentile(probe.latencies_ms, 99))
    if result.errors:
        report.notes.append(f"{prefix}: {len(result.errors)} errors, e.g. {result.errors[:2]}")
        for server_log in sorted(stack.workdir.glob("*.log")):  # the temp dir goes away
            log(f"{server_log.name} (last lines):\n" + "\n".join(
                server_log.read_text(errors="replace").splitlines()[-30:]))
    return {"p50": percentile(paced.latencies_ms, 50),
            "p99": percentile(paced.latencies_ms, 99)}


def main() -> int:
    parser = cli(__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="load duration per bot")
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=40, help="warm-up turns per bot")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean think time between a reply and the next question (paced run)")
    args = parser.parse_args()
    model = require_model()
    scripts_source = conversation_scripts(seed=11)
    scripts = [next(scripts_source) for _ in range(MAX_CONVERSATIONS)]
    report = Report(f"rest_latency ({args.concurrency} concurrent conversations, "
                    f"{args.seconds:.0f} s per run, paced {args.think:.1f} s and saturated)")

    with tempfile.TemporaryDirectory(prefix="bench-rest-") as tmp:
        tmp = Path(tmp)
        log("training the bare bot")
        bare_model = train_bare_bot(tmp / "bare-model")

        log("real bot: starting actions + Rasa")
        real_dir = tmp / "real"
        real_dir.mkdir()
        stack = BotStack(real_dir)
        try:
            stack.start_actions()
            stack.start_rasa(model)
            log("real bot: warm-up and load")
            real = measure(stack, {"rasa": stack.rasa[0].pid, "actions": stack.actions.pid},
                           scripts, args,
                           report, "real")
        finally:
            stack.stop()
            terminate_children()

        log("bare bot: starting Rasa")
        bare_dir = tmp / "bare"
        bare_dir.mkdir()
        bare_stack = BotStack(bare_dir)
        try:
            bare_stack.start_rasa(bare_model)
            log("bare bot: warm-up and load")
            bare = measure(bare_stack, {"rasa": bare_stack.rasa[0].pid}, scripts, args,
                           report, "bare")
        finally:
            bare_stack.stop()
            terminate_children()

    report.add("ratio real/bare p50", real["p50"] / bare["p50"])
    report.add("ratio real/bare p99", real["p99"] / bare["p99"])
    report.target("real p50", real["p50"], P50_TARGET_MS, unit=" ms")
    report.target("real p99", real["p99"], P99_TARGET_MS, unit=" ms")
    report.target("real/bare p50", real["p50"] / bare["p50"], RATIO_TARGET, unit="x")
    report.target("real/bare p99", real["p99"] / bare["p99"], RATIO_TARGET, unit="x")
    emit(report, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
