"""Another system lists contact moments, newest first, a page at a time; confidential contacts of
another department are never among them."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from balie.accounts.models import Department, User
from balie.audit.models import PersonalDataAccess
from balie.contact_moments.actions import register_contact_moment
from balie.contact_moments.models import ContactMoment, Topic
from balie.parties.actions import register_party
from balie.parties.models import Party

from .conftest import ApiClient

URL = "/api/v1/contact-moments"
NOON = timezone.make_aware(dt.datetime(2026, 3, 2, 12, 0))


def _uuids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [moment["uuid"] for moment in response.json()["results"]]


def _walk(client: ApiClient, params: dict[str, Any]) -> list[str]:
    seen: list[str] = []
    response = client.get(URL, params)
    while True:
        seen += _uuids(response)
        if response.json()["next"] is None:
            return seen
        response = client.client.get(response.json()["next"], headers=client._headers())


@pytest.fixture
def moments(
    front_desk: User, handler: User, jan: Party, bakkerij: Party, parking: Topic
) -> list[ContactMoment]:
    """Twelve contacts, several at the very same moment; two confidential ones of Omgeving."""
    rows = []
    for index in range(10):
        rows.append(
            register_contact_moment(
                by=front_desk,
                channel="phone" if index % 2 else "counter",
                summary=f"Contact {index}",
                party=[jan, bakkerij, None][index % 3],
                topic=parking if index < 4 else None,
                registered_at=NOON - dt.timedelta(hours=index // 3),  # three share each hour
            )
        )
    for index in range(2):
        rows.append(
            register_contact_moment(
                by=handler,
                channel="phone",
                summary=f"Vertrouwelijk {index}",
                party=jan,
                confidential=True,
                registered_at=NOON,
            )
        )
    return rows


def _visible_to_burgerzaken(moments: list[ContactMoment]) -> list[ContactMoment]:
    return [m for m in moments if not m.confidential]


def test_it_walks_every_visible_contact_exactly_once_newest_first(
    api: ApiClient, moments: list[ContactMoment]
) -> None:
    # when
    seen = _walk(api, {"page_size": 4})
    # then
    expected = sorted(_visible_to_burgerzaken(moments), key=lambda m: (m.registered_at, m.pk), reverse=True)
    assert seen == [str(m.uuid) for m in expected]
    assert len(seen) == len(set(seen)) == 10


def test_it_leaves_out_confidential_contacts_of_another_department(
    api: ApiClient, moments: list[ContactMoment]
) -> None:
    # when
    seen = set(_walk(api, {"page_size": 50}))
    # then
    hidden = {str(m.uuid) for m in moments if m.confidential}
    assert len(hidden) == 2
    assert seen.isdisjoint(hidden)


def test_it_shows_confidential_contacts_to_their_own_department(
    client_of: Callable[..., ApiClient], omgeving: Department, moments: list[ContactMoment]
) -> None:
    # given
    roads_system = client_of(omgeving, ["contact_moments:read"])
    # when
    seen = set(_walk(roads_system, {"page_size": 5}))
    # then
    assert seen == {str(m.uuid) for m in moments}


def test_it_filters_by_party_channel_and_topic(
    api: ApiClient, moments: list[ContactMoment], jan: Party, parking: Topic
) -> None:
    # when
    response = api.get(URL, {"party": str(jan.uuid), "channel": "phone", "topic": str(parking.uuid)})
    # then
    expected = [
        m
        for m in _visible_to_burgerzaken(moments)
        if m.party == jan and m.channel == "phone" and m.topic == parking
    ]
    assert _uuids(response) == [
        str(m.uuid) for m in sorted(expected, key=lambda m: (m.registered_at, m.pk), reverse=True)
    ]


def test_it_filters_by_time_since_inclusive_until_exclusive(
    api: ApiClient, moments: list[ContactMoment]
) -> None:
    # when
    response = api.get(
        URL,
        {"since": (NOON - dt.timedelta(hours=2)).isoformat(), "until": NOON.isoformat(), "page_size": 50},
    )
    # then
    expected = {
        str(m.uuid)
        for m in _visible_to_burgerzaken(moments)
        if NOON - dt.timedelta(hours=2) <= m.registered_at < NOON
    }
    assert set(_uuids(response)) == expected
    assert len(expected) == 6


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"party": str(uuid.UUID(int=7))}, "party"),
        ({"topic": str(uuid.UUID(int=8))}, "topic"),
        ({"party": "jan"}, "party"),
        ({"channel": "pigeon"}, "channel"),
        ({"since": "2026-03-02T12:00:00"}, "since"),
        ({"until": "gisteren"}, "until"),
    ],
)
def test_it_refuses_a_malformed_filter(api: ApiClient, params: dict[str, Any], field: str) -> None:
    # when
    response = api.get(URL, params)
    # then
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]


def test_it_refuses_a_bad_cursor(api: ApiClient, moments: list[ContactMoment]) -> None:
    # given: a cursor of the parties list is not one of this list
    parties_cursor = api.get("/api/v1/parties", {"page_size": 1}).json()["next"].split("cursor=")[1]
    # when
    response = api.get(URL, {"cursor": parties_cursor})
    # then
    assert response.status_code == 400


def test_it_logs_each_person_on_the_page_once(
    api: ApiClient, moments: list[ContactMoment], jan: Party
) -> None:
    # when
    api.get(URL, {"page_size": 50})
    # then: Jan is on several contacts, the bakery is no person
    assert list(PersonalDataAccess.objects.values_list("subject_uuid", "location")) == [(jan.uuid, URL)]


def test_a_page_takes_the_same_few_queries_however_many_contacts_it_shows(
    api: ApiClient, front_desk: User, django_assert_max_num_queries: Any
) -> None:
    # given: every contact with its own person and topic
    for index in range(12):
        person, _created = register_party(kind="person", family_name=f"Persoon {index}", by=front_desk)
        register_contact_moment(by=front_desk, channel="phone", summary=f"Contact {index}", party=person)
    with CaptureQueriesContext(connection) as small_page:
        api.get(URL, {"page_size": 2})
    # when / then: token, contacts with party, topic, employee and department, access log
    with django_assert_max_num_queries(len(small_page)):
        response = api.get(URL, {"page_size": 12})
    assert len(response.json()["results"]) == 12
    next_page = api.get(URL, {"page_size": 5}).json()["next"]
    with django_assert_max_num_queries(4):  # + the cursor's position
        api.client.get(next_page, headers=api._headers())
