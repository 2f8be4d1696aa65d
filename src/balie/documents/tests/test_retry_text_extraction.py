"""Reading a text can fail (a program's error, a file gone from the storage): the version says why,
the document stays as it was, and an employee who sees it asks for the text again."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.audit.models import ChangeRecord
from balie.core.worker import run_ready_tasks
from balie.documents.actions import retry_text_extraction, store_document
from balie.documents.files import document_storage
from balie.documents.models import Document, DocumentVersion, TextMethod, TextState

from . import samples
from .samples import upload


@pytest.mark.slow
def test_an_ocr_failure_is_recorded_with_its_reason_and_keeps_the_document(handler, settings):
    settings.BALIE_OCR_LANGUAGES = "xyz"  # a language Tesseract has no data for
    document = store_document(file=upload("scan.png", samples.scan_png("Aanvraag")), title="Scan", by=handler)

    run_ready_tasks()

    version = DocumentVersion.objects.get(pk=document.current_version_id)
    assert version.text_state == TextState.FAILED
    assert version.text_error.startswith("De tekstherkenning (Tesseract) gaf een fout: ")
    assert version.text == "" and version.text_method == ""
    assert Document.objects.filter(pk=document.pk).exists()
    assert document_storage().exists(version.file.name)


def test_a_file_missing_from_the_storage_fails_with_a_reason(handler):
    document = store_document(file=upload("nota.txt", b"Een nota over de markt"), title="Nota", by=handler)
    document_storage().delete(document.current_version.file.name)

    run_ready_tasks()

    version = DocumentVersion.objects.get(pk=document.current_version_id)
    assert version.text_state == TextState.FAILED
    assert version.text_error.startswith("Het bestand kon niet uit de opslag gelezen worden")


@pytest.mark.slow
def test_a_failed_version_is_read_again_on_request(handler, settings):
    settings.BALIE_OCR_LANGUAGES = "xyz"
    document = store_document(
        file=upload("scan.png", samples.scan_png("Aanvraag terras")), title="Scan", by=handler
    )
    run_ready_tasks()
    settings.BALIE_OCR_LANGUAGES = "nld+fra+eng"
    version = DocumentVersion.objects.get(pk=document.current_version_id)

    retried = retry_text_extraction(version=version, by=handler)

    assert (retried.text_state, retried.text_error, retried.text_attempts) == (TextState.WAITING, "", 0)
    change = ChangeRecord.objects.get(model="documents.documentversion", action="update")
    assert change.reason == "Tekstherkenning opnieuw gevraagd." and change.actor_uuid == handler.uuid
    assert change.changes["text_state"] == ["failed", "waiting"]
    run_ready_tasks()
    version.refresh_from_db()
    assert (version.text_state, version.text_method, version.text) == (
        TextState.DONE,
        TextMethod.OCR,
        "Aanvraag terras",
    )


def test_only_a_failed_version_can_be_retried(handler):
    document = store_document(file=upload("nota.txt", b"Een nota"), title="Nota", by=handler)
    run_ready_tasks()
    version = DocumentVersion.objects.get(pk=document.current_version_id)

    with pytest.raises(ValidationError) as refused:
        retry_text_extraction(version=version, by=handler)

    assert refused.value.messages == ["Alleen een mislukte tekstherkenning kan opnieuw."]
    version.refresh_from_db()
    assert version.text_state == TextState.DONE and version.text == "Een nota"


def test_who_may_not_see_the_document_cannot_retry_it(handler, front_desk, citizen):
    document = store_document(file=upload("nota.txt", b"Geheim"), title="Nota", by=handler, confidential=True)
    DocumentVersion.objects.filter(pk=document.current_version_id).update(
        text_state=TextState.FAILED, text_error="kapot"
    )
    version = DocumentVersion.objects.get(pk=document.current_version_id)

    for outsider in (front_desk, citizen):
        with pytest.raises(ValidationError):
            retry_text_extraction(version=version, by=outsider)

    version.refresh_from_db()
    assert (version.text_state, version.text_error) == (TextState.FAILED, "kapot")
    assert not ChangeRecord.objects.filter(model="documents.documentversion", action="update").exists()
