"""Who may do what, by role. Views and the API ask these, never role names directly."""

from __future__ import annotations

from typing import Any

from .models import AccountKind, Role


def is_employee(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.kind == AccountKind.EMPLOYEE)


def can_register_contact(user: Any) -> bool:
    return is_employee(user)


def can_merge_parties(user: Any) -> bool:
    return is_employee(user) and user.has_role(Role.FRONT_DESK, Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN)


def can_read_audit(user: Any) -> bool:
    return is_employee(user) and user.has_role(Role.PRIVACY_OFFICER)


def can_manage_catalogue(user: Any) -> bool:
    return is_employee(user) and user.has_role(Role.FUNCTIONAL_ADMIN)
