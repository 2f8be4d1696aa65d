"""Signing in Balie: each signer in turn adds a PAdES signature with a visible block; the signed
PDF is the document's new version; every signature stays valid (pyHanko and poppler's pdfsig)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.audit.models import ChangeRecord
from balie.documents.actions import add_version
from balie.documents.models import (
    DocumentVersion,
    SigningEvent,
    SigningRequest,
    SigningState,
    SigningStep,
    StepState,
)
from balie.documents.signing.actions import approve, read_version, request_signing, sign
from balie.documents.signing.pades import validate_pdf

from .signing_fixtures import pdf_upload, pdfsig, pdftotext

pytestmark = pytest.mark.django_db


def test_two_signers_sign_in_order_and_both_signatures_stay_valid(
    handler,
    burgemeester,
    directeur,
    letter,
    two_signers_procedure,
    municipality_certificate,
    test_root,
    tmp_path,
):
    request = request_signing(document=letter, procedure=two_signers_procedure, by=handler)
    assert request.state == SigningState.SIGNING

    sign(request=request, by=burgemeester)
    request.refresh_from_db()
    assert request.state == SigningState.SIGNING
    assert request.current_position == 2
    letter.refresh_from_db()
    assert letter.current_version.number == 2

    sign(request=request, by=directeur)
    request.refresh_from_db()
    letter.refresh_from_db()
    assert request.state == SigningState.SIGNED
    assert request.finished_at is not None
    assert letter.current_version.number == 3
    assert request.signed_version_id == letter.current_version_id
    assert letter.current_version.mime_type == "application/pdf"

    data = read_version(letter.current_version)
    first = read_version(DocumentVersion.objects.get(document=letter, number=2))
    assert data.startswith(first)  # the second signature was appended: the first revision is untouched
    reports = validate_pdf(data, trust_roots=[test_root.certificate])
    assert [(r.signer, r.intact, r.valid, r.trusted, r.changes_allowed) for r in reports] == [
        ("Gemeente Zonnedaal (test)", True, True, True, True),
        ("Gemeente Zonnedaal (test)", True, True, True, True),
    ]
    assert [r.covers_whole_file for r in reports] == [False, True]
    assert all(r.signed_at is not None for r in reports)

    untrusted = validate_pdf(data, trust_roots=[])
    assert [(r.intact, r.valid, r.trusted) for r in untrusted] == [(True, True, False), (True, True, False)]

    report = pdfsig(data, tmp_path)
    assert report.count("Signature Validation: Signature is Valid.") == 2
    assert "Signature #2" in report and "Signature #3" not in report
    assert "Total document signed" in report
    # A test CA is nobody's trusted root: pdfsig says so, and that is right.
    assert "Certificate issuer isn't Trusted" in report

    steps = list(request.steps.order_by("position"))
    assert [(s.position, s.state, s.acted_by, s.function_name) for s in steps] == [
        (1, StepState.DONE, burgemeester, "Burgemeester"),
        (2, StepState.DONE, directeur, "Algemeen directeur"),
    ]
    assert [s.produced_version.number for s in steps] == [2, 3]
    assert list(request.events.values_list("kind", "by__username")) == [
        ("requested", "behandelaar"),
        ("signed", "burgemeester"),
        ("signed", "directeur"),
    ]
    assert (
        ChangeRecord.objects.filter(object_uuid=request.uuid, changes__state=["signing", "signed"]).count()
        == 1
    )


def test_the_visible_block_names_the_signer_and_their_function(
    handler, burgemeester, directeur, letter, two_signers_procedure, municipality_certificate, tmp_path
):
    request = request_signing(document=letter, procedure=two_signers_procedure, by=handler)
    sign(request=request, by=burgemeester)
    sign(request=request, by=directeur)
    letter.refresh_from_db()
    # The blocks are on the last page (2 of 2), in the signature fields' appearance streams.
    text = pdftotext(read_version(letter.current_version), tmp_path, page=2)
    assert "Digitaal ondertekend door" in text
    assert "Marc Verstraeten" in text and "Burgemeester" in text
    assert "Katrien Lambrechts" in text and "Algemeen directeur" in text


def test_the_approved_letter_is_signed_by_the_algemeen_directeur(
    handler, lead, directeur, letter, approved_letter_procedure, municipality_certificate, tmp_path
):
    request = request_signing(document=letter, procedure=approved_letter_procedure, by=handler)
    approve(request=request, by=lead)
    sign(request=request, by=directeur)
    request.refresh_from_db()
    assert request.state == SigningState.SIGNED
    assert "Signature is Valid." in pdfsig(read_version(request.signed_version), tmp_path)
    assert [r["signer"] for r in request.validation] == ["Gemeente Zonnedaal (test)"]


def test_a_signer_whose_turn_it_is_not_is_refused_and_nothing_changes(
    handler, burgemeester, directeur, letter, two_signers_procedure, municipality_certificate
):
    request = request_signing(document=letter, procedure=two_signers_procedure, by=handler)

    with pytest.raises(ValidationError) as refused:
        sign(request=request, by=directeur)  # the burgemeester signs first
    assert refused.value.messages == [
        "U bent niet aan de beurt om dit document te ondertekenen: nu is het aan Marc Verstraeten."
    ]
    with pytest.raises(ValidationError):
        sign(request=request, by=handler)
    request.refresh_from_db()
    letter.refresh_from_db()
    assert request.state == SigningState.SIGNING
    assert request.current_position == 1
    assert letter.current_version.number == 1
    assert DocumentVersion.objects.filter(document=letter).count() == 1
    assert SigningEvent.objects.filter(request=request).count() == 1
    assert not SigningStep.objects.filter(request=request, state=StepState.DONE).exists()


def test_nobody_signs_twice_for_one_step(
    handler, burgemeester, letter, two_signers_procedure, municipality_certificate
):
    request = request_signing(document=letter, procedure=two_signers_procedure, by=handler)
    sign(request=request, by=burgemeester)
    with pytest.raises(ValidationError):
        sign(request=request, by=burgemeester)
    letter.refresh_from_db()
    assert letter.current_version.number == 2


def test_a_document_changed_after_the_request_is_not_signed(
    handler, burgemeester, letter, two_signers_procedure, municipality_certificate
):
    request = request_signing(document=letter, procedure=two_signers_procedure, by=handler)
    add_version(document=letter, file=pdf_upload(name="brief-v2.pdf"), by=handler)

    with pytest.raises(ValidationError) as refused:
        sign(request=request, by=burgemeester)
    assert "kreeg na de aanvraag een nieuwe versie" in refused.value.messages[0]
    letter.refresh_from_db()
    assert letter.current_version.number == 2
    assert SigningRequest.objects.get(pk=request.pk).state == SigningState.SIGNING
