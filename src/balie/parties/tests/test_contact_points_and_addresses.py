import pytest
from django.core.exceptions import ValidationError

from balie.parties.actions import add_address, add_contact_point, register_party, set_preferred_contact_point
from balie.parties.models import Address, ContactPoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(front_desk):
    party, _ = register_party(kind="person", given_name="An", family_name="Claes", by=front_desk)
    return party


def test_e_mail_addresses_are_stored_in_lower_case_and_the_first_is_preferred(person, front_desk):
    point = add_contact_point(party=person, kind="email", value=" An.Claes@Example.BE ", by=front_desk)
    assert point.value == "an.claes@example.be"
    assert point.preferred is True


def test_phone_numbers_are_stored_in_international_form(person, front_desk):
    point = add_contact_point(party=person, kind="mobile", value="0470 12 34 56", by=front_desk)
    assert point.value == "+32470123456"
    assert point.display_value == "0470 12 34 56"


def test_only_one_contact_point_per_kind_is_preferred(person, front_desk):
    first = add_contact_point(party=person, kind="email", value="a@example.be", by=front_desk)
    second = add_contact_point(
        party=person, kind="email", value="b@example.be", preferred=True, by=front_desk
    )
    first.refresh_from_db()
    assert (first.preferred, second.preferred) == (False, True)
    set_preferred_contact_point(point=first, by=front_desk)
    second.refresh_from_db()
    assert list(ContactPoint.objects.filter(preferred=True).values_list("value", flat=True)) == [
        "a@example.be"
    ]


def test_the_same_contact_point_is_not_added_twice(person, front_desk):
    add_contact_point(party=person, kind="email", value="a@example.be", by=front_desk)
    add_contact_point(party=person, kind="email", value="A@example.be", by=front_desk)
    assert ContactPoint.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("email", "not-an-email"),
        ("email", "a@b"),
        ("phone", "12"),
        ("mobile", "hello"),
        ("fax", "03 555 12 34"),
    ],
)
def test_it_refuses_malformed_contact_points_and_saves_nothing(person, front_desk, kind, value):
    with pytest.raises(ValidationError):
        add_contact_point(party=person, kind=kind, value=value, by=front_desk)
    assert ContactPoint.objects.count() == 0


def test_a_new_address_ends_the_previous_one(person, front_desk):
    old = add_address(
        party=person,
        kind="residence",
        street="Kerkstraat",
        house_number="1",
        postcode="2645",
        municipality="Zonnedaal",
        by=front_desk,
    )
    new = add_address(
        party=person,
        kind="residence",
        street="Molenweg",
        house_number="12",
        box="3",
        postcode="2645",
        municipality="Zonnedaal",
        by=front_desk,
    )
    old.refresh_from_db()
    assert old.valid_until is not None and new.valid_until is None
    assert new.one_line == "Molenweg 12 bus 3, 2645 Zonnedaal"
    assert new.as_snapshot()["box"] == "3"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"postcode": "26450"}, "postcode"),
        ({"postcode": "ABCD"}, "postcode"),
        ({"street": "<script>x</script>"}, "street"),
        ({"street": "S" * 151}, "street"),
    ],
)
def test_it_refuses_bad_addresses_and_keeps_the_current_one(person, front_desk, data, field):
    add_address(
        party=person,
        kind="residence",
        street="Kerkstraat",
        house_number="1",
        postcode="2645",
        municipality="Zonnedaal",
        by=front_desk,
    )
    fields = {
        "kind": "residence",
        "street": "Molenweg",
        "house_number": "2",
        "postcode": "2645",
        "municipality": "Zonnedaal",
        **data,
    }
    with pytest.raises(ValidationError) as error:
        add_address(party=person, by=front_desk, **fields)
    assert field in error.value.message_dict
    assert list(Address.objects.values_list("street", "valid_until")) == [("Kerkstraat", None)]


def test_foreign_addresses_keep_their_own_postcode(person, front_desk):
    address = add_address(
        party=person,
        kind="postal",
        street="Rue Haute",
        house_number="5",
        postcode="75001",
        municipality="Paris",
        country="fr",
        by=front_desk,
    )
    assert address.country == "FR"
    assert address.one_line.endswith(", FR")
