"""The working-day calendar for deadlines: Belgian public holidays plus local closing days."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

from .models import ClosingDay


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("BE", years=year).keys())


def public_holiday_name(day: dt.date) -> str | None:
    names = holidays.country_holidays("BE", years=day.year, language="nl")
    return names.get(day)


class WorkingDayCalendar:
    """Answers 'is this a working day' and adds working days; loads closing days once."""

    def __init__(self, closing_days: set[dt.date] | None = None) -> None:
        if closing_days is None:
            closing_days = set(ClosingDay.objects.values_list("date", flat=True))
        self.closing_days = closing_days

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in _public_holidays(day.year) and day not in self.closing_days

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date `days` working days after `start` (start itself not counted)."""
        if days < 0:
            raise ValueError("days must be zero or more")
        day = start
        while days:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end`."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def add_working_days(start: dt.date, days: int) -> dt.date:
    return WorkingDayCalendar().add_working_days(start, days)


def add_calendar_days(start: dt.date, days: int) -> dt.date:
    return start + dt.timedelta(days=days)
