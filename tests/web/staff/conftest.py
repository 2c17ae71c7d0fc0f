"""Fixtures of the staff pages' tests: a seeded tracker store (Rasa's own SQLTrackerStore, on
SQLite or PostgreSQL), the web app with its staff data in temporary files, logged-in clients."""
from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from ops.settings import ROOT
from tests.ops.services import fresh_database
from tests.web.conftest import ServerThread
from web.app import create_app
from web.config import WebConfig
from web.staff import accounts
from web.staff.dashboard import LOCAL
from web.staff.store import StaffStore

PASSWORD = "correct horse battery"
REFUSED = ("not_covered", "unfit", "out_of_scope")


@dataclass(frozen=True)
class SeedTurn:
    day: int           # days before today (Beijing time)
    hour: int          # Beijing time
    text: str
    intent: str
    confidence: float
    outcome: Optional[str]
    service: Optional[str] = None


@dataclass(frozen=True)
class Conversation:
    sender: str
    channel: str       # widget / wechat / rest
    turns: Tuple[SeedTurn, ...]


def _conversations() -> List[Conversation]:
    """A spread of channels, days, hours and outcomes, with a session restart in one of them."""
    made = []
    outcomes = ("answered", "answered", "asked", "not_covered", "out_of_scope", "unfit", None)
    for n in range(18):
        channel = ("widget", "wechat", "rest")[n % 3]
        turns = []
        for k in range(1 + n % 4):
            outcome = outcomes[(n + k) % len(outcomes)]
            intent = "human_handoff" if outcome is None else (
                "nlu_fallback" if (n + k) % 5 == 0 else "ask_materials")
            turns.append(SeedTurn(day=(n * 2 + k) % 9, hour=(n * 5 + k * 3) % 24,
                                  text=f"问题{n}-{k}" if outcome not in REFUSED else
                                  f"拒答说法{(n + k) % 4}",
                                  intent=intent, confidence=0.4 + ((n + k) % 6) / 10,
                                  outcome=outcome,
                                  service="item:card_loss_report" if outcome == "answered"
                                  else None))
        made.append(Conversation(f"seed-{n:02d}", channel, tuple(turns)))
    return made


CONVERSATIONS = _conversations()


def moment(turn: SeedTurn, now: datetime.datetime) -> datetime.datetime:
    day = (now.astimezone(LOCAL) - datetime.timedelta(days=turn.day)).date()
    return datetime.datetime.combine(day, datetime.time(turn.hour, 30), LOCAL)


def _events(conversation: Conversation, now: datetime.datetime) -> list:
    metadata = {"client": "widget"} if conversation.channel == "widget" else None
    input_channel = "wechat" if conversation.channel == "wechat" else "rest"
    ordered = sorted(conversation.turns, key=lambda t: moment(t, now))
    first = moment(ordered[0], now).timestamp()
    events = [SessionStarted(timestamp=first - 2),
              SlotSet("outcome", "answered", timestamp=first - 1)]  # carried over: not a turn
    for turn in ordered:
        at = moment(turn, now).timestamp()
        events.append(UserUttered(turn.text, intent={"name": turn.intent,
                                                     "confidence": turn.confidence},
                                  parse_data={"intent": {"name": turn.intent,
                                                         "confidence": turn.confidence},
                                              "entities": [], "text": turn.text},
                                  input_channel=input_channel, metadata=metadata,
                                  timestamp=at))
        if turn.outcome:
            events.append(SlotSet("outcome", turn.outcome, timestamp=at + 0.1))
        if turn.service:
            events.append(SlotSet("service", turn.service, timestamp=at + 0.2))
        events.append(BotUttered(f"答复：{turn.text}", timestamp=at + 0.3))
    return events


def save_trackers(store: SQLTrackerStore, trackers: List[DialogueStateTracker]) -> None:
    """Saved with Rasa's own store, in a thread of its own: the browser tests' Playwright keeps
    an event loop running in this one."""
    async def save_all() -> None:
        for tracker in trackers:
            await store.save(tracker)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, save_all()).result()


def seed(store: SQLTrackerStore, now: datetime.datetime) -> None:
    save_trackers(store, [DialogueStateTracker.from_events(c.sender, _events(c, now))
                          for c in CONVERSATIONS])


def sqlite_store(path: Path) -> SQLTrackerStore:
    return SQLTrackerStore(Domain.load(str(ROOT / "domain.yml")), dialect="sqlite", db=str(path))


def postgres_store(url: str) -> SQLTrackerStore:
    parts = make_url(url)
    return SQLTrackerStore(Domain.load(str(ROOT / "domain.yml")), dialect="postgresql",
                           host=parts.host, port=parts.port, db=parts.database,
                           username=parts.username, password=parts.password)


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded_tracker(request, tmp_path) -> Iterator[Tuple[str, datetime.datetime]]:
    """(SQLAlchemy URL of a tracker store holding CONVERSATIONS, the `now` they were seeded at)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    if request.param == "sqlite":
        path = tmp_path / "tracker.db"
        seed(sqlite_store(path), now)
        yield f"sqlite:///{path}", now
        return
    for url in fresh_database("staff_dash"):
        store = postgres_store(url)
        seed(store, now)
        store.engine.dispose()
        yield url, now


def staff_config(tmp: Path, tracker_url: Optional[str], **extra) -> WebConfig:
    staff_url = (tracker_url if tracker_url and tracker_url.startswith("postgresql")
                 else f"sqlite:///{tmp / 'staff.db'}")
    return WebConfig(feedback_db=tmp / "feedback.db", tracker_url=tracker_url,
                     staff_db_url=staff_url, secret_file=tmp / "secret.key", **extra)


class Client:
    """A browser-like client: cookies kept, redirects followed, forms posted with the page's
    CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = ""

    def request(self, method: str, path: str, form: Optional[Dict[str, str]] = None,
                headers: Optional[Dict[str, str]] = None) -> Tuple[int, str, str]:
        """(status, final URL, body)."""
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                status, url, body = response.status, response.geturl(), response.read()
        except urllib.error.HTTPError as error:
            status, url, body = error.code, self.base + path, error.read()
        text = body.decode("utf-8", errors="replace")
        found = re.search(r'name="csrf" value="([^"]+)"', text)
        if found:
            self.csrf = found.group(1)
        return status, url, text

    def get(self, path: str) -> Tuple[int, str, str]:
        return self.request("GET", path)

    def post(self, path: str, form: Dict[str, str], csrf: bool = True) -> Tuple[int, str, str]:
        return self.request("POST", path, {**form, **({"csrf": self.csrf} if csrf else {})})

    def login(self, name: str, password: str = PASSWORD) -> Tuple[int, str, str]:
        self.get("/staff/login")
        return self.post("/staff/login", {"username": name, "password": password})


@pytest.fixture
def staff_server(tmp_path) -> Iterator:
    """start(tracker_url=None, **config) -> a running app with accounts ed (editor) and vi
    (viewer)."""
    servers = []

    def start(tracker_url: Optional[str] = None, **extra) -> ServerThread:
        config = staff_config(tmp_path, tracker_url, **extra)
        store = StaffStore(config.staff_db_url)
        accounts.save(store, "ed", "editor", PASSWORD)
        accounts.save(store, "vi", "viewer", PASSWORD)
        store.engine.dispose()
        server = ServerThread(create_app(config)).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
