"""Management figures: counts of cases per case type, status and department, lead times, overdue
cases and the cases opened and closed per week, over a period.

Each read is one grouped query answered from an index (see Case.Meta.indexes, `case_fig_*`):
open cases from the partial index over open cases, closed ones from the one over closed cases
(with the registration time in it, for the lead time), registrations from the one on
`registered_at`; no row of the table is read in Python except for the lead times on SQLite, where
the percentiles are computed over a bounded query. Counts only: confidential cases are counted,
never shown.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, DateField, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from balie.accounts.models import Department
from balie.accounts.permissions import can_read_management_figures

from .models import Case, CaseType, StatusType

MAX_PERIOD_DAYS = 5 * 366
SQLITE_LEAD_TIME_ROWS = 200_000  # the Python fallback reads at most this many closed cases
DAY = 86400.0


@dataclass(frozen=True)
class FigureFilter:
    since: dt.date
    until: dt.date  # inclusive
    department_id: int | None = None
    case_type_id: int | None = None

    @classmethod
    def default(cls, today: dt.date | None = None) -> FigureFilter:
        """The last twelve months up to today."""
        today = today or timezone.localdate()
        try:
            since = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            since = today.replace(year=today.year - 1, day=28)
        return cls(since=since + dt.timedelta(days=1), until=today)


@dataclass
class Row:
    """One line of a table: counts, and lead times in days where they apply."""

    key: Any
    label: str
    group: str = ""  # the department of a case type, the case type of a status
    group_key: Any = None
    registered: int = 0  # in the period
    closed: int = 0  # in the period
    open: int = 0  # now
    overdue: int = 0  # now
    median_days: float | None = None  # lead time of the cases closed in the period
    p90_days: float | None = None
    order: int = 0


@dataclass
class Week:
    start: dt.date  # Monday
    opened: int = 0
    closed: int = 0


@dataclass
class Figures:
    filters: FigureFilter
    today: dt.date
    by_case_type: list[Row] = field(default_factory=list)
    by_department: list[Row] = field(default_factory=list)
    by_status: list[Row] = field(default_factory=list)
    weeks: list[Week] = field(default_factory=list)
    total: Row = field(default_factory=lambda: Row(key=None, label=""))
    lead_times_sampled: bool = False  # SQLite only: the lead times were computed on a bounded sample


def _bounds(filters: FigureFilter) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(filters.since, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def _cases(filters: FigureFilter) -> QuerySet[Case]:
    rows = Case.objects.all()
    if filters.department_id:
        rows = rows.filter(department_id=filters.department_id)
    if filters.case_type_id:
        rows = rows.filter(case_type_id=filters.case_type_id)
    return rows


def management_figures(user: Any, filters: FigureFilter, *, today: dt.date | None = None) -> Figures:
    """All figures for the period and filters; empty for whoever may not read them."""
    today = today or timezone.localdate()
    figures = Figures(filters=filters, today=today)
    if not can_read_management_figures(user):
        return figures
    start, end = _bounds(filters)
    cases = _cases(filters)

    # open now (index case_fig_open): per department, case type and status, with the overdue ones
    open_rows = list(
        cases.filter(closed_at__isnull=True)
        .values_list("department_id", "case_type_id", "status_type_id")
        .annotate(n=Count("*"), late=Count("deadline", filter=Q(deadline__lt=today)))
        .order_by()
    )
    # closed in the period (index case_fig_closed) and registered in it (case_fig_registered), per
    # department, case type and week: one index-only scan each serves the tables and the chart
    closed_rows = list(
        cases.filter(closed_at__gte=start, closed_at__lt=end)
        .annotate(week=TruncWeek("closed_at", output_field=DateField()))
        .values_list("department_id", "case_type_id", "week")
        .annotate(n=Count("*"))
        .order_by()
    )
    registered_rows = list(
        cases.filter(registered_at__gte=start, registered_at__lt=end)
        .annotate(week=TruncWeek("registered_at", output_field=DateField()))
        .values_list("department_id", "case_type_id", "week")
        .annotate(n=Count("*"))
        .order_by()
    )
    lead_times, figures.lead_times_sampled = _lead_times(cases, start, end)

    type_ids = {r[1] for r in open_rows} | {r[1] for r in closed_rows} | {r[1] for r in registered_rows}
    department_ids = {r[0] for r in open_rows} | {r[0] for r in closed_rows} | {r[0] for r in registered_rows}
    types = {
        pk: (name, department_id, department)
        for pk, name, department_id, department in CaseType.objects.filter(pk__in=type_ids).values_list(
            "pk", "name", "department_id", "department__name"
        )
    }
    departments = dict(Department.objects.filter(pk__in=department_ids).values_list("pk", "name"))

    by_type: dict[int, Row] = {
        pk: Row(key=pk, label=name, group=department, group_key=department_id)
        for pk, (name, department_id, department) in types.items()
    }
    by_department: dict[int, Row] = {pk: Row(key=pk, label=name) for pk, name in departments.items()}
    total = Row(key=None, label="")
    status_counts: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for department_id, type_id, status_id, n, late in open_rows:
        for row in (by_type[type_id], by_department[department_id], total):
            row.open += n
            row.overdue += late
        counts = status_counts[(type_id, status_id)]
        counts[0] += n
        counts[1] += late
    weeks = _weeks(filters)
    for department_id, type_id, week, n in closed_rows:
        for row in (by_type[type_id], by_department[department_id], total):
            row.closed += n
        if week in weeks:
            weeks[week].closed += n
    for department_id, type_id, week, n in registered_rows:
        for row in (by_type[type_id], by_department[department_id], total):
            row.registered += n
        if week in weeks:
            weeks[week].opened += n
    for type_id, (median, p90) in lead_times.items():
        target = total if type_id is None else by_type.get(type_id)
        if target is not None:
            target.median_days, target.p90_days = median, p90

    figures.by_case_type = sorted(by_type.values(), key=lambda r: (r.label.lower(), r.key))
    figures.by_department = sorted(by_department.values(), key=lambda r: r.label.lower())
    figures.by_status = _status_rows(status_counts, types)
    figures.total = total
    figures.weeks = list(weeks.values())
    return figures


def _status_rows(
    counts: dict[tuple[int, int], list[int]], types: dict[int, tuple[str, int, str]]
) -> list[Row]:
    """Open cases per case type and status; a status of each version counted under its name."""
    statuses = {
        pk: (name, order)
        for pk, name, order in StatusType.objects.filter(pk__in={s for _t, s in counts}).values_list(
            "pk", "name", "order"
        )
    }
    merged: dict[tuple[int, str], Row] = {}
    for (type_id, status_id), (n, late) in counts.items():
        name, order = statuses[status_id]
        row = merged.get((type_id, name))
        if row is None:
            row = merged[(type_id, name)] = Row(
                key=status_id, label=name, group=types[type_id][0], group_key=type_id, order=order
            )
        row.open += n
        row.overdue += late
        row.order = min(row.order, order)
    return sorted(merged.values(), key=lambda r: (r.group.lower(), r.group_key, r.order, r.label))


def _weeks(filters: FigureFilter) -> dict[dt.date, Week]:
    """Every week of the period, by its Monday (weeks in local time), empty."""
    weeks: dict[dt.date, Week] = {}
    day = filters.since - dt.timedelta(days=filters.since.weekday())
    while day <= filters.until:
        weeks[day] = Week(start=day)
        day += dt.timedelta(days=7)
    return weeks


# --- lead times ------------------------------------------------------------------------------

LeadTimes = dict[int | None, tuple[float, float]]  # case type (None: all) -> (median, p90) in days


def _lead_times(cases: QuerySet[Case], start: dt.datetime, end: dt.datetime) -> tuple[LeadTimes, bool]:
    closed = cases.filter(closed_at__gte=start, closed_at__lt=end)
    if connection.vendor == "postgresql":
        return _lead_times_postgresql(closed), False
    return _lead_times_python(closed)


def _lead_times_postgresql(closed: QuerySet[Case]) -> LeadTimes:
    """percentile_cont in the database, per case type and for all (ROLLUP), in one sort each."""
    inner = closed.values("case_type_id", "registered_at", "closed_at").order_by()
    sql, params = inner.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # a year of a large site's closed cases sorts in memory, not in a temporary file
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(
            f"""
            SELECT t.case_type_id, percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP
                (ORDER BY EXTRACT(EPOCH FROM t.closed_at - t.registered_at))
            FROM ({sql}) AS t
            GROUP BY ROLLUP (t.case_type_id)
            """,  # the inner query is the ORM's, with its parameters
            params,
        )
        rows = cursor.fetchall()
    return {type_id: (values[0] / DAY, values[1] / DAY) for type_id, values in rows if values}


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """PostgreSQL's percentile_cont: linear interpolation between the closest ranks."""
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _lead_times_python(closed: QuerySet[Case]) -> tuple[LeadTimes, bool]:
    """SQLite: the same figures in Python, over at most SQLITE_LEAD_TIME_ROWS of the newest
    closed cases (the embedded database is for small sites)."""
    rows = list(
        closed.order_by("-closed_at").values_list("case_type_id", "registered_at", "closed_at")[
            : SQLITE_LEAD_TIME_ROWS + 1
        ]
    )
    sampled = len(rows) > SQLITE_LEAD_TIME_ROWS
    per_type: dict[int | None, list[float]] = defaultdict(list)
    for type_id, registered_at, closed_at in rows[:SQLITE_LEAD_TIME_ROWS]:
        assert closed_at is not None  # filtered on the period
        seconds = (closed_at - registered_at).total_seconds()
        per_type[type_id].append(seconds)
        per_type[None].append(seconds)
    result: LeadTimes = {}
    for key, values in per_type.items():
        values.sort()
        result[key] = (percentile(values, 0.5) / DAY, percentile(values, 0.9) / DAY)
    return result, sampled
