"""Keeping the knowledge current: the guide's sub-services not checked against current policy
for longer than the review interval (REVIEW_INTERVAL_DAYS, default 365). An item's `reviewed_on`
in guide.yml says when it was last checked; without one, the document's effective date (else its
date of issue) counts."""
from __future__ import annotations

import datetime
from typing import Any, Dict, List, Optional

from guide_kb.model import Guide


def overdue(guide: Guide, interval_days: int,
            today: Optional[datetime.date] = None) -> List[Dict[str, Any]]:
    today = today or datetime.date.today()
    default = guide.document.effective_date or guide.document.date
    found = []
    for item in guide.items:
        reviewed = item.reviewed_on or default
        age = (today - datetime.date.fromisoformat(reviewed)).days
        if age > interval_days:
            package = guide.package_of(item)
            found.append({"item": item.id, "name": item.name, "ordinal": package.ordinal,
                          "reviewed_on": reviewed, "days": age,
                          "recorded": item.reviewed_on is not None})
    found.sort(key=lambda o: (-o["days"], o["item"]))
    return found
