"""Parsing WeChat's XML messages safely and choosing what to do with each kind.

Parsing goes through defusedxml with DTDs forbidden outright: WeChat never sends a DOCTYPE, so a
body with one (billion laughs, external entities, external DTDs) is refused before any entity is
looked at. Bodies over 64 KB are refused before parsing.

What happens to a message is decided by a registry keyed by (MsgType, Event), not by a chain of
ifs: a handler returns an Outcome, which is one of
  ask(text)    - send the text to the bot and answer with what it says,
  reply(text)  - answer with this text without asking the bot,
  silent()     - answer "success" (WeChat shows nothing).
"""
from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from typing import Callable, Dict, Mapping, Optional, Tuple

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from channels.wechat.errors import MalformedMessage, MessageTooLarge

MAX_BODY_BYTES = 64 * 1024
MAX_OPENID_CHARS = 128

UNSUPPORTED_TEXT = "抱歉，我目前只能看懂文字和语音消息。请直接用文字描述您要办理的事项，例如“失业金怎么领”。"
VOICE_NOT_RECOGNISED_TEXT = "抱歉，没能听清这条语音。请再说一遍，或直接用文字描述您的问题。"
EMPTY_TEXT = "请直接输入您想咨询的问题，例如“退休审批需要什么材料”。"


def parse_xml(body: bytes, limit: int = MAX_BODY_BYTES) -> Dict[str, str]:
    """The direct children of the <xml> root as {tag: text}.

    Raises MessageTooLarge over `limit` bytes, MalformedMessage for anything that is not a plain
    XML document with an <xml> root (including any DTD or entity declaration).
    """
    if len(body) > limit:
        raise MessageTooLarge(f"body is {len(body)} bytes, limit {limit}")
    if not body.strip():
        raise MalformedMessage("empty body")
    try:
        root = defused_fromstring(body, forbid_dtd=True, forbid_entities=True,
                                  forbid_external=True)
    except DefusedXmlException as error:
        raise MalformedMessage(f"refused XML construct: {type(error).__name__}") from None
    except (ElementTree.ParseError, ValueError) as error:
        raise MalformedMessage(f"not well-formed XML: {error}") from None
    if root.tag != "xml":
        raise MalformedMessage(f"root element is <{root.tag}>, expected <xml>")
    fields: Dict[str, str] = {}
    for child in root:
        if isinstance(child.tag, str) and child.tag not in fields:
            fields[child.tag] = child.text or ""
    return fields


@dataclass(frozen=True)
class InboundMessage:
    """One message or event from a user, as WeChat's fields (ToUserName, MsgType, ...)."""

    fields: Mapping[str, str] = field(repr=False)

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> "InboundMessage":
        for required in ("ToUserName", "FromUserName", "MsgType"):
            if not (fields.get(required) or "").strip():
                raise MalformedMessage(f"{required} is missing")
        openid = fields["FromUserName"].strip()
        if len(openid) > MAX_OPENID_CHARS or any(c.isspace() for c in openid):
            raise MalformedMessage("FromUserName is not an OpenID")
        return cls(dict(fields))

    def get(self, name: str) -> str:
        return (self.fields.get(name) or "").strip()

    @property
    def openid(self) -> str:
        return self.get("FromUserName")

    @property
    def account(self) -> str:
        return self.get("ToUserName")

    @property
    def msg_type(self) -> str:
        return self.get("MsgType").lower()

    @property
    def event(self) -> Optional[str]:
        if self.msg_type != "event":
            return None
        return self.get("Event").lower() or None

    @property
    def msg_id(self) -> Optional[str]:
        return self.get("MsgId") or None

    @property
    def dedupe_key(self) -> Tuple[str, ...]:
        """(openid, MsgId); events have no MsgId, WeChat says to use FromUserName+CreateTime."""
        if self.msg_id:
            return (self.openid, self.msg_id)
        return (self.openid, "event", self.get("CreateTime"), self.msg_type, self.event or "")


@dataclass(frozen=True)
class Outcome:
    kind: str  # "ask" | "reply" | "silent"
    text: str = ""

    @classmethod
    def ask(cls, text: str) -> "Outcome":
        return cls("ask", text)

    @classmethod
    def reply(cls, text: str) -> "Outcome":
        return cls("reply", text)

    @classmethod
    def silent(cls) -> "Outcome":
        return cls("silent")


@dataclass
class HandlerContext:
    """What handlers may need from the channel."""

    welcome: Callable[[], str]


Handler = Callable[[InboundMessage, HandlerContext], Outcome]
ANY_EVENT = "*"


class HandlerRegistry:
    """(MsgType, Event) → handler. Lookup: exact event, then the type's catch-all, then the
    registry's fallback."""

    def __init__(self, fallback: Handler) -> None:
        self._handlers: Dict[Tuple[str, Optional[str]], Handler] = {}
        self._fallback = fallback

    def add(self, msg_type: str, handler: Handler, event: Optional[str] = None) -> None:
        self._handlers[(msg_type.lower(), event.lower() if event else None)] = handler

    def register(self, msg_type: str, event: Optional[str] = None) -> Callable[[Handler], Handler]:
        def decorate(handler: Handler) -> Handler:
            self.add(msg_type, handler, event)
            return handler
        return decorate

    def resolve(self, message: InboundMessage) -> Handler:
        handlers = self._handlers
        if message.event is not None and (message.msg_type, message.event) in handlers:
            return handlers[(message.msg_type, message.event)]
        if message.msg_type == "event":
            return handlers.get((message.msg_type, ANY_EVENT), self._fallback)
        return handlers.get((message.msg_type, None), self._fallback)

    def dispatch(self, message: InboundMessage, context: HandlerContext) -> Outcome:
        return self.resolve(message)(message, context)


# ---- the handlers ---------------------------------------------------------------------------

def handle_text(message: InboundMessage, context: HandlerContext) -> Outcome:
    text = message.get("Content")
    return Outcome.ask(text) if text else Outcome.reply(EMPTY_TEXT)


def handle_voice(message: InboundMessage, context: HandlerContext) -> Outcome:
    """Voice works when 接收语音识别结果 is on: WeChat then sends the transcript in Recognition."""
    text = message.get("Recognition")
    return Outcome.ask(text) if text else Outcome.reply(VOICE_NOT_RECOGNISED_TEXT)


def handle_subscribe(message: InboundMessage, context: HandlerContext) -> Outcome:
    return Outcome.reply(context.welcome())


def handle_silently(message: InboundMessage, context: HandlerContext) -> Outcome:
    return Outcome.silent()


def handle_unsupported(message: InboundMessage, context: HandlerContext) -> Outcome:
    return Outcome.reply(UNSUPPORTED_TEXT)


UNSUPPORTED_TYPES = ("image", "location", "link", "video", "shortvideo", "file", "music", "news")


def default_registry() -> HandlerRegistry:
    registry = HandlerRegistry(fallback=handle_unsupported)
    registry.add("text", handle_text)
    registry.add("voice", handle_voice)
    registry.add("event", handle_subscribe, event="subscribe")
    registry.add("event", handle_silently, event="unsubscribe")
    # Other events (menu VIEW, LOCATION reports, SCAN, template-send receipts...) expect no reply.
    registry.add("event", handle_silently, event=ANY_EVENT)
    for msg_type in UNSUPPORTED_TYPES:  # listed for clarity; the fallback would answer the same
        registry.add(msg_type, handle_unsupported)
    return registry
