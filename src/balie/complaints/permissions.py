"""Who may work complaints: the complaint coordinator (role), independent of the department a
complaint concerns (checked per complaint in actions.py)."""

from __future__ import annotations

from typing import Any

from balie.accounts.models import Role
from balie.accounts.permissions import is_employee


def can_coordinate_complaints(user: Any) -> bool:
    return is_employee(user) and user.has_role(Role.COMPLAINT_COORDINATOR)
