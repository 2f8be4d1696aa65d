import pytest
from django.core.exceptions import ValidationError

from balie.audit.models import ChangeRecord
from balie.parties.actions import register_party, update_party
from balie.parties.models import Party

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(front_desk):
    party, _ = register_party(kind="person", given_name="Jan", family_name="Peeters", by=front_desk)
    return party


def test_it_records_old_and_new_values(person, front_desk):
    update_party(party=person, given_name="Johan", by=front_desk)
    person.refresh_from_db()
    assert person.display_name == "Peeters Johan"
    change = ChangeRecord.objects.filter(object_uuid=person.uuid, action="update").get()
    assert change.changes == {"given_name": ["Jan", "Johan"]}


def test_a_refused_update_changes_nothing(person, front_desk):
    with pytest.raises(ValidationError):
        update_party(party=person, given_name="Johan", national_number="12345678901", by=front_desk)
    person.refresh_from_db()
    assert person.given_name == "Jan" and person.national_number is None
    assert not ChangeRecord.objects.filter(object_uuid=person.uuid, action="update").exists()


def test_a_national_number_that_belongs_to_another_person_is_refused(person, front_desk):
    register_party(kind="person", family_name="Janssens", national_number="85073003328", by=front_desk)
    with pytest.raises(ValidationError) as error:
        update_party(party=person, national_number="85073003328", by=front_desk)
    assert "national_number" in error.value.message_dict
    assert Party.objects.get(pk=person.pk).national_number is None
