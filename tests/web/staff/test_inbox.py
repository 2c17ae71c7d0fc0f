"""The inbox: refused, fallen-back, unsure and 👎 turns with their conversation (masked), and an
editor's three resolutions with their effects (the wording searched at once, the gap list, the
audit log)."""
from __future__ import annotations

import json
import time
from urllib.parse import quote

import pytest
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from guide_kb import wordings
from tests.web.conftest import get_json
from tests.web.staff.conftest import Client, save_trackers, sqlite_store
from web.feedback import FeedbackStore, validate, validate_reason

PHONE = "13912345678"


def _turn(text, intent, confidence, outcome, at, reply):
    parse = {"intent": {"name": intent, "confidence": confidence}, "entities": [], "text": text}
    return [UserUttered(text, intent=parse["intent"], parse_data=parse, input_channel="rest",
                        timestamp=at),
            SlotSet("outcome", outcome, timestamp=at + 0.1),
            BotUttered(reply, timestamp=at + 0.2)]


@pytest.fixture
def inbox_server(tmp_path, staff_server, monkeypatch):
    monkeypatch.setenv("WORDINGS_PATH", str(tmp_path / "staff_wordings.yml"))
    now = time.time() - 3600
    conversations = {
        "s-refused": [*_turn("社保卡怎么挂失", "ask_steps", 0.95, "answered", now, "挂失答复"),
                      *_turn(f"卡片飞了咋整 我电话{PHONE}", "ask_steps", 0.9, "out_of_scope",
                             now + 10, "抱歉，指南中没有…12333"),
                      *_turn("谢谢", "thank", 0.99, "answered", now + 20, "不客气")],
        "s-fallback": _turn("嗯嗯啊啊", "nlu_fallback", 0.2, "asked", now + 30, "请问您要办哪项业务"),
        "s-unsure": _turn("失业金咋领", "ask_steps", 0.41, "answered", now + 40, "失业金答复"),
        "s-fine": _turn("社保卡挂失", "ask_steps", 0.97, "answered", now + 50, "挂失答复"),
        "s-rated": _turn("退休要带啥", "ask_materials", 0.9, "answered", now + 60, "退休答复"),
    }
    save_trackers(sqlite_store(tmp_path / "tracker.db"),
                  [DialogueStateTracker.from_events(sender, events)
                   for sender, events in conversations.items()])
    feedback = FeedbackStore(tmp_path / "feedback.db")
    row = feedback.add(validate({"sender": "s-rated", "question": "退休要带啥",
                                 "answer": "退休答复", "rating": "down"}))
    feedback.set_reason(row, validate_reason({"sender": "s-rated", "reason": "其他",
                                              "note": f"打{PHONE}也没人接"}))
    feedback.add(validate({"sender": "s-fine", "question": "社保卡挂失", "answer": "挂失答复",
                           "rating": "up"}))
    return staff_server(f"sqlite:///{tmp_path / 'tracker.db'}")


def test_the_missed_turns_and_the_thumbs_down_are_listed(inbox_server):
    client = Client(inbox_server.url)
    client.login("vi")
    entries = json.loads(client.get("/staff/api/inbox")[2])["entries"]
    by_why = {e["why"]: e for e in entries}
    assert sorted(by_why) == ["down", "fallback", "low_confidence", "out_of_scope"]
    refused = by_why["out_of_scope"]
    assert refused["question"] == "卡片飞了咋整 我电话[手机号已隐藏 尾号5678]"
    assert [(line["who"], line["this"]) for line in refused["context"]] == [
        ("user", False), ("bot", False), ("user", True), ("bot", True), ("user", False),
        ("bot", False)]
    assert PHONE not in json.dumps(entries, ensure_ascii=False)
    down = by_why["down"]
    assert (down["reason"], down["note"]) == ("其他", "打[手机号已隐藏 尾号5678]也没人接")
    assert down["context"][0]["text"] == "退休要带啥"
    assert by_why["low_confidence"]["confidence"] == 0.41
    page = client.get("/staff/inbox")[2]
    assert "卡片飞了咋整" in page and "只有编辑可以处理" in page and "<form method=\"post\" " \
        "action=\"/staff/inbox/resolve\"" not in page


def test_an_editor_resolves_as_means_right_and_gap(inbox_server, tmp_path):
    client = Client(inbox_server.url)
    client.login("ed")
    entries = json.loads(client.get("/staff/api/inbox")[2])["entries"]
    key = {e["why"]: e["key"] for e in entries}
    assert get_json(inbox_server.url + "/api/search?q=" + quote("卡片飞了"))[2]["results"] == []

    status, url, page = client.post("/staff/inbox/resolve", {
        "entry": key["out_of_scope"], "kind": "means", "item_id": "card_loss_report",
        "wording": "卡片飞了"})
    assert status == 200 and "已处理" in page and url.startswith(inbox_server.url + "/staff/inbox")
    saved = wordings.read(tmp_path / "staff_wordings.yml")
    assert [(w.wording, w.item, w.added_by) for w in saved] == [
        ("卡片飞了", "card_loss_report", "ed")]
    # searched at once: the agent console's search needs no restart
    results = get_json(inbox_server.url + "/api/search?q=" + quote("卡片飞了"))[2]["results"]
    assert results[0]["id"] == "card_loss_report"

    assert client.post("/staff/inbox/resolve", {"entry": key["fallback"], "kind": "gap"})[0] \
        == 200
    assert client.post("/staff/inbox/resolve", {"entry": key["down"], "kind": "right"})[0] == 200
    remaining = json.loads(client.get("/staff/api/inbox")[2])["entries"]
    assert [e["why"] for e in remaining] == ["low_confidence"]
    resolved = json.loads(client.get("/staff/api/inbox?show=resolved")[2])["entries"]
    assert {e["resolution"]["kind"] for e in resolved} == {"means", "gap", "right"}
    assert "嗯嗯啊啊" in client.get("/staff/gaps")[2]
    audit = client.get("/staff/audit")[2]
    assert "resolve means" in audit and "卡片飞了 → card_loss_report" in audit
    assert "resolve gap" in audit and "resolve right" in audit


@pytest.mark.parametrize("form, message", [
    ({"kind": "means", "item_id": "no_such_item", "wording": "卡片飞了"}, "指南中没有事项"),
    ({"kind": "means", "item_id": "", "wording": "卡片飞了"}, "指南中没有事项"),
    ({"kind": "means", "item_id": "card_loss_report", "wording": "卡"}, "说法须为"),
    ({"kind": "means", "item_id": "card_loss_report", "wording": "卡号6222021234"}, "个人号码"),
    ({"kind": "other"}, "请选择处理方式"),
])
def test_bad_resolutions_are_refused_with_the_reason(inbox_server, tmp_path, form, message):
    client = Client(inbox_server.url)
    client.login("ed")
    entries = json.loads(client.get("/staff/api/inbox")[2])["entries"]
    status, _, page = client.post("/staff/inbox/resolve", {"entry": entries[0]["key"], **form})
    assert status == 400 and message in page
    assert not (tmp_path / "staff_wordings.yml").exists()
    assert len(json.loads(client.get("/staff/api/inbox")[2])["entries"]) == len(entries)


def test_an_entry_is_resolved_once(inbox_server):
    client = Client(inbox_server.url)
    client.login("ed")
    key = json.loads(client.get("/staff/api/inbox")[2])["entries"][0]["key"]
    assert client.post("/staff/inbox/resolve", {"entry": key, "kind": "right"})[0] == 200
    status, _, page = client.post("/staff/inbox/resolve", {"entry": key, "kind": "gap"})
    assert status == 400 and "已经处理过了" in page
    status, _, page = client.post("/staff/inbox/resolve", {"entry": "turn:999999",
                                                           "kind": "gap"})
    assert status == 400 and "没有这个条目" in page
