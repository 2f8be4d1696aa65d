"""The "Verplaatsen" form (booking page, and the planning board's drag, which posts the same form):
a room manager moves a booking; a refused or invalid move changes nothing; outsiders get nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.reservations.actions import request_booking
from balie.reservations.models import Booking

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _test_site(settings) -> None:
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _day(offset: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=offset)


def _at(offset: int, hour: int) -> dt.datetime:
    return dt.datetime.combine(_day(offset), dt.time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def booking(hall_a, association, resident, room_manager) -> Booking:
    return request_booking(
        room=hall_a,
        party=association,
        category=resident,
        starts_at=_at(2, 14),
        ends_at=_at(2, 16),
        purpose="Repetitie",
        by=room_manager,
    )


def _move(client, booking, room, offset, start="14:00", end="16:00", **extra):
    data = {"room": room.id, "date": _day(offset).isoformat(), "start": start, "end": end, **extra}
    return client.post(reverse("backoffice:room_booking_move", args=[booking.uuid]), data)


def _where(booking) -> tuple:
    booking.refresh_from_db()
    return booking.room_id, booking.starts_at, booking.ends_at, booking.occupancies.count()


def test_the_board_lets_a_room_manager_drag_movable_bookings(client, room_manager, booking, hall_a):
    client.force_login(room_manager)

    page = client.get(reverse("backoffice:room_planning")).content.decode()

    move_url = reverse("backoffice:room_booking_move", args=[booking.uuid])
    assert f'draggable="true" data-move="{move_url}" data-start="14:00" data-end="16:00"' in page
    assert f'data-room="{hall_a.id}" data-day="{_day(2).isoformat()}"' in page
    assert 'id="room-board-move"' in page and "room_board.js" in page


def test_a_front_desk_clerk_sees_the_board_without_drag(client, front_desk_clerk, booking):
    client.force_login(front_desk_clerk)

    page = client.get(reverse("backoffice:room_planning")).content.decode()

    assert "Repetitie" in page
    assert "draggable" not in page and "room-board-move" not in page


def test_the_booking_page_offers_the_move_form_with_the_room(client, room_manager, booking, hall_a):
    client.force_login(room_manager)

    page = client.get(reverse("backoffice:room_booking", args=[booking.uuid])).content.decode()

    assert 'id="verplaatsen"' in page
    assert f'<option value="{hall_a.id}" selected>' in page


def test_the_form_moves_the_booking_to_another_room_and_day(client, room_manager, booking, hall_b):
    client.force_login(room_manager)

    response = _move(client, booking, hall_b, 3, "19:00", "21:00")

    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:room_booking", args=[booking.uuid])
    assert _where(booking) == (hall_b.id, _at(3, 19), _at(3, 21), 1)
    page = client.get(response["Location"]).content.decode()
    assert f"Boeking {booking.number} is verplaatst." in page


def test_a_drag_on_the_board_returns_to_the_board(client, room_manager, booking, hall_b):
    client.force_login(room_manager)
    board = reverse("backoffice:room_planning") + f"?van={_day(0).isoformat()}"

    response = _move(client, booking, hall_b, 4, terug=board)

    assert response["Location"] == board
    assert _where(booking) == (hall_b.id, _at(4, 14), _at(4, 16), 1)


def test_another_site_as_the_way_back_is_ignored(client, room_manager, booking, hall_b):
    client.force_login(room_manager)

    response = _move(client, booking, hall_b, 4, terug="https://elders.example/")

    assert response["Location"] == reverse("backoffice:room_booking", args=[booking.uuid])


def test_a_taken_slot_is_refused_with_a_message_and_nothing_changes(
    client, room_manager, booking, hall_b, other_party, resident
):
    request_booking(
        room=hall_b,
        party=other_party,
        category=resident,
        starts_at=_at(3, 15),
        ends_at=_at(3, 17),
        purpose="Vergadering",
        by=room_manager,
    )
    client.force_login(room_manager)
    before = _where(booking)

    response = _move(client, booking, hall_b, 3)

    assert _where(booking) == before
    page = client.get(response["Location"]).content.decode()
    assert "Dit moment is net geboekt door iemand anders." in page


@pytest.mark.parametrize(
    "data",
    [
        {"date": "morgen"},
        {"start": "25:00"},
        {"room": "999999"},
        {"room": ""},
    ],
)
def test_invalid_input_changes_nothing(client, room_manager, booking, hall_b, data):
    client.force_login(room_manager)
    before = _where(booking)
    fields = {"room": hall_b.id, "date": _day(3).isoformat(), "start": "14:00", "end": "16:00", **data}

    response = client.post(reverse("backoffice:room_booking_move", args=[booking.uuid]), fields)

    assert response.status_code == 302
    assert _where(booking) == before
    assert (
        "Kies een zaal en vul een geldige datum en uren in."
        in client.get(response["Location"]).content.decode()
    )


def test_outsiders_cannot_move_a_booking(client, front_desk_clerk, room_manager, booking, hall_b):
    hr = create_employee(
        username="hr",
        first_name="Hilde",
        last_name="HR",
        email="hr@zonnedaal.be",
        password="x",
        department=room_manager.department,
        roles=[Role.HR],
        by=None,
    )
    before = _where(booking)
    for user in (front_desk_clerk, hr):
        client.force_login(user)
        response = _move(client, booking, hall_b, 3)
        assert response.status_code in (403, 404)
    client.logout()
    assert _move(client, booking, hall_b, 3).status_code == 302  # to the login page
    assert _where(booking) == before


def test_a_guessed_booking_id_is_not_found(client, room_manager, hall_b):
    client.force_login(room_manager)
    response = client.post(
        reverse("backoffice:room_booking_move", args=["5b1f1a8e-0000-4000-8000-000000000000"]),
        {"room": hall_b.id, "date": _day(3).isoformat(), "start": "14:00", "end": "16:00"},
    )
    assert response.status_code == 404
