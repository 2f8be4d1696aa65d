"""Every address a party gets is checked against the postcode list (parties' address checkers)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.audit.models import ChangeRecord
from balie.parties.actions import add_address, add_establishment_unit, register_party
from balie.parties.models import Address, EstablishmentUnit, Party
from balie.parties.registries import address_checkers

pytestmark = pytest.mark.django_db


@pytest.fixture
def an(front_desk) -> Party:
    party, _created = register_party(kind="person", family_name="Peeters", given_name="An", by=front_desk)
    return party


def _add(party: Party, by, **data: str) -> Address:
    values = {"kind": "residence", "street": "Kerkstraat", "house_number": "12", **data}
    return add_address(party=party, by=by, **values)


def test_authentic_sources_registers_its_address_checker():
    assert "postcodes" in [key for key, _check in address_checkers]


def test_a_municipality_not_of_the_postcode_is_refused_and_nothing_is_saved(an, front_desk):
    changes = ChangeRecord.objects.count()

    with pytest.raises(ValidationError) as refused:
        _add(an, front_desk, postcode="9000", municipality="Antwerpen")

    assert refused.value.message_dict == {
        "municipality": ["Antwerpen hoort niet bij postcode 9000; wel: Gent, Gand."]
    }
    assert not Address.objects.filter(party=an).exists()
    assert ChangeRecord.objects.count() == changes


def test_an_unknown_postcode_is_refused(an, front_desk):
    with pytest.raises(ValidationError) as refused:
        _add(an, front_desk, postcode="9999", municipality="Gent")

    assert refused.value.message_dict == {"postcode": ["Postcode 9999 bestaat niet in België."]}
    assert not Address.objects.filter(party=an).exists()


def test_an_empty_municipality_is_filled_in_from_the_postcode(an, front_desk):
    address = _add(an, front_desk, postcode="9052", municipality="")

    assert Address.objects.get(pk=address.pk).municipality == "Gent"
    assert address.one_line == "Kerkstraat 12, 9052 Gent"


def test_a_deelgemeente_in_any_case_is_kept_in_its_own_spelling(an, front_desk):
    address = _add(an, front_desk, postcode="9052", municipality="ZWIJNAARDE")

    assert Address.objects.get(pk=address.pk).municipality == "Zwijnaarde"


def test_a_postcode_of_two_municipalities_needs_the_municipality(an, front_desk):
    with pytest.raises(ValidationError) as refused:
        _add(an, front_desk, postcode="1050", municipality="")

    assert refused.value.message_dict == {
        "municipality": ["Postcode 1050 hoort bij meer gemeenten (Elsene, Brussel): vul de gemeente in."]
    }


def test_an_address_abroad_is_not_checked_but_needs_its_municipality(an, front_desk):
    address = _add(an, front_desk, postcode="75001", municipality="Paris", country="FR")
    assert address.municipality == "Paris"

    with pytest.raises(ValidationError) as refused:
        _add(an, front_desk, kind="postal", postcode="1012", municipality="", country="NL")
    assert list(refused.value.message_dict) == ["municipality"]


def test_an_establishment_unit_address_is_checked_too(front_desk):
    bakery, _created = register_party(
        kind="organisation", name="Bakkerij De Zon", enterprise_number="0403.019.261", by=front_desk
    )

    with pytest.raises(ValidationError) as refused:
        add_establishment_unit(
            organisation=bakery,
            number="2.123.456.789",
            by=front_desk,
            street="Markt",
            house_number="1",
            postcode="2645",
            municipality="Mortsel",
        )
    assert "Mortsel hoort niet bij postcode 2645" in refused.value.message_dict["municipality"][0]
    assert not EstablishmentUnit.objects.exists()
