"""Another system registers a case in one call, with its parties in their roles and its attributes;
a refused request registers nothing (and uses no case number)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from balie.accounts.models import Department, User
from balie.api.actions import create_webhook_subscription
from balie.api.models import ApiApplication
from balie.audit.models import PersonalDataAccess
from balie.cases.models import Case, CaseType
from balie.core.models import OutboxMessage
from balie.parties.models import Party

from .conftest import ApiClient, row_counts

URL = "/api/v1/cases"


def _body(**extra: Any) -> dict[str, Any]:
    return {
        "case_type": "omgevingsvergunning",
        "subject": "Verbouwing keuken",
        "attributes": {"soort": "verbouwen", "oppervlakte": "12,5"},
        **extra,
    }


def test_it_registers_a_case_with_parties_and_attributes(
    api: ApiClient,
    website: ApiApplication,
    permit_type: CaseType,
    omgeving: Department,
    jan: Party,
    bakkerij: Party,
) -> None:
    # when
    response = api.post(
        URL,
        _body(
            description="Nieuwe keuken met uitbouw.",
            parties=[
                {"role": "initiator", "party": str(jan.uuid)},
                {"role": "subject", "enterprise_number": "0403.019.261"},
            ],
        ),
    )
    # then
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    body = response.json()
    assert body["uuid"] == str(case.uuid)
    assert body["number"] == case.number and case.number.endswith("-000001")
    assert body["case_type"] == {"code": "omgevingsvergunning", "name": "Omgevingsvergunning", "version": 1}
    assert (body["subject"], body["description"], body["origin"]) == (
        "Verbouwing keuken",
        "Nieuwe keuken met uitbouw.",
        "api",
    )
    assert body["attributes"] == {"soort": "verbouwen", "oppervlakte": 12.5}
    assert body["status"]["name"] == "Ontvangen"
    assert body["department"] == {"uuid": str(omgeving.uuid), "name": "Omgeving"}
    assert body["deadline"] == case.deadline.isoformat()
    assert body["closed_at"] is None and body["result"] is None
    assert [(s["status"]["name"], s["set_by"]["name"]) for s in body["statuses"]] == [
        ("Ontvangen", "Website")
    ]
    assert body["roles"] == [
        {
            "kind": "initiator",
            "party": {"uuid": str(jan.uuid), "kind": "person", "display_name": "Peeters Jan"},
        },
        {
            "kind": "subject",
            "party": {"uuid": str(bakkerij.uuid), "kind": "organisation", "display_name": "Bakkerij Peeters"},
        },
    ]
    assert [s["name"] for s in body["next_statuses"]] == ["In behandeling"]
    assert (case.origin, case.registered_by, case.case_type) == ("api", website.user, permit_type)
    assert set(case.roles.values_list("party", "kind")) == {(jan.pk, "initiator"), (bakkerij.pk, "subject")}


def test_a_person_is_found_by_national_number_and_the_read_is_logged(
    api: ApiClient, website: ApiApplication, permit_type: CaseType, jan: Party
) -> None:
    # when
    response = api.post(URL, _body(parties=[{"role": "initiator", "national_number": "85.07.30-033.28"}]))
    # then
    assert response.status_code == 201, response.content
    assert response.json()["roles"][0]["party"]["uuid"] == str(jan.uuid)
    access = PersonalDataAccess.objects.get()
    assert (access.subject_uuid, access.location, access.application) == (jan.uuid, URL, "Website")


def test_the_registration_is_told_to_webhooks_in_the_same_transaction(
    api: ApiClient, permit_type: CaseType, admin: User
) -> None:
    # given
    subscription, _secret = create_webhook_subscription(
        name="Loket", url="https://loket.example.be/hooks", event_types=["be.balie.case."], by=admin
    )
    # when
    response = api.post(URL, _body())
    # then
    message = OutboxMessage.objects.get(destination=subscription.destination)
    assert message.payload["event"]["type"] == "be.balie.case.registered"
    assert message.payload["event"]["subject"] == response.json()["uuid"]
    assert message.payload["event"]["data"]["origin"] == "api"


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        (
            {"case_type": "onbestaand"},
            {"case_type": ["Onbekend zaaktype, of niet in gebruik."]},
        ),
        (
            {"attributes": {"soort": "slopen", "oppervlakte": "veel"}},
            {
                "attributes.soort": ["Kies een van de mogelijkheden."],
                "attributes.oppervlakte": ["Vul een getal in."],
            },
        ),
        (
            {"attributes": {"oppervlakte": 3}},
            {"attributes.soort": ["Soort is verplicht."]},
        ),
        (
            {"attributes": {"soort": "bouwen", "kleur": "rood"}},
            {"attributes.kleur": ["Dit zaaktype kent geen kenmerk 'kleur'."]},
        ),
        ({"subject": "   "}, {"subject": ["Geef de zaak een onderwerp."]}),
        (
            {"parties": [{"role": "initiator", "party": "5f0c1e4e-0000-4000-8000-000000000000"}]},
            {"parties.0.party": ["Onbekende partij."]},
        ),
        (
            {"parties": [{"role": "initiator", "national_number": "85073003399"}]},
            {
                "parties.0.national_number": [
                    "Dit rijksregister- of BIS-nummer is ongeldig (controlegetal klopt niet)."
                ]
            },
        ),
        (
            {"parties": [{"role": "initiator", "enterprise_number": "0417.497.106"}]},
            {"parties.0.enterprise_number": ["Er is geen partij met dit nummer; registreer ze eerst."]},
        ),
        (
            {"parties": [{"role": "initiator"}]},
            {"parties.0": ["Geef precies één van party, national_number of enterprise_number."]},
        ),
        (
            {"parties": [{"role": "adviser", "national_number": "85073003328"}]},
            {"parties": ["Dit zaaktype kent geen rol 'adviseur'."]},
        ),
        ({"parties": [{"role": "boss", "party": None}]}, {"parties.0.role": None}),
        ({"subject": None}, {"subject": ["Geef tekst op."]}),
        ({"number": "C2026-000009"}, {"number": ["Dit veld bestaat niet."]}),
    ],
)
def test_a_refused_registration_changes_nothing(
    api: ApiClient, permit_type: CaseType, jan: Party, change: dict[str, Any], errors: dict[str, Any]
) -> None:
    # given
    before = row_counts()
    # when
    response = api.post(URL, _body(**change))
    # then
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "De invoer is ongeldig."
    assert set(body["errors"]) == set(errors)
    for field, messages in errors.items():
        if messages is not None:
            assert body["errors"][field] == messages
    assert row_counts() == before
    # and no case number was used up
    assert api.post(URL, _body()).json()["number"].endswith("-000001")


def test_a_confidential_case_of_another_department_is_shown_to_whoever_registered_it(
    api: ApiClient, permit_type: CaseType
) -> None:
    # when: Burgerzaken's application registers a confidential case of Omgeving
    response = api.post(URL, _body(confidential=True))
    # then: it sees what it sent, but cannot read it back later
    assert response.status_code == 201
    assert response.json()["confidential"] is True
    assert api.get(f"{URL}/{response.json()['uuid']}").status_code == 404


def test_registering_needs_the_write_scope_and_changes_nothing_without_it(
    client_of: Callable[..., ApiClient], burgerzaken: Department, permit_type: CaseType
) -> None:
    # given
    reader = client_of(burgerzaken, ["cases:read", "catalogue:read"])
    before = row_counts()
    # when
    response = reader.post(URL, _body())
    # then
    assert response.status_code == 403
    assert response.json() == {"detail": "Deze toepassing heeft het recht 'cases:write' niet."}
    assert row_counts() == before


def test_an_invalid_json_body_is_refused(api: ApiClient, permit_type: CaseType) -> None:
    response = api.client.post(URL, "{nope", content_type="application/json", headers=api._headers())
    assert response.status_code == 400
    assert not Case.objects.exists()
