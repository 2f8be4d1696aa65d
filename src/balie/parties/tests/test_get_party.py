import pytest
from django.http import Http404

from balie.parties.actions import (
    add_address,
    add_contact_point,
    add_establishment_unit,
    add_representation,
    register_party,
)
from balie.parties.queries import get_party_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def jan(front_desk):
    party, _ = register_party(kind="person", given_name="Jan", family_name="Peeters", by=front_desk)
    add_contact_point(party=party, kind="email", value="jan@example.be", by=front_desk)
    add_address(
        party=party, kind="residence", street="Kerkstraat", house_number="1", postcode="2645",
        municipality="Zonnedaal", by=front_desk,
    )  # fmt: skip
    return party


@pytest.fixture
def bakery(front_desk, jan):
    party, _ = register_party(
        kind="organisation", name="Bakkerij", enterprise_number="0403019261", by=front_desk
    )
    add_establishment_unit(
        organisation=party, number="2000000042", name="Winkel", street="Markt", house_number="2",
        postcode="2645", municipality="Zonnedaal", by=front_desk,
    )  # fmt: skip
    add_representation(representative=jan, represented=party, capacity="zaakvoerder", by=front_desk)
    return party


def test_a_person_comes_with_contact_points_addresses_and_representations_in_four_queries(
    front_desk, jan, bakery, django_assert_num_queries
):
    # when
    with django_assert_num_queries(4):
        party = get_party_for(front_desk, jan.uuid)

    # then nothing more is read to show them
    with django_assert_num_queries(0):
        assert [p.value for p in party.contact_points.all()] == ["jan@example.be"]
        assert [a.street for a in party.addresses.all()] == ["Kerkstraat"]
        assert [(r.represented.display_name, r.capacity) for r in party.represents.all()] == [
            ("Bakkerij", "zaakvoerder")
        ]
        assert list(party.representatives.all()) == []
        assert list(party.establishment_units.all()) == []


def test_an_organisation_comes_with_its_units_and_representatives_in_five_queries(
    front_desk, jan, bakery, django_assert_num_queries
):
    # when
    with django_assert_num_queries(5):
        party = get_party_for(front_desk, bakery.uuid)

    # then
    with django_assert_num_queries(0):
        assert [u.name for u in party.establishment_units.all()] == ["Winkel"]
        assert [r.representative.display_name for r in party.representatives.all()] == ["Peeters Jan"]
        assert list(party.represents.all()) == []
        assert list(party.contact_points.all()) == []


def test_an_outsider_gets_not_found(citizen, jan):
    with pytest.raises(Http404):
        get_party_for(citizen, jan.uuid)
