"""What waits for whom ("Te keuren / te ondertekenen"), what an author sees of their requests, and
who sees a request at all: whoever may see its document."""

from __future__ import annotations

import pytest
from django.http import Http404

from balie.documents.actions import destroy_documents, store_document
from balie.documents.models import SigningEvent, SigningRequest, SigningStep
from balie.documents.signing.actions import approve, request_signing, sign
from balie.documents.signing.queries import get_signing_request_for, my_requests, waiting_for_me

from .signing_fixtures import pdf_upload

pytestmark = pytest.mark.django_db


def test_the_request_waits_for_the_approver_then_for_the_signer(
    handler, lead, directeur, front_desk, letter, approved_letter_procedure, municipality_certificate
):
    request = request_signing(document=letter, procedure=approved_letter_procedure, by=handler)
    assert [r.pk for r in waiting_for_me(lead)] == [request.pk]
    assert waiting_for_me(directeur) == []
    assert waiting_for_me(handler) == []  # the author waits, but nothing waits for them
    assert waiting_for_me(front_desk) == []

    approve(request=request, by=lead)
    assert waiting_for_me(lead) == []
    assert [r.pk for r in waiting_for_me(directeur)] == [request.pk]

    sign(request=request, by=directeur)
    assert waiting_for_me(directeur) == []
    assert [(r.pk, r.state) for r in my_requests(handler)] == [(request.pk, "signed")]
    assert my_requests(lead) == []


def test_in_a_two_signer_procedure_only_the_one_whose_turn_it_is_sees_it(
    handler, burgemeester, directeur, letter, two_signers_procedure, municipality_certificate
):
    request = request_signing(document=letter, procedure=two_signers_procedure, by=handler)
    assert [r.pk for r in waiting_for_me(burgemeester)] == [request.pk]
    assert waiting_for_me(directeur) == []
    sign(request=request, by=burgemeester)
    assert waiting_for_me(burgemeester) == []
    assert [r.pk for r in waiting_for_me(directeur)] == [request.pk]


def test_a_request_of_a_confidential_document_is_not_found_outside_its_department(
    handler,
    lead,
    front_desk,
    citizen,
    approved_letter_procedure,
    directeur_function,
    municipality_certificate,
):
    from balie.documents.signing import procedures

    procedure = procedures.create_procedure(name="Teamlead tekent", approval_required=True, by=None)
    procedures.add_signer(procedure=procedure, user=lead, by=None)
    secret = store_document(file=pdf_upload(), title="Vertrouwelijk", confidential=True, by=handler)
    request = request_signing(document=secret, procedure=procedure, by=handler)
    assert get_signing_request_for(lead, request.uuid) == request
    for outsider in (front_desk, citizen):
        with pytest.raises(Http404):
            get_signing_request_for(outsider, request.uuid)
        assert waiting_for_me(outsider) == []


def test_destroying_a_document_takes_its_signing_history_along(
    handler, burgemeester, letter, two_signers_procedure, municipality_certificate
):
    request = request_signing(document=letter, procedure=two_signers_procedure, by=handler)
    sign(request=request, by=burgemeester)
    assert destroy_documents(documents=[letter], by=None, reason="Bewaartermijn verstreken") == 1
    assert not SigningRequest.objects.exists()
    assert not SigningStep.objects.exists()
    assert not SigningEvent.objects.exists()
