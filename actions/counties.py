"""The counties with routes of their own (新宾, 清原): a county says where the user lives, not
which service they mean (vocabulary.yml lists the names people write for each)."""
from __future__ import annotations

from typing import Optional

from guide_kb.normalize import vocabulary


def county_in(text: str) -> Optional[str]:
    """新宾 or 清原 when the text names one of them."""
    for county, names in vocabulary()["counties"].items():
        if any(name in text for name in names):
            return county
    return None


def without_counties(text: str) -> str:
    """The text without county names, for finding the service."""
    names = sorted((n for names in vocabulary()["counties"].values() for n in names),
                   key=len, reverse=True)
    for name in names:
        text = text.replace(name, " ")
    return text
