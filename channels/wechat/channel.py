"""The WeChat official account (公众号) input channel: /webhooks/wechat/webhook.

GET  verifies the server URL (signature over Token, timestamp, nonce → echostr).
POST receives a message in 明文, 兼容 or 安全 mode (encrypt_type=aes: msg_signature checked, the
     message decrypted, the reply encrypted), answers with one passive text reply within the
     deadline (4.5 s of WeChat's 5 s), or answers "success" and sends the answer later through the
     客服消息 API when the bot is slower.

Menu clicks, keyword replies and the welcome come from channels/wechat/menu.yml, checked at
start-up (a malformed file disables the channel, naming the entry and the rule it breaks); a
fixed text of the file is recorded in the tracker store as a turn of the conversation.

身份证号, 手机号 and 银行卡号 in a message (text or voice transcript) are masked with
channels.privacy.mask before the bot, its tracker store or its logs see them, and the reply then
starts with a reminder not to send them (as the REST channel does).

A request is refused before anything is stored or sent to the bot: 403 for a forged signature or
a stale timestamp, 413 for a body over 64 KB, 400 for anything that is not a WeChat XML message.
Without a Token the channel is disabled and answers every request 503.

The credentials come from the environment, read by ops/settings.py (WECHAT_TOKEN, WECHAT_APPID,
WECHAT_ENCODING_AES_KEY, WECHAT_APPSECRET, WECHAT_API_BASE); the channel's entry in
credentials.yml holds only optional tuning numbers (NUMERIC_OPTIONS).
"""
from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import time
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Set, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.hotline import with_hotline
from channels.privacy import REMINDER, mask
from channels.wechat.api import normalise_api_base
from channels.wechat.crypto import MessageCrypto
from channels.wechat.customer_service import CustomerServiceClient
from channels.wechat.dedupe import Deduplicator
from channels.wechat.errors import (
    ChannelDisabled,
    ConfigurationError,
    CustomerServiceError,
    EncryptionNotConfigured,
    MalformedMessage,
    MessageTooLarge,
    WeChatError,
)
from channels.wechat.menu_file import MenuFile, load_menu
from channels.wechat.messages import (
    MAX_BODY_BYTES,
    HandlerContext,
    HandlerRegistry,
    InboundMessage,
    default_registry,
    parse_xml,
)
from channels.wechat.replies import (
    DEFAULT_LIMIT_BYTES,
    MORE_COMMAND,
    ConversationStore,
    render_messages,
    split_reply,
    text_reply_xml,
)
from channels.wechat.signature import DEFAULT_MAX_AGE, ReplayGuard, SignatureChecker
from channels.wechat.turns import FixedTurn, record_turn
from ops.settings import WeChatSettings

logger = logging.getLogger(__name__)

DEFAULT_REPLY_DEADLINE = 4.5  # seconds; WeChat gives up after 5
DEFAULT_MAX_INPUT_CHARS = 500
RETRY_GRACE = 0.3  # a retry waiting for the first delivery still answers before WeChat's 5 s

SUCCESS = "success"
NO_ANSWER_TEXT = "抱歉，我暂时没能回答这个问题。请换个说法再试，或拨打{hotline}咨询。"
FAILURE_TEXT = "抱歉，系统暂时出了点问题，请稍后再试。"
LATE_TEXT = "问题已收到，答案正在准备中。请稍后回复「更多」查看。"

NUMERIC_OPTIONS = {  # optional tuning keys of credentials.yml
    "reply_deadline": float,
    "max_input_chars": int,
    "timestamp_max_age": float,
    "reply_limit_bytes": int,
    "max_body_bytes": int,
    "dedupe_ttl": float,
}


def read_credentials(credentials: Optional[Mapping[str, Any]],
                     environ: Mapping[str, str] = os.environ) -> Dict[str, Any]:
    """Keyword arguments of WeChatInput: the credentials from the environment (ops/settings.py),
    the tuning numbers from the credentials.yml entry (None when it has none)."""
    credentials = credentials or {}
    settings: Dict[str, Any] = dataclasses.asdict(WeChatSettings.from_env(environ))
    for key, kind in NUMERIC_OPTIONS.items():
        raw = str(credentials.get(key) or "").strip()
        if raw:
            try:
                settings[key] = kind(raw)
            except ValueError:
                logger.warning("wechat: ignoring %s=%r (not a number)", key, raw)
    return settings


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than `limit` bytes without reading all of it."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise MessageTooLarge(f"Content-Length {length} is over {limit} bytes")
    if request.stream is None:
        body = request.body or b""
        if len(body) > limit:
            raise MessageTooLarge(f"body is over {limit} bytes")
        return body
    chunks: List[bytes] = []
    size = 0
    while True:
        chunk = await request.stream.read()
        if chunk is None:
            break
        size += len(chunk)
        if size > limit:
            raise MessageTooLarge(f"body is over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


class WeChatInput(InputChannel):
    """Rasa input channel for a WeChat official account."""

    @classmethod
    def name(cls) -> Text:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WeChatInput":
        return cls(**read_credentials(credentials))

    def __init__(self, token: Optional[str] = None, appid: Optional[str] = None,
                 encoding_aes_key: Optional[str] = None, appsecret: Optional[str] = None,
                 api_base: Optional[str] = None, *,
                 reply_deadline: float = DEFAULT_REPLY_DEADLINE,
                 max_input_chars: int = DEFAULT_MAX_INPUT_CHARS,
                 timestamp_max_age: Optional[float] = DEFAULT_MAX_AGE,
                 reply_limit_bytes: int = DEFAULT_LIMIT_BYTES,
                 max_body_bytes: int = MAX_BODY_BYTES,
                 dedupe_ttl: float = 60.0,
                 clock: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic,
                 customer_service: Optional[CustomerServiceClient] = None,
                 random_prefix: Optional[Callable[[], bytes]] = None,
                 menu: Optional[MenuFile] = None,
                 registry: Optional[HandlerRegistry] = None) -> None:
        self.reply_deadline = reply_deadline
        self.no_answer_text = with_hotline(NO_ANSWER_TEXT)
        self.max_input_chars = max_input_chars
        self.reply_limit_bytes = reply_limit_bytes
        self.max_body_bytes = max_body_bytes
        self._clock = clock
        self._monotonic = monotonic
        self.registry = registry or default_registry()
        self.store = ConversationStore(clock=monotonic)
        self.dedupe: Deduplicator[Optional[str]] = Deduplicator(ttl=dedupe_ttl, clock=monotonic)
        self._background: Set[asyncio.Future] = set()

        self.disabled_reason: Optional[str] = None
        self.checker: Optional[SignatureChecker] = None
        self.crypto: Optional[MessageCrypto] = None
        self.customer_service = customer_service
        self._no_crypto_reason = ("encrypted (兼容/安全 mode) request, but WECHAT_ENCODING_AES_KEY"
                                  " is not set")
        if not token:
            self.disabled_reason = ("WeChat channel disabled: WECHAT_TOKEN is not set. Set "
                                    "WECHAT_TOKEN (and WECHAT_APPID, WECHAT_APPSECRET, "
                                    "WECHAT_ENCODING_AES_KEY) and restart; see docs/wechat.md.")
            logger.warning(self.disabled_reason)
            return
        self.checker = SignatureChecker(token, max_age=timestamp_max_age, clock=clock)
        self.replays = ReplayGuard(timestamp_max_age, clock=clock)
        try:
            if encoding_aes_key and appid:
                self.crypto = MessageCrypto(
                    token, encoding_aes_key, appid, checker=self.checker, clock=clock,
                    **({"random_prefix": random_prefix} if random_prefix else {}))
            elif encoding_aes_key:
                self._no_crypto_reason = ("encrypted (兼容/安全 mode) request, but WECHAT_APPID "
                                          "is not set")
            if customer_service is None and appid and appsecret:
                self.customer_service = CustomerServiceClient(appid, appsecret, api_base)
            elif api_base:
                normalise_api_base(api_base)
            self._context = HandlerContext(menu=menu or load_menu())
        except (ConfigurationError, ValueError) as error:
            self.disabled_reason = f"WeChat channel disabled: {error}. See docs/wechat.md."
            logger.error(self.disabled_reason)
            return
        logger.info("wechat channel enabled: encrypted modes %s, late answers via %s, menu and "
                    "keyword replies from %s", "on" if self.crypto else "off (明文 only)",
                    "客服消息 API" if self.customer_service else "「更多」 (no WECHAT_APPSECRET)",
                    self._context.menu.source)

    # ---- helpers ------------------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        return self.disabled_reason is None

    @property
    def background_tasks(self) -> Set[asyncio.Future]:
        """Late deliveries still running (tests wait for them)."""
        return set(self._background)

    def _spawn(self, coroutine: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # ---- the blueprint ------------------------------------------------------------------------

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        wechat_webhook = Blueprint("wechat_webhook", __name__)

        @wechat_webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.json({"status": "disabled", "reason": self.disabled_reason},
                                     status=503)
            return response.json({"status": "ok"})

        @wechat_webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            return await self._guarded(self._verify, request)

        @wechat_webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            return await self._guarded(self._receive, request, on_new_message)

        return wechat_webhook

    async def _guarded(self, handler: Callable[..., Awaitable[HTTPResponse]],
                       request: Request, *args: Any) -> HTTPResponse:
        try:
            return await handler(request, *args)
        except WeChatError as error:
            log = logger.warning if error.status in (403, 503) else logger.info
            log("wechat: %s %s refused (%d): %s", request.method, request.path, error.status,
                error)
            return response.text(f"{type(error).__name__}: {error}", status=error.status)

    def _require_enabled(self) -> SignatureChecker:
        if self.disabled_reason is not None or self.checker is None:
            raise ChannelDisabled(self.disabled_reason or "WeChat channel disabled")
        return self.checker

    async def _verify(self, request: Request) -> HTTPResponse:
        args = request.args
        self._require_enabled().check(args.get("signature"), args.get("timestamp"),
                                      args.get("nonce"))
        echostr = args.get("echostr")
        if not echostr:
            raise MalformedMessage("echostr is missing")
        return response.text(echostr)

    async def _receive(self, request: Request,
                       on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        started = self._monotonic()
        args = request.args
        timestamp, nonce = args.get("timestamp"), args.get("nonce")
        self._require_enabled().check(args.get("signature"), timestamp, nonce)
        body = await read_body(request, self.max_body_bytes)
        self.replays.check(timestamp, nonce, body)
        fields = parse_xml(body, self.max_body_bytes)
        encrypted = (args.get("encrypt_type") or "raw").lower() == "aes"
        if encrypted:
            if self.crypto is None:
                raise EncryptionNotConfigured(self._no_crypto_reason)
            if not fields.get("Encrypt"):
                raise MalformedMessage("Encrypt is missing")
            inner = self.crypto.decrypt_message(fields["Encrypt"], args.get("msg_signature"),
                                                timestamp, nonce)
            fields = parse_xml(inner, self.max_body_bytes)
        message = InboundMessage.from_fields(fields)

        deadline = started + self.reply_deadline
        agent = getattr(request.app.ctx, "agent", None)  # Rasa's Agent, for fixed replies' turns
        try:
            content, _ = await self.dedupe.run(
                message.dedupe_key,
                lambda: self._process(message, on_new_message, deadline, agent),
                duplicate_wait=deadline + RETRY_GRACE - self._monotonic())
        except asyncio.TimeoutError:  # a retry whose first delivery is still running
            content = None
        if content is None:
            return response.text(SUCCESS)
        now = str(int(self._clock()))
        xml = text_reply_xml(message.openid, message.account, content, int(now))
        if encrypted and self.crypto is not None:
            xml = self.crypto.encrypt_reply(xml, nonce or "", now)
        return response.text(xml, content_type="application/xml; charset=utf-8")

    # ---- one message --------------------------------------------------------------------------

    async def _process(self, message: InboundMessage,
                       on_new_message: Callable[[UserMessage], Awaitable[Any]],
                       deadline: float, agent: Any = None) -> Optional[str]:
        """The passive reply's text, or None for "success". Returns by `deadline`."""
        outcome = self.registry.dispatch(message, self._context)
        openid = message.openid
        if outcome.kind == "silent":
            return None
        if outcome.kind == "reply":
            if outcome.turn is not None:  # recorded meanwhile: the reply does not wait for it
                self._spawn(self._record(agent, openid, outcome.turn, outcome.text))
            parts = split_reply(outcome.text, self.reply_limit_bytes)
            return self.store.start(openid, parts, {}) if len(parts) > 1 else parts[0]

        text = outcome.text.strip()
        if text == MORE_COMMAND:
            return self.store.next_part(openid)
        payload = self.store.choice(openid, text)
        masked = False
        if payload:
            text = payload
        else:  # personal numbers never reach the bot, its tracker store or its logs
            text, masked = mask(text)
            text = text[:self.max_input_chars]

        bot = asyncio.ensure_future(self._ask_bot(openid, text, on_new_message, masked))
        try:
            messages = await asyncio.wait_for(asyncio.shield(bot),
                                              max(deadline - self._monotonic(), 0))
        except asyncio.TimeoutError:
            return self._answer_late(openid, bot)
        except Exception:
            logger.exception("wechat: the bot failed on a message")
            return FAILURE_TEXT
        return self._answer(openid, messages)

    async def _ask_bot(self, openid: str, text: str,
                       on_new_message: Callable[[UserMessage], Awaitable[Any]],
                       masked: bool = False) -> List[Dict[str, Any]]:
        collector = CollectingOutputChannel()
        await on_new_message(UserMessage(text, collector, sender_id=openid,
                                         input_channel=self.name()))
        if not masked:
            return collector.messages
        # the reminder first: a long answer is split and its end may never be read
        return [{"text": REMINDER}] + (collector.messages or [{"text": self.no_answer_text}])

    async def _record(self, agent: Any, openid: str, turn: FixedTurn, reply: str) -> None:
        said, _ = mask(turn.said)  # a keyword's turn holds the user's own words
        turn = dataclasses.replace(turn, said=said[:self.max_input_chars])
        try:
            await record_turn(agent, openid, turn, reply, self.name())
        except Exception:  # the user has the reply; only the record is missing
            logger.exception("wechat: a fixed reply could not be recorded in the tracker store")

    def _answer(self, openid: str, messages: List[Dict[str, Any]]) -> str:
        """First part of the rendered answer; the rest waits for 更多."""
        rendered = render_messages(messages)
        if not rendered.text:
            return self.no_answer_text
        return self.store.start(openid, rendered.parts(self.reply_limit_bytes), rendered.choices)

    def _answer_late(self, openid: str, bot: "asyncio.Future[List[Dict[str, Any]]]"
                     ) -> Optional[str]:
        if self.customer_service is not None:
            self._spawn(self._deliver_by_customer_service(openid, bot))
            return None
        self.store.mark_waiting(openid)
        self._spawn(self._deliver_to_store(openid, bot))
        return LATE_TEXT

    async def _late_messages(self, bot: "asyncio.Future[List[Dict[str, Any]]]"
                             ) -> Optional[List[Dict[str, Any]]]:
        try:
            return await bot
        except Exception:
            logger.exception("wechat: the bot failed on a late message")
            return None

    async def _deliver_by_customer_service(self, openid: str,
                                           bot: "asyncio.Future[List[Dict[str, Any]]]") -> None:
        messages = await self._late_messages(bot)
        content = FAILURE_TEXT if messages is None else self._answer(openid, messages)
        try:
            assert self.customer_service is not None
            await self.customer_service.send_text(openid, content)
        except CustomerServiceError as error:
            logger.error("wechat: a late answer could not be sent: %s", error)

    async def _deliver_to_store(self, openid: str,
                                bot: "asyncio.Future[List[Dict[str, Any]]]") -> None:
        messages = await self._late_messages(bot)
        rendered = render_messages(messages or [])
        parts = rendered.parts(self.reply_limit_bytes) if rendered.text else [
            FAILURE_TEXT if messages is None else self.no_answer_text]
        if not self.store.deliver_late(openid, parts, rendered.choices):
            logger.info("wechat: a late answer was dropped, the user has had a newer one")
