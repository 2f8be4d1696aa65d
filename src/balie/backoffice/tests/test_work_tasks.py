"""Lists of open tasks per person, team and department; completing and reopening a task."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balie.contact_moments.actions import register_contact_moment
from balie.contact_moments.models import InternalTask

from .conftest import client_for, html


@pytest.fixture
def tasks(front_desk, handler, jan):
    def hand_off(description, **to):
        moment = register_contact_moment(
            by=front_desk,
            channel="phone",
            summary="Oproep",
            party=jan,
            handoff={"department": handler.department, "description": description, **to},
        )
        return moment.tasks.get()

    return {
        "mine": hand_off("Voor Hans zelf", assignee=handler),
        "team": hand_off("Voor team Wegen", team=handler.team),
        "department": hand_off("Voor de dienst Omgeving"),
    }


@pytest.mark.parametrize(
    ("scope", "title", "shown"),
    [
        ("mijn", "Mijn taken", ["Voor Hans zelf"]),
        ("team", "Taken van mijn team", ["Voor team Wegen"]),
        ("dienst", "Taken van mijn dienst", ["Voor Hans zelf", "Voor team Wegen", "Voor de dienst Omgeving"]),
    ],
)
def test_each_list_shows_the_open_tasks_of_its_scope(handler, tasks, scope, title, shown):
    page = html(client_for(handler).get(reverse("backoffice:tasks", args=[scope])))

    assert f"<h1>{title}</h1>" in page
    for description in ["Voor Hans zelf", "Voor team Wegen", "Voor de dienst Omgeving"]:
        assert (description in page) == (description in shown), description


def test_the_start_page_shows_the_three_lists_with_counts(handler, tasks):
    page = html(client_for(handler).get(reverse("backoffice:home")))

    assert 'id="tasks-mine"' in page and 'id="tasks-team"' in page and 'id="tasks-department"' in page
    assert '<span class="badge badge--accent">3</span>' in page
    assert "autofocus" in page


def test_an_unknown_list_is_not_found(desk):
    assert desk.get(reverse("backoffice:tasks", args=["iedereen"])).status_code == 404


def test_a_task_is_completed_and_reopened(handler, tasks):
    client = client_for(handler)
    task = tasks["mine"]
    url = reverse("backoffice:task", args=[task.uuid])

    done = client.post(reverse("backoffice:task_complete", args=[task.uuid]))
    task.refresh_from_db()
    assert done["Location"] == url
    assert (task.status, task.done_by) == ("done", handler)
    page = html(client.get(url))
    assert "De taak is afgewerkt." in page and "Taak heropenen" in page

    client.post(reverse("backoffice:task_reopen", args=[task.uuid]))
    task.refresh_from_db()
    assert (task.status, task.done_by, task.done_at) == ("todo", None, None)


def test_completing_a_done_task_again_is_refused_with_a_message(handler, tasks):
    client = client_for(handler)
    task = tasks["mine"]
    client.post(reverse("backoffice:task_complete", args=[task.uuid]))
    task.refresh_from_db()
    done_at = task.done_at

    response = client.post(reverse("backoffice:task_complete", args=[task.uuid]), follow=True)

    task.refresh_from_db()
    assert task.done_at == done_at
    assert "kan niet naar" in html(response)


def test_the_task_page_shows_the_task_and_its_contact(handler, tasks, jan):
    page = html(client_for(handler).get(reverse("backoffice:task", args=[tasks["team"].uuid])))

    assert "Voor team Wegen" in page
    assert "Taak voor Omgeving" in page
    assert reverse("backoffice:party", args=[jan.uuid]) in page
    assert reverse("backoffice:contact_moment", args=[tasks["team"].contact_moment.uuid]) in page


def test_a_task_cannot_be_completed_with_a_get(handler, tasks):
    response = client_for(handler).get(reverse("backoffice:task_complete", args=[tasks["mine"].uuid]))

    assert response.status_code == 405
    assert InternalTask.objects.filter(status="done").count() == 0
