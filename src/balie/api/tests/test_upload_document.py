"""Another system uploads a document (multipart), and a new version of it: the type is read from
the content, a bad file is refused with a Dutch message and nothing is stored."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from balie.accounts.models import Department, User
from balie.core.worker import run_ready_tasks
from balie.documents.actions import store_document
from balie.documents.models import Document, DocumentVersion, PartyDocument
from balie.documents.tests import samples
from balie.documents.tests.samples import stored_files, upload
from balie.parties.models import Party

from .conftest import ApiClient, row_counts


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def post_file(api: ApiClient, path: str, data: dict[str, Any]) -> Any:
    return api.client.post(path, data, headers=api._headers())


def test_it_uploads_a_document_for_a_party(api: ApiClient, website: Any, jan: Party) -> None:
    content = samples.text_pdf("Aanvraag terras")
    # when
    response = post_file(
        api,
        "/api/v1/documents",
        {"file": upload("aanvraag.docx", content), "title": "Aanvraag", "party": str(jan.uuid)},
    )
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    document = Document.objects.get(uuid=body["uuid"])
    assert (body["title"], body["confidential"], body["department"]["name"]) == (
        "Aanvraag",
        False,
        "Burgerzaken",
    )
    assert body["created_by"]["uuid"] == str(website.user.uuid)
    version = body["current_version"]
    assert (version["number"], version["size"], version["mime_type"]) == (1, len(content), "application/pdf")
    assert version["sha256"] == hashlib.sha256(content).hexdigest()
    assert version["original_filename"] == "aanvraag.docx"
    assert version["text"] == {"state": "waiting", "method": "", "pages": None, "error": "", "done_at": None}
    assert version["download"] == f"/api/v1/documents/{document.uuid}/versions/1/file"
    assert body["links"] == [{"kind": "party", "uuid": str(jan.uuid), "label": "Peeters Jan"}]
    assert PartyDocument.objects.get().party == jan


def test_it_uploads_a_confidential_document_only_its_department_sees(
    api: ApiClient, client_of: Callable[..., ApiClient], omgeving: Department
) -> None:
    response = post_file(
        api, "/api/v1/documents", {"file": upload("tucht.pdf", samples.PDF), "confidential": "true"}
    )
    assert response.status_code == 201
    uuid = response.json()["uuid"]
    # then
    assert api.get(f"/api/v1/documents/{uuid}").status_code == 200
    assert client_of(omgeving).get(f"/api/v1/documents/{uuid}").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", samples.EXE, "Dit soort bestand kan niet bewaard worden"),
        ("beveiligd.pdf", samples.encrypted_pdf(), "Dit PDF-bestand is beveiligd met een wachtwoord"),
        ("half.pdf", samples.text_pdf("Aanvraag")[:700], "Dit PDF-bestand is onvolledig"),
        ("leeg.pdf", b"", "Het bestand is leeg."),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_stored(
    api: ApiClient, media_root: Path, name: str, content: bytes, message: str
) -> None:
    before = row_counts()
    # when
    response = post_file(api, "/api/v1/documents", {"file": upload(name, content), "title": "X"})
    # then
    assert response.status_code == 422
    [error] = response.json()["errors"]["file"]
    assert error.startswith(message)
    assert row_counts() == before and stored_files(media_root) == []


def test_a_file_over_the_limit_is_refused(api: ApiClient, settings: Any, media_root: Path) -> None:
    settings.BALIE_DOCUMENT_MAX_BYTES = 1024
    content = samples.PDF[:-6] + b"%" * 2000 + samples.PDF[-6:]
    # when
    response = post_file(api, "/api/v1/documents", {"file": upload("groot.pdf", content)})
    # then
    assert response.status_code == 422
    assert response.json()["errors"] == {"file": ["Het bestand is te groot: het mag hoogstens 1,0 KB zijn."]}
    assert not Document.objects.exists() and stored_files(media_root) == []


def test_an_unknown_party_is_a_field_error(api: ApiClient, media_root: Path) -> None:
    response = post_file(
        api,
        "/api/v1/documents",
        {"file": upload("a.pdf", samples.PDF), "party": "6f1c5e9e-8d4b-4c0a-9c55-2f1a3b4c5d6e"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"party": ["Onbekende partij."]}
    assert stored_files(media_root) == []


def test_it_uploads_a_new_version(api: ApiClient, front_desk: User) -> None:
    document = store_document(file=upload("nota.txt", b"Eerste versie"), title="Nota", by=front_desk)
    # when
    response = post_file(
        api, f"/api/v1/documents/{document.uuid}/versions", {"file": upload("nota-v2.txt", b"Tweede versie")}
    )
    # then
    assert response.status_code == 201
    assert (response.json()["number"], response.json()["mime_type"]) == (2, "text/plain")
    document.refresh_from_db()
    assert document.current_version.number == 2
    run_ready_tasks()
    assert api.get(f"/api/v1/documents/{document.uuid}/versions/2/text").json()["content"] == "Tweede versie"


def test_an_outsider_cannot_add_a_version(
    client_of: Callable[..., ApiClient], handler: User, burgerzaken: Department, media_root: Path
) -> None:
    document = store_document(file=upload("a.txt", b"Geheim"), title="Tucht", by=handler, confidential=True)
    # when
    response = post_file(
        client_of(burgerzaken), f"/api/v1/documents/{document.uuid}/versions", {"file": upload("b.txt", b"x")}
    )
    # then
    assert response.status_code == 404
    assert DocumentVersion.objects.count() == 1 and len(stored_files(media_root)) == 1
