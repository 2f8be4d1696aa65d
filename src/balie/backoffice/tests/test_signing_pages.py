"""Signing through the pages: send a PDF for approval and signing, approve, sign, see the
signatures' validation; the work list; refusals shown at the form; outsiders see nothing."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from balie.documents.models import DocumentVersion, SigningRequest, SigningState
from balie.documents.signing.actions import request_signing

from .conftest import client_for, html

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _page(client: Client, document) -> str:
    response = client.get(reverse("backoffice:document_signing", args=[document.uuid]))
    assert response.status_code == 200
    return html(response)


def test_from_request_to_signature_through_the_pages(
    handler, team_lead, directeur, letter, approved_letter_procedure, municipality_certificate
):
    author, lead, signer = client_for(handler), client_for(team_lead), client_for(directeur)
    page = _page(author, letter)
    assert "Ter goedkeuring en ondertekening sturen" in page
    assert "Brief met handtekening algemeen directeur" in page

    response = author.post(
        reverse("backoffice:document_request_signing", args=[letter.uuid]),
        {"procedure": approved_letter_procedure.pk, "note": "Dringend"},
    )
    assert response.status_code == 302
    request = SigningRequest.objects.get()
    assert request.state == SigningState.APPROVAL

    work = html(lead.get(reverse("backoffice:signing")))
    assert "Beslissing omgevingsvergunning" in work and "Goedkeuren" in work
    assert "Er wacht niets op uw goedkeuring of handtekening." in html(
        signer.get(reverse("backoffice:signing"))
    )

    assert "Goedkeuren" in _page(lead, letter)
    assert (
        lead.post(reverse("backoffice:signing_approve", args=[request.uuid]), {"note": ""}).status_code == 302
    )

    page = _page(signer, letter)
    assert "Digitaal ondertekenen" in page
    assert "aan de beurt" in page
    response = signer.post(reverse("backoffice:signing_sign", args=[request.uuid]), {}, follow=True)
    assert "Ondertekend: de ondertekende PDF is de nieuwe versie van het document." in html(response)
    request.refresh_from_db()
    assert request.state == SigningState.SIGNED

    page = _page(author, letter)
    assert "Handtekeningen en validatie" in page
    assert "Gemeente Zonnedaal (test)" in page
    assert "ongewijzigd" in page
    assert "niet vertrouwd" in page  # the test root is not configured as trusted
    assert "versie 2" in page
    assert author.post(reverse("backoffice:signing_validate", args=[request.uuid])).status_code == 302
    assert list(request.events.values_list("kind", flat=True))[-1] == "validated"

    mine = html(author.get(reverse("backoffice:signing")))
    assert "Mijn aanvragen" in mine and "ondertekend" in mine


def test_a_refusal_without_a_reason_is_shown_at_the_form(
    handler, team_lead, letter, approved_letter_procedure, municipality_certificate
):
    request = request_signing(document=letter, procedure=approved_letter_procedure, by=handler)
    response = client_for(team_lead).post(
        reverse("backoffice:signing_refuse", args=[request.uuid]), {"reason": ""}
    )
    assert response.status_code == 422
    page = html(response)
    assert re.search(r'id="id_reason_error">\s*Dit veld is verplicht.', page)
    assert SigningRequest.objects.get(pk=request.pk).state == SigningState.APPROVAL


def test_signing_when_it_is_not_your_turn_is_refused_at_the_form(
    handler, team_lead, directeur, letter, approved_letter_procedure, municipality_certificate
):
    request = request_signing(document=letter, procedure=approved_letter_procedure, by=handler)
    response = client_for(directeur).post(reverse("backoffice:signing_sign", args=[request.uuid]), {})
    assert response.status_code == 422
    assert "Dit document moet eerst goedgekeurd worden." in html(response)
    assert DocumentVersion.objects.filter(document=letter).count() == 1


def test_a_document_that_is_not_a_pdf_says_so(handler, municipality_certificate, approved_letter_procedure):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from balie.documents.actions import store_document
    from balie.documents.tests.samples import docx

    document = store_document(file=SimpleUploadedFile("brief.docx", docx()), title="Concept", by=handler)
    page = _page(client_for(handler), document)
    assert "Alleen een PDF kan ondertekend worden." in page
    assert "Ter goedkeuring en ondertekening sturen" not in page


def test_outsiders_see_nothing_and_change_nothing(
    handler, front_desk, citizen, team_lead, approved_letter_procedure, municipality_certificate
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from balie.documents.actions import store_document
    from balie.documents.tests.signing_fixtures import letter_pdf

    secret = store_document(
        file=SimpleUploadedFile("advies.pdf", letter_pdf()),
        title="Vertrouwelijk advies",
        confidential=True,
        by=handler,
    )
    from balie.documents.signing import procedures

    procedure = procedures.create_procedure(name="Teamlead tekent", by=None)
    procedures.add_signer(procedure=procedure, user=team_lead, by=None)
    request = request_signing(document=secret, procedure=procedure, by=handler)
    pages = [
        reverse("backoffice:document_signing", args=[secret.uuid]),
    ]
    posts = [
        (reverse("backoffice:document_request_signing", args=[secret.uuid]), {"procedure": procedure.pk}),
        (reverse("backoffice:signing_approve", args=[request.uuid]), {}),
        (reverse("backoffice:signing_refuse", args=[request.uuid]), {"reason": "x"}),
        (reverse("backoffice:signing_sign", args=[request.uuid]), {}),
        (reverse("backoffice:signing_withdraw", args=[request.uuid]), {}),
        (reverse("backoffice:signing_validate", args=[request.uuid]), {}),
    ]
    for outsider in (front_desk, citizen):  # another department; a citizen account
        client = client_for(outsider)
        for path in pages:
            response = client.get(path)
            assert response.status_code == 404, path
            assert "Vertrouwelijk advies" not in html(response)
        for path, data in posts:
            assert client.post(path, data).status_code == 404, path
        work = client.get(reverse("backoffice:signing"))
        assert work.status_code == (200 if outsider is front_desk else 404)
        assert "Vertrouwelijk advies" not in html(work)
    anonymous = Client().get(reverse("backoffice:signing"))
    assert anonymous.status_code == 302
    request.refresh_from_db()
    assert request.state == SigningState.SIGNING
    assert list(request.events.values_list("kind", flat=True)) == ["requested"]
    assert DocumentVersion.objects.filter(document=secret).count() == 1


def test_the_work_list_costs_the_same_queries_for_one_row_or_many(
    handler, team_lead, approved_letter_procedure, municipality_certificate
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from balie.documents.actions import store_document
    from balie.documents.tests.signing_fixtures import letter_pdf

    client = client_for(team_lead)

    def queries_with(count: int) -> int:
        while SigningRequest.objects.count() < count:
            document = store_document(
                file=SimpleUploadedFile("b.pdf", letter_pdf()), title="Brief", by=handler
            )
            request_signing(document=document, procedure=approved_letter_procedure, by=handler)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("backoffice:signing")).status_code == 200
        return len(captured)

    assert queries_with(1) == queries_with(5)
