"""What is asked about a sub-service, and how each aspect is answered: a registry by intent."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Callable, Dict, Optional

from guide_kb import render
from guide_kb.model import Guide, Item


@dataclass(frozen=True)
class Aspect:
    name: str
    intent: str
    button_title: str
    answer: Callable[[Guide, Item, datetime.date, Optional[str]], str]
    # Whether a whole package can be answered at once (where/when/who), or needs one item.
    package_level: bool = False


ASPECTS: Dict[str, Aspect] = {a.intent: a for a in (
    Aspect("materials", "ask_materials", "所需材料",
           lambda g, i, day, county: render.materials_answer(g, i)),
    Aspect("place", "ask_place", "办理地点",
           lambda g, i, day, county: render.place_answer(g, i, day, county), True),
    Aspect("hours", "ask_hours", "办理时间",
           lambda g, i, day, county: render.hours_answer(g, i, day), True),
    Aspect("steps", "ask_steps", "办理流程",
           lambda g, i, day, county: render.card_answer(g, i, day, county)),
    Aspect("duration", "ask_duration", "办理时限",
           lambda g, i, day, county: render.duration_answer(g, i)),
    # 谁能办 questions are often really 能不能代办 / 找谁: the card after the audience answers both
    Aspect("audience", "ask_audience", "服务对象",
           lambda g, i, day, county: render.audience_answer(g, i) + "\n\n" +
           render.card_answer(g, i, day, county), True),
    Aspect("online", "ask_online", "网上办理",
           lambda g, i, day, county: render.online_answer(g, i)),
    Aspect("overview", "ask_overview", "服务包介绍",
           lambda g, i, day, county: render.card_answer(g, i, day, county), True),
)}

BY_NAME: Dict[str, Aspect] = {a.name: a for a in ASPECTS.values()}
# When the question names a service but not what about it, the whole card answers it.
CARD = BY_NAME["steps"]
# The buttons offered under an answer, in this order.
FOLLOW_UPS = ("materials", "place", "steps")


def aspect_for(intent: Optional[str], previous: Optional[str]) -> Aspect:
    """The aspect of this turn: the intent's, else the one asked before, else the full card."""
    if intent in ASPECTS:
        return ASPECTS[intent]
    if previous in BY_NAME:
        return BY_NAME[previous]
    return CARD
