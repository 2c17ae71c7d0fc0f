"""The JSON API and the pages, against the app served on 127.0.0.1 at a random port."""
from __future__ import annotations

import json
import sqlite3
import time
from urllib.parse import quote

import pytest

from guide_kb import render
from guide_kb.hours import today
from guide_kb.loader import load_guide
from tests.web.conftest import get_json, http

GUIDE = load_guide()


def _search(server, query: str, **kwargs):
    return get_json(f"{server.url}/api/search?q={quote(query)}", **kwargs)


def _error(status_headers_body, status: int) -> str:
    code, headers, body = status_headers_body
    assert code == status
    assert headers["Content-Type"].startswith("application/json")
    assert set(body) == {"error"} and body["error"]
    return body["error"]


# ───────────────────────────── /api/search ─────────────────────────────

def test_search_finds_card_loss_with_everything_the_console_shows(api_server):
    status, headers, body = _search(api_server, "社保卡挂失")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    top = body["results"][0]
    item = GUIDE.item("card_loss_report")
    assert top["id"] == item.id and top["name"] == item.name == "社会保障卡挂失"
    assert top["package"] == {"id": "social_security_card", "number": 10, "ordinal": "第十包",
                              "name": "社保卡服务包", "source": "第十包「社保卡服务包」"}
    assert [m["label"] for m in top["materials"]] == [m.label() for m in item.materials]
    assert top["steps"] == [s.line() for s in item.steps]
    assert top["place_lines"] == render.place_lines(GUIDE, item)
    assert top["answer"] == render.card_answer(GUIDE, item, today())
    assert top["source"].startswith("来源：《抚顺市人社服务快办行动打包办服务指南（试行）》第十包")


def test_json_is_utf8_not_ascii_escaped(api_server):
    status, _, raw = http("GET", f"{api_server.url}/api/search?q={quote('社保卡挂失')}")
    assert status == 200
    assert "社会保障卡挂失".encode("utf-8") in raw and b"\\u" not in raw


def test_search_reports_whether_window_59_takes_it_today(api_server):
    # BOT_TODAY is pinned to 2020-12-07 (conftest): inside 每月1-15号.
    top = _search(api_server, "丧葬补助金")[2]["results"][0]
    assert top["id"] == "funeral_grant"
    assert top["windows"] == [59]
    assert top["hours"]["text"] == "每月1-15号" and top["hours"]["open_today"] is True
    assert top["hours"]["today"].startswith("今天是12月7日，在办理时间内")


def test_search_hours_closed_outside_days(api_server, monkeypatch):
    monkeypatch.setenv("BOT_TODAY", "2020-12-20")
    top = _search(api_server, "丧葬补助金")[2]["results"][0]
    assert top["hours"]["open_today"] is False
    assert top["hours"]["next_open"] == "2021-01-01"
    assert "不在办理时间内" in top["hours"]["today"]


def test_search_without_match_is_an_empty_list(api_server):
    status, _, body = _search(api_server, "今天天气怎么样")
    assert status == 200 and body["results"] == []


@pytest.mark.parametrize("suffix, fragment", [
    ("", "缺少"),
    ("?q=", "不能为空"),
    ("?q=%20%20%20", "不能为空"),
    ("?q=" + "社" * 201, "过长"),
    ("?q=abc&limit=0", "limit"),
    ("?q=abc&limit=abc", "limit"),
    ("?q=abc&limit=11", "limit"),
])
def test_search_rejects_bad_queries_with_json_400(api_server, suffix, fragment):
    url = f"{api_server.url}/api/search" + quote(suffix, safe="?=&%")
    message = _error(get_json(url), 400)
    assert fragment in message


def test_search_accepts_exactly_200_chars_and_odd_input(api_server):
    assert _search(api_server, "社" * 200)[0] == 200
    for odd in ["<script>alert(1)</script>", "%ZZ", "\x00\x01", "'; DROP TABLE x; --", "😀" * 50]:
        status, _, body = _search(api_server, odd)
        assert status == 200 and isinstance(body["results"], list)


def test_raw_utf8_in_the_url_is_understood(api_server):
    """curl sends 社保卡 unencoded; Sanic 21.12 alone would drop the connection."""
    import socket
    with socket.create_connection(("127.0.0.1", api_server.port), timeout=5) as sock:
        sock.sendall("GET /api/search?q=社保卡挂失 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                     .encode("utf-8"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 200")
    assert "社会保障卡挂失".encode() in data


def test_search_is_fast(api_server):
    url = f"{api_server.url}/api/search?q={quote('失业保险金申领需要什么材料')}"
    http("GET", url)  # warm up
    timings = []
    for _ in range(10):
        start = time.perf_counter()
        status, _, _ = http("GET", url)
        timings.append(time.perf_counter() - start)
        assert status == 200
    assert sorted(timings)[5] < 0.1, timings


# ───────────────────────────── packages and items ─────────────────────────────

def test_packages_lists_all_ten_with_their_items(api_server):
    status, _, body = get_json(f"{api_server.url}/api/packages")
    assert status == 200
    assert [p["ordinal"] for p in body["packages"]] == [p.ordinal for p in GUIDE.packages]
    assert len(body["packages"]) == 10
    for package, data in zip(GUIDE.packages, body["packages"], strict=False):
        assert data["name"] == package.name
        assert [i["id"] for i in data["items"]] == [i.id for i in package.items]
    assert body["document"]["hotline"] == "12333"
    assert (body["document"]["version"], body["document"]["effective_date"]) == (
        "试行", "2020-12-07")


def test_every_item_is_served(api_server):
    for item in GUIDE.items:
        status, _, body = get_json(f"{api_server.url}/api/items/{item.id}")
        assert status == 200 and body["name"] == item.name
        assert body["answer"] == render.card_answer(GUIDE, item, today())
        assert body["note"] == item.note  # the heading's note, for the agent console


def test_the_agent_console_shows_the_heading_s_note(api_server):
    body = get_json(f"{api_server.url}/api/items/one_time_death_grant")[2]
    assert body["note"] == "一次性工亡补助金（含生活困难，预计50%确认）"


@pytest.mark.parametrize("item_id", ["nope", "CARD_LOSS_REPORT", "..%2F..%2Fetc", "%E4%BD%A0",
                                     "x" * 500])
def test_unknown_item_is_json_404(api_server, item_id):
    _error(get_json(f"{api_server.url}/api/items/{item_id}"), 404)


def test_unknown_api_path_and_method_are_json(api_server):
    _error(get_json(f"{api_server.url}/api/nothing"), 404)
    _error(get_json(f"{api_server.url}/api/feedback"), 405)
    _error(get_json(f"{api_server.url}/api/items"), 404)


# ───────────────────────────── feedback ─────────────────────────────

WIDGET_ORIGIN = {"Origin": "https://www.example.gov.cn"}  # what a browser sends from the page


def _post(server, payload, raw: bytes = None, headers=None):
    body = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
    status, response_headers, data = http("POST", f"{server.url}/api/feedback", body,
                                          {"Content-Type": "application/json",
                                           **(WIDGET_ORIGIN if headers is None else headers)})
    return status, response_headers, json.loads(data.decode("utf-8"))


def test_feedback_is_stored_in_sqlite(api_server):
    payload = {"sender": "abc-123", "question": "社保卡丢了怎么办",
               "answer": "【社会保障卡挂失】…", "rating": "up"}
    status, _, body = _post(api_server, payload)
    assert status == 201 and body["ok"] is True
    db = api_server.app.ctx.config.feedback_db
    assert db.exists() and db.parent.name == "sub"  # the folder was created
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT sender, question, answer, rating FROM feedback WHERE id = ?",
            (body["id"],)).fetchall()
    assert rows == [("abc-123", "社保卡丢了怎么办", "【社会保障卡挂失】…", "up")]


@pytest.mark.parametrize("raw", [b"", b"{bad json", b"[1, 2]", b'"text"', b"\xff\xfe\x00",
                                 b"null", b"[" * 5000 + b"]" * 5000])
def test_feedback_rejects_invalid_json(api_server, raw):
    status, _, body = _post(api_server, None, raw=raw)
    assert status == 400 and body["error"]


@pytest.mark.parametrize("change", [
    {"rating": "meh"}, {"rating": 1}, {"rating": None}, {"sender": 5}, {"sender": ""},
    {"question": ["a"]}, {"answer": {"x": 1}}, {"answer": "a" * 9000}, {"sender": "s" * 200},
])
def test_feedback_rejects_wrong_types(api_server, change):
    payload = {"sender": "abc", "question": "q", "answer": "a", "rating": "down", **change}
    status, _, body = _post(api_server, payload)
    assert status == 400 and body["error"]


def test_feedback_missing_field(api_server):
    status, _, body = _post(api_server, {"sender": "abc", "answer": "a", "rating": "up"})
    assert status == 400 and "question" in body["error"]


def test_feedback_too_large_is_413_json(api_server):
    status, _, body = _post(api_server, None, raw=b'{"a": "' + b"x" * 200_000 + b'"}')
    assert status == 413 and body["error"]


def test_feedback_from_a_foreign_origin_is_refused(api_server):
    payload = {"sender": "abc", "question": "q", "answer": "a", "rating": "up"}
    status, _, _ = _post(api_server, payload, headers={"Origin": "https://evil.example"})
    assert status == 403
    status, headers, _ = _post(api_server, payload,
                               headers={"Origin": "https://www.example.gov.cn"})
    assert status == 201
    assert headers["Access-Control-Allow-Origin"] == "https://www.example.gov.cn"


def test_feedback_without_an_origin_is_refused(api_server):
    payload = {"sender": "abc", "question": "q", "answer": "a", "rating": "up"}
    status, _, _ = _post(api_server, payload, headers={})
    assert status == 403


def test_feedback_is_stored_masked(api_server):
    payload = {"sender": "pii", "question": "我手机１３９１２３４５６７８ 社保卡丢了",
               "answer": "【社会保障卡挂失】…", "rating": "down"}
    status, _, body = _post(api_server, payload)
    assert status == 201
    with sqlite3.connect(api_server.app.ctx.config.feedback_db) as connection:
        (question,) = connection.execute("SELECT question FROM feedback WHERE id = ?",
                                         (body["id"],)).fetchone()
    assert question == "我手机[手机号已隐藏 尾号5678] 社保卡丢了"


def test_feedback_is_rate_limited_per_sender_with_retry_after(api_server):
    payload = {"sender": "flood", "question": "q", "answer": "a", "rating": "up"}
    statuses = [_post(api_server, payload)[0] for _ in range(25)]
    assert statuses[:20] == [201] * 20 and set(statuses[20:]) == {429}
    _, headers, body = _post(api_server, payload)
    assert headers["Retry-After"] == "60" and body["error"]


# ───────────────────────────── CORS ─────────────────────────────

def test_cors_only_for_allowed_origins_and_only_on_api(api_server):
    allowed = {"Origin": "https://www.example.gov.cn"}
    _, headers, _ = get_json(f"{api_server.url}/api/packages", headers=allowed)
    assert headers["Access-Control-Allow-Origin"] == "https://www.example.gov.cn"
    _, headers, _ = get_json(f"{api_server.url}/api/packages",
                             headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in headers
    status, headers, _ = http("GET", f"{api_server.url}/agent", headers=allowed)
    assert status == 200 and "Access-Control-Allow-Origin" not in headers


def test_cors_preflight(api_server):
    status, headers, _ = http("OPTIONS", f"{api_server.url}/api/feedback", headers={
        "Origin": "https://www.example.gov.cn", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "https://www.example.gov.cn"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in headers["Access-Control-Allow-Headers"]
    status, headers, _ = http("OPTIONS", f"{api_server.url}/api/feedback",
                              headers={"Origin": "https://evil.example",
                                       "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in headers


# ───────────────────────────── OpenAPI and pages ─────────────────────────────

def test_openapi_describes_every_route(api_server):
    status, _, spec = get_json(f"{api_server.url}/api/openapi.json")
    assert status == 200 and spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {"/api/search", "/api/packages", "/api/items/{id}",
                                  "/api/feedback", "/api/feedback/{id}/reason",
                                  "/api/openapi.json"}
    assert spec["paths"]["/api/search"]["get"]["parameters"][0]["schema"]["maxLength"] == 200


def test_pages_are_served_with_a_strict_csp(api_server):
    for path in ["/", "/agent", "/agent/print/card_loss_report"]:
        status, headers, body = http("GET", api_server.url + path)
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        text = body.decode("utf-8")
        assert "<script>" not in text and "style=" not in text  # no inline script or style


def test_demo_page_embeds_the_widget_and_shows_the_guide(api_server):
    _, _, body = http("GET", api_server.url + "/")
    text = body.decode("utf-8")
    assert 'src="/static/widget.js"' in text and 'data-bot-url="http://localhost:5005"' in text
    assert 'data-title="抚顺人社快办助手"' in text and 'data-color="#c00000"' in text
    for package in GUIDE.packages:
        assert package.name in text


def test_print_view_lists_the_materials(api_server):
    status, _, body = http("GET", api_server.url + "/agent/print/funeral_grant")
    text = body.decode("utf-8")
    assert status == 200
    item = GUIDE.item("funeral_grant")
    for material in item.materials:
        assert material.label() in text
    assert "每月1-15号" in text and "第八包" in text
    status, _, _ = http("GET", api_server.url + "/agent/print/nope")
    assert status == 404


def test_static_files_declare_utf8(api_server):
    for name in ["widget.js", "widget.css", "agent.js"]:
        status, headers, _ = http("GET", f"{api_server.url}/static/{name}")
        assert status == 200 and "charset=utf-8" in headers["Content-Type"]
    assert http("GET", f"{api_server.url}/static/../app.py")[0] == 404


def test_no_stack_traces_for_bad_input(api_server):
    for method, path in [("GET", "/static/nope.js"), ("DELETE", "/api/search?q=a"),
                         ("POST", "/api/search?q=a"), ("PUT", "/api/feedback"),
                         ("GET", "/agent/print/%00"), ("GET", "/%ff%fe")]:
        status, _, body = http(method, api_server.url + path)
        assert 400 <= status < 500, (method, path, status)
        assert b"Traceback" not in body and b"File \"" not in body
