"""A confirmed booking in a building with a door zone lets its booker open the door during the
slot (plus room_access's margins of 15 minutes), with the PIN only the booker gets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from balie.reservations.actions import confirm_booking, mark_no_show, request_booking
from balie.room_access.actions import pin_for_holder
from balie.room_access.adapters.door_controller import client_for
from balie.room_access.models import AccessGrant, GrantState

from .conftest import days_ahead, deliver_outbox

pytestmark = pytest.mark.django_db
MARGIN = dt.timedelta(minutes=15)
SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def option(hall_a, association, resident, room_manager, tariffs):
    return request_booking(
        room=hall_a,
        party=association,
        category=resident,
        starts_at=days_ahead(10, 14),
        ends_at=days_ahead(10, 16),
        purpose="Repetitie",
        by=room_manager,
    )


def test_confirming_issues_a_grant_for_the_slot_and_the_door_opens_in_it(option, door_zone, room_manager):
    confirmed = confirm_booking(booking=option, by=room_manager)
    deliver_outbox()

    grant = confirmed.grant
    assert (grant.zone, grant.holder, grant.reference, grant.state) == (
        door_zone,
        option.party,
        f"booking:{option.uuid}",
        GrantState.ACTIVE,
    )
    assert (grant.valid_from, grant.valid_until) == (option.starts_at, option.ends_at)
    assert (grant.starts_at, grant.ends_at) == (option.starts_at - MARGIN, option.ends_at + MARGIN)
    door = client_for(door_zone.controller)
    pin = pin_for_holder(grant)
    assert door.open_door(zone=door_zone.zone_id, pin=pin, at=option.starts_at - MARGIN) is True
    assert door.open_door(zone=door_zone.zone_id, pin=pin, at=option.ends_at + MARGIN - SECOND) is True
    assert door.open_door(zone=door_zone.zone_id, pin=pin, at=option.starts_at - MARGIN - SECOND) is False
    assert door.open_door(zone=door_zone.zone_id, pin=pin, at=option.ends_at + MARGIN) is False


def test_a_building_without_a_door_zone_gives_no_grant(option, room_manager):
    confirmed = confirm_booking(booking=option, by=room_manager)

    assert confirmed.grant is None and AccessGrant.objects.count() == 0


def test_a_refused_confirmation_issues_no_grant(option, door_zone, room_manager):
    option.room.requires_approval = True
    option.room.save()

    with pytest.raises(ValidationError):
        confirm_booking(booking=option, by=room_manager)

    option.refresh_from_db()
    assert option.grant is None and AccessGrant.objects.count() == 0


def test_a_no_show_revokes_the_grant(option, door_zone, room_manager):
    confirmed = confirm_booking(booking=option, by=room_manager)
    deliver_outbox()
    pin = pin_for_holder(confirmed.grant)

    mark_no_show(booking=confirmed, by=room_manager, reason="Niemand kwam")
    deliver_outbox()

    confirmed.grant.refresh_from_db()
    assert confirmed.grant.state == GrantState.REVOKED
    door = client_for(door_zone.controller)
    assert door.open_door(zone=door_zone.zone_id, pin=pin, at=option.starts_at) is False
