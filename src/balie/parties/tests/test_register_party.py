import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from balie.audit.models import ChangeRecord
from balie.parties.actions import register_party
from balie.parties.models import Party

pytestmark = pytest.mark.django_db


def test_it_registers_a_person_with_a_national_number(front_desk):
    party, created = register_party(
        kind="person",
        given_name="Jan",
        family_name="Peeters",
        national_number="85.07.30-033.28",
        birth_date=dt.date(1985, 7, 30),
        by=front_desk,
    )
    assert created is True
    assert party.national_number == "85073003328"
    assert party.national_number_display == "85.07.30-033.28"
    assert party.display_name == "Peeters Jan"
    assert party.search_name == "peeters jan"
    record = ChangeRecord.objects.get(object_uuid=party.uuid)
    assert record.action == "create"
    assert record.actor_uuid == front_desk.uuid
    assert record.changes["national_number"] == [None, "85073003328"]


def test_it_accepts_a_bis_number(front_desk):
    party, created = register_party(
        kind="person", given_name="Ana", family_name="Silva", national_number="98472899765", by=front_desk
    )
    assert created and party.national_number == "98472899765"


def test_a_known_national_number_returns_the_existing_person(front_desk):
    first, _ = register_party(
        kind="person", given_name="Jan", family_name="Peeters", national_number="85073003328", by=front_desk
    )
    again, created = register_party(
        kind="person", given_name="J.", family_name="Peters", national_number="85 07 30 033 28", by=front_desk
    )
    assert created is False
    assert again.pk == first.pk
    assert again.family_name == "Peeters"
    assert Party.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"family_name": "Peeters", "national_number": "12345678901"}, "national_number"),
        ({"family_name": "Peeters", "national_number": "85133000105"}, "national_number"),
        ({"family_name": "Peeters", "national_number": "8507300332"}, "national_number"),
        ({"family_name": "Peeters", "national_number": "00630300159"}, "national_number"),
        ({"family_name": "<script>alert(1)</script>"}, "family_name"),
        ({"family_name": "Peeters", "given_name": "<b>Jan</b>"}, "given_name"),
        ({"family_name": "P" * 101}, "family_name"),
        ({"family_name": ""}, "family_name"),
        ({"family_name": "Peeters", "enterprise_number": "0403019261"}, "enterprise_number"),
    ],
)
def test_it_refuses_bad_person_data_and_saves_nothing(front_desk, data, field):
    history = ChangeRecord.objects.count()
    with pytest.raises(ValidationError) as error:
        register_party(kind="person", by=front_desk, **data)
    assert field in error.value.message_dict
    assert Party.objects.count() == 0
    assert ChangeRecord.objects.count() == history


def test_magda_test_numbers_are_accepted_only_in_test_mode(front_desk, settings):
    settings.BALIE_ACCEPT_TEST_NUMBERS = True
    party, created = register_party(
        kind="person",
        given_name="Test",
        family_name="Persoon",
        national_number="00630300159",
        by=front_desk,
    )
    assert created and party.national_number == "00630300159"


def test_it_registers_an_organisation_with_its_enterprise_number(front_desk):
    party, created = register_party(
        kind="organisation",
        name="Bakkerij Zonnedaal",
        enterprise_number="BE 0403.019.261",
        legal_form="BV",
        by=front_desk,
    )
    assert created
    assert party.enterprise_number == "0403019261"
    assert party.enterprise_number_display == "0403.019.261"
    again, created = register_party(
        kind="organisation", name="Bakkerij", enterprise_number="403019261", by=front_desk
    )
    assert not created and again.pk == party.pk


def test_an_association_may_have_no_enterprise_number(front_desk):
    party, created = register_party(kind="association", name="Fanfare De Eendracht", by=front_desk)
    assert created and party.enterprise_number is None


@pytest.mark.parametrize(
    ("kind", "data", "field"),
    [
        ("organisation", {"name": "X", "enterprise_number": "0431150351"}, "enterprise_number"),
        ("organisation", {"name": "X", "enterprise_number": "2147812701"}, "enterprise_number"),
        ("organisation", {"name": "X", "enterprise_number": "0123456789"}, "enterprise_number"),
        ("organisation", {"name": "X"}, "enterprise_number"),
        ("organisation", {"name": "", "enterprise_number": "0403019261"}, "name"),
        ("association", {"name": "<script>x</script>"}, "name"),
        ("association", {"name": "Club", "national_number": "85073003328"}, "national_number"),
    ],
)
def test_it_refuses_bad_organisation_data_and_saves_nothing(front_desk, kind, data, field):
    with pytest.raises(ValidationError) as error:
        register_party(kind=kind, by=front_desk, **data)
    assert field in error.value.message_dict
    assert Party.objects.count() == 0


def test_it_refuses_an_unknown_kind(front_desk):
    with pytest.raises(ValidationError):
        register_party(kind="robot", name="R2", by=front_desk)
    assert Party.objects.count() == 0
