"""Done when: the demo door opens with the PIN inside the grant window and refuses it before and
after, and after a revocation (cancellation); a moved grant opens in the new window only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from balie.core.models import OutboxMessage
from balie.room_access.actions import issue_grant, move_grant, pin_for_holder, revoke_grant
from balie.room_access.adapters.door_controller import client_for
from balie.room_access.models import AccessGrant, GrantState

from .conftest import deliver, tomorrow_at

MINUTE = dt.timedelta(minutes=1)
SECOND = dt.timedelta(seconds=1)


def test_the_door_opens_with_the_pin_inside_the_window_only(zone, holder, room_manager):
    start, end = tomorrow_at(19), tomorrow_at(22)
    grant = issue_grant(
        zone=zone, holder=holder, valid_from=start, valid_until=end, reference="booking:abc", by=room_manager
    )
    assert deliver().delivered == 2  # the push and the mail
    pin = pin_for_holder(grant)
    door = client_for(zone.controller)

    assert len(pin) == 6 and pin.isdigit()
    assert grant.starts_at == start - 15 * MINUTE and grant.ends_at == end + 15 * MINUTE
    assert door.open_door(zone=zone.zone_id, pin=pin, at=start - 15 * MINUTE) is True
    assert door.open_door(zone=zone.zone_id, pin=pin, at=start + dt.timedelta(hours=1)) is True
    assert door.open_door(zone=zone.zone_id, pin=pin, at=end + 15 * MINUTE - SECOND) is True
    assert door.open_door(zone=zone.zone_id, pin=pin, at=start - 15 * MINUTE - SECOND) is False
    assert door.open_door(zone=zone.zone_id, pin=pin, at=end + 15 * MINUTE) is False
    wrong = f"{(int(pin) + 1) % 1_000_000:06d}"
    assert door.open_door(zone=zone.zone_id, pin=wrong, at=start) is False
    assert door.open_door(zone="andere-zone", pin=pin, at=start) is False


def test_after_a_revocation_the_door_refuses_the_pin(zone, holder, room_manager):
    start, end = tomorrow_at(19), tomorrow_at(22)
    grant = issue_grant(
        zone=zone, holder=holder, valid_from=start, valid_until=end, reference="booking:x", by=room_manager
    )
    deliver()
    pin = pin_for_holder(grant)
    door = client_for(zone.controller)
    assert door.open_door(zone=zone.zone_id, pin=pin, at=start) is True

    revoke_grant(grant=grant, by=room_manager, reason="Reservatie geannuleerd")
    deliver()

    grant.refresh_from_db()
    assert grant.state == GrantState.REVOKED and grant.in_sync
    assert door.open_door(zone=zone.zone_id, pin=pin, at=start) is False
    assert zone.zone_id not in {g.zone for g in door.list_grants()}


def test_a_moved_grant_opens_in_the_new_window_only(zone, holder, room_manager, mailoutbox):
    start, end = tomorrow_at(19), tomorrow_at(22)
    grant = issue_grant(
        zone=zone, holder=holder, valid_from=start, valid_until=end, reference="booking:m", by=room_manager
    )
    deliver()
    pin = pin_for_holder(grant)
    later = dt.timedelta(days=2)

    grant = move_grant(grant=grant, valid_from=start + later, valid_until=end + later, by=room_manager)
    deliver()

    door = client_for(zone.controller)
    assert pin_for_holder(grant) == pin  # nobody else uses it in the new window
    assert door.open_door(zone=zone.zone_id, pin=pin, at=start) is False
    assert door.open_door(zone=zone.zone_id, pin=pin, at=start + later) is True
    assert [g.valid_from for g in door.list_grants()] == [start + later - 15 * MINUTE]
    assert len(mailoutbox) == 2  # the code, then the new window


def test_a_badge_grant_opens_with_the_badge(zone, holder, room_manager, mailoutbox):
    start, end = tomorrow_at(9), tomorrow_at(12)
    grant = issue_grant(
        zone=zone,
        holder=holder,
        valid_from=start,
        valid_until=end,
        reference="booking:b",
        by=room_manager,
        badge_id="04A1B2C3",
    )
    deliver()

    door = client_for(zone.controller)
    assert grant.kind == "badge" and grant.pin_cipher == "" and grant.pin_hash == ""
    assert door.open_door(zone=zone.zone_id, badge_id="04A1B2C3", at=start) is True
    assert door.open_door(zone=zone.zone_id, badge_id="04A1B2C3", at=end + dt.timedelta(hours=1)) is False
    assert mailoutbox == []
    with pytest.raises(ValueError):
        pin_for_holder(grant)


def test_overlapping_grants_of_a_zone_never_share_a_pin(zone, holder, room_manager, monkeypatch):
    start, end = tomorrow_at(19), tomorrow_at(22)
    codes = iter(["111111", "111111", "111111", "222222"])
    monkeypatch.setattr("balie.room_access.actions.new_pin", lambda: next(codes))
    first = issue_grant(
        zone=zone, holder=holder, valid_from=start, valid_until=end, reference="booking:1", by=None
    )
    second = issue_grant(
        zone=zone, holder=holder, valid_from=start, valid_until=end, reference="booking:2", by=None
    )
    # not overlapping: the same code may return
    codes = iter(["111111"])
    third = issue_grant(
        zone=zone,
        holder=holder,
        valid_from=end + dt.timedelta(hours=2),
        valid_until=end + dt.timedelta(hours=3),
        reference="booking:3",
        by=None,
    )

    assert [pin_for_holder(g) for g in (first, second, third)] == ["111111", "222222", "111111"]


def test_an_end_before_the_start_is_refused_and_changes_nothing(zone, holder, room_manager):
    start = tomorrow_at(19)
    with pytest.raises(ValidationError):
        issue_grant(
            zone=zone,
            holder=holder,
            valid_from=start,
            valid_until=start,
            reference="booking:z",
            by=room_manager,
        )
    assert AccessGrant.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_a_revoked_grant_cannot_be_moved_or_revoked_again(zone, holder, room_manager):
    start, end = tomorrow_at(19), tomorrow_at(22)
    grant = issue_grant(
        zone=zone, holder=holder, valid_from=start, valid_until=end, reference="booking:r", by=room_manager
    )
    grant = revoke_grant(grant=grant, by=room_manager, reason="geannuleerd")
    messages = OutboxMessage.objects.count()

    with pytest.raises(ValidationError):
        move_grant(grant=grant, valid_from=start, valid_until=end + dt.timedelta(hours=1), by=room_manager)
    with pytest.raises(ValidationError):
        revoke_grant(grant=grant, by=room_manager, reason="nog eens")

    grant.refresh_from_db()
    assert (grant.version, grant.valid_until, OutboxMessage.objects.count()) == (2, end, messages)
