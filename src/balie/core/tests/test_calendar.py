import datetime as dt

import pytest

from balie.core.calendar import WorkingDayCalendar, public_holiday_name
from balie.core.models import ClosingDay


def test_weekends_and_belgian_public_holidays_are_not_working_days():
    calendar = WorkingDayCalendar(closing_days=set())
    assert calendar.is_working_day(dt.date(2026, 11, 10))  # Tuesday
    assert not calendar.is_working_day(dt.date(2026, 11, 14))  # Saturday
    assert not calendar.is_working_day(dt.date(2026, 11, 11))  # Wapenstilstand
    assert not calendar.is_working_day(dt.date(2026, 7, 21))  # Nationale feestdag
    assert not calendar.is_working_day(dt.date(2026, 4, 6))  # Paasmaandag


def test_adding_working_days_skips_weekends_and_holidays():
    calendar = WorkingDayCalendar(closing_days=set())
    # Friday 2026-11-06 + 3 working days: Mon 9, Tue 10, (Wed 11 is a holiday) Thu 12.
    assert calendar.add_working_days(dt.date(2026, 11, 6), 3) == dt.date(2026, 11, 12)
    assert calendar.add_working_days(dt.date(2026, 11, 6), 0) == dt.date(2026, 11, 6)
    assert calendar.working_days_between(dt.date(2026, 11, 6), dt.date(2026, 11, 12)) == 3


@pytest.mark.django_db
def test_local_closing_days_count_as_closed():
    ClosingDay.objects.create(date=dt.date(2026, 11, 2), description="Allerzielen")
    calendar = WorkingDayCalendar()
    assert not calendar.is_working_day(dt.date(2026, 11, 2))
    assert calendar.add_working_days(dt.date(2026, 10, 30), 1) == dt.date(2026, 11, 3)


def test_it_refuses_negative_day_counts():
    with pytest.raises(ValueError):
        WorkingDayCalendar(closing_days=set()).add_working_days(dt.date(2026, 1, 5), -1)


def test_it_names_public_holidays_in_dutch():
    assert public_holiday_name(dt.date(2026, 12, 25)) == "Kerstmis"
    assert public_holiday_name(dt.date(2026, 12, 23)) is None
