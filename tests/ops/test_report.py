"""ops.report over tracker stores filled by Rasa's own SQLTrackerStore (SQLite and PostgreSQL)
and a feedback DB filled by web.feedback."""
import json
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from ops import report
from ops.settings import ROOT, Settings
from tests.ops.services import fresh_database
from web.feedback import Feedback, FeedbackStore

NOW = time.time()
DAY = 86400
OUT_OF_SCOPE = ("抱歉，这个问题不在《抚顺市人社服务快办行动打包办服务指南（试行）》的范围内，"
                "我无法回答，以免给您错误的信息。请拨打12333咨询。")


def user(text, intent, confidence, at):
    return UserUttered(text, intent={"name": intent, "confidence": confidence},
                       parse_data={"intent": {"name": intent, "confidence": confidence},
                                   "entities": [], "text": text}, timestamp=at)


def turn(text, intent, confidence, answer, at, service=None, outcome="answered"):
    events = [user(text, intent, confidence, at),
              ActionExecuted("action_answer", timestamp=at + 0.1),
              BotUttered(answer, timestamp=at + 0.2),
              SlotSet("outcome", outcome, timestamp=at + 0.25)]
    if service:
        events.append(SlotSet("service", service, timestamp=at + 0.3))
    return events + [ActionExecuted("action_listen", timestamp=at + 0.4)]


def start(at):
    return [ActionExecuted("action_session_start", timestamp=at),
            SessionStarted(timestamp=at), ActionExecuted("action_listen", timestamp=at)]


CONVERSATIONS = {
    # answered, then a new session that carries the slot over (not a new question)
    "citizen-a": start(NOW - 600)
    + turn("社保卡补办", "inform_service", 0.95, "【社会保障卡补领、换领、换发】…", NOW - 590,
           "item:card_replacement")
    + turn("需要带什么", "ask_materials", 0.91, "所需材料：身份证…", NOW - 580,
           "item:card_replacement")
    + start(NOW - 300) + [SlotSet("service", "item:card_replacement", timestamp=NOW - 300)]
    + turn("在哪办", "ask_place", 0.97, "办理地点…", NOW - 290, "item:card_replacement"),
    # out of scope twice, nlu_fallback once
    "citizen-b": start(NOW - 500)
    + turn("公积金怎么提取", "out_of_scope", 0.93, OUT_OF_SCOPE, NOW - 490, outcome="not_covered")
    + turn(" 公积金怎么提取\t", "out_of_scope", 0.88, OUT_OF_SCOPE, NOW - 480,
           outcome="not_covered")
    + turn("哪天可以去", "nlu_fallback", 0.3, OUT_OF_SCOPE, NOW - 470, outcome="out_of_scope"),
    # low confidence answered; a confident intent that still got the out-of-scope reply
    "citizen-c": start(NOW - 400)
    + turn("社保卡补办咋整", "inform_service", 0.55, "【社会保障卡补领、换领、换发】…",
           NOW - 390, "item:card_replacement")
    + turn("北京今天限行吗", "ask_place", 0.81, OUT_OF_SCOPE, NOW - 380, outcome="out_of_scope")
    + turn("失业保险关系转出需要什么", "ask_materials", 0.97, "所需材料…", NOW - 370,
           "item:unemployment_benefit_transfer_out,package:unemployment")
    + turn("x", "ask_materials", 0.9, "…", NOW - 360, "item:no_such_item"),
    # ten days ago: only in the all-time report
    "citizen-old": start(NOW - 10 * DAY)
    + turn("公积金怎么提取", "out_of_scope", 0.9, OUT_OF_SCOPE, NOW - 10 * DAY + 5,
           outcome="not_covered")
    + turn("失业金怎么领", "ask_steps", 0.58, "办理流程…", NOW - 10 * DAY + 15,
           "item:unemployment_benefit_claim"),
}


async def fill(store: SQLTrackerStore, domain: Domain) -> None:
    for sender, events in CONVERSATIONS.items():
        tracker = DialogueStateTracker.from_events(sender, events, slots=domain.slots)
        await store.save(tracker)


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture(params=["sqlite", "postgresql"])
async def tracker_settings(request, tmp_path, domain):
    if request.param == "sqlite":
        path = tmp_path / "tracker.db"
        store = SQLTrackerStore(domain, dialect="sqlite", db=str(path))
        await fill(store, domain)
        store.engine.dispose()
        yield Settings(sqlite_path=path)
        return
    databases = fresh_database("rasa_report")
    url = next(databases)
    try:
        parsed = urlparse(url)
        store = SQLTrackerStore(domain, dialect="postgresql", host=parsed.hostname,
                                port=parsed.port, db=parsed.path.lstrip("/"),
                                username=parsed.username)
        await fill(store, domain)
        store.engine.dispose()
        yield Settings(tracker_db_url=url)
    finally:
        databases.close()


@pytest.fixture
def feedback_db(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.db")
    for rating in ("up", "up", "down"):
        store.add(Feedback(sender="citizen-a", question="社保卡补办", answer="…", rating=rating))
    return store.path


def rows(report_part):
    return {row["question"]: row for row in report_part}


def test_all_time(tracker_settings, feedback_db):
    made = report.build_report(tracker_settings, feedback_db, now=NOW)
    assert made["conversations"] == 4 and made["questions"] == 12
    fallback = rows(made["fallback"])
    assert fallback["公积金怎么提取"]["count"] == 3      # whitespace does not split a question
    assert fallback["公积金怎么提取"]["reasons"] == {"not_covered": 3}
    assert fallback["哪天可以去"]["reasons"] == {"out_of_scope": 1}
    assert fallback["北京今天限行吗"]["reasons"] == {"out_of_scope": 1}  # the recorded outcome
    assert made["fallback"][0]["question"] == "公积金怎么提取"
    assert set(fallback) == {"公积金怎么提取", "哪天可以去", "北京今天限行吗"}
    low = rows(made["low_confidence"])
    assert set(low) == {"社保卡补办咋整", "失业金怎么领"}
    assert low["社保卡补办咋整"]["lowest_confidence"] == 0.55
    services = {row["ref"]: row for row in made["services"]}
    card = services["item:card_replacement"]
    assert card["count"] == 4 and card["conversations"] == 2  # the carried-over slot: not counted
    assert card["name"] == "社会保障卡补领、换领、换发"
    assert made["services"][0]["ref"] == "item:card_replacement"
    assert services["item:unemployment_benefit_claim"]["name"] == "失业保险金申领"
    assert services["package:unemployment"]["count"] == 1
    assert services["item:no_such_item"]["name"].startswith("(unknown)")
    assert made["feedback"]["up"] == 2 and made["feedback"]["down"] == 1


def test_since_days(tracker_settings, feedback_db):
    made = report.build_report(tracker_settings, feedback_db, since_days=7, now=NOW)
    assert made["conversations"] == 3
    assert rows(made["fallback"])["公积金怎么提取"]["count"] == 2
    assert "失业金怎么领" not in rows(made["low_confidence"])
    assert "item:unemployment_benefit_claim" not in {r["ref"] for r in made["services"]}
    assert made["feedback"]["up"] == 2  # given just now


def test_missing_feedback_db_counts_zero(tmp_path):
    assert report.feedback_counts(tmp_path / "none.db") == {"up": 0, "down": 0}
    assert not (tmp_path / "none.db").exists()


def test_cli_text_and_json(tracker_settings, feedback_db, monkeypatch, capsys):
    if tracker_settings.tracker_db_url:
        monkeypatch.setenv("TRACKER_DB_URL", tracker_settings.tracker_db_url)
    else:
        monkeypatch.delenv("TRACKER_DB_URL", raising=False)
        monkeypatch.setenv("TRACKER_SQLITE_PATH", str(tracker_settings.sqlite_path))
    monkeypatch.setenv("FEEDBACK_DB", str(feedback_db))
    assert report.main([]) == 0
    text = capsys.readouterr().out
    assert "4 conversations, 12 questions" in text
    assert "      3  公积金怎么提取   [not_covered 3, lowest confidence 0.88]" in text
    assert "北京今天限行吗   [out_of_scope" in text
    assert "社会保障卡补领、换领、换发  (item:card_replacement)" in text
    assert "👍 2   👎 1" in text
    assert report.main(["--json", "--since", "7"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert made["since_days"] == 7 and made["conversations"] == 3
    assert made["feedback"] == {"db": str(feedback_db), "up": 2, "down": 1}


def test_cli_without_a_tracker_store_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("TRACKER_DB_URL", raising=False)
    monkeypatch.setenv("TRACKER_SQLITE_PATH", str(tmp_path / "none.db"))
    monkeypatch.setenv("FEEDBACK_DB", str(tmp_path / "feedback.db"))
    assert report.main([]) == 1
    assert "no tracker store at" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()  # the report never creates the store


def test_cli_with_an_unreachable_postgresql_says_so(monkeypatch, capsys):
    from tests.ops.services import closed_port

    monkeypatch.setenv("TRACKER_DB_URL", f"postgresql://u:secret@127.0.0.1:{closed_port()}/x")
    assert report.main(["--json"]) == 1
    err = capsys.readouterr().err
    assert "cannot read the tracker store" in err and "secret" not in err


def test_cli_rejects_bad_arguments(capsys):
    with pytest.raises(SystemExit):
        report.main(["--since", "0"])
    with pytest.raises(SystemExit):
        report.main(["--since", "soon"])


def test_makefile_target():
    makefile = (ROOT / "Makefile").read_text()
    assert "$(BIN)/python -m ops.report $(ARGS)" in makefile
    assert Path(report.__file__).name == "report.py"
