"""Fixtures of the web tests: the Sanic app served on 127.0.0.1, the bot, Chromium.

Browser tests use Debian's /usr/bin/chromium through Playwright and are skipped (with the reason)
when it is absent. The widget talks to the real bot (Rasa and the action server on loopback, with
the trained model), or to the Rasa server WEB_TEST_BOT_URL names (started with
`rasa run --cors "*"`).
"""
from __future__ import annotations

import asyncio
import json
import os
import socket
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, Optional, Tuple

import pytest
from sanic import Sanic

from ops.local_stack import BotStack
from tests.model import require_model
from web.app import create_app
from web.config import WebConfig

# Several apps start in this process (one per bot URL); Sanic 21.12 allows that in test mode only
# (it re-applies its class-level "touchup" of request handling for each app).
Sanic.test_mode = True

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
PINNED_DAY = "2020-12-07"  # the guide's date: a day the 59号窗口 takes 工亡 claims (1-15号)


class ServerThread:
    """A Sanic app on 127.0.0.1 at a free port, in its own thread and event loop."""

    def __init__(self, app) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._ready = threading.Event()
        self._error: Optional[BaseException] = None
        self._thread = threading.Thread(target=self._run, daemon=True, name="web-app")

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            server = self.loop.run_until_complete(self.app.create_server(
                sock=self.sock, return_asyncio_server=True, access_log=False))
            self.loop.run_until_complete(server.startup())
            self.loop.run_until_complete(server.before_start())
            self.loop.run_until_complete(server.after_start())
        except BaseException as error:  # surfaced by start()
            self._error = error
            self._ready.set()
            return
        self._ready.set()
        try:
            self.loop.run_forever()
        finally:
            self._shutdown(server)

    def _shutdown(self, server) -> None:
        """Stop like Sanic does: stop listening, close idle keep-alive connections, abort the
        rest, then let every task finish before the loop closes (no 'Task was destroyed')."""
        run = self.loop.run_until_complete
        run(server.before_stop())
        server.server.close()
        run(server.server.wait_closed())
        for connection in list(server.connections):
            if not connection.close_if_idle():
                connection.abort()
        run(asyncio.sleep(0.05))
        pending = [t for t in asyncio.all_tasks(self.loop) if not t.done()]
        for task in pending:
            task.cancel()
        run(asyncio.gather(*pending, return_exceptions=True))
        run(server.after_stop())
        run(self.loop.shutdown_asyncgens())
        self.loop.close()

    def start(self) -> "ServerThread":
        self._thread.start()
        self._ready.wait(30)
        if self._error:
            raise RuntimeError(f"web app did not start: {self._error!r}")
        return self

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method: str, url: str, body: Optional[bytes] = None,
         headers: Optional[Dict[str, str]] = None) -> Tuple[int, Any, bytes]:
    """One request with urllib: (status, headers (case-insensitive), body) for any status."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def get_json(url: str, **kwargs) -> Tuple[int, Any, Any]:
    status, headers, body = http("GET", url, **kwargs)
    return status, headers, json.loads(body.decode("utf-8"))


@pytest.fixture(autouse=True, scope="module")
def _pinned_day() -> Iterator[None]:
    """Hours checks depend on the date: pin it (guide_kb.hours.today reads BOT_TODAY at request
    time) while a web test module runs, and restore it after, so other suites see the real date."""
    previous = os.environ.get("BOT_TODAY")
    os.environ["BOT_TODAY"] = PINNED_DAY
    yield
    if previous is None:
        os.environ.pop("BOT_TODAY", None)
    else:
        os.environ["BOT_TODAY"] = previous


@pytest.fixture(scope="session")
def serve(tmp_path_factory) -> Iterator[Callable[..., ServerThread]]:
    """serve(bot_url=..., allowed_origins=...) -> a running ServerThread; all stop at the end."""
    servers = []

    def start(**overrides) -> ServerThread:
        db = tmp_path_factory.mktemp("feedback") / "sub" / "feedback.db"
        config = WebConfig(**{"feedback_db": db, **overrides})
        server = ServerThread(create_app(config)).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def api_server(serve) -> ServerThread:
    return serve(allowed_origins=("https://www.example.gov.cn",))


@pytest.fixture(scope="session")
def bot_url(tmp_path_factory) -> Iterator[str]:
    """The bot the demo page's widget talks to: WEB_TEST_BOT_URL if set; else the real bot
    (Rasa + action server) with the trained model (`make test` trains it)."""
    real = os.environ.get("WEB_TEST_BOT_URL", "").strip().rstrip("/")
    if real:
        yield real
        return
    model = require_model()
    stack = BotStack(tmp_path_factory.mktemp("web-bot"))
    try:
        stack.start_actions()
        port = stack.start_rasa(model, cors=["*"])
        yield f"http://127.0.0.1:{port}"
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def site(serve, bot_url) -> ServerThread:
    """The web app whose demo page embeds the widget pointed at the bot."""
    return serve(bot_url=bot_url)


# ───────────────────────────── browser ─────────────────────────────

@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium "
                    "(apt-get install -y chromium) to run the browser tests")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()


@pytest.fixture
def context_factory(browser):
    """new_context(**kwargs) with dialogs recorded and any off-site request recorded."""
    contexts = []

    def new_context(**kwargs):
        context = browser.new_context(locale="zh-CN", **kwargs)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield new_context
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
