import datetime

from guide_kb.hours import describe, status
from guide_kb.model import Hours

WINDOW_59 = Hours("每月1-15号", (1, 15))


def test_inside_the_period_is_open_until_its_last_day():
    state = status(WINDOW_59, datetime.date(2026, 11, 3))
    assert state.open_today and state.last_day == datetime.date(2026, 11, 15)


def test_after_the_period_opens_on_the_first_of_next_month():
    state = status(WINDOW_59, datetime.date(2026, 11, 27))
    assert not state.open_today and state.next_open == datetime.date(2026, 12, 1)


def test_december_rolls_over_to_january():
    state = status(WINDOW_59, datetime.date(2026, 12, 20))
    assert state.next_open == datetime.date(2027, 1, 1)


def test_a_late_period_is_clamped_to_short_months():
    state = status(Hours("每月25-31号", (25, 31)), datetime.date(2027, 2, 26))
    assert state.open_today and state.last_day == datetime.date(2027, 2, 28)


def test_before_the_period_opens_this_month():
    state = status(Hours("每月10-20号", (10, 20)), datetime.date(2026, 11, 2))
    assert not state.open_today and state.next_open == datetime.date(2026, 11, 10)


def test_description_says_open_or_from_when():
    assert "在办理时间内" in describe(WINDOW_59, datetime.date(2026, 11, 15))
    closed = describe(WINDOW_59, datetime.date(2026, 11, 16))
    assert "不在办理时间内" in closed and "12月1日" in closed
