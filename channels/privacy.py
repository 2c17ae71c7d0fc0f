"""Mask personal numbers before a message reaches the tracker store or the logs.

身份证号 (18 digits, the last may be X; the old 15-digit ones), 手机号 (11 digits from 1[3-9]) and
银行卡号 (15–19 digits) are replaced by a label keeping only the last four characters, so an agent
reading a conversation can still tell two numbers apart but nobody can use them. Full-width digits
(１３９…) are folded first: the NLU folds them too, and would otherwise keep them in clear.
"""
from __future__ import annotations

import re
from typing import Tuple

_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ－　", "0123456789Xx- ")
_DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
# Order matters: the longest patterns first, and digits not glued to other digits.
_PATTERNS: Tuple[Tuple[str, "re.Pattern[str]"], ...] = (
    ("身份证号", re.compile(r"(?<![0-9])[1-9]\d{5}(?:18|19|20)\d{2}" + _DATE
                          + r"\d{3}[0-9Xx](?![0-9A-Za-z])")),
    ("身份证号", re.compile(r"(?<![0-9])[1-9]\d{5}\d{2}" + _DATE + r"\d{3}(?![0-9A-Za-z])")),
    ("银行卡号", re.compile(r"(?<![0-9])(?:\d[ -]?){14,18}\d(?![0-9])")),
    ("手机号", re.compile(r"(?<![0-9])(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![0-9])")),
)

REMINDER = "温馨提示：请不要发送身份证号、手机号、银行卡号等个人信息，办理业务时请带原件到窗口。"


def mask(text: str) -> Tuple[str, bool]:
    """The text with personal numbers masked, and whether anything was masked."""
    masked = False
    folded = text.translate(_FULL_WIDTH)
    if folded != text and any(p.search(folded) for _, p in _PATTERNS):
        text = folded  # only then: full-width text without numbers is left as it was typed
    for label, pattern in _PATTERNS:
        def replace(match: "re.Match[str]", label: str = label) -> str:
            kept = re.sub(r"[^0-9Xx]", "", match.group(0)).upper() or match.group(0)
            return f"[{label}已隐藏 尾号{kept[-4:]}]"
        text, count = pattern.subn(replace, text)
        masked = masked or count > 0
    return text, masked
