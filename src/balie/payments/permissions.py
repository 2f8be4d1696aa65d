"""Who may do what with money: any employee sees orders; cashiers work the register; the day
close is signed off by a second person with the cashier or team-lead role."""

from __future__ import annotations

from typing import Any

from balie.accounts.models import Role
from balie.accounts.permissions import is_employee


def can_see_payments(user: Any) -> bool:
    return is_employee(user)


def can_work_register(user: Any) -> bool:
    return is_employee(user) and user.has_role(Role.CASHIER)


def can_sign_off_register(user: Any) -> bool:
    return is_employee(user) and user.has_role(Role.CASHIER, Role.TEAM_LEAD)


def can_manage_payments(user: Any) -> bool:
    """Refund, cancel, import bank statements and link bank lines by hand."""
    return is_employee(user) and user.has_role(Role.CASHIER, Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN)
