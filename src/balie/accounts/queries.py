"""Reads of employees and organisation units."""

from __future__ import annotations

from django.db.models import QuerySet

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
