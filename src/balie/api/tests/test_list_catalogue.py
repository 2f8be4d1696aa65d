"""Another system reads the catalogue to fill in its forms: topics in use, departments with teams."""

from __future__ import annotations

from typing import Any

from balie.accounts.actions import create_department, create_team
from balie.accounts.models import Department, Team, User
from balie.contact_moments.actions import create_topic
from balie.contact_moments.models import Topic

from .conftest import ApiClient


def test_it_lists_the_topics_in_use_by_name(api: ApiClient, burgerzaken: Department, parking: Topic) -> None:
    # given
    general = create_topic(name="Algemene vraag", by=None, description="Alles wat nergens anders past.")
    retired = create_topic(name="Oude premie", by=None)
    Topic.objects.filter(pk=retired.pk).update(active=False)
    # when
    response = api.get("/api/v1/topics")
    # then
    assert response.status_code == 200
    assert response.json() == [
        {
            "uuid": str(general.uuid),
            "name": "Algemene vraag",
            "description": "Alles wat nergens anders past.",
            "department": None,
        },
        {
            "uuid": str(parking.uuid),
            "name": "Bewonerskaart parkeren",
            "description": "",
            "department": {"uuid": str(burgerzaken.uuid), "name": "Burgerzaken"},
        },
    ]


def test_it_lists_the_active_departments_with_their_active_teams(
    api: ApiClient, burgerzaken: Department, omgeving: Department, handler: User
) -> None:
    # given
    assert handler.team is not None
    closed_team = create_team(department=omgeving, name="Groen", by=None)
    Team.objects.filter(pk=closed_team.pk).update(active=False)
    closed = create_department(name="Oud archief", code="archief", by=None)
    Department.objects.filter(pk=closed.pk).update(active=False)
    # when
    response = api.get("/api/v1/departments")
    # then
    assert response.status_code == 200
    assert response.json() == [
        {
            "uuid": str(burgerzaken.uuid),
            "name": "Burgerzaken",
            "code": "burgerzaken",
            "email": "",
            "teams": [],
        },
        {
            "uuid": str(omgeving.uuid),
            "name": "Omgeving",
            "code": "omgeving",
            "email": "",
            "teams": [{"uuid": str(handler.team.uuid), "name": "Wegen"}],
        },
    ]


def test_the_catalogue_takes_two_queries_and_the_token(
    api: ApiClient, omgeving: Department, handler: User, django_assert_max_num_queries: Any
) -> None:
    # given
    for index in range(5):
        create_team(department=omgeving, name=f"Team {index}", by=None)
    api.get("/api/v1/departments")  # notes last use
    # when / then
    with django_assert_max_num_queries(3):
        api.get("/api/v1/departments")
