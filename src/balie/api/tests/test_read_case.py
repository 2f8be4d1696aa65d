"""Another system reads one case: its attributes, status history and parties; reading a person on
it is logged; a confidential case of another department does not exist for it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from balie.accounts.models import Department, User
from balie.audit.models import PersonalDataAccess
from balie.cases.actions import complete_case_task, register_case, set_status
from balie.cases.models import Case, CaseType, StatusType
from balie.parties.models import Party

from .conftest import ApiClient


@pytest.fixture
def case(permit_type: CaseType, handler: User, jan: Party, bakkerij: Party) -> Case:
    case = register_case(
        case_type=permit_type,
        by=handler,
        subject="Verbouwing keuken",
        parties=[(jan, "initiator"), (bakkerij, "subject")],
        attributes={"soort": "bouwen", "beslissing": "2026-04-01"},
    )
    complete_case_task(task=case.tasks.get(), by=handler)
    in_treatment = StatusType.objects.get(version=case.version, name="In behandeling")
    return set_status(case=case, status_type=in_treatment, by=handler, reason="dossier volledig")


def _url(case: Case) -> str:
    return f"/api/v1/cases/{case.uuid}"


def test_it_reads_a_case_with_its_history_and_parties(
    api: ApiClient, case: Case, handler: User, jan: Party, bakkerij: Party
) -> None:
    # when
    response = api.get(_url(case))
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["number"], body["subject"], body["origin"]) == (
        case.number,
        "Verbouwing keuken",
        "backoffice",
    )
    assert body["attributes"] == {"soort": "bouwen", "beslissing": "2026-04-01"}
    assert [
        (s["sequence"], s["status"]["name"], s["set_by"]["uuid"], s["reason"]) for s in body["statuses"]
    ] == [
        (1, "Ontvangen", str(handler.uuid), ""),
        (2, "In behandeling", str(handler.uuid), "dossier volledig"),
    ]
    assert body["status"]["name"] == "In behandeling"
    assert body["next_statuses"] == []  # only closing leads on from here
    assert [(r["kind"], r["party"]["uuid"]) for r in body["roles"]] == [
        ("initiator", str(jan.uuid)),
        ("subject", str(bakkerij.uuid)),
    ]
    assert body["original_deadline"] == case.original_deadline.isoformat()
    assert (body["suspended_since"], body["extended_days"], body["archive_action_date"]) == (None, 0, None)


def test_reading_logs_the_persons_on_the_case_only(api: ApiClient, case: Case, jan: Party) -> None:
    api.get(_url(case))
    assert list(PersonalDataAccess.objects.values_list("subject_uuid", "location")) == [
        (jan.uuid, _url(case))
    ]


def test_a_confidential_case_of_another_department_is_not_found(
    api: ApiClient, client_of: Callable[..., ApiClient], omgeving: Department, case: Case
) -> None:
    Case.objects.filter(pk=case.pk).update(confidential=True)
    assert api.get(_url(case)).status_code == 404
    assert client_of(omgeving).get(_url(case)).status_code == 200
    assert PersonalDataAccess.objects.filter(location=_url(case)).count() == 1  # only the one that saw it


@pytest.mark.parametrize("case_id", ["5f0c1e4e-0000-4000-8000-000000000000", "C2026-000001", "nope"])
def test_an_unknown_or_malformed_id_is_not_found(api: ApiClient, case: Case, case_id: str) -> None:
    response = api.get(f"/api/v1/cases/{case_id}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Niet gevonden."}


def test_an_employee_reads_it_with_their_session(case: Case, front_desk: User) -> None:
    client = Client()
    client.force_login(front_desk)
    assert client.get(_url(case)).status_code == 200


def test_an_outsider_is_refused(case: Case, citizen: User) -> None:
    client = Client()
    client.force_login(citizen)
    response = client.get(_url(case))
    assert response.status_code == 403
    assert response.json() == {"detail": "Alleen medewerkers kunnen dit opvragen."}
    assert Client().get(_url(case)).status_code == 401
    assert PersonalDataAccess.objects.count() == 0
