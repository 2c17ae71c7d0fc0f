"""Turning the bot's messages into WeChat text.

WeChat shows text as it is, so replies are plain: the bot's texts joined by blank lines, buttons as
numbered lines the user can answer by number or by title, markdown removed. A passive reply must
stay under 2048 bytes; a longer answer is cut on a line boundary at 2000 UTF-8 bytes, the part ends
with 回复「更多」查看其余内容, and the rest waits per user until they send 更多.
"""
from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence

MORE_COMMAND = "更多"
MORE_FOOTER = "回复「更多」查看其余内容"
NO_MORE_TEXT = "没有更多内容了。您可以继续提问。"
NOT_READY_TEXT = "答案还在准备中，请稍后再回复「更多」查看。"
DEFAULT_LIMIT_BYTES = 2000
BUTTONS_HINT = "请回复序号或「」中的文字："


def cdata(text: str) -> str:
    """`text` as a CDATA section; a "]]>" inside is split across two sections."""
    return "<![CDATA[" + (text or "").replace("]]>", "]]]]><![CDATA[>") + "]]>"


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text_reply_xml(to_user: str, from_user: str, content: str, create_time: int) -> str:
    """A passive text reply (被动回复文本消息)."""
    content = _XML_INVALID.sub("", content)
    return (f"<xml><ToUserName>{cdata(to_user)}</ToUserName>"
            f"<FromUserName>{cdata(from_user)}</FromUserName>"
            f"<CreateTime>{int(create_time)}</CreateTime>"
            f"<MsgType>{cdata('text')}</MsgType>"
            f"<Content>{cdata(content)}</Content></xml>")


# ---- markdown ---------------------------------------------------------------------------------

_MD_RULES = [
    (re.compile(r"^\s*```[^\n]*$", re.M), ""),                      # code fences
    (re.compile(r"!\[([^\]]*)\]\(([^)\s]+)[^)]*\)"), r"\1 \2"),      # images
    (re.compile(r"\[([^\]]+)\]\(([^)\s]+)[^)]*\)"), r"\1（\2）"),     # links
    (re.compile(r"(\*\*|__)(.+?)\1", re.S), r"\2"),                  # bold
    (re.compile(r"~~(.+?)~~", re.S), r"\1"),                         # strike-through
    (re.compile(r"`([^`\n]+)`"), r"\1"),                             # inline code
    (re.compile(r"(?<![A-Za-z0-9*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![A-Za-z0-9*])"), r"\1"),  # *em*
    (re.compile(r"^\s{0,3}#{1,6}\s+", re.M), ""),                    # headings
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),                         # quotes
    (re.compile(r"^(\s*)[*+-]\s+", re.M), r"\1· "),                   # bullets
    (re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$", re.M), ""),       # rules
    (re.compile(r"<br\s*/?>", re.I), "\n"),
]


def strip_markdown(text: str) -> str:
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# ---- bot messages -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Rendered:
    text: str
    choices: Mapping[str, str]  # what the user may answer ("1", title) → text for the bot


def _button_lines(buttons: Sequence[Mapping[str, Any]], first_number: int,
                  choices: Dict[str, str]) -> List[str]:
    lines = []
    for number, button in enumerate(buttons, first_number):
        title = strip_markdown(str(button.get("title") or "")).replace("\n", " ")
        if not title:
            continue
        payload = str(button.get("payload") or title)
        lines.append(f"{number}. 回复「{title}」")
        choices[str(number)] = payload
        choices.setdefault(title, payload)
    return lines


def render_messages(messages: Iterable[Mapping[str, Any]]) -> Rendered:
    """Plain text of what the bot said (CollectingOutputChannel.messages)."""
    blocks: List[str] = []
    choices: Dict[str, str] = {}
    number = 1
    for message in messages:
        parts = []
        if message.get("text"):
            parts.append(strip_markdown(str(message["text"])))
        if message.get("image"):
            parts.append(str(message["image"]))
        if message.get("attachment") and isinstance(message["attachment"], str):
            parts.append(message["attachment"])
        buttons = message.get("buttons") or message.get("quick_replies") or []
        if buttons:
            lines = _button_lines(buttons, number, choices)
            number += len(lines)
            if lines:
                parts.append("\n".join([BUTTONS_HINT] + lines))
        block = "\n".join(p for p in parts if p.strip())
        if block:
            blocks.append(block)
    return Rendered("\n\n".join(blocks), choices)


# ---- splitting ----------------------------------------------------------------------------------

def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _hard_split(line: str, budget: int) -> List[str]:
    """A line longer than the budget, cut between characters."""
    pieces, current, size = [], [], 0
    for char in line:
        char_size = utf8_len(char)
        if size + char_size > budget and current:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += char_size
    if current:
        pieces.append("".join(current))
    return pieces


def split_reply(text: str, limit_bytes: int = DEFAULT_LIMIT_BYTES,
                footer: str = MORE_FOOTER) -> List[str]:
    """Parts of at most `limit_bytes` UTF-8 bytes each, cut on line boundaries; every part but the
    last ends with a blank line and `footer`."""
    text = text.strip()
    if utf8_len(text) <= limit_bytes:
        return [text]
    budget = limit_bytes - utf8_len("\n\n" + footer)
    if budget < 16:
        raise ValueError("limit_bytes is too small for the footer")
    parts: List[str] = []
    current: List[str] = []
    size = 0
    for line in text.split("\n"):
        for piece in (_hard_split(line, budget) if utf8_len(line) > budget else [line]):
            added = utf8_len(piece) + (1 if current else 0)
            if current and size + added > budget:
                parts.append("\n".join(current).strip())
                current, size = [], 0
                added = utf8_len(piece)
            current.append(piece)
            size += added
    if current:
        parts.append("\n".join(current).strip())
    parts = [p for p in parts if p]
    return [p + "\n\n" + footer for p in parts[:-1]] + parts[-1:]


# ---- per-user state -----------------------------------------------------------------------------

@dataclass
class _UserState:
    parts: List[str] = field(default_factory=list)
    choices: Mapping[str, str] = field(default_factory=dict)
    waiting: bool = False  # an answer is being prepared and will arrive as 更多
    updated: float = 0.0


class ConversationStore:
    """Per-user rest of a long answer and the last buttons, kept for `ttl` seconds.

    In memory and per process: after a restart 更多 simply has nothing left to show.
    """

    def __init__(self, ttl: float = 1800.0, max_users: int = 10000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._max_users = max_users
        self._clock = clock
        self._users: "OrderedDict[str, _UserState]" = OrderedDict()
        self._lock = threading.Lock()

    def _get(self, openid: str) -> Optional[_UserState]:
        state = self._users.get(openid)
        if state and self._clock() - state.updated > self._ttl:
            del self._users[openid]
            return None
        return state

    def _put(self, openid: str, state: _UserState) -> None:
        state.updated = self._clock()
        self._users[openid] = state
        self._users.move_to_end(openid)
        while len(self._users) > self._max_users:
            self._users.popitem(last=False)

    def start(self, openid: str, parts: List[str], choices: Mapping[str, str]) -> str:
        """Keep all parts but the first (returned) and the buttons of a new answer."""
        with self._lock:
            self._put(openid, _UserState(parts=list(parts[1:]), choices=dict(choices)))
        return parts[0] if parts else ""

    def mark_waiting(self, openid: str) -> None:
        """An answer is late and will be handed out by 更多 when it is ready."""
        with self._lock:
            self._put(openid, _UserState(waiting=True))

    def deliver_late(self, openid: str, parts: List[str], choices: Mapping[str, str]) -> bool:
        """A late answer, all of it waiting for 更多; dropped (False) when the user has had
        another answer since."""
        with self._lock:
            state = self._get(openid)
            if state is None or not state.waiting:
                return False
            self._put(openid, _UserState(parts=list(parts), choices=dict(choices)))
            return True

    def next_part(self, openid: str) -> str:
        """The reply to 更多."""
        with self._lock:
            state = self._get(openid)
            if state is None:
                return NO_MORE_TEXT
            if state.parts:
                part = state.parts.pop(0)
                self._put(openid, state)
                return part
            return NOT_READY_TEXT if state.waiting else NO_MORE_TEXT

    def choice(self, openid: str, text: str) -> Optional[str]:
        """The payload of a button the user answered by number or title, if any."""
        with self._lock:
            state = self._get(openid)
            return state.choices.get(text.strip()) if state else None

