"""Tracker fixtures: build the tracker an action would get from Rasa for one user turn."""
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def make_tracker(text: str, intent: str, confidence: float = 0.95,
                 entities: Optional[List[Dict[str, Any]]] = None,
                 ranking: Optional[List[Dict[str, Any]]] = None,
                 **slots: Any) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": confidence},
              "entities": entities or [],
              "intent_ranking": ranking or [{"name": intent, "confidence": confidence}]}
    all_slots = {"service": None, "aspect": None, "county": None, "applicant": None}
    all_slots.update(slots)
    return Tracker(sender_id="test-user", slots=all_slots, latest_message=latest,
                   events=[], paused=False, followup_action=None,
                   active_loop={}, latest_action_name="action_listen")


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def tracker_for():
    return make_tracker


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """The 59号窗口 answer depends on the date: pin it (a day outside 1-15)."""
    monkeypatch.setenv("BOT_TODAY", "2026-11-27")


def texts(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


def button_titles(dispatcher: CollectingDispatcher) -> List[str]:
    return [b["title"] for m in dispatcher.messages for b in m.get("buttons") or []]


def slot_events(events) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
