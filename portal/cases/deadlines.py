"""Contact deadlines in working days: Monday to Friday, Finnish public holidays excluded."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays


@cache
def _finnish_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("FI", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _finnish_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (the day of arrival does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end is not later)."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
