"""Documenten: an employee searches the title and text of documents; each hit shows its snippet,
type, date and what it belongs to; what they may not see is not there; outsiders get nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from balie.core.worker import run_ready_tasks
from balie.documents.actions import store_document
from balie.documents.tests.samples import upload

from .conftest import client_for, html

URL = reverse("backoffice:documents")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored(user, title: str, text: str, **options):  # type: ignore[no-untyped-def]
    return store_document(file=upload(f"{title}.txt", text.encode()), title=title, by=user, **options)


def test_a_hit_shows_its_snippet_type_date_and_what_it_belongs_to(front_desk, jan):
    document = stored(front_desk, "Aanvraag terras", "Wij ontvingen uw brief over het terras.", party=jan)
    run_ready_tasks()

    page = html(client_for(front_desk).get(URL, {"q": "brieven"}))

    assert f'href="{reverse("backoffice:document", args=[document.uuid])}">Aanvraag terras</a>' in page
    assert "ontvingen uw <mark>brief</mark> over het terras" in page
    assert ">tekst</span>" in page and "versie 1" in page
    assert f'href="{reverse("backoffice:party", args=[jan.uuid])}">Peeters Jan</a>' in page
    assert "Resultaten 1–1, de best passende eerst" in page


def test_nothing_found_says_so(front_desk):
    page = html(client_for(front_desk).get(URL, {"q": "kerkhof"}))

    assert "Geen document gevonden voor ‘kerkhof’." in page


def test_the_search_box_answers_htmx_with_the_results_only(front_desk):
    stored(front_desk, "Nota markt", "Over de markt.")
    run_ready_tasks()

    response = client_for(front_desk).get(URL, {"q": "markt"}, headers={"HX-Request": "true"})

    assert "Nota markt" in html(response) and "<html" not in html(response)


def test_a_confidential_document_of_another_department_is_not_there(handler, front_desk):
    stored(handler, "Tuchtdossier", "Het tuchtdossier van een personeelslid.", confidential=True)
    run_ready_tasks()

    assert "Tuchtdossier" in html(client_for(handler).get(URL, {"q": "tuchtdossier"}))
    page = html(client_for(front_desk).get(URL, {"q": "tuchtdossier"}))
    assert "Tuchtdossier" not in page and "Geen document gevonden" in page


def test_results_come_twenty_a_page(front_desk):
    for number in range(21):
        stored(front_desk, f"Verslag {number:02d}", "De vergadering over het terras.")
    run_ready_tasks()
    client = client_for(front_desk)

    first = html(client.get(URL, {"q": "terras"}))
    second = html(client.get(URL, {"q": "terras", "pagina": "2"}))

    assert first.count('class="result"') == 20 and "pagina=2" in first
    assert second.count('class="result"') == 1 and "Resultaten 21–21" in second and "pagina=1" in second


def test_the_page_reads_the_same_number_of_rows_however_many_hits(front_desk, jan):
    client = client_for(front_desk)
    stored(front_desk, "Verslag", "Over het terras.", party=jan)
    run_ready_tasks()
    client.get(URL, {"q": "terras"})
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"q": "terras"})
    for number in range(5):
        stored(front_desk, f"Verslag {number}", "Over het terras.", party=jan)
    run_ready_tasks()
    with CaptureQueriesContext(connection) as many:
        client.get(URL, {"q": "terras"})

    assert len(many.captured_queries) == len(few.captured_queries)


def test_outsiders_get_nothing(citizen, client, front_desk):
    stored(front_desk, "Verslag", "Over het terras.")
    run_ready_tasks()

    assert client_for(citizen).get(URL, {"q": "terras"}).status_code == 404
    anonymous = client.get(URL, {"q": "terras"})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("backoffice:login"))
