from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from balie.reservations.actions import (
    book_from_waiting_list,
    cancel_booking,
    confirm_booking,
    join_waiting_list,
    request_booking,
)
from balie.reservations.models import BookingStatus, Occupancy, WaitingStatus

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(hall_a, association, resident, room_manager, tariffs):
    booking = request_booking(
        room=hall_a,
        party=association,
        category=resident,
        starts_at=at(20, 14),
        ends_at=at(20, 16),
        purpose="Repetitie",
        by=room_manager,
        now=NOW,
    )
    return confirm_booking(booking=booking, by=room_manager, now=NOW)


@pytest.mark.parametrize(
    ("days_before", "refund"),
    [(15, Decimal("160.50")), (5, Decimal("130.25")), (1, Decimal("100.00"))],
)
def test_the_refund_follows_the_cancellation_rules(confirmed, room_manager, days_before, refund):
    # total 60.50 incl. VAT, deposit 100: ≥14 days all back, ≥3 days half, later only the deposit
    when = confirmed.starts_at - dt.timedelta(days=days_before)

    cancelled = cancel_booking(booking=confirmed, by=room_manager, reason="Ziek", now=when)

    assert cancelled.status == BookingStatus.CANCELLED
    assert cancelled.refund == refund
    assert list(Occupancy.objects.filter(booking=cancelled).values_list("live", flat=True)) == [False]


def test_cancelling_needs_a_reason_and_changes_nothing_without_one(confirmed, room_manager):
    with pytest.raises(ValidationError):
        cancel_booking(booking=confirmed, by=room_manager, reason=" ", now=NOW)

    confirmed.refresh_from_db()
    assert confirmed.status == BookingStatus.CONFIRMED
    assert confirmed.occupancies.get().live is True


def test_a_freed_slot_is_offered_to_the_waiting_list(confirmed, hall_a, other_party, resident, room_manager):
    entry = join_waiting_list(
        room=hall_a,
        party=other_party,
        category=resident,
        starts_at=at(20, 14),
        ends_at=at(20, 16),
        purpose="Vergadering",
        by=room_manager,
    )

    cancel_booking(booking=confirmed, by=room_manager, reason="Ziek", now=NOW)

    entry.refresh_from_db()
    assert entry.status == WaitingStatus.OFFERED
    assert entry.offered_at == NOW
    booking = book_from_waiting_list(entry=entry, by=room_manager, now=NOW)
    assert booking.party == other_party
    entry.refresh_from_db()
    assert (entry.status, entry.booking) == (WaitingStatus.BOOKED, booking)


def test_a_cancelled_booking_cannot_be_confirmed(confirmed, room_manager):
    cancelled = cancel_booking(booking=confirmed, by=room_manager, reason="Ziek", now=NOW)

    with pytest.raises(ValidationError):
        confirm_booking(booking=cancelled, by=room_manager, now=NOW)
