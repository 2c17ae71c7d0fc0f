"""Mask the personal numbers that stores already hold, written before the channels masked them
(or before full-width digits and 15-digit numbers were recognised): `make mask-existing`.

Every string of every stored event (the message, its normalised copy in parse_data, the bot's
replies) and the question and answer of every 👍/👎 go through channels.privacy.mask; rows are
rewritten only where something changed. Safe to run again: masked text stays as it is.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any, List, Optional, Tuple

from channels.privacy import mask
from ops.report import ReportError, tracker_url
from ops.settings import ROOT, ConfigurationError, Settings


def masked_value(value: Any) -> Tuple[Any, bool]:
    """The value with every string in it masked, and whether anything changed."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        pairs = [masked_value(v) for v in value]
        return [v for v, _ in pairs], any(c for _, c in pairs)
    if isinstance(value, dict):
        pairs = {k: masked_value(v) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, any(c for _, c in pairs.values())
    return value, False


def mask_tracker_store(url: str) -> int:
    """Rewrites the events holding personal numbers; returns how many."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    changed = 0
    try:
        with engine.begin() as connection:
            if not sa.inspect(connection).has_table("events"):
                return 0
            rows = connection.execute(sa.text("SELECT id, data FROM events")).fetchall()
            for row_id, data in rows:
                try:
                    event = json.loads(data or "{}")
                except ValueError:
                    continue
                new, was_changed = masked_value(event)
                if was_changed:
                    connection.execute(sa.text("UPDATE events SET data = :data WHERE id = :id"),
                                       {"data": json.dumps(new, ensure_ascii=False),
                                        "id": row_id})
                    changed += 1
    finally:
        engine.dispose()
    return changed


def mask_feedback(path: Path) -> int:
    if not path.is_file():
        return 0
    changed = 0
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT id, question, answer FROM feedback").fetchall()
        for row_id, question, answer in rows:
            new_question, a = mask(question)
            new_answer, b = mask(answer)
            if a or b:
                connection.execute("UPDATE feedback SET question = ?, answer = ? WHERE id = ?",
                                   (new_question, new_answer, row_id))
                changed += 1
    return changed


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feedback-db", type=Path,
                        help="default: FEEDBACK_DB (var/feedback.db)")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        url = tracker_url(settings)
    except (ReportError, ConfigurationError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    events = mask_tracker_store(url) if not url.startswith("sqlite:///") or Path(
        url[len("sqlite:///"):]).is_file() else 0
    feedback = mask_feedback(args.feedback_db or ROOT / settings.feedback_db)
    print(f"masked: {events} stored events, {feedback} feedback rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
