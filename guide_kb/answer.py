"""One answer as data: its plain text and its structure are both read from it.

The plain text is what every channel can show (REST clients, SMS, the agent console's copy). The
structure is what the bot sends in Rasa's `custom` payload beside that text, so the widget can show
headed blocks and WeChat can send the answer first: the lines that answer what was asked (`lead`),
then the sections. Nothing here adds a fact: the lines are guide_kb.render's, moved, not rewritten.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Tuple

# A short first section is the answer itself: shown as the lead when no detail was asked.
LEAD_MAX_LINES = 2
LEAD_MAX_CHARS = 90
_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_URL_END = ".,;:!?'\")]"


@dataclass(frozen=True)
class Block:
    """A headed part of an answer: 所需材料 and its lines, or 办理时间：每月1-15号 whose heading
    and first line share a line (`inline`). No heading: lines of their own."""
    heading: str
    lines: Tuple[str, ...]
    inline: bool = False
    numbered: bool = False

    def body(self) -> List[str]:
        if self.numbered:
            return [f"{n}. {line}" for n, line in enumerate(self.lines, 1)]
        return list(self.lines)

    def text_lines(self) -> List[str]:
        body = self.body()
        if not self.heading:
            return body
        if self.inline:
            return [f"{self.heading}：{body[0]}", *body[1:]]
        return [f"{self.heading}：", *body]

    def is_short(self) -> bool:
        return (bool(self.heading) and len(self.lines) <= LEAD_MAX_LINES
                and sum(map(len, self.lines)) <= LEAD_MAX_CHARS)

    def as_lead(self) -> List[str]:
        """The block written as lead lines: 办理地点：户口所在地或居住地的社区站点."""
        first = "；".join(self.lines) if self.numbered else self.lines[0]
        rest = [] if self.numbered else list(self.lines[1:])
        return [f"{self.heading}：{first}", *rest]

    def structure(self) -> Dict[str, Any]:
        return {"title": self.heading, "lines": list(self.lines), "inline": self.inline,
                "numbered": self.numbered}


@dataclass(frozen=True)
class Answer:
    """`title` a sub-service's name (shown 【…】) or a package's (shown as it is, `bracketed`
    False); `lead` the lines answering the asked detail; `source` the 来源 line; `hotline` the
    number made a tel: link wherever the text gives it."""
    title: str
    lead: Tuple[str, ...]
    blocks: Tuple[Block, ...]
    source: str
    hotline: str
    bracketed: bool = True

    def text(self) -> str:
        lines = [f"【{self.title}】" if self.bracketed else self.title] if self.title else []
        lines += self.lead
        for block in self.blocks:
            lines += block.text_lines()
        if self.source:
            lines.append(self.source)
        return "\n".join(lines)

    def first_and_rest(self) -> Tuple[List[str], List[Block]]:
        """Answer first: the lead, or, when no detail was asked, the first (asked) section when it
        is short enough to be the answer itself; and the sections that follow."""
        blocks = list(self.blocks)
        if self.lead:
            return list(self.lead), blocks
        if blocks and blocks[0].is_short():
            return blocks[0].as_lead(), blocks[1:]
        return [], blocks

    def links(self) -> List[Dict[str, str]]:
        """The hotline and the URLs the text gives, as links to build (never HTML)."""
        text = self.text()
        links = []
        if self.hotline and self.hotline in text:
            links.append({"title": f"拨打{self.hotline}", "href": f"tel:{self.hotline}"})
        for url in dict.fromkeys(m.group(0).rstrip(_URL_END) for m in _URL.finditer(text)):
            links.append({"title": url, "href": url})
        return links

    def structure(self) -> Dict[str, Any]:
        lead, rest = self.first_and_rest()
        return {"title": self.title, "lead": lead,
                "sections": [block.structure() for block in rest],
                "source": self.source, "links": self.links()}
