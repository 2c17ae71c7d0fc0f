"""Data access for the actions: the guide and its search.

The guide is the loader's (cached until guide.yml changes, so an edited file is read again);
the search is rebuilt only when the guide it was built on is replaced.
"""
from __future__ import annotations

from typing import Optional

from guide_kb.loader import load_guide
from guide_kb.model import Guide
from guide_kb.search import GuideSearch

_search: Optional[GuideSearch] = None


def guide() -> Guide:
    return load_guide()


def search() -> GuideSearch:
    global _search
    current = guide()
    if _search is None or _search.guide is not current:
        _search = GuideSearch(current)
    return _search
