"""/api/v1/post-items: another system registers incoming post with its scan (multipart), lists the
register (keyset pages), reads an item, assigns it and changes its status. Scopes post:read and
post:write; a confidential item of another department is not found; a refusal changes nothing and
takes no register number."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from balie.accounts.models import Department, User
from balie.api.models import Scope
from balie.audit.models import PersonalDataAccess
from balie.core.models import Counter
from balie.correspondence.actions import register_incoming
from balie.correspondence.models import PostItem, PostStatus
from balie.correspondence.tests.conftest import media_root  # noqa: F401 - files under a MEDIA_ROOT of each test's own
from balie.correspondence.tests.samples import encrypted_pdf, scanned_letter, stored_files, upload
from balie.documents.models import Document
from balie.parties.models import Party

from .conftest import ALL_SCOPES, ApiClient

URL = "/api/v1/post-items"
pytestmark = pytest.mark.django_db


def _post_multipart(client: ApiClient, path: str, data: dict[str, Any]) -> Any:
    return client.client.post(path, data, headers=client._headers())


@pytest.fixture
def registrar(omgeving: Department, client_of: Callable[..., ApiClient]) -> ApiClient:
    """The e-loket of Omgeving, which passes on letters it receives."""
    return client_of(omgeving, [Scope.POST_READ, Scope.POST_WRITE])


def _fields(omgeving: Department, jan: Party, **extra: Any) -> dict[str, Any]:
    return {
        "channel": "paper",
        "subject": "Bezwaar tegen de bouwaanvraag",
        "department": str(omgeving.uuid),
        "party": str(jan.uuid),
        "reference": "JP-1",
        **extra,
    }


def test_it_registers_incoming_post_with_its_scan(
    registrar: ApiClient, omgeving: Department, jan: Party
) -> None:
    response = _post_multipart(
        registrar, URL, {**_fields(omgeving, jan), "scan": upload("scan.pdf", scanned_letter())}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    item = PostItem.objects.get()
    year = timezone.localdate().year
    assert body["number"] == item.number == f"IN-{year}-000001"
    assert (body["direction"], body["channel"], body["status"], body["reference"]) == (
        "in",
        "paper",
        "registered",
        "JP-1",
    )
    assert body["party"] == {"uuid": str(jan.uuid), "kind": "person", "display_name": "Peeters Jan"}
    assert body["department"] == {"uuid": str(omgeving.uuid), "name": "Omgeving"}
    assert body["deadline"] == item.deadline.isoformat() and body["overdue"] is False
    [document] = body["documents"]
    assert (document["role"], document["mime_type"], document["version"]) == ("scan", "application/pdf", 1)
    assert [(e["sequence"], e["kind"]) for e in body["history"]] == [(1, "registered"), (2, "document")]
    assert PersonalDataAccess.objects.filter(subject_uuid=jan.uuid, channel="api").exists()


def test_an_encrypted_scan_is_refused_and_nothing_is_registered(
    registrar: ApiClient, omgeving: Department, jan: Party, settings: Any
) -> None:
    response = _post_multipart(
        registrar, URL, {**_fields(omgeving, jan), "scan": upload("scan.pdf", encrypted_pdf())}
    )

    assert response.status_code == 422
    [message] = response.json()["errors"]["scan"]
    assert message.startswith("Dit PDF-bestand is beveiligd met een wachtwoord;")
    assert PostItem.objects.count() == 0 and Document.objects.count() == 0
    assert Counter.objects.filter(register="IN").count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []


def test_unknown_references_are_field_errors(registrar: ApiClient, omgeving: Department, jan: Party) -> None:
    response = _post_multipart(
        registrar,
        URL,
        _fields(omgeving, jan, department="6a1f2e7c-0000-4000-8000-000000000000", subject=""),
    )

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"department"}
    assert PostItem.objects.count() == 0


def test_the_register_is_listed_newest_first_in_keyset_pages(
    registrar: ApiClient, omgeving: Department, jan: Party, handler: User
) -> None:
    items = [
        register_incoming(by=handler, channel="email", department=omgeving, subject=f"Brief {i}", party=jan)
        for i in range(5)
    ]

    numbers: list[str] = []
    url: str | None = f"{URL}?page_size=2"
    while url:
        body = registrar.get(re.sub(r"^https?://[^/]+", "", url)).json()
        numbers += [row["number"] for row in body["results"]]
        url = body["next"]

    assert numbers == [item.number for item in reversed(items)]


def test_filters_narrow_the_list(
    registrar: ApiClient, omgeving: Department, burgerzaken: Department, jan: Party, handler: User
) -> None:
    mine = register_incoming(by=handler, channel="email", department=omgeving, subject="Hier", party=jan)
    register_incoming(by=handler, channel="paper", department=burgerzaken, subject="Daar", party=jan)

    body = registrar.get(URL, {"department": str(omgeving.uuid), "open": "true"}).json()

    assert [row["number"] for row in body["results"]] == [mine.number]


def test_a_confidential_item_of_another_department_is_not_found(
    client_of: Callable[..., ApiClient],
    omgeving: Department,
    burgerzaken: Department,
    jan: Party,
    handler: User,
) -> None:
    secret = register_incoming(
        by=handler, channel="paper", department=omgeving, subject="Geheim", party=jan, confidential=True
    )
    outsider = client_of(burgerzaken, ALL_SCOPES)

    assert outsider.get(f"{URL}/{secret.uuid}").status_code == 404
    assert outsider.get(f"{URL}/{secret.number}").status_code == 404
    assert outsider.get(URL).json()["results"] == []
    response = outsider.post(f"{URL}/{secret.uuid}/status", {"status": "filed", "reason": "weg"})
    assert response.status_code == 404
    secret.refresh_from_db()
    assert secret.status == PostStatus.REGISTERED


def test_an_item_is_read_by_its_number(
    registrar: ApiClient, omgeving: Department, jan: Party, handler: User
) -> None:
    item = register_incoming(by=handler, channel="email", department=omgeving, subject="Vraag", party=jan)

    response = registrar.get(f"{URL}/{item.number}")

    assert response.status_code == 200 and response.json()["uuid"] == str(item.uuid)


def test_it_assigns_and_works_an_item(
    registrar: ApiClient, omgeving: Department, handler: User, jan: Party
) -> None:
    item = register_incoming(by=handler, channel="email", department=omgeving, subject="Vraag", party=jan)

    assigned = registrar.post(f"{URL}/{item.uuid}/assign", {"handler": str(handler.uuid)})
    started = registrar.post(f"{URL}/{item.uuid}/status", {"status": "in_treatment"})
    answered = registrar.post(f"{URL}/{item.uuid}/status", {"status": "answered", "reason": "Telefonisch"})

    assert assigned.status_code == 200 and assigned.json()["handler"]["uuid"] == str(handler.uuid)
    assert started.json()["status"] == "in_treatment"
    assert answered.json()["status"] == "answered"
    assert [e["to_status"] for e in answered.json()["history"]][-3:] == [
        "assigned",
        "in_treatment",
        "answered",
    ]


def test_a_move_the_workflow_refuses_is_422_and_changes_nothing(
    registrar: ApiClient, omgeving: Department, jan: Party, handler: User
) -> None:
    item = register_incoming(by=handler, channel="email", department=omgeving, subject="Vraag", party=jan)

    response = registrar.post(f"{URL}/{item.uuid}/status", {"status": "answered"})

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "reply": ["Kies het uitgaande antwoord, of zeg hoe er geantwoord werd."]
    }
    item.refresh_from_db()
    assert (item.status, item.history_count) == (PostStatus.REGISTERED, 1)


@pytest.mark.parametrize(
    ("method", "path", "scope"),
    [
        ("get", URL, Scope.POST_READ),
        ("get", URL + "/{item}", Scope.POST_READ),
        ("post", URL + "/{item}/assign", Scope.POST_WRITE),
        ("post", URL + "/{item}/status", Scope.POST_WRITE),
    ],
)
def test_each_endpoint_needs_its_scope(
    client_of: Callable[..., ApiClient],
    omgeving: Department,
    jan: Party,
    method: str,
    path: str,
    scope: Scope,
    handler: User,
) -> None:
    item = register_incoming(by=handler, channel="email", department=omgeving, subject="Vraag", party=jan)
    client = client_of(omgeving, [s for s in ALL_SCOPES if s != scope])

    url = path.format(item=item.uuid)
    response = client.get(url) if method == "get" else client.post(url, {"status": "in_treatment"})

    assert response.status_code == 403
    assert response.json() == {"detail": f"Deze toepassing heeft het recht '{scope.value}' niet."}
    item.refresh_from_db()
    assert (item.status, item.history_count) == (PostStatus.REGISTERED, 1)


def test_registering_needs_post_write(
    client_of: Callable[..., ApiClient], omgeving: Department, jan: Party
) -> None:
    reader = client_of(omgeving, [Scope.POST_READ])

    response = _post_multipart(reader, URL, _fields(omgeving, jan))

    assert response.status_code == 403
    assert PostItem.objects.count() == 0


def test_without_a_token_nothing_is_served(omgeving: Department, jan: Party) -> None:
    response = _post_multipart(ApiClient(), URL, _fields(omgeving, jan))

    assert response.status_code == 401
    assert PostItem.objects.count() == 0
