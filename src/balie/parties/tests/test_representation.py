import pytest
from django.core.exceptions import ValidationError

from balie.parties.actions import add_establishment_unit, add_representation, register_party
from balie.parties.models import EstablishmentUnit, Representation

pytestmark = pytest.mark.django_db


def test_a_person_represents_an_organisation(front_desk):
    person, _ = register_party(kind="person", family_name="Peeters", given_name="Jan", by=front_desk)
    company, _ = register_party(
        kind="organisation", name="Bakkerij", enterprise_number="0403019261", by=front_desk
    )
    add_representation(representative=person, represented=company, capacity="zaakvoerder", by=front_desk)
    assert [r.represented for r in person.represents.all()] == [company]


def test_an_organisation_cannot_represent_and_a_person_is_not_represented(front_desk):
    person, _ = register_party(kind="person", family_name="Peeters", by=front_desk)
    other, _ = register_party(kind="person", family_name="Claes", by=front_desk)
    company, _ = register_party(
        kind="organisation", name="Bakkerij", enterprise_number="0403019261", by=front_desk
    )
    with pytest.raises(ValidationError):
        add_representation(representative=company, represented=company, capacity="x", by=front_desk)
    with pytest.raises(ValidationError):
        add_representation(representative=person, represented=other, capacity="x", by=front_desk)
    assert Representation.objects.count() == 0


def test_establishment_units_need_a_valid_number(front_desk):
    company, _ = register_party(
        kind="organisation", name="Bakkerij", enterprise_number="0403019261", by=front_desk
    )
    unit = add_establishment_unit(
        organisation=company,
        number="2.147.812.701",
        street="Markt",
        house_number="1",
        postcode="2645",
        municipality="Zonnedaal",
        by=front_desk,
    )
    assert unit.number == "2147812701"
    with pytest.raises(ValidationError):
        add_establishment_unit(
            organisation=company,
            number="2104471666",
            street="Markt",
            house_number="2",
            postcode="2645",
            municipality="Zonnedaal",
            by=front_desk,
        )
    with pytest.raises(ValidationError):
        add_establishment_unit(
            organisation=company,
            number="0403019261",
            street="Markt",
            house_number="2",
            postcode="2645",
            municipality="Zonnedaal",
            by=front_desk,
        )
    assert EstablishmentUnit.objects.count() == 1
