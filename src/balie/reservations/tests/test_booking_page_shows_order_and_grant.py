"""The booking page shows its order (a link to the payments page) and its door grant's state,
never the PIN; outsiders see nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.reservations.actions import confirm_booking, request_booking
from balie.room_access.actions import pin_for_holder

from .conftest import days_ahead

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _test_site(settings) -> None:
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def confirmed(hall_a, association, resident, room_manager, tariffs, door_zone):
    booking = request_booking(
        room=hall_a,
        party=association,
        category=resident,
        starts_at=days_ahead(10, 14),
        ends_at=days_ahead(10, 16),
        purpose="Repetitie",
        by=room_manager,
    )
    return confirm_booking(booking=booking, by=room_manager)


def test_the_booking_page_links_the_order_and_shows_the_grant_without_pin(client, room_manager, confirmed):
    client.force_login(room_manager)

    response = client.get(reverse("backoffice:room_booking", args=[confirmed.uuid]))

    page = response.content.decode()
    assert response.status_code == 200
    order_url = reverse("backoffice:payment_order", args=[confirmed.order.uuid])
    assert f'<a href="{order_url}">{confirmed.order.number}</a> (te betalen)' in page
    assert "Gemeenschapscentrum De Kring: actief" in page
    assert pin_for_holder(confirmed.grant) not in page


def test_an_outsider_does_not_see_the_booking(client, room_manager, confirmed):
    outsider = create_employee(
        username="hr",
        first_name="Hilde",
        last_name="HR",
        email="hr@zonnedaal.be",
        password="x",
        department=room_manager.department,
        roles=[Role.HR],
        by=None,
    )
    client.force_login(outsider)

    response = client.get(reverse("backoffice:room_booking", args=[confirmed.uuid]))

    assert response.status_code in (403, 404)
    assert confirmed.order.number not in response.content.decode()
