import pytest
from django.core.exceptions import ValidationError

from balie.audit.models import ChangeRecord
from balie.contact_moments.actions import (
    complete_task,
    hand_off_contact_moment,
    register_contact_moment,
    reopen_task,
)
from balie.contact_moments.queries import open_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(front_desk, jan, omgeving, handler):
    moment = register_contact_moment(
        by=front_desk,
        channel="phone",
        party=jan,
        summary="Container",
        handoff={
            "department": omgeving,
            "team": handler.team,
            "assignee": handler,
            "description": "Terugbellen",
        },
    )
    return moment.tasks.get()


def test_the_task_shows_in_my_team_and_department_lists(handler, task):
    assert list(open_tasks(handler, scope="mine")) == [task]
    assert list(open_tasks(handler, scope="team")) == [task]
    assert list(open_tasks(handler, scope="department")) == [task]


def test_completing_a_task_records_who_and_when(handler, task):
    complete_task(task=task, by=handler)
    task.refresh_from_db()
    assert (task.status, task.done_by) == ("done", handler)
    assert task.done_at is not None
    assert list(open_tasks(handler, scope="mine")) == []
    assert ChangeRecord.objects.filter(object_uuid=task.uuid, action="update").count() == 1


def test_a_done_task_cannot_be_completed_twice_but_can_be_reopened(handler, task):
    complete_task(task=task, by=handler)
    with pytest.raises(ValidationError):
        complete_task(task=task, by=handler)
    task.refresh_from_db()
    assert task.status == "done"
    reopen_task(task=task, by=handler)
    task.refresh_from_db()
    assert (task.status, task.done_by, task.done_at) == ("todo", None, None)


def test_an_answered_contact_can_be_handed_off_later(front_desk, jan, omgeving):
    moment = register_contact_moment(by=front_desk, channel="counter", party=jan, summary="Vraag")
    hand_off_contact_moment(contact_moment=moment, by=front_desk, department=omgeving, description="Opvolgen")
    moment.refresh_from_db()
    assert moment.outcome == "handed_off"
    assert moment.tasks.count() == 1
