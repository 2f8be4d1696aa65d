"""Who may do what in the digicheck. An employee's individual results are seen by that employee and
by their HR coordinator only; everyone else sees aggregates (over at least
BALIE_DIGICHECK_MIN_GROUP people)."""

from __future__ import annotations

from typing import Any

from balie.accounts.models import Role
from balie.accounts.permissions import is_employee


def is_hr(user: Any) -> bool:
    return is_employee(user) and user.has_role(Role.HR)


def can_manage_digicheck(user: Any) -> bool:
    """Build assessments, keep job profiles and the training catalogue, assign profiles."""
    return is_hr(user)


def can_read_digicheck_figures(user: Any) -> bool:
    """The aggregate figures (participation, heat map, progress): HR and team leads."""
    return is_employee(user) and user.has_role(Role.HR, Role.TEAM_LEAD)


def is_hr_coordinator_of(user: Any, profile: Any) -> bool:
    return bool(profile is not None and is_hr(user) and profile.hr_coordinator_id == user.id)


def can_see_results_of(user: Any, employee: Any, profile: Any) -> bool:
    """The employee themselves, or their HR coordinator."""
    if not is_employee(user):
        return False
    return bool(user.id == employee.id or is_hr_coordinator_of(user, profile))
