"""Data access for the actions: the guide and its search, loaded again only when guide.yml or
the staff's confirmed wordings (knowledge/staff_wordings.yml) change."""
from __future__ import annotations

from guide_kb.current import CurrentGuide
from guide_kb.model import Guide
from guide_kb.search import GuideSearch

# The files are looked at once a second at most: the guide is read many times per turn.
RECHECK_SECONDS = 1.0
_current = CurrentGuide(recheck_seconds=RECHECK_SECONDS)


def guide() -> Guide:
    return _current.guide


def search() -> GuideSearch:
    return _current.search
