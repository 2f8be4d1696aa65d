"""Adding an e-mail address, a phone number or an address to a customer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balie.parties.models import Address, ContactPoint

from .conftest import field_error, html


def test_it_adds_an_email_address_normalised(desk, jan):
    response = desk.post(
        reverse("backoffice:contact_point_add", args=[jan.uuid]),
        {"kind": "email", "value": "Jan.Peeters@Werk.be", "preferred": "on"},
    )

    assert response["Location"] == reverse("backoffice:party", args=[jan.uuid])
    point = ContactPoint.objects.get(party=jan, value="jan.peeters@werk.be")
    assert point.preferred is True
    assert ContactPoint.objects.get(party=jan, value="jan.peeters@example.be").preferred is False
    assert "Het contactgegeven is toegevoegd." in html(desk.get(response["Location"]))


def test_it_adds_a_phone_number_in_international_form(desk, jan):
    desk.post(
        reverse("backoffice:contact_point_add", args=[jan.uuid]), {"kind": "phone", "value": "03 440 12 34"}
    )

    assert ContactPoint.objects.get(party=jan, kind="phone").value == "+3234401234"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "email", "value": "jan@@example"}, "Dit is geen geldig e-mailadres."),
        ({"kind": "email", "value": "<script>@x.be"}, "Dit is geen geldig e-mailadres."),
        ({"kind": "phone", "value": "12345"}, "Dit is geen geldig telefoonnummer."),
        ({"kind": "mobile", "value": "bel me"}, "Dit is geen geldig telefoonnummer."),
        ({"kind": "email", "value": "a" * 250 + "@x.be"}, "niet meer dan 254 tekens"),
        ({"kind": "email", "value": ""}, "Dit veld is verplicht."),
    ],
)
def test_a_bad_contact_point_is_refused_next_to_the_field(desk, jan, data, message):
    before = ContactPoint.objects.count()

    response = desk.post(reverse("backoffice:contact_point_add", args=[jan.uuid]), data)

    assert message in field_error(response, "value")
    assert ContactPoint.objects.count() == before


def test_it_adds_an_address_and_ends_the_previous_one(desk, jan):
    response = desk.post(
        reverse("backoffice:address_add", args=[jan.uuid]),
        {
            "kind": "residence",
            "street": "Statielei",
            "house_number": "41",
            "box": "3",
            "postcode": "2640",
            "municipality": "Mortsel",
            "country": "be",
            "valid_from": "2026-01-01",
        },
    )

    assert response.status_code == 302
    current = Address.objects.get(party=jan, valid_until__isnull=True)
    assert current.one_line == "Statielei 41 bus 3, 2640 Mortsel"
    assert Address.objects.get(party=jan, street="Kerkstraat").valid_until.isoformat() == "2025-12-31"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"postcode": "123"}, "postcode", "Een Belgische postcode heeft 4 cijfers."),
        ({"street": "<script>alert(1)</script>"}, "street", "Gebruik geen HTML-tekens"),
        ({"street": "s" * 151}, "street", "niet meer dan 150 tekens"),
        ({"house_number": ""}, "house_number", "Dit veld is verplicht."),
        ({"country": "B1"}, "country", "Een landcode bestaat uit 2 letters."),
    ],
)
def test_a_bad_address_is_refused_next_to_the_field(desk, jan, data, field, message):
    values = {
        "kind": "postal",
        "street": "Postbus",
        "house_number": "12",
        "postcode": "2600",
        "municipality": "Berchem",
        "country": "BE",
    }
    values.update(data)
    before = Address.objects.count()

    response = desk.post(reverse("backoffice:address_add", args=[jan.uuid]), values)

    assert message in field_error(response, field)
    assert Address.objects.count() == before
