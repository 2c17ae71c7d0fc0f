"""Keyword rules of menu.yml: typed text answered before the bot (人工 → the 12333 reply).

Once the account is in 开发者模式 WeChat hands every message to the server and the 关键词回复 of the
web console no longer run; these rules take their place. A rule matches the whole message
(`exact`, edges' spaces and punctuation ignored) or a part of it (`contains`). Exact rules are
tried before contains rules, then the file's order decides.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional, Tuple

EXACT = "exact"
CONTAINS = "contains"
MATCH_KINDS = (EXACT, CONTAINS)
_EDGES = " \t\r\n\u3000。！？!?.，,、~～…"


def normalise(text: str) -> str:
    """What is compared: case-folded, without spaces and punctuation at the edges."""
    return text.strip(_EDGES).casefold()


@dataclass(frozen=True)
class KeywordRule:
    match: str  # EXACT or CONTAINS
    words: Tuple[str, ...]  # normalised
    reply: str  # a click key of the file: package:<id>, item:<id> or a reply key

    def matches(self, text: str) -> bool:
        text = normalise(text)
        if self.match == EXACT:
            return text in self.words
        return any(word in text for word in self.words)


def find_reply(rules: Iterable[KeywordRule], text: str) -> Optional[str]:
    """The reply key of the first rule `text` matches, exact rules first."""
    rules = sorted(rules, key=lambda rule: rule.match != EXACT)  # stable: file order kept
    return next((rule.reply for rule in rules if rule.matches(text)), None)
