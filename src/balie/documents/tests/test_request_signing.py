"""Asking for signatures: the document's current version (a PDF) enters a procedure; what cannot
be signed is refused at once, with a clear message, and nothing is made."""

from __future__ import annotations

import io

import pikepdf
import pytest
from django.core.exceptions import ValidationError

from balie.audit.models import ChangeRecord
from balie.documents.actions import store_document
from balie.documents.models import Document, SigningRequest, SigningState, SigningStep, StepKind
from balie.documents.signing import procedures
from balie.documents.signing.actions import request_signing

from .samples import docx
from .signing_fixtures import pdf_upload

pytestmark = pytest.mark.django_db


def _refused(**kwargs) -> list[str]:
    before = SigningRequest.objects.count(), SigningStep.objects.count()
    with pytest.raises(ValidationError) as refused:
        request_signing(**kwargs)
    assert (SigningRequest.objects.count(), SigningStep.objects.count()) == before
    return refused.value.messages


def test_a_request_freezes_the_procedure_as_steps(
    handler, lead, letter, approved_letter_procedure, directeur_function, municipality_certificate
):
    request = request_signing(
        document=letter, procedure=approved_letter_procedure, by=handler, note="Graag vandaag"
    )
    assert request.state == SigningState.APPROVAL
    assert request.version == letter.current_version
    assert request.department == handler.department
    assert request.current_position == 0
    assert list(request.steps.values_list("position", "kind", "function__name", "certificate")) == [
        (0, StepKind.APPROVAL, None, ""),
        (1, StepKind.SIGNATURE, "Algemeen directeur", "municipality"),
    ]
    assert list(request.events.values_list("kind", "text")) == [("requested", "Graag vandaag")]
    assert ChangeRecord.objects.filter(object_uuid=request.uuid, action="create").count() == 1

    # A later change to the procedure does not move the request under way.
    procedures.update_procedure(procedure=approved_letter_procedure, approval_required=False, by=None)
    assert request.steps.count() == 2


def test_only_a_pdf_can_be_signed(handler, approved_letter_procedure, municipality_certificate, lead):
    document = store_document(file=pdf_upload(docx(), name="brief.docx"), title="Brief in Word", by=handler)
    assert _refused(document=document, procedure=approved_letter_procedure, by=handler) == [
        "Alleen een PDF kan ondertekend worden. Bewaar eerst een PDF-versie van dit document."
    ]


def test_an_encrypted_pdf_is_refused(handler, approved_letter_procedure, municipality_certificate, lead):
    from .signing_fixtures import letter_pdf

    source = pikepdf.open(io.BytesIO(letter_pdf()))
    encrypted = io.BytesIO()
    source.save(encrypted, encryption=pikepdf.Encryption(owner="eigenaar", user="", R=6))
    # The store refuses it at the door, so no such document ever reaches a signing request.
    with pytest.raises(ValidationError) as refused:
        store_document(file=pdf_upload(encrypted.getvalue()), title="Beveiligd", by=handler)

    assert refused.value.message_dict == {
        "file": ["Dit PDF-bestand is versleuteld; bewaar het zonder beveiliging en laad het opnieuw op."]
    }
    assert not Document.objects.filter(title="Beveiligd").exists()


def test_a_malformed_pdf_is_refused(handler, approved_letter_procedure, municipality_certificate, lead):
    broken = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\nxref\ngarbage\n%%EOF\n"
    with pytest.raises(ValidationError) as refused:
        store_document(file=pdf_upload(broken), title="Kapot", by=handler)

    assert refused.value.message_dict == {
        "file": ["Dit PDF-bestand is beschadigd en kan niet gelezen worden."]
    }
    assert not Document.objects.filter(title="Kapot").exists()


def test_a_second_request_for_the_same_document_is_refused(
    handler, letter, approved_letter_procedure, municipality_certificate, lead
):
    request_signing(document=letter, procedure=approved_letter_procedure, by=handler)
    assert _refused(document=letter, procedure=approved_letter_procedure, by=handler) == [
        "Voor dit document loopt al een aanvraag tot ondertekening."
    ]


def test_a_function_nobody_holds_cannot_sign(handler, letter, municipality_certificate, lead):
    vacant = procedures.create_function(name="Burgemeester", holder=None, by=None)
    procedure = procedures.create_procedure(name="Burgemeester tekent", by=None)
    procedures.add_signer(procedure=procedure, function=vacant, by=None)
    assert _refused(document=letter, procedure=procedure, by=handler) == [
        "Niemand bekleedt de functie Burgemeester: stel eerst in wie ze bekleedt."
    ]


def test_approval_needs_another_team_lead_of_the_department(
    handler, letter, approved_letter_procedure, municipality_certificate
):
    assert _refused(document=letter, procedure=approved_letter_procedure, by=handler) == [
        "Er is geen andere teamverantwoordelijke in deze dienst die kan goedkeuren."
    ]


def test_without_the_municipalitys_certificate_nothing_is_asked(
    settings, handler, letter, approved_letter_procedure, lead
):
    settings.BALIE_SIGNING_PKCS12 = ""
    settings.BALIE_SIGNING_PKCS12_BASE64 = ""
    assert _refused(document=letter, procedure=approved_letter_procedure, by=handler) == [
        "Er is geen certificaat van de gemeente ingesteld om mee te ondertekenen. Vraag de ICT-dienst "
        "BALIE_SIGNING_PKCS12 in te stellen."
    ]


def test_a_confidential_document_is_signed_only_within_its_department(
    handler, approved_letter_procedure, municipality_certificate, lead, directeur
):
    secret = store_document(file=pdf_upload(), title="Vertrouwelijk advies", confidential=True, by=handler)
    assert _refused(document=secret, procedure=approved_letter_procedure, by=handler) == [
        "Dit document is vertrouwelijk voor Omgeving; Katrien Lambrechts hoort niet bij die dienst en kan "
        "het niet ondertekenen."
    ]


def test_an_inactive_procedure_is_refused(
    handler, letter, approved_letter_procedure, municipality_certificate
):
    procedures.update_procedure(procedure=approved_letter_procedure, active=False, by=None)
    approved_letter_procedure.refresh_from_db()
    assert _refused(document=letter, procedure=approved_letter_procedure, by=handler) == [
        "Deze procedure is niet meer actief."
    ]


def test_a_document_the_employee_may_not_see_is_not_found(
    handler, front_desk, approved_letter_procedure, municipality_certificate
):
    secret = store_document(file=pdf_upload(), title="Vertrouwelijk", confidential=True, by=handler)
    assert _refused(document=secret, procedure=approved_letter_procedure, by=front_desk) == [
        "Dit document bestaat niet of u mag het niet zien."
    ]


def test_a_citizen_cannot_ask(citizen, letter, approved_letter_procedure, municipality_certificate):
    assert _refused(document=letter, procedure=approved_letter_procedure, by=citizen) == [
        "Alleen een medewerker kan om een handtekening vragen."
    ]
