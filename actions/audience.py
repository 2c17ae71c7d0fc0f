"""Who a sub-service serves, checked against the situation the user tells about.

Packages and items name the situations they do not serve (`excludes` in guide.yml), with the item
the guide sends that situation to instead: a retiree's death is not 第八包's (工亡), a card without
the financial function is replaced by 社会保障卡申领. A candidate whose audience does not fit is
never presented as the answer.
"""
from __future__ import annotations

import functools
from typing import FrozenSet, Iterable, Optional, Tuple

from actions import knowledge
from guide_kb.model import Item
from guide_kb.normalize import vocabulary


def conflict(item: Item, situations: Iterable[str], context_packages: Iterable[str] = (),
             written_out: bool = False) -> Optional[Tuple[str, Optional[Item]]]:
    """(situation, the item the guide sends it to, or None) when the item does not serve the
    user's situation; None when it does. A situation the item requires holds when the question
    tells it, the conversation is already about the item's package (失业金, then 医保), or the
    item is named outright (`written_out`: 代缴基本医疗保险费需要什么材料)."""
    held = set(situations)
    package = knowledge.guide().package_of(item)
    for situation, instead in item.excludes + package.excludes:  # what they told weighs most
        if situation in held:
            return situation, knowledge.guide().item(instead) if instead else None
    if package.id not in set(context_packages) and not written_out:
        for situation in item.requires:
            if situation not in held:
                return situation, None
    return None


@functools.lru_cache(maxsize=1)
def _situation_cues() -> FrozenSet[str]:
    return frozenset(cue for rule in vocabulary()["situations"].values()
                     for cue in rule.get("cues") or ())


def without_situation_cues(text: str) -> str:
    """The text's words without those that only tell the person's situation (失业, 退休 as words
    of their own, or of a person: 失业人员; 失业金 stays): what is left names the service, if
    anything does."""
    cues = _situation_cues()
    return " ".join(w for w in knowledge.search().tokenizer.words(text)
                    if w not in cues and not (w.endswith(_PERSON) and w[:-2] in cues))


_PERSON = ("人员", "职工")
