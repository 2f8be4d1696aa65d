import pytest

from balie.parties.actions import add_address, add_contact_point, add_establishment_unit, register_party
from balie.parties.queries import find_similar_persons, search_parties

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(front_desk):
    jan, _ = register_party(
        kind="person", given_name="Jan", family_name="Peeters", national_number="85073003328", by=front_desk
    )
    add_contact_point(party=jan, kind="email", value="jan.peeters@example.be", by=front_desk)
    add_contact_point(party=jan, kind="mobile", value="0470 12 34 56", by=front_desk)
    add_address(
        party=jan,
        kind="residence",
        street="Kerkstraat",
        house_number="12",
        postcode="2645",
        municipality="Zonnedaal",
        by=front_desk,
    )
    els, _ = register_party(kind="person", given_name="Els", family_name="Peetermans", by=front_desk)
    noe, _ = register_party(kind="person", given_name="Noé", family_name="De Smet", by=front_desk)
    bakery, _ = register_party(
        kind="organisation", name="Bakkerij Peeters", enterprise_number="0403019261", by=front_desk
    )
    add_establishment_unit(
        organisation=bakery,
        number="2.147.812.701",
        street="Markt",
        house_number="1",
        postcode="2645",
        municipality="Zonnedaal",
        by=front_desk,
    )
    return {"jan": jan, "els": els, "noe": noe, "bakery": bakery}


def names(parties):
    return [p.display_name for p in parties]


def test_it_finds_by_family_name_prefix_first(front_desk, people):
    assert names(search_parties(front_desk, "peeter")) == [
        "Peetermans Els",
        "Peeters Jan",
        "Bakkerij Peeters",
    ]


def test_it_finds_by_name_in_any_order_without_accents(front_desk, people):
    assert names(search_parties(front_desk, "jan peeters")) == ["Peeters Jan"]
    assert names(search_parties(front_desk, "noe de smet")) == ["De Smet Noé"]


def test_it_finds_by_national_number_in_any_notation(front_desk, people):
    assert names(search_parties(front_desk, "85.07.30-033.28")) == ["Peeters Jan"]
    assert search_parties(front_desk, "12345678901") == []


def test_it_finds_by_enterprise_and_establishment_number(front_desk, people):
    assert names(search_parties(front_desk, "BE0403.019.261")) == ["Bakkerij Peeters"]
    assert names(search_parties(front_desk, "2147812701")) == ["Bakkerij Peeters"]


def test_it_finds_by_e_mail_and_phone(front_desk, people):
    assert names(search_parties(front_desk, "Jan.Peeters@example.be")) == ["Peeters Jan"]
    assert names(search_parties(front_desk, "+32 470 12 34 56")) == ["Peeters Jan"]
    assert names(search_parties(front_desk, "0470/12.34.56")) == ["Peeters Jan"]


def test_it_finds_by_address(front_desk, people):
    assert names(search_parties(front_desk, "kerkstraat 12")) == ["Peeters Jan"]
    assert search_parties(front_desk, "kerkstraat 99") == []


def test_an_address_as_said_comes_before_one_that_only_contains_its_words(front_desk, people):
    # given two more people: one in a street that ends the same, one at a longer house number
    for given_name, street, number in (("An", "Oude Kerkstraat", "12"), ("Bert", "Kerkstraat", "120")):
        party, _ = register_party(kind="person", given_name=given_name, family_name="Aerts", by=front_desk)
        add_address(
            party=party, kind="residence", street=street, house_number=number, postcode="2645",
            municipality="Zonnedaal", by=front_desk,
        )  # fmt: skip

    # when / then: with room for two, the two addresses that start with what was said
    assert names(search_parties(front_desk, "kerkstraat 12", limit=2)) == ["Aerts Bert", "Peeters Jan"]
    assert names(search_parties(front_desk, "kerkstraat 12")) == ["Aerts An", "Aerts Bert", "Peeters Jan"]
    assert names(search_parties(front_desk, "12 kerkstraat")) == ["Aerts An", "Aerts Bert", "Peeters Jan"]


def test_an_outsider_finds_nothing(citizen, people):
    assert search_parties(citizen, "peeters") == []
    assert search_parties(citizen, "85073003328") == []


def test_a_similar_name_with_the_same_birth_date_or_address_is_suggested(front_desk, people):
    jan = people["jan"]
    assert find_similar_persons(
        family_name="peeters", given_name="JAN", street="Kerkstraat", postcode="2645"
    ) == [jan]
    assert (
        find_similar_persons(family_name="Peeters", given_name="Jan", street="Molenweg", postcode="2645")
        == []
    )


def test_a_plain_enterprise_number_starting_with_04_is_not_taken_for_a_phone(front_desk, people):
    assert names(search_parties(front_desk, "0403019261")) == ["Bakkerij Peeters"]
