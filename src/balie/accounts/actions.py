"""Changes to employees, departments, teams and roles."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from balie.audit.actions import record_creation

from .models import AccountKind, Department, RoleAssignment, Team, User


@transaction.atomic
def create_department(*, name: str, code: str, email: str = "", by: User | None) -> Department:
    department = Department(name=name, code=code, email=email)
    department.full_clean()
    department.save()
    record_creation(instance=department, fields=["name", "code", "email"], by=by)
    return department


@transaction.atomic
def create_team(*, department: Department, name: str, by: User | None) -> Team:
    team = Team(department=department, name=name)
    team.full_clean()
    team.save()
    record_creation(instance=team, fields=["department", "name"], by=by)
    return team


@transaction.atomic
def create_employee(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str | None,
    department: Department | None,
    team: Team | None = None,
    roles: Iterable[str] = (),
    job_title: str = "",
    by: User | None,
) -> User:
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        department=department,
        team=team,
        job_title=job_title,
        kind=AccountKind.EMPLOYEE,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r) for r in set(roles)])
    record_creation(
        instance=user,
        fields=["username", "first_name", "last_name", "email", "department", "team"],
        by=by,
    )
    return user
