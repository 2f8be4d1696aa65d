"""A scan that is encrypted, broken, empty or of a type that is not allowed: a clear message, and
no half-registered item: no number taken, no row, no document, no file."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_tasks_db.models import DBTaskResult

from balie.core.models import Counter
from balie.correspondence.actions import register_incoming, register_outgoing
from balie.correspondence.batches import upload_batch
from balie.correspondence.models import PostItem, PostItemEvent, ScanBatch
from balie.documents.models import Document, DocumentVersion
from balie.documents.tests.samples import docx

from .samples import (
    BROKEN_PDF,
    EXE,
    cut_off_pdf,
    empty_pdf,
    encrypted_pdf,
    scanned_letter,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db


def _register(post_room, omgeving, sender, scan):
    return register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Bouwaanvraag", party=sender, scan=scan
    )


def _nothing_left(media_root) -> None:
    assert PostItem.objects.count() == 0
    assert PostItemEvent.objects.count() == 0
    assert Document.objects.count() == 0 and DocumentVersion.objects.count() == 0
    assert Counter.objects.filter(register__in=["IN", "OUT"]).count() == 0
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (encrypted_pdf(), "Dit PDF-bestand is beveiligd met een wachtwoord;"),
        (encrypted_pdf(user_password=""), "Dit PDF-bestand is versleuteld;"),
        (BROKEN_PDF, "Dit PDF-bestand is beschadigd en kan niet gelezen worden."),
        (cut_off_pdf(), "Dit PDF-bestand is onvolledig (het einde ontbreekt);"),
        (empty_pdf(), "Dit PDF-bestand heeft geen pagina's."),
    ],
    ids=["password", "owner-password-only", "broken", "cut-off", "no-pages"],
)
def test_a_pdf_that_cannot_be_read_is_refused_with_a_clear_message(
    post_room, omgeving, sender, media_root, content, expected
):
    with pytest.raises(ValidationError) as refused:
        _register(post_room, omgeving, sender, upload("scan.pdf", content, "application/pdf"))

    assert refused.value.message_dict["scan"][0].startswith(expected)
    _nothing_left(media_root)


def test_a_program_is_refused_whatever_its_name(post_room, omgeving, sender, media_root):
    with pytest.raises(ValidationError) as refused:
        _register(post_room, omgeving, sender, upload("scan.pdf", EXE, "application/pdf"))

    [message] = refused.value.message_dict["scan"]
    assert message.startswith("Dit soort bestand kan niet bewaard worden")
    _nothing_left(media_root)


def test_a_word_document_is_no_scan(post_room, omgeving, sender, media_root):
    with pytest.raises(ValidationError) as refused:
        _register(post_room, omgeving, sender, upload("brief.docx", docx()))

    assert refused.value.message_dict["scan"] == [
        "Een scan is een PDF, TIFF, PNG of JPEG; dit bestand is Word (DOCX)."
    ]
    _nothing_left(media_root)


def test_one_bad_attachment_refuses_the_whole_registration(post_room, omgeving, sender, media_root):
    with pytest.raises(ValidationError) as refused:
        register_incoming(
            by=post_room,
            channel="email",
            department=omgeving,
            subject="Bouwplan",
            party=sender,
            scan=upload("mail.pdf", scanned_letter()),
            attachments=[upload("plan.pdf", encrypted_pdf())],
        )

    assert list(refused.value.message_dict) == ["attachments"]
    _nothing_left(media_root)


def test_a_bad_letter_refuses_the_outgoing_registration(post_room, sender, media_root):
    with pytest.raises(ValidationError) as refused:
        register_outgoing(
            by=post_room,
            channel="paper",
            subject="Antwoord",
            party=sender,
            letter=upload("a.pdf", BROKEN_PDF),
        )

    assert list(refused.value.message_dict) == ["letter"]
    _nothing_left(media_root)


def test_a_refusal_takes_no_number(post_room, omgeving, sender):
    with pytest.raises(ValidationError):
        _register(post_room, omgeving, sender, upload("scan.pdf", encrypted_pdf()))

    item = _register(post_room, omgeving, sender, upload("scan.pdf", scanned_letter()))

    assert item.number.endswith("-000001")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (encrypted_pdf(), "Dit PDF-bestand is beveiligd met een wachtwoord;"),
        (BROKEN_PDF, "Dit PDF-bestand is beschadigd en kan niet gelezen worden."),
        (EXE, "Dit soort bestand kan niet bewaard worden"),
    ],
    ids=["encrypted", "broken", "program"],
)
def test_a_bad_batch_is_refused_before_anything_is_kept_or_queued(
    post_room, omgeving, media_root, content, expected
):
    with pytest.raises(ValidationError) as refused:
        upload_batch(file=upload("stapel.pdf", content), by=post_room, department=omgeving)

    assert refused.value.message_dict["file"][0].startswith(expected)
    assert ScanBatch.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    _nothing_left(media_root)
