"""The back-office pages for rooms: they work for room staff and show nothing to outsiders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.reservations.actions import request_booking
from balie.reservations.models import BookerFeed, Booking, BookingStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _test_site(settings) -> None:
    """The test client speaks plain http; static files without the manifest."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def soon(hall_a):
    day = timezone.localdate() + dt.timedelta(days=2)
    zone = timezone.get_current_timezone()
    return dt.datetime.combine(day, dt.time(14), tzinfo=zone), dt.datetime.combine(
        day, dt.time(16), tzinfo=zone
    )


@pytest.fixture
def booking(hall_a, association, resident, room_manager, soon):
    return request_booking(
        room=hall_a,
        party=association,
        category=resident,
        starts_at=soon[0],
        ends_at=soon[1],
        purpose="Repetitie",
        by=room_manager,
    )


@pytest.fixture
def outsider(room_manager):
    return create_employee(
        username="hr",
        first_name="Hilde",
        last_name="HR",
        email="hr@zonnedaal.be",
        password="x",
        department=room_manager.department,
        roles=[Role.HR],
        by=None,
    )


def test_the_planning_board_shows_the_booking(client, room_manager, booking):
    client.force_login(room_manager)

    response = client.get(reverse("backoffice:room_planning"))

    assert response.status_code == 200
    assert "Repetitie" in response.content.decode()


def test_a_counter_booking_for_a_walk_in_is_confirmed_at_once(client, room_manager, hall_a, resident, soon):
    client.force_login(room_manager)
    day = timezone.localtime(soon[0]).date()

    response = client.post(
        reverse("backoffice:room_counter_booking"),
        {
            "room": hall_a.id,
            "category": resident.id,
            "given_name": "Jan",
            "family_name": "Janssens",
            "purpose": "Verjaardag",
            "attendees": 20,
            "date": day.isoformat(),
            "start": "10:00",
            "end": "12:00",
            "confirm_now": "on",
        },
    )

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert (booking.status, str(booking.party), booking.channel) == (
        BookingStatus.CONFIRMED,
        "Janssens Jan",
        "counter",
    )


def test_a_taken_slot_at_the_counter_shows_alternatives(
    client, room_manager, booking, hall_a, hall_b, resident, soon
):
    client.force_login(room_manager)
    day = timezone.localtime(soon[0]).date()

    response = client.post(
        reverse("backoffice:room_counter_booking"),
        {
            "room": hall_a.id,
            "category": resident.id,
            "given_name": "Jan",
            "family_name": "Janssens",
            "purpose": "Verjaardag",
            "attendees": 20,
            "date": day.isoformat(),
            "start": "15:00",
            "end": "17:00",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Net geboekt door iemand anders" in page
    assert "Zaal B" in page
    assert Booking.objects.count() == 1


def test_room_staff_confirm_and_cancel_a_booking(client, room_manager, booking):
    client.force_login(room_manager)

    client.post(reverse("backoffice:room_booking_status", args=[booking.uuid, "confirmed"]))
    client.post(
        reverse("backoffice:room_booking_status", args=[booking.uuid, "cancelled"]), {"reason": "Ziek"}
    )

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert client.get(reverse("backoffice:room_booking", args=[booking.uuid])).status_code == 200


def test_figures_and_oslo_export_answer(client, room_manager, booking):
    client.force_login(room_manager)

    assert client.get(reverse("backoffice:room_figures")).status_code == 200
    response = client.get(reverse("backoffice:room_oslo"))
    assert response["Content-Type"] == "application/ld+json"
    assert response.json()["@graph"][0]["@type"] == "Infrastructuurreservatiedienst"


@pytest.mark.parametrize(
    "name", ["room_planning", "room_counter_booking", "room_approvals", "room_figures", "room_oslo"]
)
def test_an_outsider_sees_nothing(client, outsider, booking, name):
    client.force_login(outsider)

    assert client.get(reverse(f"backoffice:{name}")).status_code in (403, 404)
    assert client.get(reverse("backoffice:room_booking", args=[booking.uuid])).status_code in (403, 404)
    response = client.post(
        reverse("backoffice:room_booking_status", args=[booking.uuid, "cancelled"]), {"reason": "x"}
    )
    assert response.status_code in (403, 404)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.OPTION


def test_the_public_availability_has_no_personal_data(client, booking, hall_a):
    page = client.get(reverse("backoffice:room_availability", args=[hall_a.uuid])).content.decode()
    feed = client.get(reverse("backoffice:room_availability_feed", args=[hall_a.uuid])).content.decode()

    assert "14:00–16:30" in page
    for private in ("Toneelkring", "Repetitie", booking.number):
        assert private not in page
        assert private not in feed


def test_feeds_need_their_secret_address(client, booking, hall_a, association):
    assert client.get(reverse("backoffice:room_feed", args=["wrong"])).status_code == 404
    assert (
        "Repetitie"
        in client.get(reverse("backoffice:room_feed", args=[hall_a.calendar_token])).content.decode()
    )
    feed = BookerFeed.objects.create(party=association)
    assert "Repetitie" in client.get(reverse("backoffice:booker_feed", args=[feed.token])).content.decode()
