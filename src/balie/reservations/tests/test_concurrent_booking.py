"""Done when: 100 concurrent attempts to book overlapping slots of one room leave exactly one live
booking, on PostgreSQL (the exclusion constraint) and on SQLite (IMMEDIATE transactions).

Real threads, each with its own database connection, released together by a barrier. PostgreSQL
allows 100 connections on this machine, shared with others: there the 100 attempts run on 40
threads at once (each thread books again as soon as its attempt ends)."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from balie.parties.models import Party, PartyKind
from balie.reservations.actions import SlotTaken, request_booking
from balie.reservations.models import LIVE_STATUSES, Booking, Occupancy

from .conftest import NOW, at

ATTEMPTS = 100


@pytest.mark.django_db(transaction=True)
def test_100_concurrent_attempts_leave_exactly_one_live_booking(hall_a, resident, room_manager):
    parties = [
        Party.objects.create(kind=PartyKind.PERSON, given_name="P", family_name=str(n))
        for n in range(ATTEMPTS)
    ]
    threads = 40 if connection.vendor == "postgresql" else ATTEMPTS
    barrier = threading.Barrier(threads)
    outcomes: list[str] = []

    def attempt(n: int) -> None:
        try:
            if n < threads:
                barrier.wait()
            # every slot overlaps every other: 18:00 + n minutes, two hours long
            start = at(10, 18) + dt.timedelta(minutes=n % 60)
            request_booking(
                room=hall_a,
                party=parties[n],
                category=resident,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
                purpose="Feest",
                by=room_manager,
                now=NOW,
            )
            outcomes.append("booked")
        except SlotTaken:
            outcomes.append("taken")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(attempt, range(ATTEMPTS)))

    assert sorted(set(outcomes)) == ["booked", "taken"]
    assert outcomes.count("booked") == 1
    assert outcomes.count("taken") == ATTEMPTS - 1
    assert Booking.objects.filter(status__in=LIVE_STATUSES).count() == 1
    assert Occupancy.objects.filter(live=True).count() == 1
    assert Booking.objects.get().number == "ZR-2026-000001"  # the losers used no number


@pytest.mark.django_db(transaction=True)
def test_the_database_itself_refuses_an_overlapping_live_row_on_postgresql(hall_a):
    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints exist on PostgreSQL only; SQLite relies on IMMEDIATE transactions")
    from django.db import IntegrityError

    Occupancy.objects.create(unit=hall_a, starts_at=at(10, 18), ends_at=at(10, 20))
    Occupancy.objects.create(unit=hall_a, starts_at=at(10, 20), ends_at=at(10, 22))  # back to back: fine
    Occupancy.objects.create(
        unit=hall_a, starts_at=at(10, 19), ends_at=at(10, 21), live=False
    )  # not live: fine
    with pytest.raises(IntegrityError, match="reservations_occupancy_no_overlap"):
        Occupancy.objects.create(unit=hall_a, starts_at=at(10, 19), ends_at=at(10, 21))
