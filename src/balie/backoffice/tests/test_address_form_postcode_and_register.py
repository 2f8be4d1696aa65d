"""The address form: the postcode fills in the municipality (htmx, or on saving without script),
a wrong municipality is refused, and a Flemish address is checked in the address register."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balie.parties.models import Address

from .conftest import client_for, field_error, html


def _address(**data: str) -> dict[str, str]:
    return {
        "kind": "postal",
        "street": "Kerkstraat",
        "house_number": "12",
        "box": "",
        "postcode": "2645",
        "municipality": "",
        "country": "BE",
        **data,
    }


def _post(client, party, data):
    return client.post(reverse("backoffice:address_add", args=[party.uuid]), data)


def _lookup(client, **params: str):
    return client.get(reverse("backoffice:postcode_lookup"), params)


def test_the_form_asks_for_the_municipality_from_the_postcode_as_it_is_typed(desk, jan):
    page = html(desk.get(reverse("backoffice:address_add", args=[jan.uuid])))

    assert f'hx-get="{reverse("backoffice:postcode_lookup")}"' in page
    assert 'hx-target="#municipality-field"' in page
    assert '<div id="municipality-field"' in page
    assert 'list="municipality-names"' in page
    assert "Leeg: volgt uit de Belgische postcode." in page


def test_typing_a_postcode_fills_in_the_municipality_and_offers_its_places(desk):
    page = html(_lookup(desk, postcode="9052", municipality="", country="BE"))

    assert 'name="municipality" value="Gent"' in page
    assert '<option value="Zwijnaarde"></option>' in page
    assert '<option value="Gand"></option>' in page


def test_a_municipality_that_goes_with_the_postcode_is_kept_and_one_that_does_not_is_replaced(desk):
    assert 'value="Zwijnaarde"' in html(_lookup(desk, postcode="9052", municipality="zwijnaarde"))
    assert 'name="municipality" value="Gent"' in html(_lookup(desk, postcode="9052", municipality="Mortsel"))


def test_an_unknown_postcode_or_one_of_two_municipalities_says_so(desk):
    assert "Postcode 9999 bestaat niet in België." in html(_lookup(desk, postcode="9999"))
    assert "Postcode 1040 hoort bij meer gemeenten: kies er een." in html(_lookup(desk, postcode="1040"))


def test_an_address_abroad_is_left_alone(desk):
    page = html(_lookup(desk, postcode="1012", municipality="Amsterdam", country="NL"))

    assert 'value="Amsterdam"' in page
    assert "<option" not in page


def test_the_look_up_needs_an_employee(client, citizen):
    assert _lookup(client, postcode="9000").status_code == 302  # to the login page
    assert _lookup(client_for(citizen), postcode="9000").status_code == 404


def test_without_script_an_empty_municipality_is_filled_in_on_saving(desk, jan):
    response = _post(desk, jan, _address(postcode="9052", street="Botermarkt", house_number="1"))

    assert response.status_code == 302
    assert Address.objects.get(party=jan, kind="postal").one_line == "Botermarkt 1, 9052 Gent"


def test_a_wrong_municipality_is_refused_next_to_the_field_and_nothing_is_saved(desk, jan):
    before = Address.objects.count()

    response = _post(desk, jan, _address(postcode="9000", municipality="Antwerpen"))

    assert field_error(response, "municipality") == "Antwerpen hoort niet bij postcode 9000; wel: Gent, Gand."
    assert Address.objects.count() == before
    # The page offers the names that do go with the postcode.
    assert '<option value="Gent"></option>' in html(response)


def test_an_unknown_postcode_is_refused_next_to_the_field(desk, jan):
    response = _post(desk, jan, _address(postcode="9999", municipality="Gent"))

    assert field_error(response, "postcode") == "Postcode 9999 bestaat niet in België."
    assert not Address.objects.filter(party=jan, kind="postal").exists()


def test_an_address_the_register_knows_is_saved_without_a_word(desk, jan, demo_register):
    response = _post(desk, jan, _address())

    assert response.status_code == 302
    assert Address.objects.get(party=jan, kind="postal").one_line == "Kerkstraat 12, 2645 Zonnedaal"
    page = html(desk.get(response["Location"]))
    assert "Het adres is toegevoegd." in page
    assert "adressenregister" not in page


def test_an_address_the_register_does_not_know_asks_first_with_nearby_numbers(desk, jan, demo_register):
    response = _post(desk, jan, _address(house_number="183"))

    assert response.status_code == 200
    assert not Address.objects.filter(party=jan, kind="postal").exists()
    page = html(response)
    assert "Niet gevonden in het adressenregister" in page
    assert "Het adressenregister kent Kerkstraat 183 niet in 2645 Zonnedaal." in page
    assert "<li>Kerkstraat 180, 2645 Zonnedaal</li>" in page
    # Enter (the first submit button) checks again; saving anyway is a button of its own, after it.
    assert page.index(">Toevoegen</button>") < page.index('name="confirmed" value="1"')

    confirmed = _post(desk, jan, _address(house_number="183", confirmed="1"))

    assert confirmed.status_code == 302
    assert Address.objects.get(party=jan, kind="postal").one_line == "Kerkstraat 183, 2645 Zonnedaal"


@pytest.mark.parametrize("fault", ["timeout", "500"])
def test_a_register_that_fails_never_stops_the_saving_but_warns(desk, jan, demo_register, settings, fault):
    if fault == "timeout":
        demo_register.delay = 1.0
        settings.BALIE_ADDRESS_REGISTER_TIMEOUT = 0.2
        warning = "Het adressenregister antwoordde niet binnen 0,2 s; het adres is niet gecontroleerd."
    else:
        demo_register.fail_status = 500
        warning = "Het adressenregister gaf een fout (HTTP 500); het adres is niet gecontroleerd."

    response = _post(desk, jan, _address(house_number="183"))

    assert response.status_code == 302
    assert Address.objects.get(party=jan, kind="postal").one_line == "Kerkstraat 183, 2645 Zonnedaal"
    page = html(desk.get(response["Location"]))
    assert "Het adres is toegevoegd." in page
    assert warning in page


def test_a_wrong_municipality_is_refused_before_the_register_is_asked(desk, jan, demo_register):
    demo_register.fail_status = 500  # would warn, if it were asked

    response = _post(desk, jan, _address(municipality="Mortsel"))

    assert "Mortsel hoort niet bij postcode 2645" in field_error(response, "municipality")
    assert "adressenregister" not in html(response)
