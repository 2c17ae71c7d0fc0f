"""The staff dashboard's figures, per day or week (Asia/Shanghai) and per channel, from the turns
of the tracker store (web/staff/turns.py) and the 👍/👎 of the feedback DB; and their CSV."""
from __future__ import annotations

import csv
import datetime
import io
from collections import Counter, defaultdict
from typing import Any, Callable, Dict, Iterable, Mapping, Optional, Sequence

from web.staff.turns import CHANNELS, Turn

LOCAL = datetime.timezone(datetime.timedelta(hours=8))  # Asia/Shanghai, no daylight saving
PERIODS = ("day", "week")
COUNTS = ("conversations", "turns", "answered", "refused", "referred", "up", "down")
LABELS = {"conversations": "对话数", "turns": "提问数", "answered": "已回答", "refused": "已拒答",
          "referred": "转 12333", "up": "👍", "down": "👎"}
TOP = 10


def local_time(timestamp: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(timestamp, LOCAL)


def period_of(moment: datetime.datetime, period: str) -> str:
    day = moment.astimezone(LOCAL).date()
    if period == "week":  # the Monday that starts it
        return (day - datetime.timedelta(days=day.weekday())).isoformat()
    return day.isoformat()


def _rating_time(created_at: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(created_at)


def figures(turns: Sequence[Turn], ratings: Iterable[Mapping[str, Any]], period: str,
            service_name: Callable[[str], Optional[str]],
            since: Optional[float] = None) -> Dict[str, Any]:
    rows: Dict[tuple, Counter] = defaultdict(Counter)
    senders: Dict[tuple, set] = defaultdict(set)
    services: Counter = Counter()
    refused: Counter = Counter()
    hours = [0] * 24
    for turn in turns:
        if not turn.text:
            continue
        moment = local_time(turn.timestamp)
        key = (period_of(moment, period), turn.channel)
        senders[key].add(turn.sender)
        counts = rows[key]
        counts["turns"] += 1
        counts["answered"] += turn.outcome == "answered"
        counts["refused"] += turn.refused
        counts["referred"] += turn.referred
        services.update(turn.services)
        if turn.refused:
            refused[turn.text] += 1
        hours[moment.hour] += 1
    reasons: Counter = Counter()
    for rating in ratings:
        moment = _rating_time(rating["created_at"])
        if since is not None and moment.timestamp() < since:
            continue
        rows[(period_of(moment, period), "widget")][rating["rating"]] += 1
        if rating["rating"] == "down":
            reasons[rating.get("reason") or "未说明"] += 1
    for key, people in senders.items():
        rows[key]["conversations"] = len(people)
    table = [{"period": p, "channel": c, "channel_name": CHANNELS[c],
              **{name: int(rows[(p, c)][name]) for name in COUNTS}}
             for p, c in sorted(rows, key=lambda k: (k[0], list(CHANNELS).index(k[1])))]
    totals = {name: sum(r[name] for r in table) for name in COUNTS}
    totals["conversations"] = len({t.sender for t in turns if t.text})
    return {"period": period, "rows": table, "totals": totals,
            "reasons": dict(reasons.most_common()),
            "top_services": [{"ref": ref, "name": service_name(ref) or ref, "count": n}
                             for ref, n in sorted(services.items(),
                                                  key=lambda kv: (-kv[1], kv[0]))[:TOP]],
            "top_refused": [{"question": q, "count": n}
                            for q, n in sorted(refused.items(),
                                               key=lambda kv: (-kv[1], kv[0]))[:TOP]],
            "hours": hours}


def to_csv(data: Mapping[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["period", "channel", *COUNTS])
    for row in data["rows"]:
        writer.writerow([row["period"], row["channel"], *(row[name] for name in COUNTS)])
    return "\ufeff" + out.getvalue()  # the BOM makes Excel read the UTF-8
