"""Turning the bot's messages into WeChat text.

WeChat shows text as it is, so replies are plain: the bot's texts joined by blank lines, buttons as
numbered lines the user can answer by number or by title, markdown removed. A passive reply must
stay under 2048 bytes; a longer answer is cut on a line boundary at 2000 UTF-8 bytes, the part ends
with 回复「更多」查看其余内容, and the rest waits per user until they send 更多.

Answer first: when the bot sends an answer's structure (Rasa's `custom` payload, guide_kb.answer),
the first message is one phone screen: the service's title, the lines that answer what was asked,
as much of the sections as fits, 猜你想问 as numbered choices, and which sections 更多 gives.
"""
from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from guide_kb.answer import Block

MORE_COMMAND = "更多"
MORE_FOOTER = "回复「更多」查看其余内容"
NO_MORE_TEXT = "没有更多内容了。您可以继续提问。"
NOT_READY_TEXT = "答案还在准备中，请稍后再回复「更多」查看。"
DEFAULT_LIMIT_BYTES = 2000
BUTTONS_HINT = "请回复序号或「」中的文字："
GUESS_HINT = "猜你想问（回复序号）："
MORE_SECTIONS = "回复「更多」查看：{}"
# One phone screen of a WeChat text bubble (390 px wide, default font): about 15 characters a
# line and 20 lines.
SCREEN_CHARS_PER_LINE = 15
SCREEN_LINES = 20
MORE_LINES = 3  # a blank line and 回复「更多」查看：… on up to two


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
    first: str = ""  # answer first: one screen, when the bot sent structure; "" otherwise
    rest: str = ""  # what 更多 gives after `first`

    def parts(self, limit_bytes: int = DEFAULT_LIMIT_BYTES) -> List[str]:
        """The messages to send, the first now, the others one per 更多."""
        if not self.first:
            return split_reply(self.text, limit_bytes)
        if not self.rest:
            return split_reply(self.first, limit_bytes)
        return [self.first] + split_reply(self.rest, limit_bytes)


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
    """What the bot said (CollectingOutputChannel.messages): answer first when it sent the
    structure of its answers, else its plain text."""
    messages = list(messages)
    joined = _with_structure(messages)
    if any(answer for _, answer, _ in joined):
        return _answer_first(joined)
    return _plain(messages)


def _plain(messages: Iterable[Mapping[str, Any]]) -> Rendered:
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



# ---- answer first -------------------------------------------------------------------------------

Joined = List[Tuple[Mapping[str, Any], Optional[Mapping[str, Any]], List[Mapping[str, Any]]]]


def _with_structure(messages: Sequence[Mapping[str, Any]]) -> Joined:
    """(message, its answer's structure or None, its 猜你想问): Rasa sends a custom payload as a
    message of its own right after the text it belongs to."""
    joined: Joined = []
    for message in messages:
        custom = message.get("custom")
        answer = custom.get("answer") if isinstance(custom, Mapping) else None
        if isinstance(answer, Mapping) and joined and joined[-1][1] is None and not (
                message.get("text") or message.get("buttons")):
            related = custom.get("related")
            joined[-1] = (joined[-1][0], answer,
                          [b for b in related if isinstance(b, Mapping)]
                          if isinstance(related, list) else [])
        elif message.get("text") or message.get("buttons"):
            joined.append((message, None, []))
    return joined


def screen_lines(text: str) -> int:
    """How many lines of a phone screen `text` takes."""
    return sum(max(1, -(-len(line) // SCREEN_CHARS_PER_LINE)) for line in text.split("\n"))


def _strings(value: Any) -> List[str]:
    return [strip_markdown(v) for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _section_lines(section: Mapping[str, Any]) -> List[str]:
    """A section of the structure written as the plain text writes it."""
    lines = tuple(_strings(section.get("lines")))
    if not lines:
        return []
    return Block(strip_markdown(str(section.get("title") or "")), lines,
                 inline=bool(section.get("inline")),
                 numbered=bool(section.get("numbered"))).text_lines()


def _answer_first(joined: Joined) -> Rendered:
    """The first screen: every message's text that is not an answer (我为您找到2项…), each
    answer's title and lead, then, for one answer, its sections while they fit; 猜你想问 or the
    buttons. The rest, answer by answer, is what 更多 gives."""
    first: List[str] = []
    rest: List[str] = []
    more: List[str] = []  # the section titles 更多 shows
    answers = [a for _, a, _ in joined if a]
    choices: Dict[str, str] = {}
    choice_lines = _button_lines([b for message, _, related in joined for b in related or (
        message.get("buttons") or message.get("quick_replies") or [])], 1, choices)
    hint = GUESS_HINT if any(related for _, _, related in joined) else BUTTONS_HINT
    block = "\n".join([hint] + choice_lines) if choice_lines else ""
    # the choices stay on the first screen when they take at most half of it; the answer gets
    # the rest of the screen but the 更多 line
    on_first = bool(block) and screen_lines(block) <= SCREEN_LINES // 2
    room = SCREEN_LINES - MORE_LINES - (screen_lines(block) + 1 if on_first else 0)
    for message, answer, _ in joined:
        if not answer:
            first.append(strip_markdown(str(message.get("text") or "")))
            continue
        title = strip_markdown(str(answer.get("title") or ""))
        head = ([f"【{title}】"] if title else []) + _strings(answer.get("lead"))
        sections = [s for s in answer.get("sections") or [] if isinstance(s, Mapping)]
        source = ([{"lines": [strip_markdown(str(answer["source"]))], "inline": True}]
                  if answer.get("source") else [])  # the source line, kept with the sections
        shown = list(head)
        later: List[str] = []  # the lines 更多 gives
        for section in sections + source:
            lines = _section_lines(section)
            heading = str(section.get("title") or "")
            if len(answers) > 1 or later:  # several answers: titles and leads first, all of them
                later += lines
                more.append(heading)
                continue
            fit = 0  # one answer: as much of it as one screen holds
            while fit < len(lines) and screen_lines(
                    "\n\n".join(first + ["\n".join(shown + lines[:fit + 1])])) <= room:
                fit += 1
            if fit < len(lines) and fit < 2 and heading and not section.get("inline"):
                fit = 0  # a heading alone is not worth the room
            shown += lines[:fit]
            if fit < len(lines):
                later += ([f"{heading}（续）："] if fit and heading else []) + lines[fit:]
                more.append(heading + ("（续）" if fit and heading else ""))
        first.append("\n".join(shown))
        if later:
            rest.append("\n".join(([f"【{title}】"] if title and len(answers) > 1 else [])
                                  + later))
    if block:
        (first if on_first else rest).append(block)
    if rest:
        titles = [t for t in dict.fromkeys(more) if t]
        first.append(MORE_SECTIONS.format("、".join(titles)) if titles else MORE_FOOTER)
    text = "\n\n".join(p for p in first + rest if p)
    return Rendered(text, choices, "\n\n".join(p for p in first if p),
                    "\n\n".join(p for p in rest if p))
