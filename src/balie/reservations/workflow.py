"""Which status a booking may move to, as data, checked here only.

request → option (the slot is held until `option_expires_at`) → approved (only where the room
requires approval) → confirmed (paid or invoiced) → completed; cancelled at any live step before the
end, expired when an option is not confirmed in time (released by the scheduled job), no-show when
a confirmed booker does not come.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Booking, BookingStatus

S = BookingStatus

TRANSITIONS: dict[str, set[str]] = {
    S.REQUEST: {S.OPTION, S.CANCELLED},
    S.OPTION: {S.APPROVED, S.CONFIRMED, S.CANCELLED, S.EXPIRED},
    S.APPROVED: {S.CONFIRMED, S.CANCELLED, S.EXPIRED},
    S.CONFIRMED: {S.COMPLETED, S.CANCELLED, S.NO_SHOW},
    S.COMPLETED: set(),
    S.CANCELLED: set(),
    S.EXPIRED: set(),
    S.NO_SHOW: set(),
}

# Moves that need a reason in the history.
REASON_REQUIRED: set[str] = {S.CANCELLED, S.NO_SHOW}


def allowed_next(booking: Booking) -> list[str]:
    return [s for s in BookingStatus.values if s in TRANSITIONS[booking.status]]


def check_transition(booking: Booking, new: str, *, reason: str = "") -> None:
    """Raise ValidationError unless `booking` may go from its status to `new` now."""
    if new not in TRANSITIONS[booking.status]:
        raise ValidationError(
            _("Een boeking met status “%(old)s” kan niet naar “%(new)s”.")
            % {"old": booking.get_status_display(), "new": BookingStatus(new).label}
        )
    if new == S.CONFIRMED and booking.room.requires_approval and booking.status != S.APPROVED:
        raise ValidationError(_("Deze zaal vraagt eerst een goedkeuring."))
    if new == S.APPROVED and not booking.room.requires_approval:
        raise ValidationError(_("Deze zaal vraagt geen goedkeuring."))
    if new in REASON_REQUIRED and not reason.strip():
        raise ValidationError({"reason": _("Geef een reden op.")})
