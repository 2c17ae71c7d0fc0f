"""Whether a window takes a business today (e.g. 59号窗口 每月1-15号), in Asia/Shanghai time."""
from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from guide_kb.model import Hours

BUREAU_TIMEZONE = ZoneInfo("Asia/Shanghai")


def today() -> datetime.date:
    """Today at the bureau; BOT_TODAY=YYYY-MM-DD pins it (end-to-end tests, demos)."""
    pinned = os.environ.get("BOT_TODAY")
    if pinned:
        return datetime.date.fromisoformat(pinned)
    return datetime.datetime.now(BUREAU_TIMEZONE).date()


@dataclass(frozen=True)
class HoursStatus:
    open_today: bool
    next_open: datetime.date  # today when open, else the first day of the next period
    last_day: datetime.date   # last day of the current or next period


def status(hours: Hours, day: datetime.date) -> HoursStatus:
    first, last = hours.days_of_month
    if first <= day.day <= last:
        return HoursStatus(True, day, _clamped(day.year, day.month, last))
    if day.day < first:
        start = _clamped(day.year, day.month, first)
    else:
        year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
        start = _clamped(year, month, first)
    return HoursStatus(False, start, _clamped(start.year, start.month, last))


def _clamped(year: int, month: int, day: int) -> datetime.date:
    """The given day of the month, or the month's last day when the month is shorter."""
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last_of_month = (following - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day, last_of_month))


def describe(hours: Hours, day: datetime.date) -> str:
    """One sentence for a citizen: open today or from when."""
    state = status(hours, day)
    today_text = f"今天是{day.month}月{day.day}日"
    if state.open_today:
        return (f"{today_text}，在办理时间内（{hours.text}），"
                f"本月可办理到{state.last_day.month}月{state.last_day.day}日。")
    return (f"{today_text}，不在办理时间内（{hours.text}），"
            f"请于{state.next_open.month}月{state.next_open.day}日至"
            f"{state.last_day.month}月{state.last_day.day}日前往。")


def describe_day(hours: Hours, day_of_month: int) -> str:
    """One sentence about a day of the month the user names (今天16号了, 30号过去能办不)."""
    first, last = hours.days_of_month
    if first <= day_of_month <= last:
        return f"{day_of_month}号在办理时间内（{hours.text}）。"
    return (f"{day_of_month}号不在办理时间内（{hours.text}），"
            f"请在每月{first}号至{last}号之间前往。")
