"""Reads of employees and organisation units."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import AccountKind, Department, Team, User


def active_departments() -> QuerySet[Department]:
    return Department.objects.filter(active=True).order_by("name")


def active_teams() -> QuerySet[Team]:
    return Team.objects.filter(active=True).select_related("department").order_by("department__name", "name")


def active_employees() -> QuerySet[User]:
    return User.objects.filter(kind=AccountKind.EMPLOYEE, is_active=True).order_by("last_name", "first_name")


def employees() -> QuerySet[User]:
    """Every employee account, also those who left: audit searches must still find them."""
    return User.objects.filter(kind=AccountKind.EMPLOYEE).order_by("last_name", "first_name")


def all_departments() -> QuerySet[Department]:
    """Every department with its teams, in use or not: for the functional administrator."""
    return Department.objects.prefetch_related("teams").order_by("-active", "name")


def get_department(department_uuid: uuid.UUID | str) -> Department:
    try:
        return Department.objects.get(uuid=department_uuid)
    except Department.DoesNotExist:
        raise Http404 from None


def get_team(team_uuid: uuid.UUID | str) -> Team:
    try:
        return Team.objects.select_related("department").get(uuid=team_uuid)
    except Team.DoesNotExist:
        raise Http404 from None


def get_employee(employee_uuid: uuid.UUID | str) -> User:
    try:
        return employees().select_related("department", "team").get(uuid=employee_uuid)
    except User.DoesNotExist:
        raise Http404 from None


def search_employees(*, query: str = "", department: Department | None = None) -> QuerySet[User]:
    """Employees by part of their name or username, optionally of one department."""
    rows = employees().select_related("department", "team").prefetch_related("role_assignments")
    for word in query.split():
        rows = rows.filter(
            Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
    if department is not None:
        rows = rows.filter(department=department)
    return rows


def locked_out_usernames(usernames: Iterable[str]) -> set[str]:
    """Which of these usernames are locked out after too many failed logins (django-axes)."""
    return set(
        AccessAttempt.objects.filter(
            username__in=list(usernames), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
        ).values_list("username", flat=True)
    )
