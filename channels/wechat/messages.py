"""Parsing WeChat's XML messages safely and choosing what to do with each kind.

Parsing goes through defusedxml with DTDs forbidden outright: WeChat never sends a DOCTYPE, so a
body with one (billion laughs, external entities, external DTDs) is refused before any entity is
looked at. Bodies over 64 KB are refused before parsing.

What happens to a message is decided by a registry keyed by (MsgType, Event), not by a chain of
ifs: a handler returns an Outcome, which is one of
  ask(text)          - send the text (or a /intent payload) to the bot, answer with what it says,
  reply(text, turn)  - answer with this text without asking the bot; a fixed reply of menu.yml
                       carries the turn to record in the tracker store,
  silent()           - answer "success" (WeChat shows nothing).
Menu clicks, keyword rules and the welcome come from menu.yml (channels.wechat.menu_file).
"""
from __future__ import annotations

import logging
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from typing import Callable, Dict, Mapping, Optional, Tuple

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from channels.privacy import mask
from channels.wechat.errors import MalformedMessage, MessageTooLarge
from channels.wechat.menu_file import Answer, MenuFile
from channels.wechat.turns import FixedTurn

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
MAX_OPENID_CHARS = 128

UNSUPPORTED_TEXT = "抱歉，我目前只能看懂文字和语音消息。请直接用文字描述您要办理的事项，例如“失业金怎么领”。"
VOICE_NOT_RECOGNISED_TEXT = "抱歉，没能听清这条语音。请再说一遍，或直接用文字描述您的问题。"
EMPTY_TEXT = "请直接输入您想咨询的问题，例如“退休审批需要什么材料”。"
MENU_GONE_TEXT = "抱歉，这个菜单项已经停用。请直接用文字或语音提问，例如“失业金怎么领”。"


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
        """(openid, MsgId); events have no MsgId, WeChat says to use FromUserName+CreateTime, and
        the EventKey keeps two menu clicks within one second apart."""
        if self.msg_id:
            return (self.openid, self.msg_id)
        return (self.openid, "event", self.get("CreateTime"), self.msg_type, self.event or "",
                self.get("EventKey"))


@dataclass(frozen=True)
class Outcome:
    kind: str  # "ask" | "reply" | "silent"
    text: str = ""
    turn: Optional[FixedTurn] = None  # a fixed reply's turn, recorded in the tracker store

    @classmethod
    def ask(cls, text: str) -> "Outcome":
        return cls("ask", text)

    @classmethod
    def reply(cls, text: str, turn: Optional[FixedTurn] = None) -> "Outcome":
        return cls("reply", text, turn)

    @classmethod
    def silent(cls) -> "Outcome":
        return cls("silent")

    @classmethod
    def of(cls, answer: Answer, said: Optional[str] = None) -> "Outcome":
        """A menu.yml answer: its payload asked like a typed message, or its fixed text with the
        turn to record (`said` is the user's text; /<intent> for a click or an event)."""
        if answer.payload:
            return cls.ask(answer.payload)
        return cls.reply(answer.text or "",
                         FixedTurn(said or f"/{answer.intent}", answer.intent, answer.key))


@dataclass
class HandlerContext:
    """What handlers may need from the channel."""

    menu: MenuFile


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
    """menu.yml's keyword rules first; a message with a personal number always goes the bot's
    way, which masks it and adds the reminder."""
    text = message.get("Content")
    if not text:
        return Outcome.reply(EMPTY_TEXT)
    answer = None if mask(text)[1] else context.menu.keyword_answer(text)
    return Outcome.of(answer, said=text) if answer else Outcome.ask(text)


def handle_voice(message: InboundMessage, context: HandlerContext) -> Outcome:
    """Voice works when 接收语音识别结果 is on: WeChat then sends the transcript in Recognition."""
    text = message.get("Recognition")
    return Outcome.ask(text) if text else Outcome.reply(VOICE_NOT_RECOGNISED_TEXT)


def handle_subscribe(message: InboundMessage, context: HandlerContext) -> Outcome:
    return Outcome.of(context.menu.welcome)


def handle_click(message: InboundMessage, context: HandlerContext) -> Outcome:
    """A click button of the menu: its key answered as menu.yml says."""
    key = message.get("EventKey")
    answer = context.menu.answer(key)
    if answer is None:  # a menu pushed from another file, or one not pushed since an edit
        logger.warning("wechat: menu click with key %r, which %s does not define; push the "
                       "file with `make wechat-menu`", key, context.menu.source)
        return Outcome.reply(MENU_GONE_TEXT)
    return Outcome.of(answer)


def handle_view(message: InboundMessage, context: HandlerContext) -> Outcome:
    """A view button: WeChat opens the page itself and expects no reply."""
    logger.info("wechat: menu link opened: %s", message.get("EventKey"))
    return Outcome.silent()


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
    registry.add("event", handle_click, event="CLICK")
    registry.add("event", handle_view, event="VIEW")
    # Other events (LOCATION reports, SCAN, template-send receipts...) expect no reply.
    registry.add("event", handle_silently, event=ANY_EVENT)
    for msg_type in UNSUPPORTED_TYPES:  # listed for clarity; the fallback would answer the same
        registry.add(msg_type, handle_unsupported)
    return registry
