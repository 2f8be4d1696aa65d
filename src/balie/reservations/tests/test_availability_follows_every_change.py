"""Availability (`busy_spans`) always says what the live occupancy rows say, whatever changed them:
bookings, moves, cancellations, blackouts, rows written or deleted directly, back-to-back periods,
periods across the boundary of the week summary (PostgreSQL, migration 0004), long ones, and
windows that start or end exactly on a period's edge. The truth is computed here from the rows."""

from __future__ import annotations

import datetime as dt
import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from balie.reservations.actions import block_room, cancel_booking, move_booking, request_booking
from balie.reservations.availability import WEEK, busy_spans, unit_ids
from balie.reservations.models import Blackout, Occupancy

from .conftest import NOW, at

UTC = dt.UTC


def _truth(units: list[int], start: dt.datetime, end: dt.datetime) -> dict[int, list[tuple[int, int]]]:
    low, high = start.timestamp(), end.timestamp()
    truth: dict[int, list[tuple[int, int]]] = {}
    for occupancy in Occupancy.objects.filter(live=True, unit_id__in=units):
        s, e = occupancy.starts_at.timestamp(), occupancy.ends_at.timestamp()
        if s < high and e > low:
            truth.setdefault(occupancy.unit_id, []).append((int(s), int(e)))
    return {unit: sorted(spans) for unit, spans in truth.items()}


def _agrees(units: list[int], start: dt.datetime, end: dt.datetime) -> None:
    found = {unit: spans for unit, spans in busy_spans(units, start, end).items() if spans}
    assert found == _truth(units, start, end), (start, end)


def _windows(rng: random.Random, instants: list[dt.datetime]) -> list[tuple[dt.datetime, dt.datetime]]:
    """Edges of periods as window edges, and random windows of an hour to six weeks."""
    windows = [(a, b) for a in instants for b in instants if a < b][:200]
    base = dt.datetime(2026, 2, 20, tzinfo=UTC)
    for _ in range(100):
        start = base + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 60))
        windows.append((start, start + dt.timedelta(minutes=rng.randrange(60, 60 * 24 * 42))))
    return windows


def _week_start(day: dt.datetime) -> dt.datetime:
    """The start of the summary's week (counted from the epoch, a Thursday, in UTC) after `day`."""
    return dt.datetime.fromtimestamp((int(day.timestamp()) // WEEK + 1) * WEEK, UTC)


def test_busy_periods_follow_bookings_moves_cancellations_and_blackouts(
    hall_a, hall_b, hall_ab, meeting_room, resident, association, other_party, room_manager
):
    rooms = [hall_a, hall_b, hall_ab, meeting_room]
    units = sorted({u for room in rooms for u in unit_ids(room)})

    def book(room, start, hours, party=association):
        return request_booking(
            room=room,
            party=party,
            category=resident,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=hours),
            purpose="Repetitie",
            by=room_manager,
            now=NOW,
        )

    weekly = [book(hall_a, at(day, 19), 2) for day in (3, 10, 17, 24)]
    combined = book(hall_ab, at(12, 9), 3)  # occupies A and B
    late = book(meeting_room, at(11, 20), 3)  # ends 23:00 local
    back_to_back = [book(meeting_room, at(13, h), 2, other_party) for h in (9, 11, 13)]
    # across the summary's week boundary (Thursday 00:00 UTC): written directly, as a blackout is
    boundary = _week_start(at(12, 12))
    Occupancy.objects.create(
        unit=hall_b, starts_at=boundary - dt.timedelta(hours=2), ends_at=boundary + dt.timedelta(hours=1)
    )
    Occupancy.objects.create(
        unit=hall_b, starts_at=boundary + dt.timedelta(hours=1), ends_at=boundary + dt.timedelta(hours=3)
    )
    works = block_room(
        room=meeting_room, starts_at=at(16, 8), ends_at=at(20, 23), reason="Schilderwerken", by=room_manager
    )
    instants = [at(day, hour) for day in (3, 10, 11, 12, 13, 16, 20) for hour in (9, 11, 13, 19, 21, 23)]
    instants += [boundary - dt.timedelta(hours=2), boundary, boundary + dt.timedelta(hours=1)]
    rng = random.Random(5)
    windows = _windows(rng, instants)
    assert Occupancy.objects.filter(live=True).count() == 4 + 2 + 1 + 3 + 2 + 1
    for start, end in windows:
        _agrees(units, start, end)

    cancel_booking(booking=weekly[1], by=room_manager, reason="Ziek", now=NOW)
    cancel_booking(booking=back_to_back[1], by=room_manager, reason="Ziek", now=NOW)
    move_booking(booking=weekly[2], starts_at=at(18, 19), ends_at=at(18, 21), by=room_manager, now=NOW)
    move_booking(
        booking=combined, room=hall_a, starts_at=at(12, 14), ends_at=at(12, 16), by=room_manager, now=NOW
    )
    move_booking(booking=late, starts_at=at(11, 9), ends_at=at(11, 10), by=room_manager, now=NOW)
    # the free slot of a cancelled booking is taken again, back to back with its neighbours
    book(meeting_room, at(13, 11), 2)
    Occupancy.objects.filter(unit=hall_b, starts_at__gte=boundary).update(
        ends_at=boundary + dt.timedelta(hours=4)
    )
    Occupancy.objects.filter(unit=hall_b, starts_at__lt=boundary).update(live=False)
    Blackout.objects.filter(pk=works.pk).delete()
    assert Occupancy.objects.filter(live=True).count() == 4 + 1 + 1 + 3  # hall A, B, meeting room
    for start, end in windows:
        _agrees(units, start, end)

    Occupancy.objects.filter(unit=hall_b).delete()
    Occupancy.objects.filter(unit=hall_b, starts_at__lt=boundary).update(live=True)  # nothing left to revive
    for start, end in windows:
        _agrees(units, start, end)


def test_a_refused_overlap_leaves_availability_as_it_was(hall_a, resident, association, room_manager):
    from balie.reservations.actions import SlotTaken

    request_booking(
        room=hall_a,
        party=association,
        category=resident,
        starts_at=at(10, 18),
        ends_at=at(10, 20),
        purpose="Feest",
        by=room_manager,
        now=NOW,
    )
    before = busy_spans([hall_a.id], at(9, 0), at(12, 0))
    with pytest.raises(SlotTaken):
        request_booking(
            room=hall_a,
            party=association,
            category=resident,
            starts_at=at(10, 19),
            ends_at=at(10, 21),
            purpose="Feest",
            by=room_manager,
            now=NOW,
        )
    assert busy_spans([hall_a.id], at(9, 0), at(12, 0)) == before
    _agrees([hall_a.id], at(9, 0), at(12, 0))


@pytest.mark.django_db(transaction=True)
def test_bookings_of_one_room_in_one_week_at_the_same_moment_all_count(hall_a, meeting_room):
    """Twenty writers at once on the same units and weeks, none overlapping: every period reaches
    the week summary (its row is rewritten under a row lock), and the totals agree."""
    threads = 20
    barrier = threading.Barrier(threads)

    def write(n: int) -> None:
        try:
            barrier.wait()
            start = at(9, 8) + dt.timedelta(days=n % 7, hours=2 * (n // 7))
            unit = hall_a if n % 2 else meeting_room
            Occupancy.objects.create(unit=unit, starts_at=start, ends_at=start + dt.timedelta(minutes=90))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(write, range(threads)))
    assert Occupancy.objects.count() == threads
    _agrees([hall_a.id, meeting_room.id], at(1, 0), at(31, 0))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT sum(cardinality(spans)) FROM reservations_occupancy_week")
            assert cursor.fetchone()[0] == 2 * threads


def test_emptying_the_occupancies_empties_the_week_summary(hall_a):
    if connection.vendor != "postgresql":
        pytest.skip("the week summary exists on PostgreSQL only")
    Occupancy.objects.create(unit=hall_a, starts_at=at(10, 18), ends_at=at(10, 20))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reservations_occupancy_week")
        assert cursor.fetchone()[0] == 1
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the row's foreign keys are checked first
        cursor.execute("TRUNCATE reservations_occupancy")
        cursor.execute("SELECT count(*) FROM reservations_occupancy_week")
        assert cursor.fetchone()[0] == 0
    assert busy_spans([hall_a.id], at(9, 0), at(12, 0)) == {}


def test_no_units_asked_no_periods(hall_a):
    Occupancy.objects.create(unit=hall_a, starts_at=at(10, 18), ends_at=at(10, 20))
    assert busy_spans([], at(9, 0), at(12, 0)) == {}
    assert busy_spans([hall_a.id], at(9, 0), at(12, 0)) == {
        hall_a.id: [(int(at(10, 18).timestamp()), int(at(10, 20).timestamp()))]
    }
