"""An option with a price gets an order for exactly its frozen price (VAT in, the deposit as its own
line); paying it confirms the option, which lets the booker open the building's door."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from balie.payments.models import LineKind, OrderState
from balie.reservations.actions import approve_booking, request_booking
from balie.reservations.models import BookingStatus
from balie.room_access.actions import pin_for_holder
from balie.room_access.adapters.door_controller import client_for
from balie.room_access.models import GrantState

from .conftest import days_ahead, deliver_outbox, pay_at_register

pytestmark = pytest.mark.django_db


def _book(room, party, category, by, days=10):
    return request_booking(
        room=room,
        party=party,
        category=category,
        starts_at=days_ahead(days, 14),
        ends_at=days_ahead(days, 16),
        purpose="Vergadering",
        by=by,
    )


def test_an_option_gets_an_order_for_its_frozen_price(hall_a, association, resident, room_manager, tariffs):
    booking = _book(hall_a, association, resident, room_manager)

    order = booking.order
    assert booking.status == BookingStatus.OPTION
    assert (order.reference, order.party, order.state) == (
        f"booking:{booking.uuid}",
        association,
        OrderState.OPEN,
    )
    assert [
        (line.description, line.quantity, line.unit_amount, line.vat_rate, line.kind)
        for line in order.lines.order_by("position")
    ] == [
        ("Zaal A (per uur)", Decimal("2.00"), Decimal("30.25"), Decimal("21.00"), LineKind.FEE),
        ("Waarborg", Decimal("1.00"), Decimal("100.00"), Decimal("0.00"), LineKind.DEPOSIT),
    ]
    assert order.total == booking.total + booking.deposit == Decimal("160.50")
    assert order.due_on == timezone.localdate(booking.option_expires_at)


def test_a_line_whose_unit_price_does_not_divide_is_one_unit(
    hall_a, association, resident, room_manager, tariffs
):
    hall_a.tariffs.filter(time_block="hour", category=resident).update(price=Decimal("9.98"))
    booking = _book(hall_a, association, resident, room_manager)  # 2 × 9.98 = 19.96 + 4.19 VAT

    line = booking.order.lines.get(kind=LineKind.FEE)
    assert (line.quantity, line.unit_amount) == (Decimal("1.00"), Decimal("24.15"))
    assert booking.order.total == booking.total + booking.deposit == Decimal("124.15")


def test_where_the_room_needs_approval_the_order_comes_with_the_approval(
    hall_a, association, resident, room_manager, tariffs
):
    hall_a.requires_approval = True
    hall_a.save()
    booking = _book(hall_a, association, resident, room_manager)
    assert booking.order is None

    approved = approve_booking(booking=booking, by=room_manager)

    assert approved.order is not None and approved.order.total == Decimal("160.50")


def test_a_free_booking_gets_no_order(hall_b, association, resident, room_manager):
    booking = _book(hall_b, association, resident, room_manager)

    assert booking.total == Decimal("0") and booking.order is None


def test_paying_the_order_confirms_the_option_and_opens_the_door(
    hall_a,
    association,
    resident,
    room_manager,
    tariffs,
    door_zone,
    cashier,
    django_capture_on_commit_callbacks,
):
    booking = _book(hall_a, association, resident, room_manager)
    assert booking.grant is None

    with django_capture_on_commit_callbacks(execute=True):
        pay_at_register(booking.order, cashier)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.order.state == OrderState.PAID
    assert booking.status_changes.last().by is None  # the payment confirmed it
    grant = booking.grant
    assert (grant.zone, grant.holder, grant.state, grant.reference) == (
        door_zone,
        association,
        GrantState.ACTIVE,
        f"booking:{booking.uuid}",
    )
    deliver_outbox()
    assert client_for(door_zone.controller).open_door(
        zone=door_zone.zone_id, pin=pin_for_holder(grant), at=booking.starts_at
    )
