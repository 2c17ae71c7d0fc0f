"""Load: 50 conversations at once x 20 turns each against one instance (action server + one
Rasa, temp SQLite tracker store), then a check that the tracker store kept every user turn.

    .venv/bin/python bench/load.py [--conversations 50] [--turns 20] [--json]

Bounded: conversations x turns <= 1,000 and a hard limit of 10 min. An error is a non-200
answer or a reply without text (the guarded channel's 系统繁忙 still counts as a reply, so the
Rasa log is checked for it too). 20 turns per sender stay under the channel's limit of
30 messages/min per sender. After the load the stack is stopped and the SQLite file opened:
user events per sender (table events, type_name = 'user') must equal the turns sent.
"""
from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

from bench.harness import (
    Report,
    cli,
    emit,
    log,
    require_model,
    run_load,
    senders,
    terminate_children,
    turn_stream,
    warm_up,
)
from ops.local_stack import BotStack

MAX_TURNS = 1000
TIME_LIMIT_S = 600
BUSY_MARK = "rest channel: the bot failed on a message"  # channels/rest.py logs this


def user_events(db: Path, prefix: str) -> dict:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        rows = connection.execute(
            "SELECT sender_id, COUNT(*) FROM events WHERE type_name = 'user' "
            "AND sender_id LIKE ? GROUP BY sender_id", (prefix + "%",)).fetchall()
    return dict(rows)


def main() -> int:
    parser = cli(__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--turns", type=int, default=20)
    args = parser.parse_args()
    if args.conversations * args.turns > MAX_TURNS or args.turns > 29:
        parser.error(f"at most {MAX_TURNS} turns in all and 29 per sender (rate limit 30/min)")
    model = require_model()
    report = Report(f"load ({args.conversations} conversations at once x {args.turns} turns, "
                    "one instance, SQLite)")
    users = senders("load", args.conversations)
    scripts = [turn_stream(args.turns, seed=1000 + i) for i in range(args.conversations)]
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        stack = BotStack(Path(tmp))
        try:
            log("starting actions + Rasa")
            stack.start_actions()
            stack.start_rasa(model)
            warm_up(stack.url(), 20)
            log(f"load: {args.conversations} x {args.turns} turns")
            result = run_load(stack.url(), users, lambda i: scripts[i],
                              concurrency=args.conversations, max_seconds=TIME_LIMIT_S,
                              request_timeout=120)
            rasa_log = next(Path(tmp).glob("rasa-*.log"))
        finally:
            stack.stop()
            terminate_children()
        busy = rasa_log.read_text(errors="replace").count(BUSY_MARK)
        stored = user_events(stack.settings.sqlite_path, users[0].rsplit("-", 1)[0])
    expected = result.turns
    found = sum(stored.get(sender, 0) for sender in result.sent)
    incomplete = [s for s, n in result.sent.items() if stored.get(s, 0) != n]
    result.summary(report)
    report.add("timed out (10 min limit)", result.timed_out)
    report.add("bot failures (BUSY) in Rasa log", busy)
    report.add("user events found/expected", f"{found}/{expected}")
    if result.errors:
        report.notes.append(f"errors, e.g. {result.errors[:3]}")
    report.target("errors", len(result.errors) + busy, 0)
    report.target("user turns stored", found, expected, higher_is_better=True)
    report.target("senders with missing/extra user events", len(incomplete), 0)
    report.target("all turns sent in time", result.turns,
                  args.conversations * args.turns, higher_is_better=True)
    emit(report, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
