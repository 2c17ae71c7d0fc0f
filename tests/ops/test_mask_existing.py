"""ops.mask_existing: numbers stored before masking are masked in place, once."""
import asyncio
import sqlite3

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from ops.mask_existing import mask_feedback, mask_tracker_store
from web.feedback import FeedbackStore

CLEAR = "我手机１３９１２３４５６７８ 身份证210402900101123 社保卡丢了"


def test_events_and_their_normalised_copy_are_masked(tmp_path):
    db = tmp_path / "tracker.db"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    event = UserUttered(CLEAR, parse_data={"text": "我手机13912345678 身份证210402900101123",
                                           "intent": {"name": "ask_steps"}})
    asyncio.run(store.save(DialogueStateTracker.from_events("old", [event])))
    url = f"sqlite:///{db}"
    assert mask_tracker_store(url) == 1
    stored = " ".join(row[0] for row in sqlite3.connect(db).execute("SELECT data FROM events"))
    for clear in ("13912345678", "１３９１２３４５６７８", "210402900101123", "1391234"):
        assert clear not in stored
    assert "[手机号已隐藏 尾号5678]" in stored and "[身份证号已隐藏 尾号1123]" in stored
    assert mask_tracker_store(url) == 0  # a second run changes nothing


def test_feedback_rows_are_masked(tmp_path):
    path = tmp_path / "feedback.db"
    store = FeedbackStore(path)
    with store._connect() as connection:  # a row stored before feedback was masked
        connection.execute("INSERT INTO feedback (created_at, sender, question, answer, rating) "
                           "VALUES ('2026-01-01', 's', ?, 'a', 'down')", (CLEAR,))
    assert mask_feedback(path) == 1
    (question,) = sqlite3.connect(path).execute("SELECT question FROM feedback").fetchone()
    assert "13912345678" not in question and "１３９" not in question
    assert mask_feedback(path) == 0
