"""The guide and its search as they are now: built again when guide.yml or the staff's wordings
change (a wording confirmed in the staff inbox is searched at once, without a restart).
`recheck_seconds`: how long the files are trusted unchanged (the action server reads the guide
many times per turn, a second's delay costs nothing there)."""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Optional, Tuple

from guide_kb.loader import load_guide
from guide_kb.model import Guide
from guide_kb.search import GuideSearch


class CurrentGuide:
    def __init__(self, path: Optional[Path] = None, recheck_seconds: float = 0.0) -> None:
        self.path = path
        self.recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self._pair: Optional[Tuple[Guide, GuideSearch]] = None
        self._checked = float("-inf")

    def both(self) -> Tuple[Guide, GuideSearch]:
        pair = self._pair
        if pair is not None and time.monotonic() - self._checked < self.recheck_seconds:
            return pair
        guide = load_guide(self.path)  # the loader's cache answers until a file changes
        with self._lock:
            pair = self._pair
            if pair is None or pair[0] is not guide:
                pair = self._pair = (guide, GuideSearch(guide))
            self._checked = time.monotonic()
        return pair

    @property
    def guide(self) -> Guide:
        return self.both()[0]

    @property
    def search(self) -> GuideSearch:
        return self.both()[1]
