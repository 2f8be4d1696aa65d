"""Another system changes a contact moment it can see."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from balie.accounts.models import User
from balie.api.models import ApiApplication
from balie.audit.models import ChangeRecord
from balie.contact_moments.actions import register_contact_moment
from balie.contact_moments.models import ContactMoment, Topic
from balie.parties.models import Party

from .conftest import ApiClient, row_counts


@pytest.fixture
def moment(front_desk: User) -> ContactMoment:
    return register_contact_moment(by=front_desk, channel="phone", summary="Vraag over parkeren.")


def test_it_changes_the_fields_sent_and_keeps_the_history(
    api: ApiClient, website: ApiApplication, moment: ContactMoment, jan: Party, parking: Topic
) -> None:
    # when
    response = api.patch(
        f"/api/v1/contact-moments/{moment.uuid}",
        {"party": str(jan.uuid), "topic": str(parking.uuid), "duration_seconds": 120},
    )
    # then
    assert response.status_code == 200
    assert (response.json()["party"]["uuid"], response.json()["topic"]["uuid"]) == (
        str(jan.uuid),
        str(parking.uuid),
    )
    moment.refresh_from_db()
    assert (moment.party, moment.topic, moment.duration_seconds, moment.summary) == (
        jan,
        parking,
        120,
        "Vraag over parkeren.",
    )
    change = ChangeRecord.objects.get(object_uuid=moment.uuid, action="update")
    assert change.actor_uuid == website.user.uuid
    assert set(change.changes) == {"party", "topic", "duration_seconds"}


def test_it_clears_the_party_with_null(api: ApiClient, front_desk: User, jan: Party) -> None:
    # given
    moment = register_contact_moment(by=front_desk, channel="phone", summary="Vraag", party=jan)
    # when
    response = api.patch(f"/api/v1/contact-moments/{moment.uuid}", {"party": None})
    # then
    assert (response.status_code, response.json()["party"]) == (200, None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"topic": str(uuid.UUID(int=5))}, "topic"),
        ({"party": str(uuid.UUID(int=6))}, "party"),
        ({"summary": ""}, "summary"),
        ({"summary": "x" * 5001}, "summary"),
        ({"confidential": None}, "confidential"),
        ({"channel": "email"}, "channel"),
    ],
)
def test_it_refuses_bad_changes_and_changes_nothing(
    api: ApiClient, moment: ContactMoment, body: dict[str, Any], field: str
) -> None:
    # given
    before = row_counts()
    # when
    response = api.patch(f"/api/v1/contact-moments/{moment.uuid}", body)
    # then
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    moment.refresh_from_db()
    assert (moment.summary, moment.party, moment.topic) == ("Vraag over parkeren.", None, None)
    assert row_counts() == before


def test_it_cannot_change_a_confidential_contact_of_another_department(api: ApiClient, handler: User) -> None:
    # given
    hidden = register_contact_moment(by=handler, channel="phone", summary="Vertrouwelijk", confidential=True)
    # when
    response = api.patch(f"/api/v1/contact-moments/{hidden.uuid}", {"summary": "Gewijzigd"})
    # then
    assert response.status_code == 404
    hidden.refresh_from_db()
    assert hidden.summary == "Vertrouwelijk"
