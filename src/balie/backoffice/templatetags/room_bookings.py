"""Template filters for the room-booking pages and the menu."""

from __future__ import annotations

from typing import Any

from django import template

from balie.reservations import permissions

register = template.Library()


@register.filter
def can_book_rooms(user: Any) -> bool:
    return permissions.can_book_rooms(user)


@register.filter
def can_manage_bookings(user: Any) -> bool:
    return permissions.can_manage_bookings(user)
