"""/api/feedback takes a rating only for a bot message the sender really received (read from the
bot's tracker store, written here by Rasa's own SQLTrackerStore)."""
import asyncio
import json

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tests.web.conftest import http

ORIGIN = "https://www.example.gov.cn"
ANSWER = "【社会保障卡挂失】\n电话办理：通过拨打人力资源和社会保障服务热线12333进行挂失"


@pytest.fixture(scope="module")
def server(serve, tmp_path_factory):
    db = tmp_path_factory.mktemp("tracker") / "tracker.db"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    tracker = DialogueStateTracker.from_events(
        "citizen-1", [UserUttered("社保卡丢了"), BotUttered(ANSWER)])
    asyncio.run(store.save(tracker))
    return serve(allowed_origins=(ORIGIN,), tracker_url=f"sqlite:///{db}")


def _post(server, sender, answer):
    body = json.dumps({"sender": sender, "question": "社保卡丢了", "answer": answer,
                       "rating": "down"}, ensure_ascii=False).encode()
    return http("POST", f"{server.url}/api/feedback", body,
                {"Content-Type": "application/json", "Origin": ORIGIN})[0]


def test_a_received_answer_can_be_rated(server):
    assert _post(server, "citizen-1", ANSWER) == 201


def test_an_answer_never_sent_or_sent_to_another_is_refused(server):
    assert _post(server, "citizen-1", "【编造的回答】") == 422
    assert _post(server, "citizen-2", ANSWER) == 422
