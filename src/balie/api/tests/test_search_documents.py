"""Another system searches documents: ranked hits with a snippet and what each belongs to, a page
at a time; a confidential document of another department is never a hit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from balie.accounts.models import Department, User
from balie.core.worker import run_ready_tasks
from balie.documents.actions import store_document
from balie.documents.tests.samples import upload

from .conftest import ApiClient


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored(user: User, title: str, text: str, **options: Any) -> None:
    store_document(file=upload(f"{title}.txt", text.encode()), title=title, by=user, **options)


def test_it_finds_documents_by_their_text(api: ApiClient, front_desk: User) -> None:
    stored(front_desk, "Verslag", "Wij ontvingen uw brief over het terras.")
    stored(front_desk, "Nota", "Over de markt.")
    run_ready_tasks()
    # when
    response = api.get("/api/v1/documents/search", {"q": "brieven terras"})
    # then
    assert response.status_code == 200
    [hit] = response.json()["results"]
    assert hit["document"]["title"] == "Verslag" and hit["rank"] > 0
    assert "<mark>brief</mark>" in hit["snippet"] and "<mark>terras</mark>" in hit["snippet"]
    assert response.json()["next"] is None


def test_results_come_a_page_at_a_time(api: ApiClient, front_desk: User) -> None:
    for number in range(3):
        stored(front_desk, f"Verslag {number}", "Over het terras.")
    run_ready_tasks()

    first = api.get("/api/v1/documents/search", {"q": "terras", "page_size": 2}).json()
    second = api.client.get(first["next"], headers=api._headers()).json()

    assert len(first["results"]) == 2 and len(second["results"]) == 1 and second["next"] is None
    titles = {hit["document"]["title"] for hit in first["results"] + second["results"]}
    assert titles == {"Verslag 0", "Verslag 1", "Verslag 2"}


def test_a_confidential_document_of_another_department_is_never_a_hit(
    client_of: Callable[..., ApiClient], handler: User, burgerzaken: Department, omgeving: Department
) -> None:
    stored(handler, "Tucht", "Het tuchtdossier.", confidential=True)
    run_ready_tasks()

    assert client_of(burgerzaken).get("/api/v1/documents/search", {"q": "tuchtdossier"}).json() == {
        "results": [],
        "next": None,
    }
    [hit] = client_of(omgeving).get("/api/v1/documents/search", {"q": "tuchtdossier"}).json()["results"]
    assert hit["document"]["title"] == "Tucht"


def test_a_query_is_required(api: ApiClient) -> None:
    response = api.get("/api/v1/documents/search")

    assert response.status_code == 422
    assert response.json()["errors"] == {"q": ["Dit veld is verplicht."]}
