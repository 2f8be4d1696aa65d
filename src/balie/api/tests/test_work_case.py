"""Another system works a case: sets a status (by name or id), closes it with a result, suspends,
resumes and extends it. What the case type does not allow is refused with 422 and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from balie.accounts.models import Department, User
from balie.api.actions import create_webhook_subscription
from balie.api.models import ApiApplication
from balie.cases.actions import complete_case_task, register_case, set_status
from balie.cases.models import Case, CaseStatus, CaseType, StatusType
from balie.core.models import OutboxMessage

from .conftest import ApiClient, row_counts


@pytest.fixture
def case(permit_type: CaseType, handler: User) -> Case:
    return register_case(case_type=permit_type, by=handler, subject="Terras", attributes={"soort": "bouwen"})


def _ready(case: Case, handler: User) -> Case:
    """The required task done: the case may move on to 'In behandeling'."""
    complete_case_task(task=case.tasks.get(), by=handler)
    return case


def _in_treatment(case: Case, handler: User) -> Case:
    _ready(case, handler)
    return set_status(
        case=case, status_type=StatusType.objects.get(version=case.version, name="In behandeling"), by=handler
    )


def _url(case: Case, action: str) -> str:
    return f"/api/v1/cases/{case.uuid}/{action}"


def _history(case: Case) -> list[str]:
    return list(
        CaseStatus.objects.filter(case=case).order_by("sequence").values_list("status_type__name", flat=True)
    )


def _refused(response: Any, errors: dict[str, list[str]]) -> None:
    assert response.status_code == 422, response.content
    assert response.json() == {"detail": "De invoer is ongeldig.", "errors": errors}


def test_it_sets_a_status_by_name(api: ApiClient, website: ApiApplication, case: Case, handler: User) -> None:
    # given
    _ready(case, handler)
    # when
    response = api.post(_url(case, "status"), {"status": "in behandeling", "reason": "volledig"})
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"]["name"] == "In behandeling"
    assert [(s["status"]["name"], s["reason"], s["set_by"]["name"]) for s in body["statuses"]][-1] == (
        "In behandeling",
        "volledig",
        "Website",
    )
    assert _history(case) == ["Ontvangen", "In behandeling"]
    assert CaseStatus.objects.filter(case=case).latest("sequence").set_by == website.user


def test_it_sets_a_status_by_id(api: ApiClient, case: Case, handler: User) -> None:
    _ready(case, handler)
    status = StatusType.objects.get(version=case.version, name="In behandeling")
    response = api.post(_url(case, "status"), {"status_id": status.pk})
    assert response.status_code == 200
    assert _history(case) == ["Ontvangen", "In behandeling"]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"status": "Afgehandeld"}, {"status": ["Een zaak sluit je af met een resultaat."]}),
        (
            {"status": "In behandeling"},
            {"status": ["Werk eerst de verplichte taken af: Volledigheid nakijken."]},
        ),
        ({"status": "Ontvangen"}, {"status": ["De zaak heeft deze status al."]}),
        ({"status": "Gesloten"}, {"status": ["Het zaaktype van deze zaak kent die status niet."]}),
        ({"status_id": 999999}, {"status": ["Het zaaktype van deze zaak kent die status niet."]}),
        ({"status": "Ontvangen", "status_id": 1}, {"status": ["Geef status of status_id (een van beide)."]}),
        ({"reason": "x"}, {"status": ["Geef status of status_id (een van beide)."]}),
        ({"status": "x", "reden": "x"}, {"reden": ["Dit veld bestaat niet."]}),
    ],
)
def test_a_status_the_case_type_does_not_allow_is_refused_and_changes_nothing(
    api: ApiClient, case: Case, body: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    # given
    before = row_counts()
    # when
    response = api.post(_url(case, "status"), body)
    # then
    _refused(response, errors)
    assert row_counts() == before
    assert _history(case) == ["Ontvangen"]
    case.refresh_from_db()
    assert case.status_type.name == "Ontvangen"


def test_a_status_change_is_told_to_webhooks(api: ApiClient, case: Case, handler: User, admin: User) -> None:
    # given
    subscription, _secret = create_webhook_subscription(
        name="Loket", url="https://loket.example.be/hooks", event_types=["be.balie.case.status"], by=admin
    )
    _ready(case, handler)
    # when
    api.post(_url(case, "status"), {"status": "In behandeling"})
    # then
    [message] = OutboxMessage.objects.filter(destination=subscription.destination)
    event = message.payload["event"]
    assert (event["type"], event["subject"]) == ("be.balie.case.status", str(case.uuid))
    assert (event["data"]["from"], event["data"]["to"]) == ("Ontvangen", "In behandeling")


def test_it_closes_a_case_with_a_result(api: ApiClient, case: Case, handler: User) -> None:
    # given
    _in_treatment(case, handler)
    # when
    response = api.post(_url(case, "close"), {"result": "Vergund", "note": "Vergunning verleend."})
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"]["name"] == "Afgehandeld"
    assert body["result"]["name"] == "Vergund" and body["result_note"] == "Vergunning verleend."
    assert body["closed_at"] is not None
    case.refresh_from_db()
    assert body["archive_action_date"] == case.archive_action_date.isoformat()
    assert _history(case) == ["Ontvangen", "In behandeling", "Afgehandeld"]


def test_it_closes_by_result_id(api: ApiClient, case: Case, handler: User) -> None:
    _in_treatment(case, handler)
    result = case.version.result_types.get(name="Geweigerd")
    response = api.post(_url(case, "close"), {"result_id": result.pk})
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.result_type == result


@pytest.mark.parametrize(
    ("treated", "body", "errors"),
    [
        (False, {"result": "Vergund"}, {"status": ["Van 'Ontvangen' kan de zaak niet naar 'Afgehandeld'."]}),
        (True, {"result": "Gedoogd"}, {"result": ["Het zaaktype van deze zaak kent dat resultaat niet."]}),
        (True, {}, {"result": ["Geef result of result_id (een van beide)."]}),
    ],
)
def test_closing_that_is_not_allowed_is_refused_and_changes_nothing(
    api: ApiClient,
    case: Case,
    handler: User,
    treated: bool,
    body: dict[str, Any],
    errors: dict[str, list[str]],
) -> None:
    # given
    if treated:
        _in_treatment(case, handler)
    history = _history(case)
    before = row_counts()
    # when
    response = api.post(_url(case, "close"), body)
    # then
    _refused(response, errors)
    assert row_counts() == before
    assert _history(case) == history
    case.refresh_from_db()
    assert (case.closed_at, case.result_type, case.archive_action_date) == (None, None, None)


def test_a_closed_case_takes_no_new_status(api: ApiClient, case: Case, handler: User) -> None:
    _in_treatment(case, handler)
    api.post(_url(case, "close"), {"result": "Vergund"})
    before = row_counts()
    response = api.post(_url(case, "status"), {"status": "Ontvangen"})
    _refused(response, {"status": ["Deze zaak is afgesloten; heropen ze eerst."]})
    assert row_counts() == before


def test_it_suspends_and_resumes_a_case(api: ApiClient, case: Case) -> None:
    # when
    suspended = api.post(_url(case, "suspend"), {"reason": "wacht op plannen"})
    # then
    assert suspended.status_code == 200, suspended.content
    assert suspended.json()["suspended_since"] is not None
    assert suspended.json()["suspension_reason"] == "wacht op plannen"
    # when
    resumed = api.post(_url(case, "resume"), None)
    # then
    assert resumed.status_code == 200, resumed.content
    assert resumed.json()["suspended_since"] is None


def test_resuming_a_case_that_is_not_suspended_is_refused(api: ApiClient, case: Case) -> None:
    before = row_counts()
    _refused(api.post(_url(case, "resume"), None), {"__all__": ["Deze zaak is niet opgeschort."]})
    assert row_counts() == before


def test_it_extends_a_case_once(api: ApiClient, case: Case) -> None:
    # when
    response = api.post(_url(case, "extend"), {"days": 5, "reason": "advies brandweer"})
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["extended_days"], body["extension_reason"]) == (5, "advies brandweer")
    assert dt.date.fromisoformat(body["deadline"]) > case.deadline
    # a second time is refused, and changes nothing
    before = row_counts()
    again = api.post(_url(case, "extend"), {"days": 2, "reason": "nog eens"})
    _refused(again, {"__all__": ["Deze zaak is al eens verlengd; dat kan maar één keer."]})
    assert row_counts() == before
    case.refresh_from_db()
    assert case.extended_days == 5


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("status", {"status": "In behandeling"}),
        ("close", {"result": "Vergund"}),
        ("suspend", {"reason": "wacht"}),
        ("resume", None),
        ("extend", {"days": 3, "reason": "drukte"}),
    ],
)
def test_a_confidential_case_of_another_department_cannot_be_worked(
    api: ApiClient,
    client_of: Callable[..., ApiClient],
    omgeving: Department,
    case: Case,
    handler: User,
    action: str,
    body: dict[str, Any] | None,
) -> None:
    # given
    _ready(case, handler)
    Case.objects.filter(pk=case.pk).update(confidential=True)
    before = row_counts()
    # when
    response = api.post(_url(case, action), body)
    # then
    assert response.status_code == 404
    assert row_counts() == before
    # while its own department may
    assert client_of(omgeving).post(_url(case, "status"), {"status": "In behandeling"}).status_code == 200
