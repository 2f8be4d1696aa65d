"""What lower apps ask of the post register (registered in apps.py)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import User
from balie.audit.actions import record_change
from balie.audit.models import ChangeAction
from balie.cases.models import Case
from balie.parties.models import Party

from ..models import (
    EventKind,
    PostItem,
)
from .base import (
    _event,
)

# --- handlers for lower apps (registered in apps.py) -------------------------------------------


def move_post_items_to_survivor(survivor: Party, duplicate: Party) -> int:
    """Merge handler: the duplicate's post items follow the survivor."""
    return PostItem.objects.filter(party=duplicate).update(party=survivor, updated_at=timezone.now())


def release_post_items_of_case(case: Case, by: Any) -> int:
    """Case destruction handler: the case is destroyed; its post items stay in the register (they
    have a retention of their own), their link to the case is cleared and that is in their history."""
    items = list(
        PostItem.objects.select_for_update().filter(case=case).select_related("department").order_by("pk")
    )
    reason = _("Zaak vernietigd na archiefbeoordeling.")
    for item in items:
        record_change(
            instance=item,
            action=ChangeAction.UPDATE,
            changes={"case": [case.number, None]},
            by=by,
            reason=reason,
        )
        item.case = None
        item.save(update_fields=["case", "updated_at"])
        _event(
            item, EventKind.CASE, by=by if isinstance(by, User) else None, reason=reason, data={"case": None}
        )
    return len(items)
