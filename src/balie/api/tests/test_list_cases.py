"""Another system lists cases, newest first, a page at a time, with filters; confidential cases of
another department are never among them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from balie.accounts.models import Department, User
from balie.cases.actions import close_case, complete_case_task, register_case, set_status
from balie.cases.models import Case, CaseType, StatusType
from balie.cases.tests.conftest import build_case_type
from balie.parties.models import Party

from .conftest import ApiClient

URL = "/api/v1/cases"
NOON = timezone.make_aware(dt.datetime(2026, 3, 2, 12, 0))


def _numbers(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [case["number"] for case in response.json()["results"]]


def _walk(client: ApiClient, params: dict[str, Any]) -> list[str]:
    seen: list[str] = []
    response = client.get(URL, params)
    while True:
        seen += _numbers(response)
        if response.json()["next"] is None:
            return seen
        response = client.client.get(response.json()["next"], headers=client._headers())


@pytest.fixture
def cases(permit_type: CaseType, handler: User, jan: Party, admin: User, omgeving: Department) -> list[Case]:
    """Seven cases, several registered at the same moment, newest last; one confidential, one of
    another type, one closed."""
    felling = build_case_type(admin, omgeving, code="kapvergunning").case_type
    rows = []
    for index in range(7):
        rows.append(
            register_case(
                case_type=felling if index == 5 else permit_type,
                by=handler,
                subject=f"Zaak {index}",
                parties=[(jan, "initiator")] if index % 2 else [],
                attributes={"soort": "bouwen"},
                confidential=index == 4,
                registered_at=NOON + dt.timedelta(hours=index // 2),  # two share each hour
            )
        )
    closed = complete_case_task(task=rows[6].tasks.get(), by=handler).case
    closed = set_status(
        case=closed,
        status_type=StatusType.objects.get(version=closed.version, name="In behandeling"),
        by=handler,
    )
    close_case(case=closed, result_type=closed.version.result_types.get(name="Vergund"), by=handler)
    Case.objects.filter(pk=rows[0].pk).update(deadline=dt.date(2026, 3, 5))
    return rows


def _newest_first(rows: list[Case]) -> list[str]:
    return [case.number for case in sorted(rows, key=lambda c: (c.registered_at, c.pk), reverse=True)]


def test_it_walks_every_visible_case_exactly_once_newest_first(api: ApiClient, cases: list[Case]) -> None:
    # when: Burgerzaken's application, two at a time
    seen = _walk(api, {"page_size": 2})
    # then: all but the confidential case of Omgeving
    assert seen == _newest_first([c for c in cases if not c.confidential])


def test_the_department_of_a_confidential_case_sees_it(
    client_of: Callable[..., ApiClient], omgeving: Department, cases: list[Case]
) -> None:
    assert _walk(client_of(omgeving), {"page_size": 3}) == _newest_first(cases)


def test_a_page_has_the_case_summary_and_no_count(
    api: ApiClient, cases: list[Case], omgeving: Department
) -> None:
    body = api.get(URL, {"page_size": 1}).json()
    assert set(body) == {"results", "next"}
    [case] = body["results"]
    assert case["number"] == cases[6].number
    assert case["status"]["name"] == "Afgehandeld"
    assert case["result"]["name"] == "Vergund"
    assert case["department"] == {"uuid": str(omgeving.uuid), "name": "Omgeving"}
    assert case["handler"] is None and case["closed_at"] is not None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"case_type": "kapvergunning"}, [5]),
        ({"status": "Afgehandeld"}, [6]),
        ({"open": "false"}, [6]),
        ({"open": "true"}, [5, 3, 2, 1, 0]),
        ({"party": "jan"}, [5, 3, 1]),
        ({"deadline_before": "2026-03-06"}, [0]),
        ({"department": "omgeving", "case_type": "omgevingsvergunning", "open": "true"}, [3, 2, 1, 0]),
    ],
)
def test_filters(
    api: ApiClient,
    cases: list[Case],
    jan: Party,
    omgeving: Department,
    params: dict[str, str],
    expected: list[int],
) -> None:
    if params.get("party") == "jan":
        params = {**params, "party": str(jan.uuid)}
    if params.get("department") == "omgeving":
        params = {**params, "department": str(omgeving.uuid)}
    assert _walk(api, {**params, "page_size": 2}) == [cases[i].number for i in expected]


def test_a_department_without_cases_lists_none(
    api: ApiClient, cases: list[Case], burgerzaken: Department
) -> None:
    assert _walk(api, {"department": str(burgerzaken.uuid)}) == []


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"case_type": "onbestaand"}, "case_type", "Onbekend zaaktype."),
        ({"party": "5f0c1e4e-0000-4000-8000-000000000000"}, "party", "Onbekende partij."),
        ({"deadline_before": "morgen"}, "deadline_before", "Geef een datum op (JJJJ-MM-DD)."),
        ({"page_size": "0"}, "page_size", "Geef een waarde van minstens 1."),
    ],
)
def test_a_wrong_filter_is_refused(
    api: ApiClient, cases: list[Case], params: dict[str, str], field: str, message: str
) -> None:
    response = api.get(URL, params)
    assert response.status_code == 422
    assert response.json()["errors"] == {field: [message]}


def test_a_tampered_cursor_is_refused(api: ApiClient, cases: list[Case]) -> None:
    response = api.get(URL, {"cursor": "nope"})
    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]


def test_a_cursor_of_another_list_is_refused(api: ApiClient, cases: list[Case], jan: Party) -> None:
    parties_next = api.get("/api/v1/parties", {"page_size": 1})
    assert parties_next.status_code == 200
    from balie.api.pagination import encode_cursor

    response = api.get(URL, {"cursor": encode_cursor("parties", jan.uuid)})
    assert response.status_code == 400
