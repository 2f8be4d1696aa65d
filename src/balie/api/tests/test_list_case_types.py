"""Another system reads the case-type catalogue: the types in use, each with its version in force."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from balie.accounts.models import Department, User
from balie.cases import catalogue
from balie.cases.models import CaseType, CaseTypeVersion, StatusType
from balie.cases.tests.conftest import build_case_type

from .conftest import ApiClient

URL = "/api/v1/case-types"


def test_it_lists_each_type_in_use_with_its_version_in_force(
    api: ApiClient, permit_version: CaseTypeVersion, omgeving: Department
) -> None:
    # when
    response = api.get(URL)
    # then
    assert response.status_code == 200
    [case_type] = response.json()
    received, in_treatment, done = StatusType.objects.filter(version=permit_version).order_by("order")
    assert case_type["code"] == "omgevingsvergunning"
    assert case_type["name"] == "Omgevingsvergunning"
    assert case_type["department"] == {"uuid": str(omgeving.uuid), "name": "Omgeving"}
    version = case_type["version"]
    assert (version["uuid"], version["number"]) == (str(permit_version.uuid), 1)
    assert (version["lead_time_days"], version["lead_time_unit"]) == (10, "working")
    assert (version["suspension_allowed"], version["extension_allowed"], version["max_extension_days"]) == (
        True,
        True,
        30,
    )
    assert version["statuses"] == [
        {
            "id": received.pk,
            "order": received.order,
            "name": "Ontvangen",
            "informs_customer": True,
            "next": [in_treatment.pk],
            "end": False,
        },
        {
            "id": in_treatment.pk,
            "order": in_treatment.order,
            "name": "In behandeling",
            "informs_customer": False,
            "next": [done.pk],
            "end": False,
        },
        {
            "id": done.pk,
            "order": done.order,
            "name": "Afgehandeld",
            "informs_customer": False,
            "next": [],
            "end": True,
        },
    ]
    assert version["roles"] == [
        {"kind": "initiator", "name": "Aanvrager"},
        {"kind": "subject", "name": "Betrokkene"},
    ]
    assert [(a["code"], a["kind"], a["required"]) for a in version["attributes"]] == [
        ("oppervlakte", "number", False),
        ("beslissing", "date", False),
        ("soort", "choice", True),
    ]
    assert version["attributes"][2]["choices"] == ["bouwen", "verbouwen"]
    assert [(r["name"], r["archival_nomination"], r["retention_years"]) for r in version["results"]] == [
        ("Vergund", "keep", 20),
        ("Geweigerd", "destroy", 10),
    ]


def test_a_type_without_a_published_version_is_not_listed(
    api: ApiClient, permit_type: CaseType, admin: User, omgeving: Department
) -> None:
    # given: a second type, still a draft
    catalogue.create_case_type(code="kapvergunning", name="Kapvergunning", department=omgeving, by=admin)
    # when
    response = api.get(URL)
    # then
    assert [case_type["code"] for case_type in response.json()] == ["omgevingsvergunning"]


def test_a_new_version_replaces_the_old_one_in_the_catalogue(
    api: ApiClient, permit_type: CaseType, admin: User
) -> None:
    # given
    draft = catalogue.start_draft(case_type=permit_type, by=admin)
    catalogue.update_version(version=draft, by=admin, lead_time_days=40, lead_time_unit="calendar")
    catalogue.publish_version(version=draft, by=admin)
    # when
    [case_type] = api.get(URL).json()
    # then
    assert (case_type["version"]["number"], case_type["version"]["lead_time_days"]) == (2, 40)


def test_the_number_of_queries_does_not_grow_with_the_catalogue(
    api: ApiClient, permit_type: CaseType, admin: User, omgeving: Department
) -> None:
    # given
    api.get(URL)  # the token lookup's once-a-minute write out of the way
    with CaptureQueriesContext(connection) as one_type:
        api.get(URL)
    build_case_type(admin, omgeving, code="kapvergunning")
    build_case_type(admin, omgeving, code="evenement")
    # when
    with CaptureQueriesContext(connection) as three_types:
        response = api.get(URL)
    # then
    assert len(response.json()) == 3
    assert len(three_types) == len(one_type)
