"""Done when: the controller down for a while → after recovery every grant arrived, none twice."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone

from balie.core.models import OutboxMessage, OutboxState
from balie.room_access.actions import issue_grant, move_grant, pin_for_holder, resend_grant_push, revoke_grant
from balie.room_access.adapters.door_controller import client_for
from balie.room_access.models import AccessGrant

from .conftest import deliver, tomorrow_at


def _pushes() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(sender="room_access.push_grant"))


def test_grants_made_while_the_controller_is_down_all_arrive_once_it_is_back(
    zone, holder, room_manager, demo_controller
):
    demo_controller.stop()  # the controller is unreachable: connection refused
    start = tomorrow_at(9)
    grants = [
        issue_grant(
            zone=zone,
            holder=holder,
            valid_from=start + dt.timedelta(hours=i),
            valid_until=start + dt.timedelta(hours=i, minutes=45),
            reference=f"booking:{i}",
            by=room_manager,
        )
        for i in range(5)
    ]
    grants[1] = move_grant(
        grant=grants[1],
        valid_from=start + dt.timedelta(days=1),
        valid_until=start + dt.timedelta(days=1, hours=1),
        by=None,
    )
    revoke_grant(grant=grants[4], by=None, reason="geannuleerd")
    now = timezone.now()

    first = deliver(now=now)
    # the first push of the destination fails; the others wait behind it, in order
    assert (first.delivered, first.retrying) == (6, 1)  # the six mail messages went; one push is retrying
    assert all(m.state == OutboxState.PENDING for m in _pushes())

    demo_controller.behaviour.down = False
    demo_controller.start()  # back, on the same address, with its own storage
    demo_controller.behaviour.lose_answers = 2  # it applies two requests but the answers are lost
    later = now + dt.timedelta(minutes=1)
    for _round in range(5):
        later += dt.timedelta(minutes=5)
        deliver(now=later)

    assert {m.state for m in _pushes()} == {OutboxState.DELIVERED}
    held = {g.id: g for g in demo_controller.grants.values()}
    live = [g for g in AccessGrant.objects.all() if g.is_live()]
    assert set(held) == {str(g.uuid) for g in live} and len(live) == 4
    # every request was applied once: the answers lost were resent with their key and dropped
    applied_keys = Counter(key for _method, _id, key in demo_controller.behaviour.applied)
    assert max(applied_keys.values()) == 1
    assert demo_controller.behaviour.duplicates == 2
    assert all(g.in_sync for g in AccessGrant.objects.all())
    door = client_for(zone.controller)
    moved = AccessGrant.objects.get(pk=grants[1].pk)
    assert door.open_door(zone=zone.zone_id, pin=pin_for_holder(moved), at=moved.valid_from) is True


def test_a_push_that_failed_for_good_is_resent_by_an_employee(
    zone, holder, room_manager, demo_controller, settings
):
    settings.BALIE_OUTBOX_MAX_ATTEMPTS = 1
    demo_controller.behaviour.down = True  # 503
    grant = issue_grant(
        zone=zone,
        holder=holder,
        valid_from=tomorrow_at(19),
        valid_until=tomorrow_at(20),
        reference="booking:f",
        by=None,
    )
    deliver()
    grant.refresh_from_db()
    assert grant.last_message.state == OutboxState.FAILED and "HTTP 503" in grant.last_message.last_error

    demo_controller.behaviour.down = False
    resend_grant_push(grant=grant, by=room_manager)
    deliver()

    grant.refresh_from_db()
    assert grant.last_message.state == OutboxState.DELIVERED and grant.in_sync
    assert list(demo_controller.grants) == [str(grant.uuid)]
