"""Management figures: counts per case type, status and department, lead times, weeks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from balie.cases.actions import close_case, complete_case_task, register_case, set_status
from balie.cases.figures import FigureFilter, management_figures, percentile
from balie.cases.models import Case, StatusType
from balie.cases.tests.conftest import build_case_type

TODAY = dt.date(2026, 11, 25)  # a Wednesday
ZONE = timezone.get_current_timezone()


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZONE)


@pytest.fixture
def permit_b(admin, burgerzaken):
    """A second case type, of another department."""
    return build_case_type(admin, burgerzaken, code="parkeerkaart").case_type


def _case(case_type, by, *, registered: dt.date, closed: dt.date | None = None, deadline=None, status=None):
    case = register_case(case_type=case_type, by=by, subject="Zaak", attributes={"soort": "bouwen"})
    if status or closed:
        complete_case_task(task=case.tasks.get(), by=by)
        case = set_status(
            case=case, status_type=StatusType.objects.get(version=case.version, name="In behandeling"), by=by
        )
    if closed:
        case = close_case(case=case, result_type=case.version.result_types.get(name="Vergund"), by=by)
    Case.objects.filter(pk=case.pk).update(
        registered_at=at(registered),
        closed_at=at(closed) if closed else None,
        deadline=deadline or TODAY + dt.timedelta(days=10),
    )
    return case


@pytest.fixture
def cases(permit_type, permit_b, handler, team_lead):
    # permit_type (Omgeving): closed after 1, 2, 3, 4 and 10 days, within the period
    for days in (1, 2, 3, 4, 10):
        _case(permit_type, handler, registered=dt.date(2026, 11, 2), closed=dt.date(2026, 11, 2 + days))
    # one closed long before the period: counted nowhere in the period
    _case(permit_type, handler, registered=dt.date(2024, 1, 8), closed=dt.date(2024, 2, 1))
    # open: two overdue (one of them in treatment), one on time
    _case(permit_type, handler, registered=dt.date(2026, 10, 1), deadline=TODAY - dt.timedelta(days=1))
    _case(
        permit_type, handler, registered=dt.date(2026, 10, 1), deadline=TODAY - dt.timedelta(days=5), status=1
    )
    _case(permit_type, handler, registered=dt.date(2026, 11, 23))
    # permit_b (Burgerzaken): one open, one closed after 6 days
    _case(permit_b, team_lead, registered=dt.date(2026, 11, 16))
    _case(permit_b, team_lead, registered=dt.date(2026, 11, 9), closed=dt.date(2026, 11, 15))


def _by_key(rows):
    return {row.key: row for row in rows}


def test_percentile_is_postgresql_percentile_cont():
    assert percentile([1, 2, 3, 4, 10], 0.5) == 3
    assert percentile([1, 2, 3, 4, 10], 0.9) == pytest.approx(7.6)
    assert percentile([5], 0.9) == 5


def test_counts_per_case_type_and_department(cases, team_lead, permit_type, permit_b, omgeving, burgerzaken):
    figures = management_figures(team_lead, FigureFilter.default(TODAY), today=TODAY)

    types = _by_key(figures.by_case_type)
    assert set(types) == {permit_type.pk, permit_b.pk}
    permit = types[permit_type.pk]
    assert (permit.registered, permit.closed, permit.open, permit.overdue) == (8, 5, 3, 2)
    assert (permit.group, permit.group_key) == ("Omgeving", omgeving.pk)
    other = types[permit_b.pk]
    assert (other.registered, other.closed, other.open, other.overdue) == (2, 1, 1, 0)
    departments = _by_key(figures.by_department)
    assert [d.label for d in figures.by_department] == ["Burgerzaken", "Omgeving"]
    assert (departments[omgeving.pk].open, departments[omgeving.pk].overdue) == (3, 2)
    assert (departments[burgerzaken.pk].registered, departments[burgerzaken.pk].closed) == (2, 1)
    total = figures.total
    assert (total.registered, total.closed, total.open, total.overdue) == (10, 6, 4, 2)


def test_lead_times_are_the_median_and_90th_percentile_of_the_period(cases, team_lead, permit_type, permit_b):
    figures = management_figures(team_lead, FigureFilter.default(TODAY), today=TODAY)

    types = _by_key(figures.by_case_type)
    assert types[permit_type.pk].median_days == pytest.approx(3)
    assert types[permit_type.pk].p90_days == pytest.approx(7.6)
    assert types[permit_b.pk].median_days == types[permit_b.pk].p90_days == pytest.approx(6)
    # all types together: 1, 2, 3, 4, 6, 10 days
    assert figures.total.median_days == pytest.approx(3.5)
    assert figures.total.p90_days == pytest.approx(8)
    assert figures.lead_times_sampled is False


def test_open_cases_per_status(cases, team_lead, permit_type, permit_b):
    figures = management_figures(team_lead, FigureFilter.default(TODAY), today=TODAY)

    rows = [(r.group_key, r.label, r.open, r.overdue) for r in figures.by_status]
    first, second = sorted([permit_type.pk, permit_b.pk])
    expected = {
        permit_type.pk: [(permit_type.pk, "Ontvangen", 2, 1), (permit_type.pk, "In behandeling", 1, 1)],
        permit_b.pk: [(permit_b.pk, "Ontvangen", 1, 0)],
    }
    assert rows == expected[first] + expected[second]  # per case type, in status order


def test_opened_and_closed_per_week(cases, team_lead):
    figures = management_figures(team_lead, FigureFilter.default(TODAY), today=TODAY)

    weeks = {week.start: (week.opened, week.closed) for week in figures.weeks}
    assert len(figures.weeks) == 53
    assert figures.weeks[0].start == dt.date(2025, 11, 24)  # the Monday of the period's first day
    assert figures.weeks[-1].start == dt.date(2026, 11, 23)
    assert weeks[dt.date(2026, 9, 28)] == (2, 0)
    assert weeks[dt.date(2026, 11, 2)] == (5, 4)  # closed on 3, 4, 5 and 6 November
    assert weeks[dt.date(2026, 11, 9)] == (1, 2)  # closed on 12 and Sunday 15 November
    assert weeks[dt.date(2026, 11, 16)] == (1, 0)
    assert weeks[dt.date(2026, 11, 23)] == (1, 0)
    assert sum(opened for opened, _closed in weeks.values()) == 10
    assert sum(closed for _opened, closed in weeks.values()) == 6


def test_filters_narrow_every_figure(cases, team_lead, burgerzaken, permit_b):
    period = {"since": dt.date(2026, 1, 1), "until": TODAY}
    by_department = management_figures(
        team_lead, FigureFilter(**period, department_id=burgerzaken.pk), today=TODAY
    )
    by_type = management_figures(team_lead, FigureFilter(**period, case_type_id=permit_b.pk), today=TODAY)

    for figures in (by_department, by_type):
        assert [r.key for r in figures.by_case_type] == [permit_b.pk]
        assert [r.key for r in figures.by_department] == [burgerzaken.pk]
        assert (figures.total.registered, figures.total.closed, figures.total.open) == (2, 1, 1)
        assert figures.total.median_days == pytest.approx(6)
        assert sum(week.opened for week in figures.weeks) == 2


def test_only_team_leads_and_functional_administrators_read_them(cases, handler, admin, citizen):
    assert management_figures(admin, FigureFilter.default(TODAY), today=TODAY).total.registered == 10
    for user in (handler, citizen):
        figures = management_figures(user, FigureFilter.default(TODAY), today=TODAY)
        assert figures.by_case_type == [] and figures.total.registered == 0
