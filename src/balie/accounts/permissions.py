"""Who may do what, by role. Views and the API ask these, never role names directly."""

from __future__ import annotations

from typing import Any

from .models import AccountKind, Role


def is_employee(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.kind == AccountKind.EMPLOYEE)


def is_department_system_account(user: Any) -> bool:
    """The account another system acts as through the API: active and bound to one department.

    The API app deactivates the account together with its application, so only the account of an
    active application passes. It never logs in to the pages (no usable password).
    """
    return bool(
        user.is_authenticated
        and user.is_active
        and user.kind == AccountKind.SYSTEM
        and user.department_id is not None
    )


def acts_for_municipality(user: Any) -> bool:
    """An employee, or a system account acting for its department: sees and registers what an
    employee of that department would. Citizens never pass."""
    return is_employee(user) or is_department_system_account(user)


def can_register_contact(user: Any) -> bool:
    return acts_for_municipality(user)


def can_merge_parties(user: Any) -> bool:
    return is_employee(user) and user.has_role(Role.FRONT_DESK, Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN)


def can_read_audit(user: Any) -> bool:
    return is_employee(user) and user.has_role(Role.PRIVACY_OFFICER)


def can_manage_catalogue(user: Any) -> bool:
    return is_employee(user) and user.has_role(Role.FUNCTIONAL_ADMIN)


def can_handle_cases(user: Any) -> bool:
    """Work cases: change status, tasks, notes, suspend and extend within the case type's rules."""
    return acts_for_municipality(user)


def can_change_deadline(user: Any) -> bool:
    """Move a case's deadline by hand, outside suspension and extension."""
    return is_employee(user) and user.has_role(Role.TEAM_LEAD)


def can_reopen_case(user: Any) -> bool:
    return is_employee(user) and user.has_role(Role.TEAM_LEAD)


def can_assign_cases(user: Any) -> bool:
    """Reassign cases of others (the queue's owner); everyone may take a case from their own queue."""
    return is_employee(user) and user.has_role(Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN)


def can_review_retention(user: Any) -> bool:
    return is_employee(user) and user.has_role(Role.ARCHIVIST)


def can_read_management_figures(user: Any) -> bool:
    return is_employee(user) and user.has_role(Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN)
