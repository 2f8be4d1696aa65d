"""Registering a new customer, with suggestions of existing ones before anything is saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balie.parties.models import Party

from .conftest import field_error, html, insz

CREATE = reverse("backoffice:party_create")


def test_it_registers_a_person_and_opens_the_new_360_view(desk, front_desk):
    response = desk.post(
        CREATE,
        {
            "kind": "person",
            "family_name": "Vermeulen",
            "given_name": "Ann",
            "birth_date": "1990-02-03",
            "national_number": "90.02.03-" + insz("900203", "123")[6:9] + "." + insz("900203", "123")[9:],
        },
    )

    party = Party.objects.get()
    assert response["Location"] == reverse("backoffice:party", args=[party.uuid])
    assert (party.kind, party.display_name, party.national_number) == (
        "person",
        "Vermeulen Ann",
        insz("900203", "123"),
    )
    assert "De klant is geregistreerd." in html(desk.get(response["Location"]))


def test_it_registers_an_organisation_and_an_association(desk):
    desk.post(
        CREATE,
        {
            "kind": "organisation",
            "name": "Garage Mortsel",
            "enterprise_number": "BE0202239951",
            "legal_form": "nv",
        },
    )
    desk.post(CREATE, {"kind": "association", "name": "Voetbalclub Zonnedaal", "legal_form": "vzw"})

    garage, club = Party.objects.order_by("search_name")
    assert (garage.kind, garage.enterprise_number, garage.legal_form) == ("organisation", "0202239951", "nv")
    assert (club.kind, club.enterprise_number) == ("association", None)


def test_it_suggests_an_existing_person_before_saving(desk, jan):
    response = desk.post(
        CREATE, {"kind": "person", "family_name": "peeters", "given_name": "JAN", "birth_date": "1985-07-30"}
    )

    page = html(response)
    assert response.status_code == 200
    assert "Bedoelt u…?" in page
    assert reverse("backoffice:party", args=[jan.uuid]) in page
    assert 'name="confirmed" value="1"' in page
    assert Party.objects.count() == 1


def test_the_employee_can_still_register_a_namesake_after_the_suggestion(desk, jan):
    desk.post(
        CREATE,
        {
            "kind": "person",
            "family_name": "Peeters",
            "given_name": "Jan",
            "birth_date": "1985-07-30",
            "confirmed": "1",
        },
    )

    assert Party.objects.filter(search_name="peeters jan").count() == 2


def test_it_suggests_an_organisation_with_the_same_name(desk, bakkerij):
    page = html(desk.post(CREATE, {"kind": "association", "name": "Bakkerij de Zon"}))

    assert "Bedoelt u…?" in page and "0403.019.261" in page
    assert Party.objects.count() == 1


def test_the_live_suggestions_answer_while_the_form_is_filled_in(desk, jan):
    found = desk.get(
        reverse("backoffice:party_similar"),
        {"kind": "person", "family_name": "Peeters", "given_name": "Jan", "birth_date": "1985-07-30"},
    )
    nothing = desk.get(reverse("backoffice:party_similar"), {"kind": "person", "family_name": "Janssens"})

    assert "Peeters Jan" in html(found) and "<html" not in html(found)
    assert "Geen gelijkaardige klanten gevonden." in html(nothing)


def test_an_existing_national_number_opens_the_existing_person(desk, jan):
    response = desk.post(
        CREATE, {"kind": "person", "family_name": "Anders", "national_number": jan.national_number}
    )

    assert response["Location"] == reverse("backoffice:party", args=[jan.uuid])
    assert Party.objects.count() == 1
    assert "Deze klant bestond al met dit nummer." in html(desk.get(response["Location"]))


def test_an_existing_enterprise_number_opens_the_existing_organisation(desk, bakkerij):
    response = desk.post(
        CREATE, {"kind": "organisation", "name": "Andere naam", "enterprise_number": "0403 019 261"}
    )

    assert response["Location"] == reverse("backoffice:party", args=[bakkerij.uuid])
    assert Party.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"kind": "person", "family_name": "Test", "national_number": "85.07.30-033.99"},
            "national_number",
            "controlegetal klopt niet",
        ),
        (
            {"kind": "person", "family_name": "Test", "national_number": "1234"},
            "national_number",
            "11 cijfers",
        ),
        (
            {"kind": "person", "family_name": "<script>alert(1)</script>"},
            "family_name",
            "Gebruik geen HTML-tekens",
        ),
        (
            {"kind": "person", "family_name": "Test", "given_name": "<b>Jan</b>"},
            "given_name",
            "Gebruik geen HTML-tekens",
        ),
        ({"kind": "person", "family_name": "x" * 101}, "family_name", "niet meer dan 100 tekens"),
        ({"kind": "person", "family_name": ""}, "family_name", "Dit veld is verplicht."),
        (
            {"kind": "person", "family_name": "Test", "birth_date": "30-02-1990"},
            "birth_date",
            "Voer een geldige datum in.",
        ),
        ({"kind": "person", "family_name": "Test", "note": "x" * 2001}, "note", "niet meer dan 2000 tekens"),
        (
            {"kind": "organisation", "name": "Firma", "enterprise_number": "0403.019.262"},
            "enterprise_number",
            "controlegetal klopt niet",
        ),
        (
            {"kind": "organisation", "name": "Firma", "enterprise_number": "12345"},
            "enterprise_number",
            "10 cijfers",
        ),
        ({"kind": "organisation", "name": "Firma"}, "enterprise_number", "Dit veld is verplicht."),
        (
            {
                "kind": "organisation",
                "name": "<img src=x onerror=alert(1)>",
                "enterprise_number": "0403019261",
            },
            "name",
            "Gebruik geen HTML-tekens",
        ),
        ({"kind": "association", "name": "x" * 201}, "name", "niet meer dan 200 tekens"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(desk, data, field, message):
    response = desk.post(CREATE, data)

    assert response.status_code == 200
    assert message in field_error(response, field)
    assert Party.objects.count() == 0


def test_the_form_starts_from_what_was_searched_for(desk):
    by_name = html(desk.get(CREATE, {"soort": "person", "q": "Vermeulen"}))
    by_number = html(desk.get(CREATE, {"soort": "organisation", "q": "0403.019.261"}))

    assert 'name="family_name" value="Vermeulen"' in by_name
    assert 'name="enterprise_number" value="0403.019.261"' in by_number
