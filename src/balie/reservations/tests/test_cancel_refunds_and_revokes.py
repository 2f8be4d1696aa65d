"""Cancelling a booking revokes its door grant (the door refuses the PIN) and settles its order:
money received comes back through payments as the cancellation rules say (14 days or more: all,
3 days or more: half; the deposit always), an unpaid order is cancelled. A refused cancellation
changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from balie.payments.models import EntryKind, OrderState
from balie.reservations.actions import cancel_booking, confirm_booking, request_booking
from balie.reservations.models import BookingStatus
from balie.room_access.actions import pin_for_holder
from balie.room_access.adapters.door_controller import client_for
from balie.room_access.models import GrantState

from .conftest import days_ahead, deliver_outbox, pay_at_register

pytestmark = pytest.mark.django_db


def _book(room, party, category, by, days):
    return request_booking(
        room=room,
        party=party,
        category=category,
        starts_at=days_ahead(days, 14),
        ends_at=days_ahead(days, 16),
        purpose="Repetitie",
        by=by,
    )


@pytest.mark.parametrize(("days", "refund"), [(30, Decimal("160.50")), (10, Decimal("130.25"))])
def test_a_paid_booking_is_refunded_as_the_rules_say_and_the_door_refuses(
    days,
    refund,
    hall_a,
    association,
    resident,
    room_manager,
    tariffs,
    door_zone,
    cashier,
    django_capture_on_commit_callbacks,
):
    booking = _book(hall_a, association, resident, room_manager, days)
    with django_capture_on_commit_callbacks(execute=True):
        pay_at_register(booking.order, cashier)  # 60.50 + 100.00 deposit; confirms the option
    booking.refresh_from_db()
    deliver_outbox()
    pin = pin_for_holder(booking.grant)

    cancelled = cancel_booking(booking=booking, by=room_manager, reason="Voorstelling afgelast")
    deliver_outbox()

    assert cancelled.status == BookingStatus.CANCELLED and cancelled.refund == refund
    order = cancelled.order
    order.refresh_from_db()
    assert order.entries.get(kind=EntryKind.REFUND).amount == refund
    assert order.entries.get(kind=EntryKind.CREDIT_NOTE).amount == -refund
    assert order.paid_total() == Decimal("160.50") - refund
    assert order.state == (OrderState.CANCELLED if refund == Decimal("160.50") else OrderState.PAID)
    grant = cancelled.grant
    grant.refresh_from_db()
    assert grant.state == GrantState.REVOKED and grant.revoke_reason == "Voorstelling afgelast"
    door = client_for(door_zone.controller)
    assert door.open_door(zone=door_zone.zone_id, pin=pin, at=booking.starts_at) is False


def test_cancelling_an_unpaid_option_cancels_its_order(hall_a, association, resident, room_manager, tariffs):
    booking = _book(hall_a, association, resident, room_manager, 10)

    cancelled = cancel_booking(booking=booking, by=room_manager, reason="Toch niet nodig")

    cancelled.order.refresh_from_db()
    assert cancelled.order.state == OrderState.CANCELLED and cancelled.order.balance() == Decimal("0.00")
    assert cancelled.refund == Decimal("0")
    assert not cancelled.order.entries.filter(kind=EntryKind.REFUND).exists()


def test_a_confirmed_but_unpaid_booking_cancels_its_order_without_refund(
    hall_a, association, resident, room_manager, tariffs, door_zone
):
    booking = confirm_booking(booking=_book(hall_a, association, resident, room_manager, 10), by=room_manager)

    cancelled = cancel_booking(booking=booking, by=room_manager, reason="Ziek")

    cancelled.order.refresh_from_db()
    assert cancelled.order.state == OrderState.CANCELLED
    assert not cancelled.order.entries.filter(kind=EntryKind.REFUND).exists()
    cancelled.grant.refresh_from_db()
    assert cancelled.grant.state == GrantState.REVOKED


def test_a_refused_cancellation_leaves_order_and_grant_as_they_were(
    hall_a, association, resident, room_manager, tariffs, door_zone
):
    booking = confirm_booking(booking=_book(hall_a, association, resident, room_manager, 10), by=room_manager)

    with pytest.raises(ValidationError):
        cancel_booking(booking=booking, by=room_manager, reason=" ")

    booking.refresh_from_db()
    booking.order.refresh_from_db()
    booking.grant.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert (booking.order.state, booking.order.entries.count()) == (OrderState.OPEN, 1)
    assert (booking.grant.state, booking.grant.version) == (GrantState.ACTIVE, 1)
