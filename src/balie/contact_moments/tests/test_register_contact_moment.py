import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from balie.audit.models import ChangeRecord
from balie.contact_moments.actions import register_contact_moment
from balie.contact_moments.models import ContactMoment, InternalTask
from balie.contact_moments.queries import open_tasks

pytestmark = pytest.mark.django_db


def test_a_phone_call_is_registered_with_the_address_of_that_moment(front_desk, jan, topic):
    moment = register_contact_moment(
        by=front_desk,
        channel="phone",
        party=jan,
        topic=topic,
        summary="Vraag over de afvalkalender",
        duration_seconds=180,
    )
    assert moment.outcome == "answered"
    assert moment.department == front_desk.department
    assert moment.address_snapshot == {
        "street": "Kerkstraat",
        "house_number": "1",
        "box": "",
        "postcode": "2645",
        "municipality": "Zonnedaal",
        "country": "BE",
    }
    assert ChangeRecord.objects.filter(object_uuid=moment.uuid, action="create").exists()


def test_an_anonymous_caller_is_registered_without_a_party(front_desk):
    moment = register_contact_moment(by=front_desk, channel="phone", summary="Openingsuren containerpark?")
    assert moment.party is None and moment.address_snapshot is None


def test_a_hand_off_creates_a_task_for_the_department(front_desk, handler, jan, topic, omgeving):
    moment = register_contact_moment(
        by=front_desk,
        channel="phone",
        party=jan,
        topic=topic,
        summary="Container niet geledigd",
        handoff={"department": omgeving, "description": "Bel de klant terug over de container"},
    )
    assert moment.outcome == "handed_off"
    task = InternalTask.objects.get()
    assert (task.department, task.party, task.status, task.created_by) == (omgeving, jan, "todo", front_desk)
    assert list(open_tasks(handler, scope="department")) == [task]
    assert list(open_tasks(front_desk, scope="department")) == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"summary": ""}, "summary"),
        ({"summary": "x" * 5001}, "summary"),
        ({"summary": "ok\x00"}, "summary"),
        ({"channel": "pigeon"}, "channel"),
        ({"duration_seconds": 90000}, "duration_seconds"),
        ({"registered_at": timezone.now() + dt.timedelta(days=1)}, "registered_at"),
    ],
)
def test_it_refuses_bad_contact_data_and_saves_nothing(front_desk, jan, data, field):
    fields = {"channel": "phone", "summary": "Vraag", "party": jan, **data}
    with pytest.raises(ValidationError) as error:
        register_contact_moment(by=front_desk, **fields)
    assert field in error.value.message_dict
    assert ContactMoment.objects.count() == 0


@pytest.mark.parametrize(
    ("handoff", "field"),
    [
        ({"department": None, "description": "Terugbellen"}, "department"),
        ({"description": ""}, "description"),
        ({"description": "Terugbellen", "due_date": dt.date(2020, 1, 1)}, "due_date"),
    ],
)
def test_a_bad_hand_off_saves_neither_contact_nor_task(front_desk, jan, omgeving, handoff, field):
    handoff = {"department": omgeving, **handoff}
    with pytest.raises(ValidationError) as error:
        register_contact_moment(by=front_desk, channel="phone", summary="Vraag", party=jan, handoff=handoff)
    assert field in error.value.message_dict
    assert (ContactMoment.objects.count(), InternalTask.objects.count()) == (0, 0)


def test_a_team_of_another_department_is_refused(front_desk, handler, jan, burgerzaken):
    with pytest.raises(ValidationError) as error:
        register_contact_moment(
            by=front_desk,
            channel="phone",
            summary="Vraag",
            party=jan,
            handoff={"department": burgerzaken, "team": handler.team, "description": "Doe iets"},
        )
    assert "team" in error.value.message_dict
    assert ContactMoment.objects.count() == 0


def test_a_citizen_cannot_register_contacts(citizen):
    with pytest.raises(ValidationError):
        register_contact_moment(by=citizen, channel="web", summary="Hallo")
    assert ContactMoment.objects.count() == 0


def test_a_merged_party_cannot_receive_new_contacts(front_desk, jan):
    from balie.parties.actions import merge_parties, register_party

    other, _ = register_party(kind="person", given_name="Jan", family_name="Peeters", by=front_desk)
    merge_parties(survivor=jan, duplicate=other, by=front_desk)
    other.refresh_from_db()
    with pytest.raises(ValidationError):
        register_contact_moment(by=front_desk, channel="phone", summary="Vraag", party=other)
    assert ContactMoment.objects.count() == 0


def test_registering_a_contact_takes_a_fixed_small_number_of_queries(
    front_desk, jan, topic, omgeving, django_assert_max_num_queries
):
    jan = type(jan).objects.prefetch_related("addresses").get(pk=jan.pk)
    # insert the contact and its history row (+ savepoint and release: the test is in a transaction)
    with django_assert_max_num_queries(4):
        register_contact_moment(by=front_desk, channel="phone", party=jan, topic=topic, summary="Vraag")
    # with a hand-off: and the task and its history row
    with django_assert_max_num_queries(6):
        register_contact_moment(
            by=front_desk, channel="phone", party=jan, summary="Vraag",
            handoff={"department": omgeving, "description": "Terugbellen"},
        )  # fmt: skip
