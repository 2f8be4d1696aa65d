"""Another system reads a document, its versions and their text, and downloads a version with the
same headers as the back-office; a confidential document of another department does not exist for
it, and a document about a person is in the access log at every download."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from balie.accounts.models import Department, User
from balie.audit.models import PersonalDataAccess
from balie.core.worker import run_ready_tasks
from balie.documents.actions import add_version, store_document
from balie.documents.models import Document, DocumentVersion, TextState
from balie.documents.tests import samples
from balie.documents.tests.samples import upload
from balie.parties.models import Party

from .conftest import ApiClient


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def nota(front_desk: User, jan: Party) -> Document:
    document = store_document(
        file=upload("nota.txt", b"Eerste versie"), title="Nota", by=front_desk, party=jan
    )
    add_version(document=document, file=upload("nota.pdf", samples.text_pdf("Tweede versie")), by=front_desk)
    run_ready_tasks()
    return document


def test_it_reads_a_document_and_its_versions(api: ApiClient, nota: Document, jan: Party) -> None:
    body = api.get(f"/api/v1/documents/{nota.uuid}").json()

    assert body["title"] == "Nota" and body["current_version"]["number"] == 2
    assert body["current_version"]["text"]["state"] == "done"
    assert body["current_version"]["text"]["method"] == "text_layer"
    assert body["current_version"]["text"]["pages"] == 1
    assert body["links"] == [{"kind": "party", "uuid": str(jan.uuid), "label": "Peeters Jan"}]
    versions = api.get(f"/api/v1/documents/{nota.uuid}/versions").json()["results"]
    assert [(v["number"], v["mime_type"], v["original_filename"]) for v in versions] == [
        (2, "application/pdf", "nota.pdf"),
        (1, "text/plain", "nota.txt"),
    ]
    text = api.get(f"/api/v1/documents/{nota.uuid}/versions/1/text").json()
    assert text == {
        "number": 1,
        "text": {
            "state": "done",
            "method": "file",
            "pages": None,
            "error": "",
            "done_at": text["text"]["done_at"],
        },
        "content": "Eerste versie",
    }


def test_it_downloads_a_version_with_the_backoffice_headers_and_logs_the_person(
    api: ApiClient, website: Any, nota: Document, jan: Party
) -> None:
    response = api.get(f"/api/v1/documents/{nota.uuid}/versions/1/file")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Eerste versie"
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'attachment; filename="nota.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    access = PersonalDataAccess.objects.get()
    assert (access.subject_uuid, access.channel, access.application) == (jan.uuid, "api", "Website")


def test_an_unknown_version_is_not_found(api: ApiClient, nota: Document) -> None:
    assert api.get(f"/api/v1/documents/{nota.uuid}/versions/3/file").status_code == 404
    assert api.get(f"/api/v1/documents/{nota.uuid}/versions/3/text").status_code == 404


def test_an_outsider_gets_404_for_everything_of_a_confidential_document(
    client_of: Callable[..., ApiClient], handler: User, burgerzaken: Department
) -> None:
    document = store_document(file=upload("a.txt", b"Geheim"), title="Tucht", by=handler, confidential=True)
    outsider = client_of(burgerzaken)
    before = PersonalDataAccess.objects.count()

    for path in ("", "/versions", "/versions/1/file", "/versions/1/text"):
        response = outsider.get(f"/api/v1/documents/{document.uuid}{path}")
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Niet gevonden."}
    assert (
        outsider.client.post(
            f"/api/v1/documents/{document.uuid}/versions/1/text/retry", headers=outsider._headers()
        ).status_code
        == 404
    )
    assert PersonalDataAccess.objects.count() == before


def test_a_failed_text_is_retried(api: ApiClient, front_desk: User) -> None:
    document = store_document(file=upload("a.txt", b"Nota over de markt"), title="Nota", by=front_desk)
    DocumentVersion.objects.filter(document=document).update(text_state=TextState.FAILED, text_error="kapot")
    # when
    response = api.client.post(
        f"/api/v1/documents/{document.uuid}/versions/1/text/retry", headers=api._headers()
    )
    # then
    assert response.status_code == 200
    assert response.json()["text"]["state"] == "waiting"
    run_ready_tasks()
    assert (
        api.get(f"/api/v1/documents/{document.uuid}/versions/1/text").json()["content"]
        == "Nota over de markt"
    )
    again = api.client.post(
        f"/api/v1/documents/{document.uuid}/versions/1/text/retry", headers=api._headers()
    )
    assert again.status_code == 422
    assert again.json()["errors"] == {"text": ["Alleen een mislukte tekstherkenning kan opnieuw."]}
