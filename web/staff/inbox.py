"""The staff inbox: turns the bot missed and answers rated 👎, each with its conversation around
it (masked), and how an editor resolves them.

A turn is missed when it was refused (outcome not_covered / unfit / out_of_scope), fell back
(nlu_fallback / out_of_scope intent) or was answered with an intent confidence under
ops.report.LOW_CONFIDENCE. Resolutions: `means` (the wording means sub-service X: it is added to
knowledge/staff_wordings.yml), `right` (the answer was right), `gap` (the guide has no answer:
kept on the list of guide gaps).
"""
from __future__ import annotations

import datetime
from typing import Any, Dict, List, Mapping, Optional, Sequence

from channels.privacy import mask
from web.staff.turns import Turn

KINDS = {"means": "是指某项服务", "right": "回答正确", "gap": "指南没有答案"}
WHY = {"not_covered": "指南未涉及的相近业务", "unfit": "服务对象不符", "out_of_scope": "超出指南范围",
       "fallback": "未能理解", "low_confidence": "理解把握低", "down": "用户点了 👎"}
CONTEXT_BEFORE, CONTEXT_AFTER = 2, 1


def _when(timestamp: float) -> str:
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).isoformat(
        timespec="seconds")


def _context(turns: Sequence[Turn], index: int) -> List[Dict[str, Any]]:
    lines = []
    for position in range(max(0, index - CONTEXT_BEFORE),
                          min(len(turns), index + CONTEXT_AFTER + 1)):
        turn = turns[position]
        lines.append({"who": "user", "text": turn.text, "this": position == index})
        lines += [{"who": "bot", "text": reply, "this": position == index}
                  for reply in turn.replies]
    return lines


def entries(turns: Sequence[Turn], ratings: Sequence[Mapping[str, Any]],
            resolutions: Mapping[str, Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """Every inbox entry, newest first, with its resolution (None while open)."""
    by_sender: Dict[str, List[Turn]] = {}
    for turn in turns:
        by_sender.setdefault(turn.sender, []).append(turn)
    found = []
    for sender_turns in by_sender.values():
        for index, turn in enumerate(sender_turns):
            if turn.missed and turn.text:
                found.append(_entry(f"turn:{turn.event_id}", turn.missed, turn.text, turn,
                                    _context(sender_turns, index), resolutions))
    for rating in ratings:
        if rating["rating"] != "down":
            continue
        sender_turns = by_sender.get(rating["sender"], [])
        question = mask(" ".join((rating.get("question") or "").split()))[0]
        index = _last_asked(sender_turns, question)
        turn = sender_turns[index] if index is not None else None
        context = (_context(sender_turns, index) if index is not None else
                   [{"who": "user", "text": question, "this": True},
                    {"who": "bot", "text": mask(rating["answer"])[0], "this": True}])
        entry = _entry(f"rating:{rating['id']}", "down", question, turn, context, resolutions)
        entry.update(reason=rating.get("reason"), note=rating.get("note"),
                     when=rating["created_at"], channel="widget")
        found.append(entry)
    found.sort(key=lambda e: e["when"], reverse=True)
    return found


def _last_asked(turns: Sequence[Turn], question: str) -> Optional[int]:
    for index in range(len(turns) - 1, -1, -1):
        if turns[index].text == question:
            return index
    return None


def _entry(key: str, why: str, question: str, turn: Optional[Turn],
           context: List[Dict[str, Any]], resolutions: Mapping[str, Mapping[str, Any]]
           ) -> Dict[str, Any]:
    return {"key": key, "why": why, "why_text": WHY[why], "question": question,
            "when": _when(turn.timestamp) if turn else None,
            "channel": turn.channel if turn else None,
            "intent": turn.intent if turn else None,
            "confidence": None if turn is None or turn.confidence is None
            else round(turn.confidence, 3),
            "reason": None, "note": None, "context": context,
            "resolution": dict(resolutions[key]) if key in resolutions else None}
