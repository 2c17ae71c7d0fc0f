"""Shared pieces of the WeChat channel tests: signing, XML, a fake bot, a real Sanic server on
loopback, and a stand-in for WeChat's API (token, 客服消息 send, menu) on loopback."""
from __future__ import annotations

import asyncio
import functools
import hashlib
import itertools
import json
import socket
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Dict, List, Optional

import aiohttp
import pytest
from aiohttp import web
from rasa.core.channels.channel import register
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from sanic import Sanic

TOKEN = "testtoken"
APPID = "wx0123456789abcdef"
APPSECRET = "testsecret0123456789"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters
ACCOUNT = "gh_0123456789ab"
OPENID = "oUser0123456789"


def sha1_sorted(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def signed_params(token: str = TOKEN, timestamp: Optional[str] = None,
                  nonce: Optional[str] = None, **extra: str) -> Dict[str, str]:
    """What WeChat sends: a fresh random nonce with every request (the channel refuses a nonce
    reused with another body)."""
    timestamp = timestamp or str(int(time.time()))
    nonce = nonce or uuid.uuid4().hex[:10]
    return {"signature": sha1_sorted(token, timestamp, nonce), "timestamp": timestamp,
            "nonce": nonce, **extra}


def message_xml(msg_type: str = "text", openid: str = OPENID, msg_id: Optional[str] = "1001",
                **fields: str) -> str:
    parts = [f"<ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>",
             f"<FromUserName><![CDATA[{openid}]]></FromUserName>",
             f"<CreateTime>{int(time.time())}</CreateTime>",
             f"<MsgType><![CDATA[{msg_type}]]></MsgType>"]
    parts += [f"<{name}><![CDATA[{value}]]></{name}>" for name, value in fields.items()]
    if msg_id:
        parts.append(f"<MsgId>{msg_id}</MsgId>")
    return "<xml>" + "".join(parts) + "</xml>"


class FakeBot:
    """Stands in for Rasa's on_new_message: records messages, answers after `delay` seconds."""

    def __init__(self, answer: Any = "您好，这是答案。", delay: float = 0.0,
                 error: Optional[Exception] = None) -> None:
        self.answer = answer
        self.delay = delay
        self.error = error
        self.messages: List[Any] = []

    @property
    def calls(self) -> int:
        return len(self.messages)

    async def __call__(self, message: Any) -> None:
        self.messages.append(message)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.error:
            raise self.error
        answers = self.answer if isinstance(self.answer, list) else [self.answer]
        for answer in answers:
            if isinstance(answer, str):
                answer = {"text": answer}
            await message.output_channel.send_response(message.sender_id, answer)


@functools.lru_cache(maxsize=1)
def domain() -> Domain:
    return Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))


class FakeAgent:
    """What the channel uses of Rasa's Agent. Messages go to the FakeBot; a fixed reply's turn
    goes through Rasa's own MessageProcessor.log_message and save_tracker (built without
    __init__, which would load a trained model) into an in-memory tracker store."""

    def __init__(self, bot: Any) -> None:
        self.handle_message = bot
        self.tracker_store = InMemoryTrackerStore(domain())
        self.lock_store = InMemoryLockStore()
        self.processor = MessageProcessor.__new__(MessageProcessor)
        vars(self.processor).update(
            tracker_store=self.tracker_store, lock_store=self.lock_store, domain=domain(),
            nlg=TemplatedNaturalLanguageGenerator(domain().responses), action_endpoint=None,
            model_metadata=SimpleNamespace(model_id="test-model", assistant_id="test"),
            max_number_of_predictions=10, on_circuit_break=None, http_interpreter=None)

    def is_ready(self) -> bool:
        return True

    async def events(self, sender_id: str = OPENID) -> List[Event]:
        tracker = await self.tracker_store.retrieve(sender_id)
        return list(tracker.events) if tracker else []


@dataclass
class Served:
    url: str
    server: Any
    session: aiohttp.ClientSession
    agent: FakeAgent

    async def post(self, body: Any, params: Optional[Dict[str, str]] = None,
                   **kwargs: Any) -> "tuple[int, str]":
        data = body.encode("utf-8") if isinstance(body, str) else body
        async with self.session.post(self.url + "/webhooks/wechat/webhook",
                                     params=signed_params() if params is None else params,
                                     data=data, **kwargs) as response:
            return response.status, await response.text()

    async def get(self, path: str = "/webhooks/wechat/webhook",
                  params: Optional[Dict[str, str]] = None) -> "tuple[int, str]":
        async with self.session.get(self.url + path, params=params or {}) as response:
            return response.status, await response.text()

    async def stop(self) -> None:
        await self.session.close()
        self.server.close()
        await self.server.wait_closed()


_app_numbers = itertools.count()


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    return sock


@pytest.fixture
async def serve(monkeypatch):
    """serve(channel, bot) → Served: the channel's blueprint in a real Sanic app on 127.0.0.1,
    mounted by Rasa's own `register` (/webhooks/<name>)."""
    # Several apps in one process: Sanic 21.12 rewrites its own methods at start-up ("TouchUp")
    # and only keeps the originals for the next app in test mode.
    monkeypatch.setattr(Sanic, "test_mode", True)
    started: List[Served] = []

    async def start(channel: Any, bot: Any) -> Served:
        app = Sanic(f"wechat_test_{next(_app_numbers)}", configure_logging=False)
        app.ctx.agent = FakeAgent(bot)  # Rasa's handler calls its handle_message
        register([channel], app, route="/webhooks/")  # as `rasa run` mounts input channels
        sock = free_socket()
        port = sock.getsockname()[1]
        server = await app.create_server(sock=sock, return_asyncio_server=True,
                                         access_log=False)
        await server.startup()
        served = Served(f"http://127.0.0.1:{port}", server, aiohttp.ClientSession(),
                        app.ctx.agent)
        started.append(served)
        return served

    yield start
    for served in started:
        await served.stop()


def as_selfmenu(menu: Dict[str, Any]) -> Dict[str, Any]:
    """A menu made by menu/create, as get_current_selfmenu_info reports it."""
    buttons = [{**b, "sub_button": {"list": b["sub_button"]}} if "sub_button" in b else b
               for b in menu["button"]]
    return {"is_menu_open": 1, "selfmenu_info": {"button": buttons}}


@dataclass
class WeChatApiStandIn:
    """Records the token, send and menu requests made to WeChat's API."""

    url: str = ""
    token_requests: List[Dict[str, str]] = field(default_factory=list)
    send_requests: List[Dict[str, Any]] = field(default_factory=list)
    send_tokens: List[str] = field(default_factory=list)
    send_raw: List[bytes] = field(default_factory=list)
    token_reply: Dict[str, Any] = field(
        default_factory=lambda: {"access_token": "ACCESS_TOKEN_1", "expires_in": 7200})
    send_replies: List[Dict[str, Any]] = field(default_factory=list)  # consumed first, then ok
    sent: asyncio.Event = field(default_factory=asyncio.Event)
    menu_calls: List[tuple] = field(default_factory=list)  # (path, access_token, JSON body)
    menu_replies: List[Dict[str, Any]] = field(default_factory=list)  # consumed first
    selfmenu: Dict[str, Any] = field(default_factory=lambda: {"is_menu_open": 0})

    async def token(self, request: web.Request) -> web.Response:
        self.token_requests.append(dict(request.query))
        reply = dict(self.token_reply)
        if "access_token" in reply:
            reply["access_token"] = f"ACCESS_TOKEN_{len(self.token_requests)}"
        return web.json_response(reply)

    async def send(self, request: web.Request) -> web.Response:
        raw = await request.read()
        self.send_raw.append(raw)
        self.send_tokens.append(request.query.get("access_token", ""))
        self.send_requests.append(json.loads(raw.decode("utf-8")))
        reply = self.send_replies.pop(0) if self.send_replies else {"errcode": 0,
                                                                    "errmsg": "ok"}
        if not reply.get("errcode"):
            self.sent.set()
        return web.json_response(reply)


    async def menu(self, request: web.Request) -> web.Response:
        raw = await request.read()
        body = json.loads(raw.decode("utf-8")) if raw else None
        self.menu_calls.append((request.path, request.query.get("access_token", ""), body))
        if self.menu_replies:
            return web.json_response(self.menu_replies.pop(0))
        if request.path == "/cgi-bin/menu/create":
            self.selfmenu = as_selfmenu(body)
            return web.json_response({"errcode": 0, "errmsg": "ok"})
        return web.json_response(self.selfmenu)


@pytest.fixture
async def wechat_api():
    stand_in = WeChatApiStandIn()
    app = web.Application()
    app.router.add_get("/cgi-bin/token", stand_in.token)
    app.router.add_post("/cgi-bin/message/custom/send", stand_in.send)
    app.router.add_post("/cgi-bin/menu/create", stand_in.menu)
    app.router.add_get("/cgi-bin/get_current_selfmenu_info", stand_in.menu)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = free_socket()
    site = web.SockSite(runner, sock)
    await site.start()
    stand_in.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    yield stand_in
    await runner.cleanup()
