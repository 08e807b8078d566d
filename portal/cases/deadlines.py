"""Finnish days: today and a stored moment as dates in Finland, and working days (Monday to
Friday, Finnish public holidays excluded) for contact deadlines and waiting times."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

HELSINKI = ZoneInfo("Europe/Helsinki")


def helsinki_date(moment: datetime) -> date:
    """A stored moment as a date in Finland (SQLite hands back naive UTC times)."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return moment.astimezone(HELSINKI).date()


def helsinki_today() -> date:
    return datetime.now(HELSINKI).date()


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


@cache
def _weekday_holidays(year: int) -> tuple[date, ...]:
    return tuple(d for d in _finnish_holidays(year) if d.weekday() < 5)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end is not later).

    Counted by whole weeks, not day by day: an inbox page of year-old cases would otherwise
    cost tens of thousands of holiday look-ups.
    """
    if end <= start:
        return 0
    weeks, extra = divmod((end - start).days, 7)
    count = weeks * 5
    count += sum((start + timedelta(days=weeks * 7 + i)).weekday() < 5 for i in range(1, extra + 1))
    for year in range(start.year, end.year + 1):
        count -= sum(start < day <= end for day in _weekday_holidays(year))
    return count
