from __future__ import annotations

import datetime as dt

import pytest

from balie.reservations.actions import confirm_booking, expire_options, request_booking
from balie.reservations.models import BookingStatus, Occupancy

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


def test_an_unpaid_option_expires_and_its_slot_is_free_again(
    hall_a, association, other_party, resident, room_manager
):
    option = request_booking(
        room=hall_a,
        party=association,
        category=resident,
        starts_at=at(10, 14),
        ends_at=at(10, 16),
        purpose="Repetitie",
        by=room_manager,
        now=NOW,
    )

    assert expire_options(now=NOW + dt.timedelta(hours=71)) == 0
    assert expire_options(now=NOW + dt.timedelta(hours=72)) == 1

    option.refresh_from_db()
    assert option.status == BookingStatus.EXPIRED
    assert option.option_expires_at is None
    assert list(Occupancy.objects.filter(booking=option).values_list("live", flat=True)) == [False]
    assert [(s.to_status, s.by_id, s.reason) for s in option.status_changes.all()][-1] == (
        "expired",
        None,
        "Optie niet op tijd bevestigd.",
    )
    again = request_booking(
        room=hall_a,
        party=other_party,
        category=resident,
        starts_at=at(10, 14),
        ends_at=at(10, 16),
        purpose="Vergadering",
        by=room_manager,
        now=NOW + dt.timedelta(hours=73),
    )
    assert again.status == BookingStatus.OPTION


def test_a_confirmed_booking_does_not_expire(hall_a, association, resident, room_manager):
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

    assert expire_options(now=NOW + dt.timedelta(days=3)) == 0
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_the_expiry_job_is_on_the_schedule():
    from balie.core.schedule import schedule

    assert schedule.get("reservations.expire_options").when.describe() == "every 0:05:00"


def test_an_expired_option_cancels_its_unpaid_order(hall_a, association, resident, room_manager, tariffs):
    from balie.payments.models import OrderState

    option = request_booking(
        room=hall_a,
        party=association,
        category=resident,
        starts_at=at(10, 14),
        ends_at=at(10, 16),
        purpose="Repetitie",
        by=room_manager,
        now=NOW,
    )
    assert option.order.state == OrderState.OPEN

    assert expire_options(now=NOW + dt.timedelta(hours=72)) == 1

    option.order.refresh_from_db()
    assert option.order.state == OrderState.CANCELLED and option.order.balance() == 0
