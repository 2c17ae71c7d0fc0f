"""What reading and writing one conversation costs the Rasa process, in process, no server:
the project's SQLite tracker store (ops/tracker_store.py) and Rasa's event lookup, with and without
the table of ops/event_types.py.

    .venv/bin/python bench/tracker_store.py [--turns 400] [--json]

Each turn reads a conversation, adds the events of one answered question (the user's message,
the action, a reply with its structure, the outcome slot, listen) and writes it back; 20
conversations take turns, so each grows to turns/20 questions. Reported: ms per read and per
write, for Rasa's own store settings (a connection per session) and for the project's.
"""
from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import ROOT, Report, cli, emit

CONVERSATIONS = 20


def measure(store, domain, turns: int) -> "tuple[float, float]":
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    async def run() -> "tuple[float, float]":
        reading = writing = 0.0
        for turn in range(turns):
            sender = f"bench-{turn % CONVERSATIONS}"
            started = time.perf_counter()
            tracker = await store.retrieve(sender)
            read_at = time.perf_counter()
            tracker = tracker or DialogueStateTracker(sender, domain.slots)
            for event in (UserUttered("社保卡丢了怎么办", {"name": "ask_materials",
                                                          "confidence": 0.9}),
                          ActionExecuted("action_answer"),
                          BotUttered("【社会保障卡挂失】" * 40,
                                     {"custom": {"answer": {"title": "社会保障卡挂失",
                                                            "lead": ["电话挂失" * 30]}}}),
                          SlotSet("outcome", "answered"), ActionExecuted("action_listen")):
                tracker.update(event)
            write_at = time.perf_counter()
            await store.save(tracker)
            reading += read_at - started
            writing += time.perf_counter() - write_at
        return reading * 1000 / turns, writing * 1000 / turns
    return asyncio.run(run())


def main() -> int:
    parser = cli(__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=400)
    args = parser.parse_args()
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    from ops import event_types
    from ops.tracker_store import GuardedSQLTrackerStore

    domain = Domain.load(ROOT / "domain.yml")
    report = Report(f"tracker_store ({args.turns} turns over {CONVERSATIONS} conversations, "
                    "SQLite, in process)")
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        rasa_store = SQLTrackerStore(domain, dialect="sqlite", db=str(Path(tmp) / "rasa.db"))
        read_ms, write_ms = measure(rasa_store, domain, args.turns)
        report.add("Rasa's store read ms", read_ms)
        report.add("Rasa's store write ms", write_ms)
        event_types.install()
        store = GuardedSQLTrackerStore(domain, dialect="sqlite", db=str(Path(tmp) / "project.db"))
        read_ms, write_ms = measure(store, domain, args.turns)
        report.add("project's store read ms", read_ms)
        report.add("project's store write ms", write_ms)
    emit(report, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
