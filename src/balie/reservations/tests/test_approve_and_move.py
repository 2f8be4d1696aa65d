from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.reservations.actions import (
    SlotTaken,
    approve_booking,
    confirm_booking,
    move_booking,
    request_booking,
)
from balie.reservations.models import BookingStatus, Occupancy

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


def test_a_room_that_requires_approval_is_approved_before_it_is_confirmed(
    hall_a, association, resident, room_manager
):
    hall_a.requires_approval = True
    hall_a.save()
    booking = request_booking(
        room=hall_a,
        party=association,
        category=resident,
        starts_at=at(10, 14),
        ends_at=at(10, 16),
        purpose="Feest",
        by=room_manager,
        now=NOW,
    )

    with pytest.raises(ValidationError) as refused:
        confirm_booking(booking=booking, by=room_manager, now=NOW)
    assert refused.value.messages == ["Deze zaal vraagt eerst een goedkeuring."]

    approve_booking(booking=booking, by=room_manager, now=NOW)
    confirmed = confirm_booking(booking=booking, by=room_manager, now=NOW)
    assert confirmed.status == BookingStatus.CONFIRMED
    assert [s.to_status for s in confirmed.status_changes.all()] == [
        "request",
        "option",
        "approved",
        "confirmed",
    ]


def test_moving_a_booking_moves_its_occupancy(hall_a, association, resident, room_manager):
    booking = request_booking(
        room=hall_a,
        party=association,
        category=resident,
        starts_at=at(10, 14),
        ends_at=at(10, 16),
        purpose="Feest",
        by=room_manager,
        now=NOW,
    )

    moved = move_booking(booking=booking, starts_at=at(11, 14), ends_at=at(11, 16), by=room_manager, now=NOW)

    assert (moved.starts_at, moved.ends_at) == (at(11, 14), at(11, 16))
    assert list(Occupancy.objects.values_list("starts_at", "ends_at")) == [(at(11, 14), at(11, 16, 30))]


def test_moving_onto_a_taken_slot_is_refused_and_changes_nothing(
    hall_a, association, other_party, resident, room_manager
):
    first = request_booking(
        room=hall_a,
        party=association,
        category=resident,
        starts_at=at(10, 14),
        ends_at=at(10, 16),
        purpose="Feest",
        by=room_manager,
        now=NOW,
    )
    request_booking(
        room=hall_a,
        party=other_party,
        category=resident,
        starts_at=at(11, 14),
        ends_at=at(11, 16),
        purpose="Vergadering",
        by=room_manager,
        now=NOW,
    )

    with pytest.raises(SlotTaken):
        move_booking(booking=first, starts_at=at(11, 15), ends_at=at(11, 17), by=room_manager, now=NOW)

    first.refresh_from_db()
    assert first.starts_at == at(10, 14)
    assert first.occupancies.get().starts_at == at(10, 14)
