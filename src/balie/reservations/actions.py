"""Every change to a booking: one transaction, an audit record, side effects after commit.

No two live bookings overlap on a unit. PostgreSQL's exclusion constraint on the occupancy rows is
the final judge (a slot taken a moment earlier fails the INSERT with SQLSTATE 23P01); on SQLite
every write transaction is IMMEDIATE, so the check below and the INSERT run under the database's
write lock, one booking at a time. Either way the loser gets `SlotTaken` with alternatives.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.audit.actions import record_change, record_creation
from balie.audit.models import ChangeAction
from balie.core.numbering import next_register_number
from balie.parties.models import Party
from balie.payments import actions as payments
from balie.payments.models import LineKind, Order, OrderState
from balie.room_access import actions as door_access
from balie.room_access.models import GrantState

from . import publication
from .availability import Alternative, alternatives, overlapping, unit_ids
from .models import (
    Blackout,
    Booking,
    BookingStatus,
    BookingStatusChange,
    CancellationRule,
    CustomerCategory,
    Facility,
    Occupancy,
    PriceLine,
    Room,
    WaitingListEntry,
    WaitingStatus,
)
from .permissions import can_override_booking_rules
from .pricing import CENT, quote
from .rules import check_slot
from .workflow import check_transition

S = BookingStatus
BOOKING_FIELDS = ["number", "room", "party", "category", "status", "starts_at", "ends_at", "purpose", "total"]


class SlotTaken(ValidationError):
    """The slot (or its buffers) overlaps a live booking or a blackout; `alternatives` to offer."""

    def __init__(self, alternatives: list[Alternative]) -> None:
        self.alternatives = alternatives
        message = _("Dit moment is net geboekt door iemand anders.")
        if alternatives:
            message += " " + _("Misschien past een van deze: %(list)s.") % {
                "list": "; ".join(str(a) for a in alternatives)
            }
        super().__init__(message, code="slot_taken")


def _is_exclusion_violation(error: IntegrityError) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == "23P01" or "reservations_occupancy_no_overlap" in str(error)


def _option_expiry(room: Room, now: dt.datetime) -> dt.datetime:
    hours = room.option_hours if room.option_hours is not None else settings.BALIE_ROOM_OPTION_HOURS
    return now + dt.timedelta(hours=hours)


def _history(booking: Booking, old: str, new: str, *, by: Any, reason: str, now: dt.datetime) -> None:
    BookingStatusChange.objects.create(
        booking=booking,
        from_status=old,
        to_status=new,
        at=now,
        by=by if getattr(by, "pk", None) else None,
        reason=reason[:500],
    )


def _occupy(booking: Booking) -> None:
    """Write the occupancy rows; the caller's transaction rolls back if one is refused."""
    Occupancy.objects.bulk_create(
        [
            Occupancy(
                unit_id=unit, booking=booking, starts_at=booking.occupied_from, ends_at=booking.occupied_until
            )
            for unit in unit_ids(booking.room)
        ]
    )


def _check_policy(*, verdict: Any, by: Any, override_reason: str) -> bool:
    """Raise on errors; on policy breaches only with permission and a reason. True if overridden."""
    if verdict.errors:
        raise ValidationError(verdict.errors)
    if not verdict.policy:
        return False
    if not override_reason.strip():
        raise ValidationError(verdict.policy)
    if not can_override_booking_rules(by):
        raise PermissionDenied(_("Alleen een zaalbeheerder mag de boekingsregels overschrijven."))
    return True


# --- payments and door access -----------------------------------------------------------------


def booking_reference(booking: Booking) -> str:
    return f"booking:{booking.uuid}"


def _order_lines(booking: Booking) -> list[payments.LineInput]:
    """The frozen price as order lines, incl. VAT, to the cent: a line keeps its quantity when the
    unit price incl. VAT times the quantity gives the line's amount exactly, else it is one unit."""
    lines = []
    for line in booking.price_lines.all():
        amount = line.amount_excl_vat + line.vat
        unit = (amount / line.quantity).quantize(CENT, ROUND_HALF_UP)
        if (unit * line.quantity).quantize(CENT, ROUND_HALF_UP) == amount:
            quantity = line.quantity
        else:
            quantity, unit = Decimal(1), amount
        lines.append(payments.LineInput(line.description, quantity, unit, line.vat_rate))
    if booking.deposit > 0:
        lines.append(
            payments.LineInput(_("Waarborg"), Decimal(1), booking.deposit, Decimal(0), LineKind.DEPOSIT)
        )
    return lines


def _open_order(booking: Booking, *, by: Any) -> None:
    """Payment is due (an option, or approved where the room needs approval): the order for the
    frozen price, in the caller's transaction. Free bookings and bookings with an order get none."""
    if booking.order_id is not None or not booking.price_lines.exists():
        return
    if booking.total + booking.deposit <= 0:
        return
    due = timezone.localdate(booking.option_expires_at) if booking.option_expires_at else None
    booking.order = payments.create_order(
        party=booking.party,
        lines=_order_lines(booking),
        reference=booking_reference(booking),
        by=by,
        due_on=due,
    )
    booking.save(update_fields=["order", "updated_at"])


def _close_order(booking: Booking, *, amount: Decimal, by: Any, reason: str) -> Decimal:
    """The booking ends before it was used: give back `amount` (at most what was paid) and cancel
    what is still open. Returns what was given back."""
    if booking.order_id is None:
        return Decimal("0")
    order = Order.objects.get(pk=booking.order_id)
    if order.state == OrderState.CANCELLED:
        return Decimal("0")
    back = min(amount, order.paid_total())
    if back > 0:
        payments.refund(order=order, amount=back, by=by, reason=reason)
    if order.paid_total() <= 0:
        payments.cancel_order(order=order, by=by, reason=reason)
    return back


def _grant_access(booking: Booking, *, by: Any, now: dt.datetime) -> None:
    """A confirmed booking in a building with a door zone: its booker opens the zone during the
    slot (plus room_access's margins). Not for a slot that is already over."""
    zone = booking.room.building.door_zone
    if zone is None or booking.ends_at <= now:
        return
    booking.grant = door_access.issue_grant(
        zone=zone,
        holder=booking.party,
        valid_from=booking.starts_at,
        valid_until=booking.ends_at,
        reference=booking_reference(booking),
        by=by,
    )
    booking.save(update_fields=["grant", "updated_at"])


def _live_grant(booking: Booking) -> Any:
    if booking.grant_id is None:
        return None
    grant = booking.grant
    return grant if grant is not None and grant.state == GrantState.ACTIVE else None


def _withdraw_access(booking: Booking, *, by: Any, reason: str) -> None:
    grant = _live_grant(booking)
    if grant is not None:
        door_access.revoke_grant(grant=grant, by=by, reason=reason or _("Boeking geannuleerd"))


def _follow_move(booking: Booking, *, by: Any, now: dt.datetime) -> None:
    """A confirmed booking moved: the grant follows (another zone: the old one is revoked)."""
    grant = _live_grant(booking)
    zone = booking.room.building.door_zone
    if grant is not None and zone is not None and grant.zone_id == zone.pk:
        door_access.move_grant(grant=grant, valid_from=booking.starts_at, valid_until=booking.ends_at, by=by)
        return
    _withdraw_access(booking, by=by, reason=_("Boeking verplaatst"))
    _grant_access(booking, by=by, now=now)


def on_order_settled(order: Order, event: str) -> None:
    """payments' settlement handler for `booking:<uuid>` orders (after its commit): a paid order
    confirms the option (which grants door access); a refund or cancellation is recorded."""
    try:
        key = uuid.UUID(order.reference.partition(":")[2])
    except ValueError:
        return
    booking = Booking.objects.filter(uuid=key, order=order).select_related("room").first()
    if booking is None:
        return
    if event == "paid":
        if booking.status in (S.OPTION, S.APPROVED) and not (
            booking.room.requires_approval and booking.status != S.APPROVED
        ):
            confirm_booking(booking=booking, by=None)
        return
    record_change(
        instance=booking,
        action=ChangeAction.UPDATE,
        changes={"order": [order.number, event]},
        by=None,
        reason=_("Bestelling %(number)s") % {"number": order.number},
    )


def request_booking(
    *,
    room: Room,
    party: Party,
    category: CustomerCategory,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    purpose: str,
    by: Any,
    attendees: int = 1,
    layout: str = "",
    facilities: Sequence[Facility] = (),
    channel: str = "counter",
    activity_type: str = "",
    override_reason: str = "",
    series: Any = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Book a slot: the request becomes an option that holds the slot until it expires."""
    now = now or timezone.now()
    if not purpose.strip():
        raise ValidationError({"purpose": _("Geef de activiteit op.")})
    try:
        with transaction.atomic():
            verdict = check_slot(
                room=room,
                category=category,
                party=party,
                starts_at=starts_at,
                ends_at=ends_at,
                attendees=attendees,
                layout=layout,
                now=now,
            )
            overridden = _check_policy(verdict=verdict, by=by, override_reason=override_reason)
            units = unit_ids(room)
            if overlapping(units, starts_at - room.buffer_before, ends_at + room.buffer_after).exists():
                raise SlotTaken([])
            booking = Booking.objects.create(
                room=room,
                party=party,
                category=category,
                status=S.REQUEST,
                starts_at=starts_at,
                ends_at=ends_at,
                buffer_before=room.buffer_before,
                buffer_after=room.buffer_after,
                layout=layout,
                attendees=attendees,
                purpose=purpose.strip(),
                activity_type=activity_type,
                series=series,
                rules_overridden=overridden,
                channel=channel,
                created_by=by if getattr(by, "pk", None) else None,
            )
            _history(booking, "", S.REQUEST, by=by, reason="", now=now)
            _occupy(booking)
            booking.number = next_register_number(prefix="ZR")
            _freeze_price(booking, facilities)
            booking.status = S.OPTION
            booking.option_expires_at = _option_expiry(room, now)
            booking.save()
            _history(booking, S.REQUEST, S.OPTION, by=by, reason="", now=now)
            record_creation(instance=booking, fields=BOOKING_FIELDS, by=by)
            if not room.requires_approval:
                _open_order(booking, by=by)
            if overridden:
                record_change(
                    instance=booking,
                    action=ChangeAction.UPDATE,
                    changes={"rules_overridden": [verdict.policy, True]},
                    by=by,
                    reason=override_reason,
                )
            return booking
    except SlotTaken:
        raise SlotTaken(
            alternatives(room=room, starts_at=starts_at, ends_at=ends_at, attendees=attendees)
        ) from None
    except IntegrityError as error:
        if not _is_exclusion_violation(error):
            raise
        raise SlotTaken(
            alternatives(room=room, starts_at=starts_at, ends_at=ends_at, attendees=attendees)
        ) from None


def _freeze_price(booking: Booking, facilities: Sequence[Facility]) -> None:
    priced = quote(
        room=booking.room,
        category=booking.category,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        facilities=list(facilities),
    )
    PriceLine.objects.bulk_create(
        [
            PriceLine(
                booking=booking,
                tariff=line.tariff,
                description=line.description,
                time_block=line.time_block,
                quantity=line.quantity,
                unit_price=line.unit_price,
                vat_rate=line.vat_rate,
                amount_excl_vat=line.amount_excl_vat,
                vat=line.vat,
            )
            for line in priced.lines
        ]
    )
    booking.total_excl_vat = priced.total_excl_vat
    booking.total_vat = priced.total_vat
    booking.total = priced.total
    booking.deposit = priced.deposit


def _move_status(booking: Booking, new: str, *, by: Any, reason: str = "", now: dt.datetime) -> Booking:
    """Lock the booking, check the move, record it."""
    locked = Booking.objects.select_for_update().select_related("room").get(pk=booking.pk)
    check_transition(locked, new, reason=reason)
    old = locked.status
    locked.status = new
    if new not in (S.OPTION, S.APPROVED):
        locked.option_expires_at = None
    locked.save(update_fields=["status", "option_expires_at", "updated_at"])
    if new in (S.CANCELLED, S.EXPIRED):
        locked.occupancies.update(live=False)
    _history(locked, old, new, by=by, reason=reason, now=now)
    record_change(
        instance=locked, action=ChangeAction.UPDATE, changes={"status": [old, new]}, by=by, reason=reason
    )
    return locked


def approve_booking(*, booking: Booking, by: Any, now: dt.datetime | None = None) -> Booking:
    """Approved: payment is due now (the order)."""
    with transaction.atomic():
        approved = _move_status(booking, S.APPROVED, by=by, now=now or timezone.now())
        _open_order(approved, by=by)
        return approved


def confirm_booking(*, booking: Booking, by: Any, now: dt.datetime | None = None) -> Booking:
    """Paid or invoiced: the slot is the booker's for good (until cancelled); the booker may open
    the building's door zone during it."""
    now = now or timezone.now()
    with transaction.atomic():
        confirmed = _move_status(booking, S.CONFIRMED, by=by, now=now)
        _grant_access(confirmed, by=by, now=now)
        publication.publish(confirmed)
        return confirmed


def complete_booking(*, booking: Booking, by: Any, now: dt.datetime | None = None) -> Booking:
    with transaction.atomic():
        return _move_status(booking, S.COMPLETED, by=by, now=now or timezone.now())


def mark_no_show(*, booking: Booking, by: Any, reason: str, now: dt.datetime | None = None) -> Booking:
    with transaction.atomic():
        marked = _move_status(booking, S.NO_SHOW, by=by, reason=reason, now=now or timezone.now())
        _withdraw_access(marked, by=by, reason=reason)
        return marked


def refund_for(booking: Booking, *, now: dt.datetime) -> Decimal:
    """What the cancellation policy gives back (the deposit always comes back in full)."""
    days = (booking.starts_at - now).days
    rules = list(CancellationRule.objects.filter(room=booking.room)) or list(
        CancellationRule.objects.filter(room__isnull=True)
    )
    percent = max((r.refund_percent for r in rules if days >= r.days_before), default=0)
    return (booking.total * percent / 100).quantize(CENT, ROUND_HALF_UP) + booking.deposit


def cancel_booking(*, booking: Booking, by: Any, reason: str, now: dt.datetime | None = None) -> Booking:
    """Cancel: the slot is free at once, the refund follows the policy (given back through the
    order when money was received; an unpaid order is cancelled), the door grant is revoked, the
    waiting list hears."""
    now = now or timezone.now()
    with transaction.atomic():
        current = Booking.objects.select_for_update().get(pk=booking.pk)
        was_confirmed = current.status == S.CONFIRMED
        cancelled = _move_status(current, S.CANCELLED, by=by, reason=reason, now=now)
        # Not confirmed yet: whatever was paid towards the option comes back in full.
        policy = refund_for(cancelled, now=now) if was_confirmed else None
        given_back = _close_order(
            cancelled,
            amount=policy if policy is not None else cancelled.total + cancelled.deposit,
            by=by,
            reason=reason,
        )
        cancelled.refund = policy if policy is not None else given_back
        cancelled.save(update_fields=["refund", "updated_at"])
        _withdraw_access(cancelled, by=by, reason=reason)
        if was_confirmed:
            publication.withdraw(cancelled)
        offer_freed_slot(
            room=cancelled.room, starts_at=cancelled.starts_at, ends_at=cancelled.ends_at, now=now
        )
        return cancelled


def expire_options(*, now: dt.datetime | None = None) -> int:
    """Release every option not confirmed in time (the scheduled job). Returns how many."""
    now = now or timezone.now()
    count = 0
    due = Booking.objects.filter(status__in=[S.OPTION, S.APPROVED], option_expires_at__lte=now).values_list(
        "id", flat=True
    )
    for booking_id in list(due[:1000]):
        with transaction.atomic():
            booking = Booking.objects.select_for_update().select_related("room").get(pk=booking_id)
            if booking.status not in (S.OPTION, S.APPROVED) or booking.option_expires_at is None:
                continue
            if booking.option_expires_at > now:
                continue
            reason = _("Optie niet op tijd bevestigd.")
            _move_status(booking, S.EXPIRED, by=None, reason=reason, now=now)
            _close_order(booking, amount=booking.total + booking.deposit, by=None, reason=reason)
            offer_freed_slot(room=booking.room, starts_at=booking.starts_at, ends_at=booking.ends_at, now=now)
            count += 1
    return count


def complete_past_bookings(*, now: dt.datetime | None = None) -> int:
    """Confirmed bookings whose slot has ended become completed (the scheduled job)."""
    now = now or timezone.now()
    count = 0
    for booking in Booking.objects.filter(status=S.CONFIRMED, ends_at__lte=now)[:1000]:
        complete_booking(booking=booking, by=None, now=now)
        count += 1
    return count


def move_booking(
    *,
    booking: Booking,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    by: Any,
    room: Room | None = None,
    override_reason: str = "",
    now: dt.datetime | None = None,
) -> Booking:
    """Move a live booking (the planning board's drag): the same rules as a new booking; the
    frozen price stays."""
    now = now or timezone.now()
    target = room or booking.room
    try:
        with transaction.atomic():
            locked = Booking.objects.select_for_update().get(pk=booking.pk)
            if locked.status not in (S.REQUEST, S.OPTION, S.APPROVED, S.CONFIRMED):
                raise ValidationError(_("Deze boeking kan niet meer verplaatst worden."))
            verdict = check_slot(
                room=target,
                category=locked.category,
                party=locked.party,
                starts_at=starts_at,
                ends_at=ends_at,
                attendees=locked.attendees,
                layout=locked.layout,
                now=now,
                ignore=locked,
            )
            overridden = _check_policy(verdict=verdict, by=by, override_reason=override_reason)
            clash = overlapping(
                unit_ids(target), starts_at - target.buffer_before, ends_at + target.buffer_after
            )
            if clash.exclude(booking=locked).exists():
                raise SlotTaken([])
            before = {
                "room": str(locked.room.uuid),
                "starts_at": str(locked.starts_at),
                "ends_at": str(locked.ends_at),
            }
            locked.occupancies.all().delete()
            locked.room = target
            locked.starts_at, locked.ends_at = starts_at, ends_at
            locked.buffer_before, locked.buffer_after = target.buffer_before, target.buffer_after
            locked.rules_overridden = locked.rules_overridden or overridden
            locked.save()
            _occupy(locked)
            after = {"room": str(target.uuid), "starts_at": str(starts_at), "ends_at": str(ends_at)}
            record_change(
                instance=locked,
                action=ChangeAction.UPDATE,
                changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
                by=by,
                reason=override_reason,
            )
            if locked.status == S.CONFIRMED:
                _follow_move(locked, by=by, now=now)
                publication.publish(locked)
            return locked
    except SlotTaken:
        raise SlotTaken(
            alternatives(room=target, starts_at=starts_at, ends_at=ends_at, attendees=booking.attendees)
        ) from None
    except IntegrityError as error:
        if not _is_exclusion_violation(error):
            raise
        raise SlotTaken(
            alternatives(room=target, starts_at=starts_at, ends_at=ends_at, attendees=booking.attendees)
        ) from None


def block_room(*, room: Room, starts_at: dt.datetime, ends_at: dt.datetime, reason: str, by: Any) -> Blackout:
    """A blackout period: refused where a live booking already holds the room."""
    if ends_at <= starts_at:
        raise ValidationError(_("Het einde ligt voor het begin."))
    if not reason.strip():
        raise ValidationError({"reason": _("Geef een reden op.")})
    try:
        with transaction.atomic():
            if overlapping(unit_ids(room), starts_at, ends_at).exists():
                raise ValidationError(
                    _("Er zijn al boekingen in deze periode: annuleer of verplaats ze eerst.")
                )
            blackout = Blackout.objects.create(room=room, starts_at=starts_at, ends_at=ends_at, reason=reason)
            Occupancy.objects.bulk_create(
                [
                    Occupancy(unit_id=u, blackout=blackout, starts_at=starts_at, ends_at=ends_at)
                    for u in unit_ids(room)
                ]
            )
            record_creation(instance=blackout, fields=["room", "starts_at", "ends_at", "reason"], by=by)
            return blackout
    except IntegrityError as error:
        if not _is_exclusion_violation(error):
            raise
        raise ValidationError(
            _("Er zijn al boekingen in deze periode: annuleer of verplaats ze eerst.")
        ) from None


def join_waiting_list(
    *,
    room: Room,
    party: Party,
    category: CustomerCategory,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    purpose: str,
    by: Any,
) -> WaitingListEntry:
    if ends_at <= starts_at:
        raise ValidationError(_("Het einde ligt voor het begin."))
    with transaction.atomic():
        entry = WaitingListEntry.objects.create(
            room=room, party=party, category=category, starts_at=starts_at, ends_at=ends_at, purpose=purpose
        )
        record_creation(instance=entry, fields=["room", "party", "starts_at", "ends_at"], by=by)
        return entry


def offer_freed_slot(*, room: Room, starts_at: dt.datetime, ends_at: dt.datetime, now: dt.datetime) -> None:
    """Offer a freed slot to the first waiting party whose wish now fits (inside the caller's
    transaction): the entry is marked offered; staff book it with `book_from_waiting_list`."""
    candidates = WaitingListEntry.objects.filter(
        room=room, status=WaitingStatus.WAITING, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).order_by("created_at", "id")
    for entry in candidates:
        if not overlapping(
            unit_ids(room), entry.starts_at - room.buffer_before, entry.ends_at + room.buffer_after
        ).exists():
            entry.status = WaitingStatus.OFFERED
            entry.offered_at = now
            entry.save(update_fields=["status", "offered_at", "updated_at"])
            record_change(
                instance=entry,
                action=ChangeAction.UPDATE,
                changes={"status": [WaitingStatus.WAITING, WaitingStatus.OFFERED]},
                by=None,
            )
            return


def book_from_waiting_list(*, entry: WaitingListEntry, by: Any, now: dt.datetime | None = None) -> Booking:
    if entry.status not in (WaitingStatus.WAITING, WaitingStatus.OFFERED):
        raise ValidationError(_("Deze aanvraag op de wachtlijst is al afgehandeld."))
    with transaction.atomic():
        booking = request_booking(
            room=entry.room,
            party=entry.party,
            category=entry.category,
            starts_at=entry.starts_at,
            ends_at=entry.ends_at,
            purpose=entry.purpose,
            by=by,
            now=now,
        )
        entry.status = WaitingStatus.BOOKED
        entry.booking = booking
        entry.save(update_fields=["status", "booking", "updated_at"])
        return booking


# --- moving on the planning board ---------------------------------------------------------------


def reprice_policy() -> str:
    """`BALIE_ROOM_REPRICE_ON_MOVE`: "never" (the price frozen at booking stays, the default) or
    "unpaid" (a move re-prices the booking while nothing has been paid on it)."""
    policy = str(getattr(settings, "BALIE_ROOM_REPRICE_ON_MOVE", "never")).strip().lower()
    return policy if policy in ("never", "unpaid") else "never"


def _facilities_of(booking: Booking) -> list[Facility]:
    """The facilities the frozen price charged (their tariffs name them)."""
    tariffs = booking.price_lines.exclude(tariff=None).values("tariff_id")
    return list(Facility.objects.filter(tariffs__id__in=tariffs).distinct().order_by("id"))


def _reprice(booking: Booking, *, by: Any, reason: str) -> bool:
    """Freeze the price anew for the booking's new slot and room, when the policy allows it and
    nothing has been paid: the lines are replaced and an open order is cancelled and made again.
    True if the price changed."""
    if reprice_policy() != "unpaid":
        return False
    order = Order.objects.get(pk=booking.order_id) if booking.order_id else None
    if order is not None and (order.state != OrderState.OPEN or order.paid_total() > 0):
        return False
    facilities = _facilities_of(booking)
    before = (booking.total_excl_vat, booking.total_vat, booking.total, booking.deposit)
    old_lines = [
        (line.description, line.quantity, line.amount_excl_vat) for line in booking.price_lines.all()
    ]
    booking.price_lines.all().delete()
    _freeze_price(booking, facilities)
    after = (booking.total_excl_vat, booking.total_vat, booking.total, booking.deposit)
    new_lines = [
        (line.description, line.quantity, line.amount_excl_vat) for line in booking.price_lines.all()
    ]
    if before == after and old_lines == new_lines:
        return False
    booking.save(update_fields=["total_excl_vat", "total_vat", "total", "deposit", "updated_at"])
    if order is not None:
        payments.cancel_order(order=order, by=by, reason=reason)
        booking.order = None
        booking.save(update_fields=["order", "updated_at"])
        _open_order(booking, by=by)
    record_change(
        instance=booking,
        action=ChangeAction.UPDATE,
        changes={"total": [str(before[2]), str(after[2])], "deposit": [str(before[3]), str(after[3])]},
        by=by,
        reason=reason,
    )
    return True


def reschedule_booking(
    *,
    booking: Booking,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    room: Room,
    by: Any,
    override_reason: str = "",
    now: dt.datetime | None = None,
) -> Booking:
    """The planning board's move (the "Verplaatsen" form, or a block dragged to another room or
    day): `move_booking`'s rules, occupancy, audit and door grant, then the price as the policy
    says (`reprice_policy`), all in one transaction: a refused move changes nothing."""
    with transaction.atomic():
        moved = move_booking(
            booking=booking,
            starts_at=starts_at,
            ends_at=ends_at,
            by=by,
            room=room,
            override_reason=override_reason,
            now=now,
        )
        _reprice(moved, by=by, reason=_("Boeking verplaatst"))
        return moved
