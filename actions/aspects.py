"""What is asked about a sub-service, and which parts of the guide answer it: a registry by intent.

An aspect lists the sections of guide_kb.render that answer it, the asked one first. Words in the
question can add sections (要带啥 在哪开 asks for materials and place), and so can a word of the
question that only one section of the item contains (完税证明 is in the materials).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import AbstractSet, Dict, List, Optional, Sequence, Tuple

from guide_kb.model import Item
from guide_kb.render import CARD_SECTIONS, SECTION_ORDER


@dataclass(frozen=True)
class Aspect:
    name: str
    intent: str
    button_title: str
    sections: Tuple[str, ...]
    # Whether a whole package can be answered at once (where/when/who), or needs one item.
    package_level: bool = False
    # Sections added when one sub-service is answered, not when the bot answers several it is
    # unsure between (their lists of papers side by side are noise)
    when_alone: Tuple[str, ...] = ()


ASPECTS: Dict[str, Aspect] = {a.intent: a for a in (
    # where to bring them comes with them: a list of papers without the window is half an answer
    Aspect("materials", "ask_materials", "所需材料", ("materials", "place")),
    # the steps often say more precisely where (which window for which unit, which office); what
    # to bring comes with where to go: a trip across the city without the papers is wasted
    Aspect("place", "ask_place", "办理地点", ("place", "hours", "steps"), True, ("materials",)),
    Aspect("hours", "ask_hours", "办理时间", ("hours", "place"), True),
    Aspect("steps", "ask_steps", "办理流程", CARD_SECTIONS),
    Aspect("duration", "ask_duration", "办理时限", ("duration",)),
    Aspect("online", "ask_online", "网上办理", ("routes", "place")),
    # 谁能办 is often really 能不能代办 / 找谁: the whole card answers both
    Aspect("audience", "ask_audience", "服务对象", ("audience",) + CARD_SECTIONS, True),
    Aspect("overview", "ask_overview", "服务包介绍", CARD_SECTIONS, True),
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


def sections_for(aspect: Aspect, asked: AbstractSet[str], words: Sequence[str], item: Item,
                 narrowed: bool = False, county_named: bool = False, alone: bool = False,
                 follow_up: bool = False) -> List[str]:
    """The aspect's sections, then those the question's words also ask for (`asked`: the
    reading's sections), and those it adds for one sub-service answered `alone`, in guide order.
    `narrowed`: the places are cut to the applicant the user named (参公单位), so the steps,
    which list every applicant's windows, are left out unless they are what was asked.
    `county_named`: 清原县的能在县里办吗 asks where, when the item has a route for counties.
    `follow_up`: the item is the one in context, not a guess from this message."""
    extra = set(asked) | sections_holding(words, item) | set(aspect.when_alone if alone else ())
    if county_named and any(p.counties for p in item.places):
        extra.add("place")
    if aspect.name == "online" and follow_up and not (item.online or item.phone):
        # 打电话能解不 about the service in context, which the guide gives no such route for:
        # what to bring there in person (not for a first guess, whose papers may be another's)
        extra.add("materials")
    ordered = [s for s in SECTION_ORDER if s in extra and s not in aspect.sections]
    sections = list(aspect.sections) + ordered
    if narrowed:
        sections = [s for i, s in enumerate(sections) if s != "steps" or i == 0]
    return sections


def sections_holding(words: Sequence[str], item: Item) -> set:
    """Sections of the item whose text contains a word of the question that does not name the
    item itself (完税证明, 资格审查, 转迁证明)."""
    return {section for section, body in _section_texts(item).items()
            if any(len(w) >= 2 and w not in item.name and w in body for w in words)}


@functools.lru_cache(maxsize=None)  # 43 items: built once each, not on every message
def _section_texts(item: Item) -> Dict[str, str]:
    texts = item.texts()
    return {section: "".join(texts[section]) for section in ("materials", "steps", "place",
                                                             "routes")}
