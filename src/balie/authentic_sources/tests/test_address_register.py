"""The Flemish address register client, against the demo register over real HTTP on loopback."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from balie.authentic_sources.addresses.register import (
    RegisterUnavailable,
    advise_on_address,
    check_address,
    find_addresses,
    register_url,
)


def test_the_demo_speaks_the_registers_json(demo_register):
    url = f"{demo_register.url}/v2/adressen?straatnaam=Kerkstraat&huisnummer=25&postcode=2645"
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - the demo on loopback
        answer = json.load(response)

    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    first = answer["adressen"][0]
    assert set(first) == {
        "@type",
        "identificator",
        "detail",
        "huisnummer",
        "volledigAdres",
        "adresStatus",
    }
    assert set(first["identificator"]) == {"id", "naamruimte", "objectId", "versieId"}
    assert (
        first["identificator"]["id"]
        == f"https://data.vlaanderen.be/id/adres/{first['identificator']['objectId']}"
    )
    assert first["volledigAdres"] == {
        "geografischeNaam": {"spelling": "Kerkstraat 25, 2645 Zonnedaal", "taal": "nl"}
    }
    assert first["adresStatus"] == "inGebruik"
    # Number 25 is a block of flats: the house number and its four boxes.
    assert [a.get("busnummer", "") for a in answer["adressen"]] == ["", "1", "2", "3", "4"]
    with urllib.request.urlopen(first["detail"], timeout=5) as response:  # noqa: S310
        detail = json.load(response)
    assert detail["straatnaam"]["straatnaam"]["geografischeNaam"]["spelling"] == "Kerkstraat"
    assert detail["gemeente"]["gemeentenaam"]["geografischeNaam"]["spelling"] == "Zonnedaal"
    assert detail["postinfo"]["objectId"] == "2645"


def test_the_demo_pages_a_long_answer(demo_register):
    with urllib.request.urlopen(f"{demo_register.url}/v2/adressen?straatnaam=Markt&limit=50", timeout=5) as r:  # noqa: S310
        answer = json.load(r)

    assert len(answer["adressen"]) == 50
    assert "offset=50" in answer["volgende"]


def test_an_existing_address_is_found_with_its_identifier(demo_register):
    check = check_address(street="Kerkstraat", house_number="12", postcode="2645")

    assert check.found
    assert check.address is not None
    assert (check.address.street, check.address.house_number, check.address.box) == ("Kerkstraat", "12", "")
    assert (check.address.postcode, check.address.municipality) == ("2645", "Zonnedaal")
    assert check.address.uri.startswith("https://data.vlaanderen.be/id/adres/")
    assert check.address.status == "inGebruik"


def test_names_match_without_case_or_accents_and_a_box_is_found(demo_register):
    check = check_address(street="KERKSTRAAT", house_number="25", box="3", postcode="2645")

    assert check.found
    assert check.address is not None
    assert check.address.full_address == "Kerkstraat 25 bus 3, 2645 Zonnedaal"


def test_a_real_looking_address_elsewhere_in_flanders(demo_register):
    found = find_addresses(municipality="Gent", street="Botermarkt", house_number="1")

    assert [a.full_address for a in found] == ["Botermarkt 1, 9000 Gent"]


def test_a_number_the_street_does_not_have_gives_the_nearest_numbers(demo_register):
    check = check_address(street="Kerkstraat", house_number="183", postcode="2645")

    assert not check.found
    assert check.address is None
    assert check.street_known
    assert [a.house_number for a in check.suggestions] == ["180", "179", "178", "177", "176"]


def test_an_unknown_street_has_no_suggestions(demo_register):
    check = check_address(street="Maanstraat", house_number="1", postcode="2645", municipality="Zonnedaal")

    assert not check.found
    assert check.suggestions == []
    assert not check.street_known


def test_a_retired_address_is_not_found(demo_register):
    check = check_address(street="Oude Molenweg", house_number="2", postcode="2646")

    assert not check.found
    assert check.address is not None
    assert check.address.status == "gehistoreerd"


def test_a_slow_register_times_out_with_a_clear_message(demo_register, settings):
    demo_register.delay = 1.5
    settings.BALIE_ADDRESS_REGISTER_TIMEOUT = 0.3
    started = time.monotonic()

    with pytest.raises(RegisterUnavailable) as unavailable:
        check_address(street="Kerkstraat", house_number="12", postcode="2645")

    assert time.monotonic() - started < 1.2
    assert unavailable.value.message == (
        "Het adressenregister antwoordde niet binnen 0,3 s; het adres is niet gecontroleerd."
    )


@pytest.mark.parametrize("status", [500, 503, 429])
def test_an_error_status_is_a_clear_message(demo_register, status):
    demo_register.fail_status = status

    with pytest.raises(RegisterUnavailable) as unavailable:
        check_address(street="Kerkstraat", house_number="12", postcode="2645")

    assert unavailable.value.message == (
        f"Het adressenregister gaf een fout (HTTP {status}); het adres is niet gecontroleerd."
    )


def test_a_register_that_is_not_there_is_a_clear_message(settings):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.BALIE_ADDRESS_REGISTER_URL = f"http://127.0.0.1:{port}"

    with pytest.raises(RegisterUnavailable) as unavailable:
        find_addresses(street="Kerkstraat")

    assert (
        unavailable.value.message
        == "Het adressenregister is niet bereikbaar; het adres is niet gecontroleerd."
    )


def test_a_wrong_register_address_is_a_clear_message(demo_register, settings):
    settings.BALIE_ADDRESS_REGISTER_URL = f"{demo_register.url}/niet-de-api"  # answers 404

    with pytest.raises(RegisterUnavailable) as unavailable:
        find_addresses(street="Kerkstraat")

    assert "HTTP 404" in unavailable.value.message


def test_an_empty_url_means_the_demo_on_its_port_and_off_means_none(settings):
    settings.BALIE_ADDRESS_REGISTER_URL = ""
    settings.BALIE_ADDRESS_REGISTER_DEMO_PORT = 8091
    assert register_url() == "http://127.0.0.1:8091"

    settings.BALIE_ADDRESS_REGISTER_URL = "off"
    assert advise_on_address(street="Kerkstraat", house_number="1", postcode="2645") is None


def test_advice_found_missing_retired_unreachable_and_outside_flanders(demo_register, settings):
    found = advise_on_address(
        street="Kerkstraat", house_number="12", postcode="2645", municipality="Zonnedaal"
    )
    assert found is not None and found.found is not None and not found.confirm and not found.message

    missing = advise_on_address(
        street="Kerkstraat", house_number="183", postcode="2645", municipality="Zonnedaal"
    )
    assert missing is not None and missing.confirm
    assert missing.message == "Het adressenregister kent Kerkstraat 183 niet in 2645 Zonnedaal."
    assert len(missing.suggestions) == 5

    unknown = advise_on_address(
        street="Maanstraat", house_number="1", postcode="2645", municipality="Zonnedaal"
    )
    assert unknown is not None and unknown.confirm
    assert unknown.message == "Het adressenregister kent geen Maanstraat in 2645 Zonnedaal."

    retired = advise_on_address(
        street="Oude Molenweg", house_number="2", postcode="2646", municipality="Heikant"
    )
    assert retired is not None and retired.confirm
    assert "gehistoreerd" in retired.message

    # Brussels, Wallonia and abroad are not in the Flemish register: nothing to say.
    assert advise_on_address(street="Wetstraat", house_number="16", postcode="1000") is None
    assert advise_on_address(street="Rue Neuve", house_number="1", postcode="7000") is None
    assert advise_on_address(street="Damrak", house_number="1", postcode="1012", country="NL") is None

    demo_register.fail_status = 500
    down = advise_on_address(street="Kerkstraat", house_number="12", postcode="2645")
    assert down is not None and not down.confirm
    assert down.message == "Het adressenregister gaf een fout (HTTP 500); het adres is niet gecontroleerd."
