"""👍/👎 ratings of bot answers, kept in a small SQLite file (FEEDBACK_DB, default var/feedback.db).

After a 👎 the widget asks why (REASONS, optional; 其他 with a short note): stored with the
rating, masked like every other text.
"""
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
REASONS = ("与问题无关", "答案不完整", "答案有错误", "其他")
NOTE_LIMIT = 200

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT    NOT NULL,
    sender     TEXT    NOT NULL,
    question   TEXT    NOT NULL,
    answer     TEXT    NOT NULL,
    rating     TEXT    NOT NULL CHECK (rating IN ('up', 'down')),
    reason     TEXT,
    note       TEXT
)
"""
# files written before the reasons were asked
_MIGRATIONS = ("ALTER TABLE feedback ADD COLUMN reason TEXT",
               "ALTER TABLE feedback ADD COLUMN note TEXT")


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


@dataclass(frozen=True)
class Reason:
    sender: str
    reason: str
    note: str


def validate_reason(data: Any) -> Reason:
    if not isinstance(data, Mapping):
        raise FeedbackError("请求体必须是 JSON 对象：{sender, reason, note}")
    sender, reason, note = data.get("sender"), data.get("reason"), data.get("note", "")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > LIMITS["sender"]:
        raise FeedbackError("字段 sender 必须是非空字符串")
    if reason not in REASONS:
        raise FeedbackError("字段 reason 必须是：" + " / ".join(REASONS))
    if not isinstance(note, str) or len(note) > NOTE_LIMIT:
        raise FeedbackError(f"字段 note 必须是字符串（最多 {NOTE_LIMIT} 个字符）")
    try:
        note.encode("utf-8")
    except UnicodeEncodeError:
        raise FeedbackError("字段 note 含有无效字符") from None
    return Reason(sender, reason, mask(" ".join(note.split()))[0])


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
            columns = {row[1] for row in connection.execute("PRAGMA table_info(feedback)")}
            for statement in _MIGRATIONS:
                if statement.split()[-2] not in columns:
                    connection.execute(statement)
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

    def set_reason(self, row_id: int, reason: Reason) -> bool:
        """The reason of the sender's own 👎; False when there is no such rating."""
        with self._lock:
            connection = self._connect()
            try:
                with connection:
                    cursor = connection.execute(
                        "UPDATE feedback SET reason = ?, note = ? WHERE id = ? AND sender = ? "
                        "AND rating = 'down'", (reason.reason, reason.note or None, row_id,
                                                reason.sender))
                return cursor.rowcount == 1
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
