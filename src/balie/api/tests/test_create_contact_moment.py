"""Another system registers a contact moment, optionally handed off to a department as a task."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import timezone

from balie.accounts.models import Department, User
from balie.api.models import ApiApplication
from balie.audit.models import PersonalDataAccess
from balie.contact_moments.models import ContactMoment, InternalTask, Topic
from balie.parties.models import Party

from .conftest import ApiClient, row_counts

URL = "/api/v1/contact-moments"


def test_it_registers_a_contact_in_the_applications_department(
    api: ApiClient, website: ApiApplication, burgerzaken: Department, jan: Party, parking: Topic
) -> None:
    # when
    response = api.post(
        URL,
        {
            "channel": "web",
            "summary": "Vraagt een bewonerskaart aan via de website.",
            "party": str(jan.uuid),
            "topic": str(parking.uuid),
        },
    )
    # then
    assert response.status_code == 201
    moment = ContactMoment.objects.get()
    body = response.json()
    assert body["uuid"] == str(moment.uuid)
    assert (body["channel"], body["direction"], body["outcome"], body["confidential"]) == (
        "web",
        "in",
        "answered",
        False,
    )
    assert body["party"] == {"uuid": str(jan.uuid), "kind": "person", "display_name": "Peeters Jan"}
    assert body["topic"] == {"uuid": str(parking.uuid), "name": "Bewonerskaart parkeren"}
    assert body["department"] == {"uuid": str(burgerzaken.uuid), "name": "Burgerzaken"}
    assert body["registered_by"] == {"uuid": str(website.user.uuid), "name": "Website"}
    assert body["tasks"] == []
    assert (moment.employee, moment.department, moment.party, moment.topic) == (
        website.user,
        burgerzaken,
        jan,
        parking,
    )


def test_it_logs_that_the_caller_saw_the_person_on_the_contact(
    api: ApiClient, website: ApiApplication, jan: Party
) -> None:
    # when
    api.post(URL, {"channel": "web", "summary": "Vraag", "party": str(jan.uuid)})
    # then
    access = PersonalDataAccess.objects.get()
    assert (access.subject_uuid, access.actor_uuid, access.location) == (jan.uuid, website.user.uuid, URL)


def test_it_registers_an_anonymous_contact(api: ApiClient) -> None:
    # when
    response = api.post(
        URL, {"channel": "phone", "summary": "Vraagt de openingsuren.", "duration_seconds": 90}
    )
    # then
    assert (response.status_code, response.json()["party"], response.json()["duration_seconds"]) == (
        201,
        None,
        90,
    )
    assert PersonalDataAccess.objects.count() == 0


def test_it_hands_the_contact_off_in_the_same_transaction(
    api: ApiClient, jan: Party, omgeving: Department, handler: User
) -> None:
    # given
    assert handler.team is not None
    due = timezone.localdate() + dt.timedelta(days=7)
    # when
    response = api.post(
        URL,
        {
            "channel": "web",
            "summary": "Meldt een put in de straat.",
            "party": str(jan.uuid),
            "handoff": {
                "department": str(omgeving.uuid),
                "team": str(handler.team.uuid),
                "assignee": str(handler.uuid),
                "description": "Put herstellen.",
                "due_date": due.isoformat(),
            },
        },
    )
    # then
    assert response.status_code == 201
    task = InternalTask.objects.get()
    assert response.json()["outcome"] == "handed_off"
    assert response.json()["tasks"] == [
        {
            "uuid": str(task.uuid),
            "department": {"uuid": str(omgeving.uuid), "name": "Omgeving"},
            "team": {"uuid": str(handler.team.uuid), "name": "Wegen"},
            "assignee": {"uuid": str(handler.uuid), "name": "Hans Handel"},
            "description": "Put herstellen.",
            "due_date": due.isoformat(),
            "status": "todo",
        }
    ]
    assert (task.party, task.department, task.created_by) == (
        jan,
        omgeving,
        ContactMoment.objects.get().employee,
    )


def test_it_saves_nothing_when_the_hand_off_is_refused(
    api: ApiClient, burgerzaken: Department, handler: User
) -> None:
    # given: a team of Omgeving, handed to Burgerzaken
    assert handler.team is not None
    before = row_counts()
    # when
    response = api.post(
        URL,
        {
            "channel": "web",
            "summary": "Meldt een put.",
            "handoff": {
                "department": str(burgerzaken.uuid),
                "team": str(handler.team.uuid),
                "description": "Put",
            },
        },
    )
    # then
    assert response.status_code == 422
    assert response.json()["errors"] == {"handoff.team": ["Dit team hoort niet bij de gekozen dienst."]}
    assert row_counts() == before


def test_it_saves_nothing_when_the_hand_off_has_no_description(api: ApiClient, omgeving: Department) -> None:
    # given
    before = row_counts()
    # when
    response = api.post(
        URL,
        {
            "channel": "web",
            "summary": "Vraag",
            "handoff": {"department": str(omgeving.uuid), "description": " "},
        },
    )
    # then
    assert (response.status_code, list(response.json()["errors"])) == (422, ["handoff.description"])
    assert row_counts() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"channel": "web", "summary": "Vraag", "party": str(uuid.UUID(int=1))}, "party"),
        ({"channel": "web", "summary": "Vraag", "topic": str(uuid.UUID(int=2))}, "topic"),
        ({"channel": "web", "summary": "Vraag", "party": "12"}, "party"),
        ({"channel": "fax", "summary": "Vraag"}, "channel"),
        ({"channel": "web"}, "summary"),
        ({"channel": "web", "summary": ""}, "summary"),
        ({"channel": "web", "summary": "x" * 5001}, "summary"),
        ({"channel": "web", "summary": "Vraag\x00"}, "summary"),
        ({"channel": "web", "summary": "Vraag", "duration_seconds": -1}, "duration_seconds"),
        ({"channel": "web", "summary": "Vraag", "registered_at": "2026-01-01T10:00:00"}, "registered_at"),
        (
            {"channel": "web", "summary": "Vraag", "registered_at": "2999-01-01T10:00:00+01:00"},
            "registered_at",
        ),
        ({"channel": "web", "summary": "Vraag", "employee": "me"}, "employee"),
        ({"channel": "web", "summary": "Vraag", "handoff": {"description": "x"}}, "handoff.department"),
        (
            {
                "channel": "web",
                "summary": "Vraag",
                "handoff": {"department": str(uuid.UUID(int=3)), "description": "x"},
            },
            "handoff.department",
        ),
    ],
)
def test_it_refuses_bad_input_with_field_errors_and_saves_nothing(
    api: ApiClient, body: dict[str, Any], field: str
) -> None:
    # given
    before = row_counts()
    # when
    response = api.post(URL, body)
    # then
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert row_counts() == before


def test_it_refuses_a_topic_no_longer_in_use(api: ApiClient, parking: Topic) -> None:
    # given
    Topic.objects.filter(pk=parking.pk).update(active=False)
    # when
    response = api.post(URL, {"channel": "web", "summary": "Vraag", "topic": str(parking.uuid)})
    # then
    assert response.json()["errors"] == {"topic": ["Onbekend of niet meer gebruikt onderwerp."]}
    assert ContactMoment.objects.count() == 0


def test_it_keeps_markup_in_a_summary_as_plain_text(api: ApiClient) -> None:
    # when
    response = api.post(URL, {"channel": "email", "summary": "Schrijft: <script>alert(1)</script>"})
    # then: a summary may quote anything; pages escape it on display
    assert (response.status_code, response.json()["summary"]) == (201, "Schrijft: <script>alert(1)</script>")
