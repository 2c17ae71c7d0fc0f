"""👍/👎 ratings of bot answers, kept in a small SQLite file (FEEDBACK_DB, default var/feedback.db)."""
from __future__ import annotations

import datetime
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Mapping

from channels.privacy import mask

RATINGS = ("up", "down")
LIMITS = {"sender": 128, "question": 2000, "answer": 8000}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT    NOT NULL,
    sender     TEXT    NOT NULL,
    question   TEXT    NOT NULL,
    answer     TEXT    NOT NULL,
    rating     TEXT    NOT NULL CHECK (rating IN ('up', 'down'))
)
"""


class FeedbackError(ValueError):
    """The posted feedback is not valid; the message says which field and why."""


@dataclass(frozen=True)
class Feedback:
    sender: str
    question: str
    answer: str
    rating: str
    raw_answer: str = ""  # the answer as the bot sent it, to check it was received; not stored


def validate(data: Any) -> Feedback:
    if not isinstance(data, Mapping):
        raise FeedbackError("请求体必须是 JSON 对象：{sender, question, answer, rating}")
    values: Dict[str, str] = {}
    for name, limit in LIMITS.items():
        value = data.get(name)
        if not isinstance(value, str):
            raise FeedbackError(f"字段 {name} 必须是字符串")
        if name != "question" and not value.strip():
            raise FeedbackError(f"字段 {name} 不能为空")
        if len(value) > limit:
            raise FeedbackError(f"字段 {name} 过长（最多 {limit} 个字符）")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: no database can store it
            raise FeedbackError(f"字段 {name} 含有无效字符") from None
        values[name] = value
    rating = data.get("rating")
    if rating not in RATINGS:
        raise FeedbackError('字段 rating 必须是 "up" 或 "down"')
    # stored like every other text: personal numbers masked (the question is the user's words)
    raw_answer = values["answer"].strip()
    values["question"] = mask(values["question"])[0]
    values["answer"] = mask(values["answer"])[0]
    return Feedback(rating=rating, raw_answer=raw_answer, **values)


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=5)
        if not self._ready:
            connection.execute(_SCHEMA)
            connection.commit()
            self._ready = True
        return connection

    def add(self, feedback: Feedback) -> int:
        created = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        with self._lock:
            connection = self._connect()
            try:
                with connection:
                    cursor = connection.execute(
                        "INSERT INTO feedback (created_at, sender, question, answer, rating) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (created, feedback.sender, feedback.question, feedback.answer,
                         feedback.rating))
                return int(cursor.lastrowid)
            finally:
                connection.close()

    def all(self) -> List[Dict[str, Any]]:
        with self._lock:
            connection = self._connect()
            try:
                connection.row_factory = sqlite3.Row
                rows = connection.execute("SELECT * FROM feedback ORDER BY id").fetchall()
                return [dict(row) for row in rows]
            finally:
                connection.close()
