"""Each endpoint needs one scope: a token without it gets 403 before its input is even read, and
nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from balie.accounts.models import Department, User
from balie.api.models import Scope
from balie.cases.actions import complete_case_task, register_case, set_status, suspend_case
from balie.cases.models import Case, CaseType
from balie.contact_moments.actions import register_contact_moment
from balie.contact_moments.models import ContactMoment
from balie.correspondence.actions import register_incoming
from balie.documents.actions import store_document
from balie.documents.models import DocumentVersion, TextState
from balie.documents.tests.samples import PDF, upload
from balie.parties.models import Party

from .conftest import ALL_SCOPES, ApiClient, row_counts

ENDPOINTS: list[tuple[str, str, Scope, Any]] = [
    ("get", "/api/v1/parties", Scope.PARTIES_READ, None),
    ("get", "/api/v1/parties/{party}", Scope.PARTIES_READ, None),
    ("post", "/api/v1/parties", Scope.PARTIES_WRITE, {"kind": "person", "family_name": "Claes"}),
    ("patch", "/api/v1/parties/{party}", Scope.PARTIES_WRITE, {"given_name": "Johan"}),
    (
        "post",
        "/api/v1/parties/{party}/contact-points",
        Scope.PARTIES_WRITE,
        {"kind": "email", "value": "a@b.be"},
    ),
    (
        "post",
        "/api/v1/parties/{party}/addresses",
        Scope.PARTIES_WRITE,
        {
            "kind": "postal",
            "street": "Markt",
            "house_number": "1",
            "postcode": "2645",
            "municipality": "Zonnedaal",
        },
    ),
    ("get", "/api/v1/contact-moments", Scope.CONTACT_MOMENTS_READ, None),
    ("get", "/api/v1/contact-moments/{moment}", Scope.CONTACT_MOMENTS_READ, None),
    ("post", "/api/v1/contact-moments", Scope.CONTACT_MOMENTS_WRITE, {"channel": "web", "summary": "Vraag"}),
    ("patch", "/api/v1/contact-moments/{moment}", Scope.CONTACT_MOMENTS_WRITE, {"summary": "Anders"}),
    ("get", "/api/v1/topics", Scope.CATALOGUE_READ, None),
    ("get", "/api/v1/departments", Scope.CATALOGUE_READ, None),
    ("get", "/api/v1/case-types", Scope.CATALOGUE_READ, None),
    ("get", "/api/v1/cases", Scope.CASES_READ, None),
    ("get", "/api/v1/cases/{case}", Scope.CASES_READ, None),
    (
        "post",
        "/api/v1/cases",
        Scope.CASES_WRITE,
        {"case_type": "omgevingsvergunning", "subject": "Terras", "attributes": {"soort": "bouwen"}},
    ),
    ("post", "/api/v1/cases/{case}/status", Scope.CASES_WRITE, {"status": "In behandeling"}),
    ("post", "/api/v1/cases/{treated}/close", Scope.CASES_WRITE, {"result": "Vergund"}),
    ("post", "/api/v1/cases/{case}/suspend", Scope.CASES_WRITE, {"reason": "wacht op plannen"}),
    ("post", "/api/v1/cases/{suspended}/resume", Scope.CASES_WRITE, None),
    ("post", "/api/v1/cases/{case}/extend", Scope.CASES_WRITE, {"days": 5, "reason": "advies"}),
    ("get", "/api/v1/documents/search", Scope.DOCUMENTS_READ, {"q": "plan"}),
    ("get", "/api/v1/documents/{document}", Scope.DOCUMENTS_READ, None),
    ("get", "/api/v1/documents/{document}/versions", Scope.DOCUMENTS_READ, None),
    ("get", "/api/v1/documents/{document}/versions/1/file", Scope.DOCUMENTS_READ, None),
    ("get", "/api/v1/documents/{document}/versions/1/text", Scope.DOCUMENTS_READ, None),
    ("post", "/api/v1/documents", Scope.DOCUMENTS_WRITE, lambda: {"file": upload("plan.pdf", PDF)}),
    (
        "post",
        "/api/v1/documents/{document}/versions",
        Scope.DOCUMENTS_WRITE,
        lambda: {"file": upload("v.pdf", PDF)},
    ),
    ("post", "/api/v1/documents/{document}/versions/1/text/retry", Scope.DOCUMENTS_WRITE, None),
    ("get", "/api/v1/post-items", Scope.POST_READ, None),
    ("get", "/api/v1/post-items/{item}", Scope.POST_READ, None),
    (
        "post",
        "/api/v1/post-items",
        Scope.POST_WRITE,
        lambda: {
            "channel": "email",
            "subject": "Vraag",
            "department": "{department}",
            "correspondent_name": "X",
        },
    ),
    ("post", "/api/v1/post-items/{assigned}/assign", Scope.POST_WRITE, {"reason": "terug naar de wachtrij"}),
    ("post", "/api/v1/post-items/{item}/status", Scope.POST_WRITE, {"status": "filed", "reason": "reclame"}),
]


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def paths(jan: Party, front_desk: User, handler: User, permit_type: CaseType) -> dict[str, str]:
    moment: ContactMoment = register_contact_moment(
        by=front_desk, channel="phone", summary="Vraag", party=jan
    )

    def new_case() -> Case:
        case = register_case(
            case_type=permit_type, by=handler, subject="Terras", attributes={"soort": "bouwen"}
        )
        complete_case_task(task=case.tasks.get(), by=handler)
        return case

    document = store_document(file=upload("plan.pdf", PDF), title="Plan", by=handler)
    DocumentVersion.objects.filter(document=document).update(text_state=TextState.FAILED, text_error="x")
    case, treated, suspended = new_case(), new_case(), new_case()
    item = register_incoming(
        by=front_desk, channel="paper", department=front_desk.department, subject="Brief", party=jan
    )
    assigned = register_incoming(
        by=front_desk,
        channel="paper",
        department=front_desk.department,
        subject="Brief",
        party=jan,
        handler=front_desk,
    )
    set_status(case=treated, status_type=treated.version.status_types.get(name="In behandeling"), by=handler)
    suspend_case(case=suspended, by=handler, reason="wacht op plannen")
    return {
        "party": str(jan.uuid),
        "moment": str(moment.uuid),
        "case": str(case.uuid),
        "treated": str(treated.uuid),
        "suspended": str(suspended.uuid),
        "document": str(document.uuid),
        "item": str(item.uuid),
        "assigned": str(assigned.uuid),
        "department": str(front_desk.department.uuid),
    }


def _call(client: ApiClient, method: str, path: str, body: Any, paths: dict[str, str]) -> Any:
    if callable(body):  # a multipart upload, made anew for each call; "{name}" values from `paths`
        data = {
            key: value.format(**paths) if isinstance(value, str) else value for key, value in body().items()
        }
        return client.client.post(path, data, headers=client._headers())
    if method == "get":
        return client.get(path, body)
    return getattr(client, method)(path, body)


@pytest.mark.parametrize(("method", "path", "scope", "body"), ENDPOINTS)
def test_a_token_without_the_scope_is_refused_and_changes_nothing(
    client_of: Callable[..., ApiClient],
    burgerzaken: Department,
    paths: dict[str, str],
    method: str,
    path: str,
    scope: Scope,
    body: Any,
) -> None:
    # given: every scope but this one
    client = client_of(burgerzaken, [s for s in ALL_SCOPES if s != scope])
    before = row_counts()
    # when
    response = _call(client, method, path.format(**paths), body, paths)
    # then
    assert response.status_code == 403
    assert response.json() == {"detail": f"Deze toepassing heeft het recht '{scope.value}' niet."}
    assert row_counts() == before


@pytest.mark.parametrize(("method", "path", "scope", "body"), ENDPOINTS)
def test_a_token_with_only_the_scope_is_served(
    client_of: Callable[..., ApiClient],
    burgerzaken: Department,
    paths: dict[str, str],
    method: str,
    path: str,
    scope: Scope,
    body: Any,
) -> None:
    # given
    client = client_of(burgerzaken, [scope])
    # when
    response = _call(client, method, path.format(**paths), body, paths)
    # then
    assert response.status_code in (200, 201), response.content


def test_the_scope_is_checked_before_the_input(
    client_of: Callable[..., ApiClient], burgerzaken: Department
) -> None:
    # given
    reader = client_of(burgerzaken, ["parties:read"])
    # when: invalid input, and no right to write anyway
    response = reader.post("/api/v1/parties", {"kind": "robot"})
    # then
    assert response.status_code == 403


def test_every_endpoint_in_the_api_is_covered_here() -> None:
    from balie.api.openapi import openapi_document

    documented = {
        (method, path, operation["x-scope"])
        for path, operations in openapi_document()["paths"].items()
        for method, operation in operations.items()
    }
    listed = {
        (
            method,
            path.replace("{party}", "{party_uuid}")
            .replace("{moment}", "{contact_moment_uuid}")
            .replace("{case}", "{case_uuid}")
            .replace("{treated}", "{case_uuid}")
            .replace("{suspended}", "{case_uuid}")
            .replace("{document}", "{document_uuid}")
            .replace("/1/", "/{number}/")
            .replace("{assigned}", "{item_uuid}")
            .replace("{item}", "{item_uuid}"),
            scope.value,
        )
        for method, path, scope, _body in ENDPOINTS
    }
    assert documented == listed
