from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from balie.reservations.actions import request_booking
from balie.reservations.models import Booking, BookingSeries
from balie.reservations.series import book_series, occurrences

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


def test_a_weekly_evening_stays_at_20h_local_across_the_dst_change(
    hall_a, association, recognised, room_manager
):
    # Summer time starts on Sunday 29 March 2026: 20:00 is 19:00 UTC before, 18:00 UTC after.
    series, bookings = book_series(
        room=hall_a,
        party=association,
        category=recognised,
        first=dt.date(2026, 3, 18),
        start=dt.time(20),
        end=dt.time(22),
        weeks=3,
        purpose="Repetitie",
        by=room_manager,
        now=NOW,
    )

    assert [b.starts_at.astimezone(dt.UTC).strftime("%d/%m %H:%M") for b in bookings] == [
        "18/03 19:00",
        "25/03 19:00",
        "01/04 18:00",
    ]
    assert {b.series_id for b in bookings} == {series.id}


def test_each_conflict_is_shown_and_can_be_skipped(
    hall_a, association, other_party, recognised, resident, room_manager
):
    request_booking(
        room=hall_a,
        party=other_party,
        category=resident,
        starts_at=at(25, 19),
        ends_at=at(25, 21),
        purpose="Verjaardag",
        by=room_manager,
        now=NOW,
    )

    planned = occurrences(
        room=hall_a, first=dt.date(2026, 3, 18), start=dt.time(20), end=dt.time(22), weeks=3
    )
    assert [(o.date.day, o.conflict) for o in planned] == [(18, False), (25, True), (1, False)]

    with pytest.raises(ValidationError) as refused:
        book_series(
            room=hall_a,
            party=association,
            category=recognised,
            first=dt.date(2026, 3, 18),
            start=dt.time(20),
            end=dt.time(22),
            weeks=3,
            purpose="Repetitie",
            by=room_manager,
            now=NOW,
        )
    assert refused.value.messages == ["Deze data zijn al bezet; sla ze over: 25/03/2026."]
    assert BookingSeries.objects.count() == 0

    _series, bookings = book_series(
        room=hall_a,
        party=association,
        category=recognised,
        first=dt.date(2026, 3, 18),
        start=dt.time(20),
        end=dt.time(22),
        weeks=3,
        purpose="Repetitie",
        by=room_manager,
        skip={dt.date(2026, 3, 25)},
        now=NOW,
    )
    assert len(bookings) == 2
    assert Booking.objects.count() == 3
