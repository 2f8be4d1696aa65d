"""The demo MAGDA service answers deterministically, and with a directory (`balie demo`) it
answers a person Balie knows with Balie's own data, now and then a little newer; once applied,
the same question finds no difference."""

from __future__ import annotations

from balie.authentic_sources.magda import messages
from balie.authentic_sources.magda.demo import DemoMagda, fictional_person

from .magda_fixtures import insz

KNOWN = {
    "family_name": "Peeters",
    "given_name": "Jan",
    "address": {
        "street": "Kerkstraat",
        "house_number": "12",
        "box": "",
        "postcode": "2645",
        "municipality": "Zonnedaal",
        "country": "BE",
        "valid_from": "2015-03-01",
    },
}


def _ask(magda: DemoMagda, number: str) -> messages.PersonAnswer:
    context = messages.RequestContext(sender_id="0212645081", reference="r-1", capacity_code="1300")
    status, body = magda.answer(messages.build_geef_persoon(context, insz=number))
    assert status == 200
    return messages.parse_person(messages.parse_reply(messages.parse_xml(body)))


def test_the_same_number_gives_the_same_person():
    number = insz("850730", "033")

    assert fictional_person(number) == fictional_person(number)
    assert _ask(DemoMagda(accept_test_numbers=lambda: False), number).birth_date.isoformat() == "1985-07-30"


def test_a_known_person_is_answered_with_balies_data_and_is_stable_once_applied():
    numbers = [insz("850730", f"{counter:03d}") for counter in range(1, 80, 2)]
    for number in numbers:
        first = fictional_person(number, KNOWN)
        assert first["family_name"] == "Peeters"
        assert first["given_names"][0] == "Jan"
        applied = {
            "family_name": first["family_name"],
            "given_name": " ".join(first["given_names"]),
            "address": {
                **KNOWN["address"],
                "street": first["address"].street,
                "house_number": first["address"].house_number,
                "box": first["address"].box,
                "postcode": first["address"].postcode,
                "municipality": first["address"].municipality,
            },
        }
        again = fictional_person(number, applied)
        assert (again["family_name"], again["given_names"], again["address"].street) == (
            first["family_name"],
            first["given_names"],
            first["address"].street,
        )
    answers = [fictional_person(number, KNOWN) for number in numbers]
    assert any(len(a["given_names"]) == 2 for a in answers)  # now and then a second given name
    assert any(a["address"].street != "Kerkstraat" for a in answers)  # and now and then a move
    assert any(a["address"].street == "Kerkstraat" for a in answers)


def test_the_directory_is_asked_through_the_protocol():
    magda = DemoMagda(persons=lambda number: KNOWN, accept_test_numbers=lambda: False)

    answer = _ask(magda, insz("850730", "997"))  # unknown to the register, but Balie knows it

    assert answer.family_name == "Peeters"
