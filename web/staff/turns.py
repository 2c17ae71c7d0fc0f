"""The conversations' turns as the staff pages count them, read from Rasa's tracker store.

One Turn per user message: its channel (the web widget, WeChat, other REST callers), what the
NLU made of it, and the outcome the answer action recorded in the `outcome` slot
(actions/scope.py): the turn's result is data, never recognised from the reply's text.
Read-only; the same SQL on SQLite and PostgreSQL.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

import sqlalchemy as sa

from channels.privacy import mask
from ops.report import FALLBACK_INTENTS, LOW_CONFIDENCE, REFUSED_OUTCOMES, turn_events_query

HANDOFF_INTENT = "human_handoff"  # answered by utter_handoff: 12333
CHANNELS = {"widget": "网页组件", "wechat": "微信公众号", "rest": "REST 接口"}
# the widget says who it is with the X-Sender-Id header (channels/rest.py puts it in metadata)
WIDGET_CLIENT = "widget"


@dataclass
class Turn:
    event_id: int
    sender: str
    timestamp: float
    channel: str
    text: str
    intent: Optional[str]
    confidence: Optional[float]
    outcome: Optional[str] = None
    services: List[str] = field(default_factory=list)
    replies: List[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return self.outcome in REFUSED_OUTCOMES

    @property
    def fallback(self) -> bool:
        return self.intent in FALLBACK_INTENTS

    @property
    def unsure(self) -> bool:
        return self.confidence is not None and self.confidence < LOW_CONFIDENCE

    @property
    def referred(self) -> bool:
        """Sent to the 12333 hotline: every refusal says so, and so does the handoff answer."""
        return self.refused or self.intent == HANDOFF_INTENT

    @property
    def missed(self) -> Optional[str]:
        """Why the turn belongs in the staff inbox, or None."""
        if self.refused:
            return self.outcome
        if self.fallback:
            return "fallback"
        if self.unsure:
            return "low_confidence"
        return None


def engine(url: str) -> sa.engine.Engine:
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        return sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, timeout=10, check_same_thread=False))
    return sa.create_engine(url, connect_args={"connect_timeout": 5}, pool_pre_ping=True)


def read_turns(tracker: sa.engine.Engine, since: Optional[float] = None,
               sender: Optional[str] = None) -> List[Turn]:
    """Every turn (since a time, of one sender), per conversation in order. No store yet (a
    new deployment) is no turns."""
    query, params = turn_events_query("id, sender_id, type_name, timestamp, data", since=since,
                                      sender=sender)
    try:
        with tracker.connect() as connection:
            if not sa.inspect(connection).has_table("events"):
                return []
            rows = connection.execute(sa.text(query), params).fetchall()
    except sa.exc.OperationalError as error:
        if "unable to open database" in str(error):
            return []
        raise
    return list(_turns(rows))


def _turns(rows: Iterable[Any]) -> Iterable[Turn]:
    turn: Optional[Turn] = None
    carried_over = False  # slots Rasa sets again at a new session are no new answer
    for event_id, sender, kind, timestamp, data in rows:
        try:
            event = json.loads(data or "{}")
        except ValueError:
            continue
        if turn is not None and turn.sender != sender:
            yield turn
            turn = None
        if kind == "session_started":
            carried_over = True
        elif kind == "user":
            if turn is not None:
                yield turn
            carried_over = False
            intent = (event.get("parse_data") or {}).get("intent") or {}
            confidence = intent.get("confidence")
            turn = Turn(int(event_id), sender, float(timestamp or 0), _channel(event),
                        mask(" ".join((event.get("text") or "").split()))[0], intent.get("name"),
                        float(confidence) if isinstance(confidence, (int, float)) else None)
        elif turn is None or carried_over:
            continue
        elif kind == "bot" and event.get("text"):
            turn.replies.append(mask(event["text"])[0])
        elif kind == "slot" and event.get("name") == "outcome":
            turn.outcome = event.get("value")
        elif kind == "slot" and event.get("name") == "service":
            value = event.get("value")
            turn.services = [r.strip() for r in (value if isinstance(value, str) else "")
                             .split(",") if r.strip()]
    if turn is not None:
        yield turn


def _channel(event: Dict[str, Any]) -> str:
    name = event.get("input_channel") or "rest"
    if name == "wechat":
        return "wechat"
    if (event.get("metadata") or {}).get("client") == WIDGET_CLIENT:
        return "widget"
    return "rest"
