"""Whether a sender really received a bot message: 👍/👎 are taken only for those.

Reads the tracker store the bot writes to (the same settings as Rasa's: TRACKER_DB_URL, else the
SQLite file), read-only, the sender's last bot messages.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import sqlalchemy as sa

# A rating is for something recently said: the sender's last this-many bot messages count.
RECENT_MESSAGES = 200


class ReceivedMessages:
    def __init__(self, url: str) -> None:
        if url.startswith("sqlite:///"):
            path = Path(url[len("sqlite:///"):])
            self._engine = sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(
                f"file:{path}?mode=ro", uri=True, timeout=5))
        else:
            self._engine = sa.create_engine(url, connect_args={"connect_timeout": 5})

    def received(self, sender: str, text: str) -> bool:
        """Whether the bot sent `text` to `sender`; False when the store cannot tell."""
        query = sa.text("SELECT data FROM events WHERE sender_id = :sender AND type_name = 'bot' "
                        "ORDER BY id DESC LIMIT :recent")
        try:
            with self._engine.connect() as connection:
                rows = connection.execute(query, {"sender": sender, "recent": RECENT_MESSAGES})
                return any(_text(data) == text for (data,) in rows)
        except sa.exc.SQLAlchemyError:
            return False


def _text(data: str) -> str:
    try:
        return (json.loads(data or "{}").get("text") or "").strip()
    except ValueError:
        return ""
