"""Moving a booking on the planning board (another room, day or hours): the same rules as a new
booking, the door grant follows, the price is re-priced only where the policy says so, it is
audited, and a refused move changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from balie.audit.models import ChangeRecord
from balie.core.models import OutboxMessage
from balie.payments.models import Order, OrderState
from balie.reservations.actions import (
    SlotTaken,
    confirm_booking,
    request_booking,
    reschedule_booking,
)
from balie.reservations.models import Booking, BookingStatus, Occupancy
from balie.reservations.queries import awaiting_approval_for
from balie.room_access.models import GrantState

from .conftest import NOW, at, days_ahead, deliver_outbox, pay_at_register

pytestmark = pytest.mark.django_db


def _book(room, party, category, by, start, end, *, attendees=20, now=NOW):
    return request_booking(
        room=room,
        party=party,
        category=category,
        starts_at=start,
        ends_at=end,
        purpose="Repetitie",
        attendees=attendees,
        by=by,
        now=now,
    )


def _snapshot(booking: Booking) -> tuple:
    """Everything a move could touch: the booking, its occupancy, price, order, grant, audit, outbox."""
    booking = Booking.objects.get(pk=booking.pk)
    grant = booking.grant
    return (
        booking.room_id,
        booking.starts_at,
        booking.ends_at,
        booking.status,
        (booking.total, booking.deposit),
        list(booking.price_lines.values_list("description", "quantity", "amount_excl_vat")),
        list(
            Occupancy.objects.filter(booking=booking).values_list("unit_id", "starts_at", "ends_at", "live")
        ),
        booking.order_id,
        Order.objects.count(),
        None if grant is None else (grant.valid_from, grant.valid_until, grant.version, grant.state),
        ChangeRecord.objects.count(),
        OutboxMessage.objects.count(),
    )


def test_a_move_to_another_room_and_day_keeps_the_frozen_price(
    hall_a, hall_b, association, resident, room_manager, tariffs
):
    booking = _book(hall_a, association, resident, room_manager, at(10, 14), at(10, 16))
    assert booking.total == Decimal("60.50")
    order = booking.order

    moved = reschedule_booking(
        booking=booking, starts_at=at(12, 19), ends_at=at(12, 21), room=hall_b, by=room_manager, now=NOW
    )

    moved.refresh_from_db()
    assert (moved.room, moved.starts_at, moved.ends_at) == (hall_b, at(12, 19), at(12, 21))
    assert list(Occupancy.objects.filter(booking=moved).values_list("unit_id", "starts_at", "ends_at")) == [
        (hall_b.id, at(12, 19), at(12, 21, 30))
    ]
    assert (moved.total, moved.deposit, moved.order_id) == (Decimal("60.50"), Decimal("100.00"), order.id)
    assert [line.description for line in moved.price_lines.all()] == ["Zaal A (per uur)"]


def test_the_move_is_audited_with_the_old_and_new_room_and_times(
    hall_a, hall_b, association, resident, room_manager
):
    booking = _book(hall_a, association, resident, room_manager, at(10, 14), at(10, 16))

    reschedule_booking(
        booking=booking, starts_at=at(11, 15), ends_at=at(11, 17), room=hall_b, by=room_manager, now=NOW
    )

    record = ChangeRecord.objects.filter(object_uuid=booking.uuid, action="update").first()
    assert record is not None and record.actor_uuid == room_manager.uuid
    assert set(record.changes) == {"room", "starts_at", "ends_at"}
    assert record.changes["room"] == [str(hall_a.uuid), str(hall_b.uuid)]


def test_with_the_unpaid_policy_a_move_reprices_and_replaces_the_open_order(
    settings, hall_a, association, resident, room_manager, tariffs
):
    settings.BALIE_ROOM_REPRICE_ON_MOVE = "unpaid"
    booking = _book(hall_a, association, resident, room_manager, at(10, 14), at(10, 16))
    old_order = booking.order
    assert old_order.total == Decimal("160.50")

    moved = reschedule_booking(
        booking=booking, starts_at=at(10, 19), ends_at=at(10, 22), room=hall_a, by=room_manager, now=NOW
    )

    moved.refresh_from_db()
    old_order.refresh_from_db()
    assert [(line.time_block, line.amount_excl_vat) for line in moved.price_lines.all()] == [
        ("evening", Decimal("90.00"))
    ]
    assert (moved.total, moved.deposit) == (Decimal("108.90"), Decimal("100.00"))
    assert old_order.state == OrderState.CANCELLED
    assert moved.order_id != old_order.id
    assert (moved.order.state, moved.order.total) == (OrderState.OPEN, Decimal("208.90"))


def test_with_the_unpaid_policy_a_paid_booking_keeps_its_price(
    settings,
    hall_a,
    association,
    resident,
    room_manager,
    tariffs,
    cashier,
    django_capture_on_commit_callbacks,
):
    settings.BALIE_ROOM_REPRICE_ON_MOVE = "unpaid"
    booking = _book(
        hall_a, association, resident, room_manager, days_ahead(10, 14), days_ahead(10, 16), now=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        pay_at_register(booking.order, cashier)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED

    moved = reschedule_booking(
        booking=booking,
        starts_at=days_ahead(11, 19),
        ends_at=days_ahead(11, 22),
        room=hall_a,
        by=room_manager,
    )

    moved.refresh_from_db()
    assert (moved.total, moved.order_id, moved.order.state) == (Decimal("60.50"), booking.order_id, "paid")


def test_moving_a_confirmed_booking_to_another_room_moves_its_door_grant(
    hall_a, hall_b, association, resident, room_manager, door_zone
):
    booking = _book(
        hall_a, association, resident, room_manager, days_ahead(10, 14), days_ahead(10, 16), now=None
    )
    confirmed = confirm_booking(booking=booking, by=room_manager)
    deliver_outbox()
    pushes = OutboxMessage.objects.filter(sender="room_access.push_grant").count()

    moved = reschedule_booking(
        booking=confirmed,
        starts_at=days_ahead(12, 18),
        ends_at=days_ahead(12, 20),
        room=hall_b,
        by=room_manager,
    )

    grant = moved.grant
    grant.refresh_from_db()
    assert grant.pk == confirmed.grant_id and grant.state == GrantState.ACTIVE
    assert (grant.valid_from, grant.valid_until) == (days_ahead(12, 18), days_ahead(12, 20))
    # pushed to the door controller through the outbox, as for confirm and cancel
    assert OutboxMessage.objects.filter(sender="room_access.push_grant").count() == pushes + 1


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda r: {"starts_at": at(11, 16, 15), "ends_at": at(11, 18)}, id="in-the-buffer"),
        pytest.param(lambda r: {"starts_at": at(11, 15), "ends_at": at(11, 17)}, id="overlap"),
        pytest.param(lambda r: {"starts_at": at(12, 21), "ends_at": at(12, 23, 30)}, id="after-closing"),
        pytest.param(lambda r: {"room": r["meeting_room"]}, id="over-capacity"),
        pytest.param(lambda r: {"starts_at": at(12, 16), "ends_at": at(12, 14)}, id="end-before-start"),
        pytest.param(lambda r: {"starts_at": at(1, 14), "ends_at": at(1, 16)}, id="in-the-past"),
        pytest.param(
            lambda r: {"starts_at": at(12, 14, month=12), "ends_at": at(12, 16, month=12)}, id="horizon"
        ),
    ],
)
def test_a_refused_move_changes_nothing(
    change, hall_a, meeting_room, association, other_party, resident, room_manager, tariffs
):
    # a booking 14:00-16:00 (+30 min clean-up) on the 11th holds the room until 16:30
    _book(hall_a, other_party, resident, room_manager, at(11, 14), at(11, 16))
    booking = _book(hall_a, association, resident, room_manager, at(10, 14), at(10, 16), attendees=50)
    before = _snapshot(booking)
    target = {"room": hall_a, "starts_at": at(10, 14), "ends_at": at(10, 16)}
    target.update(change({"meeting_room": meeting_room}))

    with pytest.raises(ValidationError):
        reschedule_booking(booking=booking, by=room_manager, now=NOW, **target)

    assert _snapshot(booking) == before


def test_a_refused_move_of_a_confirmed_booking_leaves_grant_and_order_alone(
    settings, hall_a, association, other_party, resident, room_manager, tariffs, door_zone
):
    settings.BALIE_ROOM_REPRICE_ON_MOVE = "unpaid"
    booking = _book(
        hall_a, association, resident, room_manager, days_ahead(10, 14), days_ahead(10, 16), now=None
    )
    confirmed = confirm_booking(booking=booking, by=room_manager)
    _book(hall_a, other_party, resident, room_manager, days_ahead(12, 18), days_ahead(12, 20), now=None)
    before = _snapshot(confirmed)

    with pytest.raises(SlotTaken):
        reschedule_booking(
            booking=confirmed,
            starts_at=days_ahead(12, 19),
            ends_at=days_ahead(12, 21),
            room=hall_a,
            by=room_manager,
        )

    assert _snapshot(confirmed) == before


def test_a_policy_breach_needs_a_room_manager_and_a_reason(
    hall_a, association, resident, room_manager, front_desk_clerk
):
    booking = _book(hall_a, association, resident, room_manager, at(10, 14), at(10, 16))
    before = _snapshot(booking)
    late = {"starts_at": at(12, 21), "ends_at": at(12, 23, 30), "room": hall_a, "now": NOW}

    with pytest.raises(PermissionDenied):
        reschedule_booking(booking=booking, by=front_desk_clerk, override_reason="Feest", **late)
    assert _snapshot(booking) == before

    moved = reschedule_booking(booking=booking, by=room_manager, override_reason="Afgesproken", **late)
    assert (moved.starts_at, moved.rules_overridden) == (at(12, 21), True)


def test_an_option_moved_into_a_room_that_needs_approval_waits_for_approval(
    hall_a, hall_b, association, resident, room_manager
):
    hall_b.requires_approval = True
    hall_b.save()
    booking = _book(hall_a, association, resident, room_manager, at(10, 14), at(10, 16))

    moved = reschedule_booking(
        booking=booking, starts_at=at(10, 14), ends_at=at(10, 16), room=hall_b, by=room_manager, now=NOW
    )

    assert list(awaiting_approval_for(room_manager)) == [moved]
    with pytest.raises(ValidationError, match="goedkeuring"):
        confirm_booking(booking=moved, by=room_manager, now=NOW)


def test_a_cancelled_booking_is_not_moved(hall_a, association, resident, room_manager):
    from balie.reservations.actions import cancel_booking

    booking = _book(hall_a, association, resident, room_manager, at(10, 14), at(10, 16))
    cancel_booking(booking=booking, by=room_manager, reason="Afgelast", now=NOW)
    before = _snapshot(booking)

    with pytest.raises(ValidationError, match="niet meer verplaatst"):
        reschedule_booking(
            booking=booking, starts_at=at(11, 14), ends_at=at(11, 16), room=hall_a, by=room_manager, now=NOW
        )

    assert _snapshot(booking) == before
