"""Confirmed bookings reach the room's Microsoft 365 mailbox through Graph (the demo on loopback)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from balie.core.models import OutboxMessage
from balie.core.outbox import deliver_due
from balie.reservations.actions import cancel_booking, confirm_booking, move_booking, request_booking
from balie.reservations.adapters.graph_demo import DemoGraph

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph(settings):
    demo = DemoGraph(client_secret="s3cret").start()
    settings.BALIE_ROOM_GRAPH_URL = demo.url
    settings.BALIE_ROOM_GRAPH_TOKEN_URL = demo.token_url
    settings.BALIE_ROOM_GRAPH_CLIENT_ID = demo.client_id
    settings.BALIE_ROOM_GRAPH_CLIENT_SECRET = "s3cret"
    yield demo
    demo.stop()


def test_a_confirmed_booking_is_published_moved_and_withdrawn(
    graph, hall_a, association, resident, room_manager
):
    hall_a.graph_mailbox = "zaal-a@zonnedaal.be"
    hall_a.save()
    booking = request_booking(
        room=hall_a,
        party=association,
        category=resident,
        starts_at=at(10, 14),
        ends_at=at(10, 16),
        purpose="Repetitie",
        by=room_manager,
        now=NOW,
    )
    assert OutboxMessage.objects.count() == 0  # an option is not published

    confirm_booking(booking=booking, by=room_manager, now=NOW)
    deliver_due(now=timezone.now())

    [event] = graph.events["zaal-a@zonnedaal.be"].values()
    assert event["subject"] == "ZR-2026-000001 – Repetitie"  # no name of the booker
    assert event["start"] == {"dateTime": "2026-03-10T13:00:00", "timeZone": "UTC"}
    assert event["transactionId"] == str(booking.uuid)

    move_booking(booking=booking, starts_at=at(11, 14), ends_at=at(11, 16), by=room_manager, now=NOW)
    deliver_due(now=timezone.now())
    [event] = graph.events["zaal-a@zonnedaal.be"].values()
    assert event["start"]["dateTime"] == "2026-03-11T13:00:00"

    cancel_booking(booking=booking, by=room_manager, reason="Afgelast", now=NOW)
    deliver_due(now=timezone.now())
    assert graph.events["zaal-a@zonnedaal.be"] == {}
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"delivered"}


def test_a_wrong_secret_fails_for_good_and_is_visible(
    graph, settings, hall_a, association, resident, room_manager
):
    settings.BALIE_ROOM_GRAPH_CLIENT_SECRET = "wrong"
    hall_a.graph_mailbox = "zaal-a@zonnedaal.be"
    hall_a.save()
    booking = request_booking(
        room=hall_a,
        party=association,
        category=resident,
        starts_at=at(10, 14),
        ends_at=at(10, 16),
        purpose="Repetitie",
        by=room_manager,
        now=NOW,
    )
    confirm_booking(booking=booking, by=room_manager, now=NOW)

    deliver_due(now=timezone.now())

    message = OutboxMessage.objects.get()
    assert message.state == "failed"
    assert "401" in message.last_error
    assert graph.events == {}
