"""Working days in Finland: the week-wise count agrees with walking the calendar day by day."""

from __future__ import annotations

from datetime import date, timedelta

from portal.cases.deadlines import add_working_days, is_working_day, working_days_between


def _walked(start: date, end: date) -> int:
    return sum(is_working_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))


def test_counting_by_weeks_matches_counting_day_by_day():
    start = date(2025, 12, 1)  # across Christmas, New Year, Easter and Midsummer
    for offset in range(0, 420, 7):
        for length in (0, 1, 2, 3, 6, 7, 8, 30, 200):
            first = start + timedelta(days=offset % 13)
            last = first + timedelta(days=length)
            assert working_days_between(first, last) == _walked(first, last), (first, last)
    assert working_days_between(date(2026, 1, 10), date(2026, 1, 1)) == 0


def test_adding_and_counting_agree():
    day = date(2026, 12, 22)  # Christmas Eve, Christmas Day, Boxing Day are holidays
    assert add_working_days(day, 3) == date(2026, 12, 29)
    assert working_days_between(day, add_working_days(day, 3)) == 3
