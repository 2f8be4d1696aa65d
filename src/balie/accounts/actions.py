"""Changes to employees, departments, teams and roles."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from axes.utils import reset as reset_login_failures
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from balie.audit.actions import diff, record_change, record_creation, snapshot
from balie.audit.models import ChangeAction
from balie.core.validators import validate_plain_text

from .models import AccountKind, Department, Role, RoleAssignment, Team, User

DEPARTMENT_FIELDS = ["name", "code", "email", "active"]
TEAM_FIELDS = ["name", "active"]
EMPLOYEE_FIELDS = ["first_name", "last_name", "email", "department", "team", "job_title"]
PLAIN_TEXT_FIELDS = ("first_name", "last_name", "job_title")


def _apply(instance: models.Model, data: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({name: _("Dit veld kan hier niet gewijzigd worden.") for name in unknown})
    for key, value in data.items():
        setattr(instance, key, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def create_department(*, name: str, code: str, email: str = "", by: User | None) -> Department:
    department = Department(name=name.strip(), code=code.strip(), email=email.strip())
    department.full_clean()
    department.save()
    record_creation(instance=department, fields=["name", "code", "email"], by=by)
    return department


@transaction.atomic
def create_team(*, department: Department, name: str, by: User | None) -> Team:
    team = Team(department=department, name=name.strip())
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
    _check_employee(user)
    user.full_clean(exclude=["password"])
    user.save()
    roles = set(roles)
    if roles - set(Role.values):
        raise ValidationError({"roles": _("Onbekende rol.")})
    RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r) for r in roles])
    record_creation(
        instance=user,
        fields=["username", "first_name", "last_name", "email", "department", "team"],
        by=by,
    )
    return user


def _check_employee(user: User) -> None:
    """What the model alone does not check: names without markup, a team of the chosen department."""
    errors: dict[str, list[str]] = {}
    for name in PLAIN_TEXT_FIELDS:
        try:
            validate_plain_text(getattr(user, name))
        except ValidationError as error:
            errors[name] = error.messages
    team = user.team if user.team_id is not None else None
    if team is not None and team.department_id != user.department_id:
        errors["team"] = [_("Dit team hoort niet bij de gekozen dienst.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_department(*, department: Department, by: User | None, **data: Any) -> Department:
    """Rename or (de)activate a department; every changed field goes to the history."""
    department = Department.objects.select_for_update().get(pk=department.pk)
    before = snapshot(department, DEPARTMENT_FIELDS)
    _apply(department, data, DEPARTMENT_FIELDS)
    department.full_clean()
    department.save()
    record_change(
        instance=department,
        action=ChangeAction.UPDATE,
        changes=diff(before, snapshot(department, DEPARTMENT_FIELDS)),
        by=by,
    )
    return department


@transaction.atomic
def update_team(*, team: Team, by: User | None, **data: Any) -> Team:
    """Rename or (de)activate a team; it stays in its department."""
    team = Team.objects.select_for_update().select_related("department").get(pk=team.pk)
    before = snapshot(team, TEAM_FIELDS)
    _apply(team, data, TEAM_FIELDS)
    team.full_clean()
    team.save()
    record_change(
        instance=team, action=ChangeAction.UPDATE, changes=diff(before, snapshot(team, TEAM_FIELDS)), by=by
    )
    return team


def _locked_employee(employee: User) -> User:
    locked = User.objects.select_for_update().get(pk=employee.pk)
    if locked.kind != AccountKind.EMPLOYEE:
        raise ValidationError(_("Dit is geen account van een medewerker."))
    return locked


@transaction.atomic
def update_employee(
    *, employee: User, by: User | None, roles: Iterable[str] | None = None, **data: Any
) -> User:
    """Change an employee's names, e-mail address, department, team or job title, and with
    `roles` their roles too: all of it or nothing."""
    employee = _locked_employee(employee)
    before = snapshot(employee, EMPLOYEE_FIELDS)
    _apply(employee, data, EMPLOYEE_FIELDS)
    _check_employee(employee)
    employee.full_clean(exclude=["password"])
    employee.save()
    record_change(
        instance=employee,
        action=ChangeAction.UPDATE,
        changes=diff(before, snapshot(employee, EMPLOYEE_FIELDS)),
        by=by,
    )
    if roles is not None:
        set_roles(employee=employee, roles=roles, by=by)
    return employee


@transaction.atomic
def set_roles(*, employee: User, roles: Iterable[str], by: User | None) -> User:
    """Give an employee exactly these roles. An administrator keeps their own administrator role,
    so that there is always someone left who can hand it out."""
    employee = _locked_employee(employee)
    new = set(roles)
    if new - set(Role.values):
        raise ValidationError({"roles": _("Onbekende rol.")})
    old = set(employee.role_assignments.values_list("role", flat=True))
    if by is not None and by.pk == employee.pk and Role.FUNCTIONAL_ADMIN in old - new:
        raise ValidationError(
            {
                "roles": _(
                    "U kunt uw eigen rol van functioneel beheerder niet afnemen. "
                    "Vraag het aan een collega-beheerder."
                )
            }
        )
    if new == old:
        return employee
    employee.role_assignments.filter(role__in=old - new).delete()
    RoleAssignment.objects.bulk_create([RoleAssignment(user=employee, role=r) for r in new - old])
    employee.__dict__.pop("_roles_cache", None)
    record_change(
        instance=employee, action=ChangeAction.UPDATE, changes={"roles": [sorted(old), sorted(new)]}, by=by
    )
    return employee


@transaction.atomic
def set_employee_active(*, employee: User, active: bool, by: User | None) -> User:
    """An employee who leaves can no longer log in; their name stays on what they did."""
    employee = _locked_employee(employee)
    if not active and by is not None and by.pk == employee.pk:
        raise ValidationError(_("U kunt uw eigen account niet deactiveren."))
    if employee.is_active != active:
        record_change(
            instance=employee,
            action=ChangeAction.UPDATE,
            changes={"is_active": [employee.is_active, active]},
            by=by,
        )
        employee.is_active = active
        employee.save(update_fields=["is_active"])
    return employee


@transaction.atomic
def unlock_employee(*, employee: User, by: User | None) -> int:
    """Lift a lockout after too many failed logins; returns how many lockout records were removed."""
    employee = _locked_employee(employee)
    removed = int(reset_login_failures(username=employee.username) or 0)
    if removed:
        record_change(
            instance=employee, action=ChangeAction.UPDATE, changes={"locked_out": [True, False]}, by=by
        )
    return removed


@transaction.atomic
def system_account(*, key: str, name: str, department: Department) -> User:
    """The account a part of Balie itself acts as for a department (the e-loket, a mailbox): it
    registers what it receives as an employee of that department would, and never logs in."""
    username = f"systeem-{key}"[:150]
    account = User.objects.select_for_update().filter(username=username).first()
    if account is None:
        account = User(
            username=username, first_name=name[:150], kind=AccountKind.SYSTEM, department=department
        )
        account.set_unusable_password()
        account.save()
        record_creation(instance=account, fields=["username", "first_name", "kind"], by=None)
    elif account.department_id != department.pk or not account.is_active:
        account.department, account.is_active = department, True
        account.save(update_fields=["department", "is_active"])
    return account
