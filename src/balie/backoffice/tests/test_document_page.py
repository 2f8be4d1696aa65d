"""One document: its versions with the state of their text (method, pages, why it failed), what it
belongs to, the text read; "Opnieuw proberen" where reading failed. Outsiders get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balie.core.worker import run_ready_tasks
from balie.documents.actions import add_version, store_document
from balie.documents.models import DocumentVersion, TextState
from balie.documents.tests import samples
from balie.documents.tests.samples import upload

from .conftest import client_for, html


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def nota(front_desk, jan):
    document = store_document(
        file=upload("nota.txt", b"Eerste versie over de markt"), title="Nota", by=front_desk
    )
    add_version(document=document, file=upload("nota.pdf", samples.text_pdf("Tweede versie")), by=front_desk)
    run_ready_tasks()
    return document


def url(document) -> str:
    return reverse("backoffice:document", args=[document.uuid])


def test_the_page_shows_the_versions_and_their_text(front_desk, nota):
    page = html(client_for(front_desk).get(url(nota)))

    assert '<h1 id="document-title">Nota</h1>' in page
    assert page.count("tekst gelezen") == 2
    assert "tekstlaag van de PDF · 1 pagina" in page and "tekst van het bestand" in page
    assert reverse("backoffice:document_download", args=[nota.uuid, 2]) in page
    assert "Gelezen tekst van versie 2" in page and "Tweede versie" in page
    assert "Opnieuw proberen" not in page


def test_a_failed_version_shows_why_and_is_retried_from_the_page(front_desk, nota):
    DocumentVersion.objects.filter(document=nota, number=1).update(
        text_state=TextState.FAILED, text_error="De tekstherkenning (Tesseract) gaf een fout: kapot"
    )
    client = client_for(front_desk)
    page = html(client.get(url(nota)))
    assert "De tekstherkenning (Tesseract) gaf een fout: kapot" in page
    assert page.count("Opnieuw proberen") == 1

    response = client.post(reverse("backoffice:document_text_retry", args=[nota.uuid, 1]), follow=True)

    assert "De tekst van versie 1 wordt opnieuw gelezen." in html(response)
    run_ready_tasks()
    version = DocumentVersion.objects.get(document=nota, number=1)
    assert (version.text_state, version.text) == (TextState.DONE, "Eerste versie over de markt")


def test_a_version_that_did_not_fail_is_not_retried(front_desk, nota):
    response = client_for(front_desk).post(
        reverse("backoffice:document_text_retry", args=[nota.uuid, 2]), follow=True
    )

    assert "Alleen een mislukte tekstherkenning kan opnieuw." in html(response)
    assert DocumentVersion.objects.get(document=nota, number=2).text_attempts == 1


def test_the_page_names_what_the_document_belongs_to(front_desk, jan):
    document = store_document(file=upload("a.pdf", samples.PDF), title="Plan", by=front_desk, party=jan)

    page = html(client_for(front_desk).get(url(document)))

    assert f'<a href="{reverse("backoffice:party", args=[jan.uuid])}">Peeters Jan</a>' in page


def test_a_confidential_document_of_another_department_is_not_found(handler, front_desk):
    document = store_document(file=upload("a.txt", b"Geheim"), title="Tucht", by=handler, confidential=True)
    DocumentVersion.objects.filter(document=document).update(text_state=TextState.FAILED)
    client = client_for(front_desk)

    assert client.get(url(document)).status_code == 404
    assert client.post(reverse("backoffice:document_text_retry", args=[document.uuid, 1])).status_code == 404
    assert DocumentVersion.objects.get(document=document).text_state == TextState.FAILED


def test_outsiders_get_nothing(citizen, client, nota):
    assert client_for(citizen).get(url(nota)).status_code == 404
    assert client.get(url(nota)).status_code == 302


def test_the_party_page_lists_its_documents(front_desk, handler, jan):
    store_document(file=upload("a.pdf", samples.PDF), title="Bouwplan", by=front_desk, party=jan)
    store_document(file=upload("b.pdf", samples.PDF), title="Tucht", by=handler, party=jan, confidential=True)

    page = html(client_for(front_desk).get(reverse("backoffice:party", args=[jan.uuid])))

    assert "Bouwplan" in page and "Tucht" not in page
    assert 'id="party-documents-title">Documenten</h2>' in page


def test_the_contact_page_lists_its_documents(front_desk, handler, jan):
    from balie.contact_moments.actions import attach_document_to_contact_moment, register_contact_moment

    moment = register_contact_moment(by=front_desk, channel="counter", party=jan, summary="Formulier")
    attach_document_to_contact_moment(
        contact_moment=moment, by=front_desk, file=upload("f.pdf", samples.PDF), title="Ingevuld formulier"
    )

    page = html(client_for(front_desk).get(reverse("backoffice:contact_moment", args=[moment.uuid])))

    assert "Ingevuld formulier" in page and 'id="contact-documents-title"' in page
