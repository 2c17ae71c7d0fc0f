"""The guide and its search as they are now: built again when guide.yml or the staff's wordings
change (a wording confirmed in the staff inbox is searched at once, without a restart)."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Optional, Tuple

from guide_kb.loader import load_guide
from guide_kb.model import Guide
from guide_kb.search import GuideSearch


class CurrentGuide:
    def __init__(self, path: Optional[Path] = None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._pair: Optional[Tuple[Guide, GuideSearch]] = None

    def both(self) -> Tuple[Guide, GuideSearch]:
        guide = load_guide(self.path)  # the loader's cache answers until a file changes
        pair = self._pair
        if pair is None or pair[0] is not guide:
            with self._lock:
                pair = self._pair
                if pair is None or pair[0] is not guide:
                    pair = self._pair = (guide, GuideSearch(guide))
        return pair

    @property
    def guide(self) -> Guide:
        return self.both()[0]

    @property
    def search(self) -> GuideSearch:
        return self.both()[1]
