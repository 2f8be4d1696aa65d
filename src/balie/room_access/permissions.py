"""Who may see and do what with door access."""

from __future__ import annotations

from typing import Any

from balie.accounts.models import Role
from balie.accounts.permissions import is_employee


def can_manage_door_access(user: Any) -> bool:
    """Keep door controllers and zones (the functional administrator)."""
    return is_employee(user) and user.has_role(Role.FUNCTIONAL_ADMIN)


def can_view_access_grants(user: Any) -> bool:
    """See grants per zone, their push state and the reconciliation reports; resend a failed push."""
    return is_employee(user) and user.has_role(Role.ROOM_MANAGER, Role.FUNCTIONAL_ADMIN)
