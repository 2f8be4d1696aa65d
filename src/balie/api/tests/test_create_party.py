"""Another system registers a party; a known identifier gives back the existing one."""

from __future__ import annotations

from typing import Any

import pytest

from balie.api.models import ApiApplication
from balie.audit.models import ChangeRecord, PersonalDataAccess
from balie.parties.models import Party

from .conftest import ApiClient, row_counts

URL = "/api/v1/parties"


def test_it_registers_a_person_and_answers_201(api: ApiClient, website: ApiApplication) -> None:
    # when
    response = api.post(
        URL,
        {
            "kind": "person",
            "given_name": "Jan",
            "family_name": "Peeters",
            "national_number": "85.07.30-033.28",
            "birth_date": "1985-07-30",
            "gender": "M",
        },
    )
    # then
    assert response.status_code == 201
    body = response.json()
    party = Party.objects.get()
    assert body["uuid"] == str(party.uuid)
    assert (
        body["kind"],
        body["display_name"],
        body["national_number"],
        body["birth_date"],
        body["gender"],
    ) == (
        "person",
        "Peeters Jan",
        "85073003328",
        "1985-07-30",
        "M",
    )
    assert (body["contact_points"], body["addresses"]) == ([], [])
    creation = ChangeRecord.objects.get(object_uuid=party.uuid)
    assert (creation.action, creation.actor_uuid) == ("create", website.user.uuid)


def test_it_registers_an_organisation(api: ApiClient) -> None:
    # when
    response = api.post(
        URL, {"kind": "organisation", "name": "Bakkerij Peeters", "enterprise_number": "BE 0403.019.261"}
    )
    # then
    assert response.status_code == 201
    assert (response.json()["display_name"], response.json()["enterprise_number"]) == (
        "Bakkerij Peeters",
        "0403019261",
    )


def test_it_returns_the_existing_person_for_a_known_national_number(api: ApiClient, jan: Party) -> None:
    # given
    before = Party.objects.count()
    # when
    response = api.post(URL, {"kind": "person", "family_name": "Anders", "national_number": "85073003328"})
    # then
    assert response.status_code == 200
    assert (response.json()["uuid"], response.json()["family_name"]) == (str(jan.uuid), "Peeters")
    assert Party.objects.count() == before


def test_it_returns_the_existing_organisation_for_a_known_enterprise_number(
    api: ApiClient, bakkerij: Party
) -> None:
    # when
    response = api.post(
        URL, {"kind": "organisation", "name": "Iets anders", "enterprise_number": "0403019261"}
    )
    # then
    assert response.status_code == 200
    assert response.json()["uuid"] == str(bakkerij.uuid)


def test_it_logs_that_the_caller_saw_the_person_it_got_back(
    api: ApiClient, website: ApiApplication, jan: Party
) -> None:
    # when
    api.post(URL, {"kind": "person", "family_name": "Peeters", "national_number": "85073003328"})
    # then
    access = PersonalDataAccess.objects.get()
    assert (access.subject_uuid, access.actor_uuid, access.application, access.channel, access.location) == (
        jan.uuid,
        website.user.uuid,
        "Website",
        "api",
        "/api/v1/parties",
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"kind": "person", "family_name": "Peeters", "national_number": "85.07.30-033.29"},
            "national_number",
        ),
        ({"kind": "person", "family_name": "Peeters", "national_number": "123"}, "national_number"),
        (
            {"kind": "organisation", "name": "Bakkerij", "enterprise_number": "0403.019.262"},
            "enterprise_number",
        ),
        ({"kind": "organisation", "name": "Bakkerij"}, "enterprise_number"),
        ({"kind": "person", "family_name": "<script>alert(1)</script>"}, "family_name"),
        ({"kind": "person", "family_name": "Peeters", "given_name": "<b>Jan</b>"}, "given_name"),
        ({"kind": "association", "name": "Vzw <script>"}, "name"),
        ({"kind": "person", "family_name": "P" * 101}, "family_name"),
        ({"kind": "person", "family_name": "Peeters", "note": "x" * 2001}, "note"),
        ({"kind": "person", "given_name": "Jan"}, "family_name"),
        ({"kind": "person", "family_name": "Peeters", "name": "Bakkerij"}, "name"),
        ({"kind": "organisation", "name": "Bakkerij", "national_number": "85073003328"}, "national_number"),
        ({"kind": "robot", "name": "R2"}, "kind"),
        ({"family_name": "Peeters"}, "kind"),
        ({"kind": "person", "family_name": "Peeters", "birth_date": "30/07/1985"}, "birth_date"),
        ({"kind": "person", "family_name": "Peeters", "hobby": "fietsen"}, "hobby"),
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
    assert response.json()["detail"] == "De invoer is ongeldig."
    assert list(response.json()["errors"]) == [field]
    assert all(isinstance(message, str) and message for message in response.json()["errors"][field])
    assert row_counts() == before


def test_it_explains_a_wrong_national_number_in_dutch(api: ApiClient) -> None:
    # when
    response = api.post(
        URL, {"kind": "person", "family_name": "Peeters", "national_number": "85.07.30-033.29"}
    )
    # then
    assert response.json()["errors"] == {
        "national_number": ["Dit rijksregister- of BIS-nummer is ongeldig (controlegetal klopt niet)."]
    }


def test_it_refuses_a_body_that_is_not_json(api: ApiClient) -> None:
    # given
    before = row_counts()
    # when
    response = api.client.post(URL, "{kind: person", content_type="application/json", headers=api._headers())
    # then
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "De inhoud van het verzoek is geen geldige JSON."},
    )
    assert row_counts() == before
