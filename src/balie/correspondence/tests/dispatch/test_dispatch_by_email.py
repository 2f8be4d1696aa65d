"""An outgoing item sent by e-mail: queued in one transaction with an outbox message, delivered by
the outbox over real SMTP (aiosmtpd) with the letter attached as PDF, the Message-ID on the
dispatch, the mail kept as an .eml document; the item is sent. A refused address fails at once,
a mail server that is down is tried again until the outbox gives up."""

from __future__ import annotations

import email
import email.policy

import pytest

from balie.core.models import OutboxMessage, OutboxState
from balie.correspondence.dispatch import dispatch_item
from balie.correspondence.dispatch_queries import dispatch_for_message_id
from balie.correspondence.models import DispatchState, EventKind, PostStatus
from balie.correspondence.models_dispatch import Envelope
from balie.documents.actions import add_version
from balie.parties.actions import update_party

from ..samples import letter_pdf, upload
from .helpers import deliver, free_port, outgoing_letter

pytestmark = pytest.mark.django_db


def test_the_mail_arrives_with_the_letter_attached_and_the_item_is_sent(letter, handler, smtp_inbox):
    dispatch = dispatch_item(item=letter, channel="email", by=handler)

    assert smtp_inbox.messages == []  # nothing leaves inside the transaction
    envelope = Envelope.objects.get(dispatch=dispatch)
    assert (dispatch.state, dispatch.address, envelope.email) == (
        DispatchState.QUEUED,
        "marc.claes@example.be",
        "marc.claes@example.be",
    )
    assert envelope.outbox_message.sender == "correspondence.dispatch_email"

    assert deliver().delivered == 1

    [mail] = smtp_inbox.messages
    assert mail["To"] == "marc.claes@example.be"
    assert mail["From"] == "Gemeente Zonnedaal <info@zonnedaal.be>"
    assert mail["Subject"] == f"Beslissing omgevingsvergunning (ons kenmerk {letter.number})"
    assert mail["Message-ID"] == f"<dispatch.{dispatch.uuid}@zonnedaal.be>"
    assert mail["Content-Language"] == "nl"
    body = mail.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith("Beste Marc Claes,\n\nIn de bijlage vindt u onze brief over ‘Beslissing")
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == f"{letter.number}.pdf"
    assert attachment.get_content_type() == "application/pdf"
    sent_version = letter.documents.get(role="letter").document.current_version
    assert attachment.get_content() == sent_version.file.open("rb").read()

    dispatch.refresh_from_db()
    letter.refresh_from_db()
    assert (dispatch.state, dispatch.external_id) == (DispatchState.SENT, mail["Message-ID"])
    assert dispatch.sent_at is not None
    assert (letter.status, letter.sent_on) == (PostStatus.SENT, dispatch.sent_at.astimezone().date())
    assert [d.version for d in dispatch.sent_documents.all()] == [sent_version]
    assert dispatch_for_message_id(mail["Message-ID"]) == dispatch
    assert dispatch_for_message_id(mail["Message-ID"].strip("<>")) == dispatch


def test_the_sent_mail_is_kept_as_an_eml_document_byte_for_byte(letter, handler, smtp_inbox):
    dispatch = dispatch_item(item=letter, channel="email", by=handler)
    deliver()

    envelope = Envelope.objects.select_related("eml_document__current_version").get(dispatch=dispatch)
    version = envelope.eml_document.current_version
    assert version.mime_type == "message/rfc822"
    assert envelope.eml_document.title == f"E-mail {letter.number} aan marc.claes@example.be"
    assert envelope.eml_document.department == letter.department
    kept = version.file.open("rb").read()
    [mail] = smtp_inbox.messages
    assert kept.splitlines() == mail.as_bytes().splitlines()


def test_the_addressee_s_language_goes_on_the_mail(handler, citizen_party, smtp_inbox):
    party = update_party(party=citizen_party, by=None, preferred_language="fr")
    item = outgoing_letter(handler, party)

    dispatch_item(item=item, channel="email", by=handler)
    deliver()

    [mail] = smtp_inbox.messages
    assert mail["Content-Language"] == "fr"
    assert Envelope.objects.get(dispatch__item=item).language == "fr"


def test_a_long_subject_with_accents_is_sent_folded(handler, citizen_party, smtp_inbox):
    subject = "Premie zonnepanelen en warmtepomp voor café De Kroon, Kerkstraat 12"
    item = outgoing_letter(handler, citizen_party, subject=subject)

    dispatch_item(item=item, channel="email", by=handler)
    deliver()

    [mail] = smtp_inbox.messages
    parsed = email.message_from_bytes(mail.as_bytes(), policy=email.policy.default)
    assert parsed["Subject"] == f"{subject} (ons kenmerk {item.number})"


def test_a_retry_after_success_sends_nothing_twice(letter, handler, smtp_inbox):
    dispatch = dispatch_item(item=letter, channel="email", by=handler)
    deliver()
    message = OutboxMessage.objects.get(pk=dispatch.envelope.outbox_message_id)

    from balie.correspondence.dispatch_channels import send_email_dispatch

    send_email_dispatch(message)  # the outbox calling again, as after a lost acknowledgement

    assert len(smtp_inbox.messages) == 1
    assert letter.history.filter(kind=EventKind.STATUS, to_status=PostStatus.SENT).count() == 1


def test_a_refused_address_fails_the_dispatch_at_once_with_the_reason(letter, handler, smtp_inbox):
    smtp_inbox.refuse.add("marc.claes@example.be")
    dispatch = dispatch_item(item=letter, channel="email", by=handler)

    run = deliver()

    assert (run.delivered, run.failed) == (0, 1)
    dispatch.refresh_from_db()
    letter.refresh_from_db()
    assert dispatch.state == DispatchState.FAILED
    assert dispatch.detail.startswith("De mailserver weigerde het adres marc.claes@example.be: 550")
    assert letter.status == PostStatus.REGISTERED
    assert OutboxMessage.objects.get(pk=dispatch.envelope.outbox_message_id).state == OutboxState.FAILED


def test_a_mail_server_that_is_down_is_tried_again_then_the_dispatch_fails(letter, handler, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.BALIE_OUTBOX_MAX_ATTEMPTS = 3
    dispatch = dispatch_item(item=letter, channel="email", by=handler)

    assert deliver().retrying == 1
    dispatch.refresh_from_db()
    assert dispatch.state == DispatchState.QUEUED  # waiting for the next attempt
    message = OutboxMessage.objects.get(pk=dispatch.envelope.outbox_message_id)
    assert message.last_error.startswith("De mailserver is niet bereikbaar")

    assert deliver(minutes_later=5).retrying == 1
    assert deliver(minutes_later=10).failed == 1

    dispatch.refresh_from_db()
    assert dispatch.state == DispatchState.FAILED
    assert dispatch.detail.startswith("De mailserver is niet bereikbaar")


def test_the_current_version_goes_out_when_the_letter_was_corrected(letter, handler, smtp_inbox):
    document = letter.documents.get(role="letter").document
    corrected = add_version(
        document=document, file=upload("v2.pdf", letter_pdf("Gemeente Zonnedaal", "Verbeterd")), by=handler
    )

    dispatch = dispatch_item(item=letter, channel="email", by=handler)
    deliver()

    assert [d.version for d in dispatch.sent_documents.all()] == [corrected]
    [mail] = smtp_inbox.messages
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_content() == corrected.file.open("rb").read()


def test_a_letter_gone_from_the_storage_fails_the_dispatch_after_the_last_attempt(
    letter, handler, smtp_inbox, settings
):
    settings.BALIE_OUTBOX_MAX_ATTEMPTS = 2
    dispatch = dispatch_item(item=letter, channel="email", by=handler)
    version = letter.documents.get(role="letter").document.current_version
    version.file.storage.delete(version.file.name)

    assert deliver().retrying == 1
    assert deliver(minutes_later=5).failed == 1

    dispatch.refresh_from_db()
    assert dispatch.state == DispatchState.FAILED
    assert dispatch.detail.startswith("Onverwachte fout bij het versturen: ")
    assert smtp_inbox.messages == []
