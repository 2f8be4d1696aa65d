"""Another system reads one contact moment; a confidential one of another department stays hidden."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from balie.accounts.models import Department, User
from balie.audit.models import PersonalDataAccess
from balie.contact_moments.actions import register_contact_moment
from balie.contact_moments.models import ContactMoment
from balie.parties.models import Party

from .conftest import ApiClient


@pytest.fixture
def confidential(handler: User, jan: Party) -> ContactMoment:
    """A confidential contact registered by Omgeving."""
    return register_contact_moment(
        by=handler, channel="phone", summary="Vertrouwelijk gesprek", party=jan, confidential=True
    )


def test_it_reads_a_contact_moment_with_its_tasks(
    api: ApiClient, front_desk: User, jan: Party, omgeving: Department
) -> None:
    # given
    moment = register_contact_moment(
        by=front_desk,
        channel="counter",
        summary="Vraag over een put.",
        party=jan,
        handoff={"department": omgeving, "description": "Put bekijken"},
    )
    # when
    response = api.get(f"/api/v1/contact-moments/{moment.uuid}")
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["uuid"], body["channel"], body["summary"], body["registered_by"]["name"]) == (
        str(moment.uuid),
        "counter",
        "Vraag over een put.",
        "Olga Onthaal",
    )
    assert [(t["department"]["name"], t["description"], t["status"]) for t in body["tasks"]] == [
        ("Omgeving", "Put bekijken", "todo")
    ]


def test_it_hides_a_confidential_contact_of_another_department(
    api: ApiClient, confidential: ContactMoment
) -> None:
    # when: the website belongs to Burgerzaken, the contact to Omgeving
    response = api.get(f"/api/v1/contact-moments/{confidential.uuid}")
    # then
    assert (response.status_code, response.json()) == (404, {"detail": "Niet gevonden."})
    assert PersonalDataAccess.objects.count() == 0


def test_it_shows_a_confidential_contact_to_its_own_department(
    client_of: Callable[..., ApiClient], omgeving: Department, confidential: ContactMoment, jan: Party
) -> None:
    # given
    roads_system = client_of(omgeving, ["contact_moments:read"])
    # when
    response = roads_system.get(f"/api/v1/contact-moments/{confidential.uuid}")
    # then
    assert (response.status_code, response.json()["confidential"]) == (200, True)
    assert list(PersonalDataAccess.objects.values_list("subject_uuid", flat=True)) == [jan.uuid]


def test_it_answers_404_for_an_unknown_contact_moment(api: ApiClient) -> None:
    # when
    response = api.get(f"/api/v1/contact-moments/{uuid.uuid4()}")
    # then
    assert response.status_code == 404
