"""After a 👎, the reason (与问题无关 / 答案不完整 / 答案有错误 / 其他 with a note): stored with the
rating, masked, only by the sender who rated, only for a 👎; and the widget asks it."""
from __future__ import annotations

import json
import sqlite3

import pytest

from tests.web.conftest import http
from web.feedback import REASONS

ORIGIN = "https://www.example.gov.cn"


@pytest.fixture(scope="module")
def server(serve):
    return serve(allowed_origins=(ORIGIN,))


def _post(server, path, body, origin=ORIGIN):
    headers = {"Content-Type": "application/json", **({"Origin": origin} if origin else {})}
    status, _, raw = http("POST", server.url + path,
                          json.dumps(body, ensure_ascii=False).encode(), headers)
    return status, json.loads(raw or b"null")


def _rate(server, sender, rating):
    status, body = _post(server, "/api/feedback", {"sender": sender, "question": "社保卡丢了",
                                                   "answer": "挂失答复", "rating": rating})
    assert status == 201
    return body["id"]


def _row(server, row_id):
    connection = sqlite3.connect(server.app.ctx.feedback.path)
    try:
        return connection.execute("SELECT rating, reason, note FROM feedback WHERE id = ?",
                                  (row_id,)).fetchone()
    finally:
        connection.close()


def test_the_reason_is_stored_masked_with_the_rating(server):
    row = _rate(server, "reason-1", "down")
    status, body = _post(server, f"/api/feedback/{row}/reason",
                         {"sender": "reason-1", "reason": "其他", "note": "我电话13912345678"})
    assert (status, body) == (200, {"ok": True})
    assert _row(server, row) == ("down", "其他", "我电话[手机号已隐藏 尾号5678]")


@pytest.mark.parametrize("body, status", [
    ({"sender": "reason-2", "reason": "不喜欢"}, 400),
    ({"sender": "reason-2"}, 400),
    ({"sender": "reason-2", "reason": "其他", "note": "长" * 201}, 400),
    ({"sender": "reason-2", "reason": "其他", "note": 5}, 400),
    ({"sender": "someone-else", "reason": "答案有错误"}, 404),
    ([], 400),
])
def test_bad_or_foreign_reasons_are_refused(server, body, status):
    row = _rate(server, "reason-2", "down")
    assert _post(server, f"/api/feedback/{row}/reason", body)[0] == status
    assert _row(server, row) == ("down", None, None)


def test_a_thumbs_up_has_no_reason_and_other_sites_cannot_post(server):
    row = _rate(server, "reason-3", "up")
    assert _post(server, f"/api/feedback/{row}/reason",
                 {"sender": "reason-3", "reason": "答案不完整"})[0] == 404
    down = _rate(server, "reason-3", "down")
    assert _post(server, f"/api/feedback/{down}/reason",
                 {"sender": "reason-3", "reason": "答案不完整"}, origin=None)[0] == 403
    assert _post(server, f"/api/feedback/{down}/reason",
                 {"sender": "reason-3", "reason": "答案不完整"},
                 origin="https://evil.example")[0] == 403
    assert _post(server, "/api/feedback/999999/reason",
                 {"sender": "reason-3", "reason": "答案不完整"})[0] == 404


def test_the_widget_offers_the_same_reasons():
    from web.app import STATIC_DIR
    script = (STATIC_DIR / "widget.js").read_text(encoding="utf-8")
    assert json.dumps(list(REASONS), ensure_ascii=False).replace(", ", ",") in \
        script.replace('", "', '","')
