from __future__ import annotations

import pytest
from icalendar import Calendar

from balie.reservations import calendars, oslo
from balie.reservations.actions import block_room, confirm_booking, request_booking
from balie.reservations.models import Booking, Room

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(hall_a, association, resident, room_manager):
    made = request_booking(
        room=hall_a,
        party=association,
        category=resident,
        starts_at=at(10, 14),
        ends_at=at(10, 16),
        purpose="Repetitie",
        by=room_manager,
        now=NOW,
        activity_type="repetitie",
    )
    return confirm_booking(booking=made, by=room_manager, now=NOW)


def test_the_room_feed_lists_its_bookings(booking, hall_a):
    feed = Calendar.from_ical(calendars.room_feed(hall_a, now=NOW))

    [event] = feed.walk("VEVENT")
    assert str(event["summary"]) == "ZR-2026-000001 Repetitie"
    assert event.decoded("dtstart") == at(10, 14)
    assert str(event["status"]) == "CONFIRMED"


def test_the_booker_feed_holds_only_their_bookings(booking, other_party, resident, hall_b, room_manager):
    request_booking(
        room=hall_b,
        party=other_party,
        category=resident,
        starts_at=at(10, 14),
        ends_at=at(10, 16),
        purpose="Verjaardag",
        by=room_manager,
        now=NOW,
    )

    feed = Calendar.from_ical(calendars.booker_feed(booking.party_id, now=NOW))

    assert [str(e["summary"]) for e in feed.walk("VEVENT")] == ["ZR-2026-000001 Repetitie"]


def test_the_public_availability_shows_busy_blocks_without_personal_data(booking, hall_a, room_manager):
    block_room(room=hall_a, starts_at=at(12, 8), ends_at=at(12, 12), reason="Verkiezingen", by=room_manager)

    raw = calendars.public_availability_feed(hall_a, now=NOW)

    events = Calendar.from_ical(raw).walk("VEVENT")
    assert [(str(e["summary"]), e.decoded("dtstart"), e.decoded("dtend")) for e in events] == [
        ("Bezet", at(10, 14), at(10, 16, 30)),  # with the clean-up buffer
        ("Bezet", at(12, 8), at(12, 12)),
    ]
    for private in (b"Toneelkring", b"Repetitie", b"ZR-2026", b"Verkiezingen"):
        assert private not in raw


def test_rooms_and_bookings_as_oslo_json_ld(booking, hall_a, projector):
    hall_a.facilities.add(projector)

    document = oslo.document(
        rooms=Room.objects.filter(id=hall_a.id),
        bookings=Booking.objects.all(),
        base="https://balie.example",
        organisation="Gemeente Zonnedaal",
        with_booker=True,
    )

    service, room, reservation = document["@graph"]
    assert service["@type"] == "Infrastructuurreservatiedienst"
    assert room["Infrastructuur.capaciteit"]["Capaciteit.waarde"] == {"@value": 80}
    assert room["Infrastructuur.faciliteit"][0]["Faciliteit.type"].endswith("/Faciliteittype/projectie")
    assert reservation["Infrastructuurreservatie.status"] == [
        "https://data.vlaanderen.be/id/concept/Infrastructuurreservatiestatustype/bevestigd"
    ]
    assert reservation["Infrastructuurreservatie.periode"]["Periode.van"]["Moment.inXSDDatumTijd"][
        "@value"
    ] == ("2026-03-10T13:00:00Z")
    assert reservation["Infrastructuurreservatie.gereserveerdDoor"]["naam"] == "Toneelkring De Spiegel"
    assert document["@context"]["Infrastructuurreservatie.status"] == {
        "@id": "https://data.vlaanderen.be/ns/zaalreservatie#Infrastructuurreservatie.status",
        "@type": "@id",
    }
