"""Rasa's REST channel with the guards a public endpoint needs.

Same URL and JSON as Rasa's own (`/webhooks/rest/webhook`, {"sender", "message"}), plus:
invalid JSON and wrong types get a 400 with a clear message, empty messages a polite reply, long
messages are cut before NLU, personal numbers are masked before the tracker store sees them, and
each sender and IP is rate limited with a polite message. Nothing reaches the bot from a refused
request, and a failing bot turns into a polite 系统繁忙 reply, never a 500.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.privacy import REMINDER, mask
from channels.ratelimit import SlidingWindowLimiter
from guide_kb.normalize import strip_control

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024  # 20,000 CJK characters fit; the text is cut to max_message_chars
MAX_SENDER_CHARS = 128
BUSY = ("系统繁忙，暂时无法回答。请稍后再试，或拨打人力资源和社会保障服务热线12333。")
EMPTY = "请输入您要咨询的问题，例如：失业金怎么领？社保卡丢了怎么办？"
TOO_FAST = "您发送得太快了，请稍等片刻再问。急事请拨打人力资源和社会保障服务热线12333。"


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "GuardedRestInput":
        credentials = credentials or {}
        return cls(max_message_chars=int(credentials.get("max_message_chars", 500)),
                   per_sender_per_minute=int(credentials.get("per_sender_per_minute", 30)),
                   per_ip_per_minute=int(credentials.get("per_ip_per_minute", 300)))

    def __init__(self, max_message_chars: int = 500, per_sender_per_minute: int = 30,
                 per_ip_per_minute: int = 300) -> None:
        self.max_message_chars = max_message_chars
        self.sender_limiter = SlidingWindowLimiter(per_sender_per_minute, 60)
        self.ip_limiter = SlidingWindowLimiter(per_ip_per_minute, 60)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        hook = Blueprint("guarded_rest_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self.handle(request, on_new_message)

        return hook

    async def handle(self, request: Request,
                     on_new_message: Callable[[UserMessage], Awaitable[None]]) -> HTTPResponse:
        parsed = _parse(request)
        if isinstance(parsed, str):
            return response.json({"error": parsed}, status=400)
        sender, text = parsed
        ip = _client_ip(request)
        if (ip and not self.ip_limiter.allow(ip)) or not self.sender_limiter.allow(sender):
            return _reply(sender, [TOO_FAST], status=429)
        text = " ".join(strip_control(text).split())
        if not text:
            return _reply(sender, [EMPTY])
        text, masked = mask(text[: self.max_message_chars])
        collector = CollectingOutputChannel()
        try:
            await on_new_message(UserMessage(text, collector, sender, input_channel=self.name()))
        except Exception:  # the bot failed: say so politely, keep the server up
            logger.exception("rest channel: the bot failed on a message")
            return _reply(sender, [BUSY])
        messages = collector.messages or [{"recipient_id": sender, "text": BUSY}]
        if masked:
            messages.append({"recipient_id": sender, "text": REMINDER})
        return response.json(messages)


LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def _client_ip(request: Request) -> Optional[str]:
    """The client's address; behind the local reverse proxy (nginx on loopback), the first
    X-Forwarded-For entry. None for local callers without one (tests, benchmarks, the web app)."""
    peer = request.ip
    if peer in LOOPBACK:
        forwarded = request.headers.get("x-forwarded-for", "")
        return forwarded.split(",")[0].strip() or None
    return peer


def _parse(request: Request):
    """(sender, message) or the reason the request is refused."""
    if len(request.body or b"") > MAX_BODY_BYTES:
        return f"request body over {MAX_BODY_BYTES} bytes"
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return "body must be JSON: {\"sender\": \"...\", \"message\": \"...\"}"
    if not isinstance(body, dict):
        return "body must be a JSON object: {\"sender\": \"...\", \"message\": \"...\"}"
    sender, text = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not sender.strip():
        return "sender must be a non-empty string"
    if len(sender) > MAX_SENDER_CHARS or strip_control(sender) != sender:
        return f"sender must be at most {MAX_SENDER_CHARS} printable characters"
    if not isinstance(text, str):
        return "message must be a string"
    return sender, text


def _reply(sender: str, texts: List[str], status: int = 200) -> HTTPResponse:
    return response.json([{"recipient_id": sender, "text": t} for t in texts], status=status)
