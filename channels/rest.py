"""Rasa's REST channel with the guards a public endpoint needs.

Same URL and JSON as Rasa's own (`/webhooks/rest/webhook`, {"sender", "message"}), plus:
invalid JSON and wrong types get a 400 with a clear message, empty messages a polite reply, long
messages are cut before NLU, personal numbers are masked before the tracker store sees them, and
each sender and IP is rate limited with a polite message. Nothing reaches the bot from a refused
request, and a failing bot turns into a polite 系统繁忙 reply, never a 500.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.hotline import with_hotline
from channels.privacy import REMINDER, mask
from channels.ratelimit import SlidingWindowLimiter
from guide_kb.normalize import strip_control
from ops import storage_health

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024  # 20,000 CJK characters fit; the text is cut to max_message_chars
MAX_SENDER_CHARS = 128
# A turn that takes longer gets 系统繁忙 while it still completes and is stored (shielded).
TURN_TIMEOUT_SECONDS = 15.0
# {hotline}: filled in from the guide (channels/hotline.py) when the channel is made
NOT_STORED = "系统暂时无法保存您的对话，这一问可能没有记下。请稍后再问一次，或拨打{hotline}。"
BUSY = "系统繁忙，暂时无法回答。请稍后再试，或拨打{hotline}。"
EMPTY = "请输入您要咨询的问题，例如：失业金怎么领？社保卡丢了怎么办？"
TOO_FAST = "您发送得太快了，请稍等一分钟再问。急事请拨打{hotline}。"
RETRY_AFTER_SECONDS = 60  # the limiters' window


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "GuardedRestInput":
        credentials = credentials or {}
        return cls(max_message_chars=int(credentials.get("max_message_chars", 500)),
                   per_sender_per_minute=int(credentials.get("per_sender_per_minute", 30)),
                   per_ip_per_minute=int(credentials.get("per_ip_per_minute", 300)),
                   turn_timeout=float(credentials.get("turn_timeout", TURN_TIMEOUT_SECONDS)))

    def __init__(self, max_message_chars: int = 500, per_sender_per_minute: int = 30,
                 per_ip_per_minute: int = 300,
                 turn_timeout: float = TURN_TIMEOUT_SECONDS) -> None:
        self.max_message_chars = max_message_chars
        self.turn_timeout = turn_timeout
        self.sender_limiter = SlidingWindowLimiter(per_sender_per_minute, 60)
        self.ip_limiter = SlidingWindowLimiter(per_ip_per_minute, 60)
        self.busy, self.too_fast, self.not_stored = map(with_hotline,
                                                        (BUSY, TOO_FAST, NOT_STORED))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        hook = Blueprint("guarded_rest_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            problem = storage_health.problem()
            if problem:  # red for the operators' monitoring; users are told per turn
                return response.json({"status": "degraded", "storage": problem}, status=503)
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self.handle(request, on_new_message)

        return hook

    async def handle(self, request: Request,
                     on_new_message: Callable[[UserMessage], Awaitable[None]]) -> HTTPResponse:
        parsed = _parse(request)
        if isinstance(parsed, RefusedRequest):
            return response.json({"error": parsed.reason}, status=parsed.status)
        sender, text = parsed
        ip = _client_ip(request)
        if (ip and not self.ip_limiter.allow(ip)) or not self.sender_limiter.allow(sender):
            # exposed to the widget's cross-origin fetch, which says how long to wait
            return _reply(sender, [self.too_fast], status=429,
                          headers={"Retry-After": str(RETRY_AFTER_SECONDS),
                                   "Access-Control-Expose-Headers": "Retry-After"})
        text = " ".join(strip_control(text).split())
        if not text:
            return _reply(sender, [EMPTY])
        text, masked = mask(text[: self.max_message_chars])
        collector = CollectingOutputChannel()
        started = time.monotonic()
        turn = asyncio.ensure_future(
            on_new_message(UserMessage(text, collector, sender, input_channel=self.name(),
                                       metadata=_client(request))))
        try:
            # shielded: on a timeout the user is answered now, the turn still completes and is
            # stored, so the next question keeps its context
            await asyncio.wait_for(asyncio.shield(turn), self.turn_timeout)
        except asyncio.TimeoutError:
            logger.warning("rest channel: a turn took over %.0f s; answered 系统繁忙",
                           self.turn_timeout)
            turn.add_done_callback(_log_failure)
            return _reply(sender, [self.busy])
        except Exception:  # the bot failed: say so politely, keep the server up
            logger.exception("rest channel: the bot failed on a message")
            return _reply(sender, [self.busy])
        if storage_health.failed_since(sender, started):
            # the turn was answered but not stored: never answer as if all were well
            return _reply(sender, [self.not_stored])
        messages = collector.messages or [{"recipient_id": sender, "text": self.busy}]
        if masked:
            messages.append({"recipient_id": sender, "text": REMINDER})
        return response.json(messages)


def _client(request: Request) -> Optional[Dict[Text, Any]]:
    """The web widget sends X-Sender-Id (web/static/widget.js): its turns are counted as the
    widget's on the staff dashboard, the other REST callers' as REST."""
    return {"client": "widget"} if request.headers.get("x-sender-id") else None


LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def _client_ip(request: Request) -> Optional[str]:
    """The client's address; behind the local reverse proxy (nginx on loopback), the first
    X-Forwarded-For entry. None for local callers without one (tests, benchmarks, the web app)."""
    peer = request.ip
    if peer in LOOPBACK:
        forwarded = request.headers.get("x-forwarded-for", "")
        return forwarded.split(",")[0].strip() or None
    return peer


class RefusedRequest:
    """Why a request is refused, and the 4xx status that says so."""

    def __init__(self, reason: str, status: int = 400) -> None:
        self.reason = reason
        self.status = status


SHAPE = "{\"sender\": \"...\", \"message\": \"...\"}"


def _parse(request: Request) -> "Tuple[str, str] | RefusedRequest":
    """(sender, message) or the reason the request is refused."""
    if len(request.body or b"") > MAX_BODY_BYTES:
        return RefusedRequest(f"request body over {MAX_BODY_BYTES} bytes", status=413)
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: deep nesting
        return RefusedRequest(f"body must be JSON: {SHAPE}")
    if not isinstance(body, dict):
        return RefusedRequest(f"body must be a JSON object: {SHAPE}")
    sender, text = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not sender.strip():
        return RefusedRequest("sender must be a non-empty string")
    if (len(sender) > MAX_SENDER_CHARS or strip_control(sender) != sender
            or not _encodable(sender)):
        return RefusedRequest(f"sender must be at most {MAX_SENDER_CHARS} printable characters")
    if not isinstance(text, str):
        return RefusedRequest("message must be a string")
    if not _encodable(text):
        return RefusedRequest("message must be valid Unicode text (no lone surrogates)")
    return sender, text


def _encodable(text: str) -> bool:
    """JSON can carry lone surrogates (\\ud800) that no database or log can store."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _log_failure(turn: "asyncio.Future[None]") -> None:
    if not turn.cancelled() and turn.exception() is not None:
        logger.error("rest channel: a timed-out turn failed", exc_info=turn.exception())


def _reply(sender: str, texts: List[str], status: int = 200,
           headers: Optional[Dict[str, str]] = None) -> HTTPResponse:
    return response.json([{"recipient_id": sender, "text": t} for t in texts], status=status,
                         headers=headers)
