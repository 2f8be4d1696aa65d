import pytest
from django.http import Http404

from balie.contact_moments.actions import register_contact_moment
from balie.contact_moments.queries import (
    contact_moments_for,
    get_contact_moment_for,
    list_contact_moments_for,
    tasks_for,
    timeline_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def confidential(front_desk, jan):
    return register_contact_moment(
        by=front_desk, channel="counter", party=jan, summary="Gevoelig gesprek", confidential=True
    )


@pytest.fixture
def ordinary(front_desk, jan):
    return register_contact_moment(by=front_desk, channel="phone", party=jan, summary="Gewone vraag")


def test_the_registering_department_sees_its_confidential_contacts(front_desk, confidential, ordinary):
    assert set(contact_moments_for(front_desk)) == {confidential, ordinary}
    assert get_contact_moment_for(front_desk, confidential.uuid) == confidential


def test_another_department_does_not_see_confidential_contacts(handler, jan, confidential, ordinary):
    assert list(contact_moments_for(handler)) == [ordinary]
    assert list_contact_moments_for(handler, party=jan) == [ordinary]
    assert [e.uuid for e in timeline_for(handler, jan)] == [ordinary.uuid]
    with pytest.raises(Http404):
        get_contact_moment_for(handler, confidential.uuid)


def test_an_outsider_sees_no_contacts_or_tasks(citizen, jan, confidential, ordinary):
    assert list(contact_moments_for(citizen)) == []
    assert list(tasks_for(citizen)) == []
    assert timeline_for(citizen, jan) == []
    with pytest.raises(Http404):
        get_contact_moment_for(citizen, ordinary.uuid)


def test_a_task_addressed_to_a_department_is_seen_there_even_on_a_confidential_contact(
    front_desk, handler, jan, omgeving
):
    moment = register_contact_moment(
        by=front_desk,
        channel="counter",
        party=jan,
        summary="Gevoelig",
        confidential=True,
        handoff={"department": omgeving, "description": "Neem contact op"},
    )
    task = moment.tasks.get()
    assert list(tasks_for(handler)) == [task]
    with pytest.raises(Http404):
        get_contact_moment_for(handler, moment.uuid)
