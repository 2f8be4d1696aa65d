"""Which status a post item may move to, as data, checked here only.

Every status change (assigning, starting, answering, filing, sending and the ways back) passes
`check_transition`. Incoming post: registered → assigned → in treatment → answered or filed, and
back where it makes sense (a handler gives an item back, an answered or filed item is reopened).
Outgoing post: registered → sent, or filed without being sent; a bounced dispatch brings it back
to registered so that it can go out another way.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Direction, PostItem, PostStatus

S = PostStatus

TRANSITIONS: dict[str, dict[str, set[str]]] = {
    Direction.INCOMING: {
        S.REGISTERED: {S.ASSIGNED, S.FILED},
        S.ASSIGNED: {S.REGISTERED, S.IN_TREATMENT, S.ANSWERED, S.FILED},
        S.IN_TREATMENT: {S.ASSIGNED, S.ANSWERED, S.FILED},
        S.ANSWERED: {S.IN_TREATMENT},
        S.FILED: {S.REGISTERED, S.IN_TREATMENT},
    },
    Direction.OUTGOING: {
        S.REGISTERED: {S.SENT, S.FILED},
        S.SENT: {S.REGISTERED},
        S.FILED: {S.REGISTERED},
    },
}

# Moves that need a reason in the history: going back, and filing an item nobody answers.
REASON_REQUIRED: set[tuple[str, str]] = {
    (S.ANSWERED, S.IN_TREATMENT),
    (S.FILED, S.REGISTERED),
    (S.FILED, S.IN_TREATMENT),
    (S.SENT, S.REGISTERED),
    (S.REGISTERED, S.FILED),
    (S.ASSIGNED, S.FILED),
    (S.IN_TREATMENT, S.FILED),
}

# Statuses in which someone works the item: a handler is needed.
NEEDS_HANDLER = {S.ASSIGNED, S.IN_TREATMENT}


def allowed_next(item: PostItem) -> list[str]:
    """The statuses `item` may move to now, in the table's order."""
    return [s for s in PostStatus.values if s in TRANSITIONS[item.direction].get(item.status, set())]


def check_transition(item: PostItem, new: str, *, reason: str = "", handler_id: int | None = None) -> None:
    """Raise ValidationError unless `item` may go from its status to `new` now.

    `handler_id` is the handler the item will have after the move (assigning sets one)."""
    if item.needs_details and new != item.status:
        raise ValidationError({"status": _("Vul eerst de afzender en het onderwerp aan.")})
    if new == item.status:
        raise ValidationError(
            {"status": _("Het poststuk is al '%(status)s'.") % {"status": PostStatus(new).label}}
        )
    if new not in TRANSITIONS[item.direction].get(item.status, set()):
        raise ValidationError(
            {
                "status": _("Van '%(current)s' kan het poststuk niet naar '%(new)s'.")
                % {"current": PostStatus(item.status).label, "new": PostStatus(new).label}
            }
        )
    if new in NEEDS_HANDLER and handler_id is None:
        raise ValidationError({"handler": _("Kies eerst een behandelaar.")})
    if (item.status, new) in REASON_REQUIRED and not reason.strip():
        raise ValidationError({"reason": _("Geef een reden op.")})
