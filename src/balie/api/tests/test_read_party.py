"""Another system reads one party, with its contact points and addresses; reading a person is logged."""

from __future__ import annotations

import uuid

from balie.accounts.models import User
from balie.api.models import ApiApplication
from balie.audit.models import PersonalDataAccess
from balie.parties.actions import add_address, add_contact_point, merge_parties, register_party
from balie.parties.models import Party

from .conftest import ApiClient


def test_it_reads_a_person_with_contact_points_and_addresses(
    api: ApiClient, jan: Party, front_desk: User
) -> None:
    # given
    point = add_contact_point(party=jan, kind="email", value="Jan@Example.be", by=front_desk)
    address = add_address(
        party=jan,
        kind="residence",
        street="Markt",
        house_number="1",
        postcode="2645",
        municipality="Zonnedaal",
        by=front_desk,
    )
    # when
    response = api.get(f"/api/v1/parties/{jan.uuid}")
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["uuid"], body["display_name"], body["national_number"]) == (
        str(jan.uuid),
        "Peeters Jan",
        "85073003328",
    )
    assert body["contact_points"] == [
        {
            "uuid": str(point.uuid),
            "kind": "email",
            "value": "jan@example.be",
            "preferred": True,
            "verified": False,
        }
    ]
    assert [(a["uuid"], a["street"], a["postcode"], a["valid_until"]) for a in body["addresses"]] == [
        (str(address.uuid), "Markt", "2645", None)
    ]


def test_it_logs_who_read_the_person_where_and_why(
    api: ApiClient, website: ApiApplication, jan: Party
) -> None:
    # when
    api.get(f"/api/v1/parties/{jan.uuid}")
    # then
    access = PersonalDataAccess.objects.get()
    assert (
        access.subject_uuid,
        access.subject_type,
        access.actor_uuid,
        access.actor_label,
        access.application,
        access.channel,
        access.location,
        access.purpose,
    ) == (
        jan.uuid,
        "person",
        website.user.uuid,
        "Website (api-website)",
        "Website",
        "api",
        f"/api/v1/parties/{jan.uuid}",
        "Aanvragen via de website",
    )


def test_it_does_not_log_reading_an_organisation(api: ApiClient, bakkerij: Party) -> None:
    # when
    response = api.get(f"/api/v1/parties/{bakkerij.uuid}")
    # then
    assert response.status_code == 200
    assert PersonalDataAccess.objects.count() == 0


def test_it_answers_a_merged_party_with_the_one_it_merged_into(
    api: ApiClient, jan: Party, front_desk: User
) -> None:
    # given
    duplicate, _created = register_party(
        kind="person", family_name="Peeters", given_name="Jan", by=front_desk
    )
    merge_parties(survivor=jan, duplicate=duplicate, by=front_desk)
    # when
    response = api.get(f"/api/v1/parties/{duplicate.uuid}")
    # then
    assert (response.status_code, response.json()["uuid"]) == (200, str(jan.uuid))


def test_it_answers_404_for_an_unknown_uuid(api: ApiClient) -> None:
    # when
    response = api.get(f"/api/v1/parties/{uuid.uuid4()}")
    # then
    assert (response.status_code, response.json()) == (404, {"detail": "Niet gevonden."})
    assert PersonalDataAccess.objects.count() == 0


def test_it_answers_404_for_something_that_is_not_a_uuid(api: ApiClient, jan: Party) -> None:
    # when
    response = api.get(f"/api/v1/parties/{jan.pk}")
    # then
    assert (response.status_code, response.json()) == (404, {"detail": "Niet gevonden."})


def test_no_one_keeps_a_copy_of_a_person_read(api: ApiClient, jan: Party) -> None:
    # when
    found, missing = api.get(f"/api/v1/parties/{jan.uuid}"), api.get("/api/v1/parties/unknown")
    # then
    assert (found.headers["Cache-Control"], missing.headers["Cache-Control"]) == ("no-store", "no-store")
