"""Deadline arithmetic in the case type's unit (calendar or working days)."""

from __future__ import annotations

import datetime as dt

from balie.core.calendar import WorkingDayCalendar

from .models import DayUnit


def add_days(start: dt.date, days: int, unit: str, calendar: WorkingDayCalendar | None = None) -> dt.date:
    if unit == DayUnit.WORKING:
        return (calendar or WorkingDayCalendar()).add_working_days(start, days)
    return start + dt.timedelta(days=days)


def days_between(start: dt.date, end: dt.date, unit: str, calendar: WorkingDayCalendar | None = None) -> int:
    """Days of `unit` after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    if unit == DayUnit.WORKING:
        return (calendar or WorkingDayCalendar()).working_days_between(start, end)
    return (end - start).days


class DeadlineState:
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


def deadline_state(deadline: dt.date, today: dt.date, *, soon_days: int = 3) -> str:
    if deadline < today:
        return DeadlineState.OVERDUE
    if (deadline - today).days <= soon_days:
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TIME
