"""The topic catalogue: changing a topic and taking it out of use, each with a history row."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.audit.models import ChangeRecord
from balie.contact_moments.actions import (
    create_topic,
    register_contact_moment,
    set_topic_active,
    update_topic,
)
from balie.contact_moments.models import Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def eid(burgerzaken) -> Topic:
    return create_topic(name="Identiteitskaart", department=burgerzaken, keywords="eid", by=None)


def test_update_topic_records_each_changed_field(eid, burgerzaken, omgeving, front_desk):
    update_topic(
        topic=eid, name=" Identiteitskaart (eID) ", department=omgeving, keywords="eid", by=front_desk
    )

    eid.refresh_from_db()
    assert (eid.name, eid.department) == ("Identiteitskaart (eID)", omgeving)
    record = ChangeRecord.objects.get(object_uuid=eid.uuid, action="update")
    assert record.changes == {
        "name": ["Identiteitskaart", "Identiteitskaart (eID)"],
        "department": [str(burgerzaken.uuid), str(omgeving.uuid)],
    }
    assert record.actor_uuid == front_desk.uuid


def test_an_update_that_changes_nothing_writes_no_history(eid):
    update_topic(topic=eid, name="Identiteitskaart", keywords="eid", by=None)

    assert not ChangeRecord.objects.filter(object_uuid=eid.uuid, action="update").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "<script>x</script>"}, "name"),
        ({"name": "IDENTITEITSKAART"}, "name"),
        ({"uuid": "x"}, "uuid"),
    ],
)
def test_bad_changes_are_refused_and_change_nothing(eid, data, field):
    other = create_topic(name="Afval", by=None)

    with pytest.raises(ValidationError) as error:
        update_topic(topic=other, by=None, **data)

    assert field in error.value.message_dict
    other.refresh_from_db()
    assert other.name == "Afval"
    assert not ChangeRecord.objects.filter(action="update").exists()


def test_a_duplicate_name_is_refused_on_creation(eid):
    with pytest.raises(ValidationError) as error:
        create_topic(name="identiteitskaart", by=None)

    assert error.value.message_dict == {"name": ["Er bestaat al een onderwerp met deze naam."]}
    assert Topic.objects.count() == 1


def test_a_topic_out_of_use_cannot_be_picked_and_comes_back(eid, front_desk):
    set_topic_active(topic=eid, active=False, by=front_desk)
    set_topic_active(topic=eid, active=False, by=front_desk)  # again: no second history row

    with pytest.raises(ValidationError):
        register_contact_moment(by=front_desk, channel="phone", summary="Vraag", topic=Topic.objects.get())
    set_topic_active(topic=eid, active=True, by=front_desk)

    assert Topic.objects.get().active is True
    changes = ChangeRecord.objects.filter(object_uuid=eid.uuid, action="update").order_by("id")
    assert [c.changes for c in changes] == [{"active": [True, False]}, {"active": [False, True]}]
