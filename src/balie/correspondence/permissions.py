"""Who may do what with post items. Views, the API and the actions ask these."""

from __future__ import annotations

from typing import Any

from balie.accounts.models import Role
from balie.accounts.permissions import acts_for_municipality, is_employee


def can_register_post(user: Any) -> bool:
    """Register incoming or outgoing post: anyone who acts for the municipality in a department
    (the post room, the counter, a handler writing a letter, another system through the API)."""
    return acts_for_municipality(user) and user.department_id is not None


def uses_post_room(user: Any) -> bool:
    """Sees the post room screen in the menu: registering stacks of letters is their job."""
    return is_employee(user) and user.has_role(Role.POST_ROOM, Role.FUNCTIONAL_ADMIN)


def can_route_post(user: Any) -> bool:
    """Send an item to any department and handler: the post room, team leads, the administrator,
    and another system through the API (bound to its department)."""
    if not acts_for_municipality(user):
        return False
    if not is_employee(user):
        return True
    return bool(user.has_role(Role.POST_ROOM, Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN))


def can_work_post_item(user: Any, item: Any) -> bool:
    """Work an item (take it, start, answer, file, link it): its handler, or anyone of its department."""
    if not acts_for_municipality(user):
        return False
    return bool(item.handler_id == user.pk or item.department_id == user.department_id)
