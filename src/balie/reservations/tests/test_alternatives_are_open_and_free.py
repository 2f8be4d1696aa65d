"""A slot just taken offers alternatives that can really be booked: free (buffers included) and
within the room's opening hours, never 23:00–03:00."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from balie.reservations.actions import SlotTaken, request_booking
from balie.reservations.availability import alternatives, overlapping, unit_ids
from balie.reservations.rules import within_opening_hours

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


def _book(room, party, category, by, start, end):
    return request_booking(
        room=room,
        party=party,
        category=category,
        starts_at=start,
        ends_at=end,
        purpose="Feest",
        by=by,
        now=NOW,
    )


def test_an_evening_taken_offers_only_open_and_free_slots(
    hall_a, hall_b, meeting_room, association, other_party, resident, room_manager
):
    _book(hall_b, other_party, resident, room_manager, at(10, 19), at(10, 23))
    _book(meeting_room, other_party, resident, room_manager, at(10, 18), at(10, 20))
    _book(hall_a, association, resident, room_manager, at(10, 19), at(10, 23))
    _book(hall_a, other_party, resident, room_manager, at(11, 19), at(11, 23))

    with pytest.raises(SlotTaken) as taken:
        _book(hall_a, other_party, resident, room_manager, at(10, 19), at(10, 23))

    offered = [(a.room, a.starts_at, a.ends_at) for a in taken.value.alternatives]
    assert len(offered) == 3
    # no other room is free that evening: the same room, the next morning on (before: 23:30-03:30)
    assert offered[0] == (hall_a, at(11, 8), at(11, 12))
    for room, start, end in offered:
        assert room == hall_a and within_opening_hours(room, start, end)
        assert not overlapping(unit_ids(room), start - room.buffer_before, end + room.buffer_after).exists()


def test_alternatives_cost_a_few_queries_whatever_the_number_of_candidates(
    hall_a, hall_b, meeting_room, association, resident, room_manager
):
    _book(hall_a, association, resident, room_manager, at(10, 19), at(10, 23))

    with CaptureQueriesContext(connection) as queries:
        offered = alternatives(room=hall_a, starts_at=at(10, 19), ends_at=at(10, 23), attendees=10, limit=10)

    assert [a.room for a in offered[:2]] == [meeting_room, hall_b]
    assert len(offered) == 10
    assert len(queries) <= 8
