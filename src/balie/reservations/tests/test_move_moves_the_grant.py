"""Moving a confirmed booking moves its door grant; a refused move leaves booking, order and grant
as they were."""

from __future__ import annotations

import datetime as dt

import pytest

from balie.reservations.actions import SlotTaken, confirm_booking, move_booking, request_booking
from balie.room_access.actions import pin_for_holder
from balie.room_access.adapters.door_controller import client_for
from balie.room_access.models import GrantState

from .conftest import days_ahead, deliver_outbox

pytestmark = pytest.mark.django_db
MARGIN = dt.timedelta(minutes=15)


def _book(room, party, category, by, day, start, end):
    return request_booking(
        room=room,
        party=party,
        category=category,
        starts_at=days_ahead(day, start),
        ends_at=days_ahead(day, end),
        purpose="Repetitie",
        by=by,
    )


@pytest.fixture
def confirmed(hall_a, association, resident, room_manager, tariffs, door_zone):
    booking = _book(hall_a, association, resident, room_manager, 10, 14, 16)
    confirmed = confirm_booking(booking=booking, by=room_manager)
    deliver_outbox()
    return confirmed


def test_moving_a_confirmed_booking_moves_its_grant(confirmed, door_zone, room_manager):
    pin = pin_for_holder(confirmed.grant)
    old_start = confirmed.starts_at

    moved = move_booking(
        booking=confirmed, starts_at=days_ahead(12, 18), ends_at=days_ahead(12, 20), by=room_manager
    )
    deliver_outbox()

    grant = moved.grant
    grant.refresh_from_db()
    assert grant.pk == confirmed.grant_id and grant.state == GrantState.ACTIVE
    assert (grant.valid_from, grant.valid_until) == (days_ahead(12, 18), days_ahead(12, 20))
    assert (grant.starts_at, grant.ends_at) == (days_ahead(12, 18) - MARGIN, days_ahead(12, 20) + MARGIN)
    door = client_for(door_zone.controller)
    assert pin_for_holder(grant) == pin
    assert door.open_door(zone=door_zone.zone_id, pin=pin, at=old_start) is False
    assert door.open_door(zone=door_zone.zone_id, pin=pin, at=days_ahead(12, 18)) is True


def test_a_refused_move_leaves_booking_order_and_grant_as_they_were(
    confirmed, hall_a, other_party, resident, room_manager
):
    _book(hall_a, other_party, resident, room_manager, 12, 18, 20)
    grant_before = (confirmed.grant.valid_from, confirmed.grant.valid_until, confirmed.grant.version)
    order_before = (confirmed.order.state, confirmed.order.total, confirmed.order.entries.count())

    with pytest.raises(SlotTaken):
        move_booking(
            booking=confirmed, starts_at=days_ahead(12, 18), ends_at=days_ahead(12, 20), by=room_manager
        )

    confirmed.refresh_from_db()
    confirmed.grant.refresh_from_db()
    confirmed.order.refresh_from_db()
    assert (confirmed.starts_at, confirmed.ends_at) == (days_ahead(10, 14), days_ahead(10, 16))
    assert (confirmed.grant.valid_from, confirmed.grant.valid_until, confirmed.grant.version) == grant_before
    assert (confirmed.order.state, confirmed.order.total, confirmed.order.entries.count()) == order_before
