"""Publishing's decisions against a stand-in of Rasa's HTTP API: the token is sent, a lower score
waits for a confirm, a discard leaves the live model, a published model's score is reused.
(Training and scoring themselves run for real in test_browser.py.)"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, List
from urllib.parse import parse_qs, urlsplit

import pytest

from web.staff.publish import PublishConfig, Publisher
from web.staff.store import StaffStore

TOKEN = "s3cret-token"


class FakeRasaApi:
    def __init__(self, live: Path) -> None:
        self.live = live
        self.calls: List[Dict] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body=None):
                raw = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self):
                parts = urlsplit(self.path)
                api.calls.append({"method": "GET", "path": parts.path,
                                  "token": parse_qs(parts.query).get("token")})
                if parse_qs(parts.query).get("token") != [TOKEN]:
                    return self._answer(401, {"message": "no"})
                self._answer(200, {"model_file": api.live.name})  # as Rasa 3.6: no folder

            def do_PUT(self):
                parts = urlsplit(self.path)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                api.calls.append({"method": "PUT", "path": parts.path, "body": body,
                                  "token": parse_qs(parts.query).get("token")})
                if parse_qs(parts.query).get("token") != [TOKEN]:
                    return self._answer(401, {"message": "no"})
                api.live = Path(body["model_file"])
                self._answer(204)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


class ScriptedPublisher(Publisher):
    """Training writes an empty model file; scores come from a table per model name."""

    scores: Dict[str, int] = {}

    def _train(self, name):
        model = self.config.models_dir / f"{name}.tar.gz"
        model.write_bytes(b"")
        return model

    def _evaluate(self, model):
        passed = self.scores["new" if model.name.startswith("bot-") else model.name]
        return {"passed": passed, "cases": 10}


def _wait(publisher, *stages, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        state = publisher.state()
        if state["stage"] in stages:
            return state
        time.sleep(0.05)
    raise AssertionError(f"stage {publisher.state()['stage']}, expected {stages}")


@pytest.fixture
def setup(tmp_path):
    live = tmp_path / "models" / "bot.tar.gz"
    live.parent.mkdir()
    live.write_bytes(b"")
    rasa = FakeRasaApi(live)
    store = StaffStore(f"sqlite:///{tmp_path / 'staff.db'}")

    def make(token=TOKEN, new=8, live_score=8):
        ScriptedPublisher.scores = {"new": new, "bot.tar.gz": live_score}
        return ScriptedPublisher(PublishConfig(bot_url=rasa.url, token=token,
                                               action_url="http://127.0.0.1:9/webhook",
                                               models_dir=live.parent,
                                               work_dir=tmp_path / "work"),
                                 store.record_model, store.model_score)
    yield make, rasa, store
    rasa.server.shutdown()


def test_an_equal_score_is_published_through_the_api_with_the_token(setup):
    make, rasa, store = setup
    publisher = make(new=8, live_score=8)
    assert publisher.start("ed") is True
    state = _wait(publisher, "done", "failed")
    assert state["stage"] == "done" and not state["running"]
    assert state["new_score"] == {"passed": 8, "cases": 10}
    assert state["live_score"] == {"passed": 8, "cases": 10}
    put = [c for c in rasa.calls if c["method"] == "PUT"]
    assert len(put) == 1 and put[0]["path"] == "/model" and put[0]["token"] == [TOKEN]
    assert rasa.live.name == state["published"] and rasa.live.name.startswith("bot-")
    assert store.model_score(rasa.live.name)["published_by"] == "ed"
    assert any("已发布" in line for line in state["log"])


def test_a_lower_score_waits_for_a_confirm(setup):
    make, rasa, _ = setup
    publisher = make(new=6, live_score=8)
    publisher.start("ed")
    state = _wait(publisher, "confirm")
    assert state["running"] and "低于线上模型" in state["message"]
    assert publisher.start("ed") is False  # one job at a time
    assert not [c for c in rasa.calls if c["method"] == "PUT"]
    assert publisher.decide(True) is True
    assert _wait(publisher, "done", "failed")["stage"] == "done"
    assert rasa.live.name.startswith("bot-")


def test_a_discarded_model_leaves_the_live_one(setup):
    make, rasa, _ = setup
    publisher = make(new=6, live_score=8)
    assert publisher.decide(True) is False  # nothing waits yet
    publisher.start("ed")
    _wait(publisher, "confirm")
    publisher.decide(False)
    assert _wait(publisher, "discarded")["running"] is False
    assert rasa.live.name == "bot.tar.gz"
    assert not [c for c in rasa.calls if c["method"] == "PUT"]


def test_the_score_of_a_model_published_here_is_reused(setup):
    make, rasa, _ = setup
    publisher = make(new=9, live_score=8)
    publisher.start("ed")
    _wait(publisher, "done")
    ScriptedPublisher.scores = {"new": 9}  # the live one (published above) is not scored again
    publisher.start("ed")
    state = _wait(publisher, "done", "failed")
    assert state["stage"] == "done", state["log"]
    assert state["live_score"] == {"passed": 9, "cases": 10}


def test_without_the_token_nothing_is_trained(setup):
    make, rasa, _ = setup
    publisher = make(token=None)
    publisher.start("ed")
    state = _wait(publisher, "failed")
    assert "RASA_AUTH_TOKEN" in state["message"] and rasa.calls == []


def test_a_wrong_token_fails_with_the_reason(setup):
    make, rasa, _ = setup
    publisher = make(token="wrong")
    publisher.start("ed")
    state = _wait(publisher, "failed")
    assert "HTTP 401" in state["message"] and rasa.live.name == "bot.tar.gz"
