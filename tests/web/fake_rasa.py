"""A stand-in for the Rasa server's REST channel, for the widget's browser tests.

POST /webhooks/rest/webhook {sender, message} -> [{recipient_id, text, buttons?}], like
`rasa run --cors "*"`. It answers from the knowledge base (guide_kb search and render) and keeps a
per-sender context (the service and the aspect last talked about), so a follow-up such as
“要带什么材料” or “那解挂呢” works as it does with the real bot. Button payloads use the real bot's
form: /ask_materials{"service_id": "card_loss_report"}.

Run by hand: python -m tests.web.fake_rasa 5005
"""
from __future__ import annotations

import json
import re
import sys
import threading
import time
from typing import Dict, List, Optional, Tuple

from guide_kb import hours as hours_of
from guide_kb import render
from guide_kb.loader import load_guide
from guide_kb.search import GuideSearch, top_items
from tests.web.stub_bot import Canned, StubBot

# Aspect words, most specific first; the first that occurs in the message wins.
ASPECTS: List[Tuple[str, Tuple[str, ...]]] = [
    ("materials", ("材料", "带什么", "准备什么", "要带", "证件")),
    ("place", ("在哪", "哪里", "地点", "窗口", "地址")),
    ("hours", ("几号", "什么时候", "时间", "哪天")),
    ("duration", ("多久", "时限", "几天")),
    ("online", ("网上", "电话办", "线上")),
    ("steps", ("怎么办", "怎么领", "流程", "如何", "怎么")),
]
GREETINGS = ("你好", "您好", "在吗", "hello", "hi")
THANKS = ("谢谢", "感谢")
PAYLOAD = re.compile(r"^/(?P<intent>\w+)(?P<entities>\{.*\})?$", re.S)


class FakeBot:
    """Dialogue logic, independent of HTTP."""

    def __init__(self) -> None:
        self.guide = load_guide()
        self.search = GuideSearch(self.guide)
        self.context: Dict[str, Dict[str, Optional[str]]] = {}
        self.received: List[Tuple[str, str]] = []
        self._lock = threading.Lock()

    def reply(self, sender: str, message: str) -> List[dict]:
        with self._lock:
            self.received.append((sender, message))
            state = self.context.setdefault(sender, {"item": None, "aspect": None})
            return [dict(m, recipient_id=sender) for m in self._answer(state, message.strip())]

    def _answer(self, state: Dict[str, Optional[str]], message: str) -> List[dict]:
        match = PAYLOAD.match(message)
        if match:  # a button: /ask_materials{"service_id": "..."}
            try:
                entities = json.loads(match.group("entities") or "{}")
            except ValueError:
                entities = {}
            item_id = entities.get("service_id")
            aspect = match.group("intent").replace("ask_", "")
            if isinstance(item_id, str) and self.guide.has_item(item_id):
                state["item"] = item_id
                return [{"text": self._render(item_id, aspect if aspect != "card" else None,
                                              state)}]
        lowered = message.lower()
        if any(lowered.startswith(g) for g in GREETINGS) and len(message) <= 6:
            return [{"text": "您好！请问您要办理什么业务？例如：社保卡丢了怎么办？"}]
        if any(t in message for t in THANKS) and len(message) <= 8:
            return [{"text": "不客气，祝您办事顺利！"}]
        aspect = next((name for name, words in ASPECTS if any(w in message for w in words)),
                      None)
        hits = self.search.search(message, 5)
        candidates = top_items(hits, 0.9)
        if len(candidates) > 1:
            state["aspect"] = aspect or state.get("aspect")
            intent = f"ask_{aspect}" if aspect else "ask_card"
            return [{"text": "您问的是下面哪一项？",
                     "buttons": [{"title": h.item.name,
                                  "payload": f'/{intent}{{"service_id": "{h.item.id}"}}'}
                                 for h in candidates[:4]]}]
        if candidates:
            state["item"] = candidates[0].item.id
            if aspect is None and state.get("item") and message.startswith("那"):
                aspect = state.get("aspect")  # 那解挂呢: same question, other service
            return [{"text": self._render(candidates[0].item.id, aspect, state)}]
        if state.get("item") and aspect:  # a follow-up about the service in context
            return [{"text": self._render(state["item"], aspect, state)}]
        return [{"text": f"抱歉，我没有在办事指南中找到与“{message[:50]}”相关的事项。"
                         f"{render.HOTLINE_HINT}"}]

    def _render(self, item_id: str, aspect: Optional[str], state: Dict) -> str:
        state["aspect"] = aspect
        item = self.guide.item(item_id)
        day = hours_of.today()
        # the real bot's sections per aspect (actions/aspects.py), without its extras
        sections = {"materials": ("materials",), "place": ("place", "hours"),
                    "hours": ("hours", "place"), "duration": ("duration",),
                    "online": ("routes", "place")}.get(aspect or "", render.CARD_SECTIONS)
        return render.item_answer(self.guide, item, sections, day)


class FakeRasa(StubBot):
    """The loopback server of tests/web/stub_bot.py, answering with FakeBot."""

    def __init__(self, port: int = 0, delay: float = 0.0) -> None:
        super().__init__({}, delay=delay, port=port)
        self.bot = FakeBot()

    @property
    def received(self) -> List[Tuple[str, str]]:
        return list(self.bot.received)

    def answer(self, sender: str, message: str) -> Canned:
        return Canned(self.bot.reply(sender, message))


if __name__ == "__main__":
    with FakeRasa(port=int(sys.argv[1]) if len(sys.argv) > 1 else 5005) as server:
        print(f"fake Rasa REST channel on {server.url}/webhooks/rest/webhook (Ctrl+C stops)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
