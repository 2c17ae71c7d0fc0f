"""Settings, feedback validation and storage: no server, no browser."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from web.config import WebConfig, parse_origins
from web.feedback import Feedback, FeedbackError, FeedbackStore, validate


def test_config_defaults():
    config = WebConfig.from_env({})
    assert (config.host, config.port, config.bot_url) == ("127.0.0.1", 8000,
                                                         "http://localhost:5005")
    assert config.allowed_origins == () and config.feedback_db == Path("var/feedback.db")


def test_config_from_env():
    config = WebConfig.from_env({
        "WEB_HOST": "0.0.0.0", "WEB_PORT": "9000", "BOT_URL": "https://bot.example.gov.cn/",
        "WEB_ALLOWED_ORIGINS": "https://a.gov.cn, https://b.gov.cn/ https://c.gov.cn",
        "FEEDBACK_DB": "/tmp/x/fb.db"})
    assert config.host == "0.0.0.0" and config.port == 9000
    assert config.bot_url == "https://bot.example.gov.cn"
    assert config.allowed_origins == ("https://a.gov.cn", "https://b.gov.cn", "https://c.gov.cn")
    assert config.feedback_db == Path("/tmp/x/fb.db")


@pytest.mark.parametrize("port", ["abc", "-1", "70000"])
def test_config_rejects_bad_ports(port):
    with pytest.raises(ValueError, match="WEB_PORT"):
        WebConfig.from_env({"WEB_PORT": port})


def test_config_coerce_accepts_a_dict():
    config = WebConfig.coerce({"bot_url": "http://x:1/", "allowed_origins": "https://a.cn",
                               "feedback_db": "db.sqlite"})
    assert config.bot_url == "http://x:1" and config.allowed_origins == ("https://a.cn",)
    assert config.feedback_db == Path("db.sqlite")
    assert parse_origins("") == ()


def test_feedback_validation():
    ok = validate({"sender": "s", "question": "", "answer": "a", "rating": "down", "x": 1})
    assert ok == Feedback("s", "", "a", "down", raw_answer="a")
    for bad in [None, [], "x", {"sender": "s", "question": "q", "answer": "a", "rating": True}]:
        with pytest.raises(FeedbackError):
            validate(bad)


def test_feedback_store_creates_its_folder(tmp_path):
    store = FeedbackStore(tmp_path / "a" / "b" / "feedback.db")
    first = store.add(Feedback("s", "问", "答", "up"))
    second = store.add(Feedback("s", "问2", "答2", "down"))
    assert second == first + 1
    rows = store.all()
    assert [(r["question"], r["rating"]) for r in rows] == [("问", "up"), ("问2", "down")]
    with sqlite3.connect(tmp_path / "a" / "b" / "feedback.db") as connection:
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute("INSERT INTO feedback (created_at, sender, question, answer, "
                               "rating) VALUES ('t', 's', 'q', 'a', 'meh')")

