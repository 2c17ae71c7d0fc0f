"""The dashboard's figures equal the counts computed straight from the seeded conversations,
on SQLite and on PostgreSQL, through the JSON API, the page and the CSV."""
from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict

from tests.web.staff.conftest import CONVERSATIONS, REFUSED, Client, moment
from web.feedback import FeedbackStore, validate, validate_reason
from web.staff import dashboard


def expected(now, period: str):
    rows = defaultdict(Counter)
    senders = defaultdict(set)
    hours = [0] * 24
    services, refused = Counter(), Counter()
    for conversation in CONVERSATIONS:
        for turn in conversation.turns:
            when = moment(turn, now)
            key = (dashboard.period_of(when, period), conversation.channel)
            senders[key].add(conversation.sender)
            rows[key]["turns"] += 1
            rows[key]["answered"] += turn.outcome == "answered"
            rows[key]["refused"] += turn.outcome in REFUSED
            rows[key]["referred"] += turn.outcome in REFUSED or turn.intent == "human_handoff"
            hours[when.hour] += 1
            if turn.service:
                services[turn.service] += 1
            if turn.outcome in REFUSED:
                refused[turn.text] += 1
    for key, people in senders.items():
        rows[key]["conversations"] = len(people)
    return rows, hours, services, refused


def test_figures_equal_the_seeded_counts(seeded_tracker, staff_server, tmp_path):
    url, now = seeded_tracker
    server = staff_server(url)
    ratings = FeedbackStore(tmp_path / "feedback.db")
    for rating, reason in (("up", None), ("up", None), ("up", None), ("down", "答案不完整"),
                           ("down", None)):
        row = ratings.add(validate({"sender": "seed-00", "question": "问", "answer": "答",
                                    "rating": rating}))
        if reason:
            ratings.set_reason(row, validate_reason({"sender": "seed-00", "reason": reason}))
    client = Client(server.url)
    client.login("vi")
    for period in ("day", "week"):
        status, _, body = client.get(f"/staff/api/dashboard?period={period}&days=30")
        assert status == 200
        data = json.loads(body)
        rows, hours, services, refused = expected(now, period)
        got = {(r["period"], r["channel"]): {k: r[k] for k in
                                             ("conversations", "turns", "answered", "refused",
                                              "referred")} for r in data["rows"]}
        assert got == {key: {k: counts[k] for k in ("conversations", "turns", "answered",
                                                      "refused", "referred")}
                       for key, counts in rows.items()}
        assert data["hours"] == hours
        assert data["totals"]["turns"] == sum(len(c.turns) for c in CONVERSATIONS)
        assert data["totals"]["conversations"] == len(CONVERSATIONS)
        assert {s["ref"]: s["count"] for s in data["top_services"]} == dict(services)
        assert {r["question"]: r["count"] for r in data["top_refused"]} == dict(refused)
        assert {r["channel"] for r in data["rows"]} == {"widget", "wechat", "rest"}
        assert (data["totals"]["up"], data["totals"]["down"]) == (3, 2)
        assert data["reasons"] == {"答案不完整": 1, "未说明": 1}
    status, _, body = client.get("/staff/dashboard.csv?period=day&days=30")
    assert status == 200
    table = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    rows, *_ = expected(now, "day")
    assert {(r["period"], r["channel"]): int(r["turns"]) for r in table} == {
        key: counts["turns"] for key, counts in rows.items()}
    status, _, page = client.get("/staff/dashboard?period=week&days=30")
    assert status == 200
    total_turns = sum(len(c.turns) for c in CONVERSATIONS)
    assert f'<td data-total="turns">{total_turns}</td>' in page


def test_a_shorter_range_leaves_older_turns_out(seeded_tracker, staff_server):
    url, now = seeded_tracker
    client = Client(staff_server(url).url)
    client.login("vi")
    data = json.loads(client.get("/staff/api/dashboard?period=day&days=3")[2])
    rows, *_ = expected(now, "day")
    since = dashboard.period_of(now, "day")
    # the range starts 3×24 h ago: whole days after its first count fully
    recent = {k: v for k, v in rows.items() if k[0] > _days_before(since, 3)}
    got = {(r["period"], r["channel"]): r["turns"] for r in data["rows"]}
    for key, counts in recent.items():
        assert got[key] == counts["turns"]
    assert all(period >= _days_before(since, 3) for period, _ in got)


def _days_before(day: str, n: int) -> str:
    import datetime
    return (datetime.date.fromisoformat(day) - datetime.timedelta(days=n)).isoformat()


def test_bad_parameters_are_a_400(staff_server):
    client = Client(staff_server().url)
    client.login("vi")
    for query in ("period=month", "days=0", "days=abc", "days=400"):
        assert client.get(f"/staff/api/dashboard?{query}")[0] == 400
        assert client.get(f"/staff/dashboard?{query}")[0] == 400
