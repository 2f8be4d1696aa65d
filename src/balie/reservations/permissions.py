"""Who may do what with rooms and bookings."""

from __future__ import annotations

from typing import Any

from balie.accounts.models import Role
from balie.accounts.permissions import is_employee


def can_book_rooms(user: Any) -> bool:
    """Book for a customer (a counter booking, a phone call) and see the bookings."""
    return is_employee(user) and user.has_role(Role.ROOM_MANAGER, Role.FRONT_DESK, Role.CASHIER)


def can_manage_bookings(user: Any) -> bool:
    """Approve, confirm, move, cancel; see the planning board and the figures."""
    return is_employee(user) and user.has_role(Role.ROOM_MANAGER)


def can_override_booking_rules(user: Any) -> bool:
    """Book outside eligibility, quota, horizon or opening hours (audited with a reason)."""
    return is_employee(user) and user.has_role(Role.ROOM_MANAGER)
