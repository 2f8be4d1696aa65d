"""An employee writes to the applicant from a case: the mail reaches a real SMTP server with the
mailbox as From, the per-case reply address, the subject token, a new Message-ID and the case's
document attached; the .eml kept is what the server got; an outgoing contact moment records it."""

from __future__ import annotations

from email.utils import parseaddr

import pytest
from django.core.exceptions import ValidationError

from balie.cases.models import CaseDocument
from balie.contact_moments.models import Channel, ContactMoment, ContactMomentDocument, Direction
from balie.core.models import OutboxMessage
from balie.documents.models import Document
from balie.mailboxes.actions import send_mail
from balie.mailboxes.models import SentMail, SentMailState

from .helpers import deliver, stored_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_mail_from_a_case_goes_out_with_its_marks(smtp_inbox, mailbox, case, handler, applicant, plan):
    mail = send_mail(
        by=handler,
        to="an.peeters@example.be",
        subject="Uw aanvraag: aanvullende stukken",
        body="Beste mevrouw Peeters,\n\nIn bijlage het plan. Groeten, Hans — Omgeving",
        case=case,
        party=applicant,
        attachments=[plan],
    )
    assert mail.state == SentMailState.QUEUED

    run = deliver()

    assert run.delivered == 1
    assert len(smtp_inbox.raw) == 1
    received = smtp_inbox.messages[0]
    assert received["From"] == "Dienst Omgeving <omgeving@zonnedaal.be>"
    assert received["To"] == "an.peeters@example.be"
    assert received["Reply-To"] == f"omgeving+{case.number}@zonnedaal.be"
    assert received["Subject"] == f"Uw aanvraag: aanvullende stukken [{case.number}]"
    assert received["Message-ID"] == mail.message_id
    assert mail.message_id.endswith("@zonnedaal.be>")
    assert received["In-Reply-To"] is None
    assert received["X-Balie-Case"] == case.number
    assert smtp_inbox.envelopes == [("omgeving@zonnedaal.be", ["an.peeters@example.be"])]
    body = received.get_body(("plain",)).get_content()
    assert "Hans — Omgeving" in body
    attachments = list(received.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["bouwplan-Anaïs-€.pdf"]
    assert attachments[0].get_content_type() == "application/pdf"
    assert attachments[0].get_content() == stored_bytes(plan)

    mail.refresh_from_db()
    assert mail.state == SentMailState.SENT
    assert mail.sent_at is not None
    # The .eml kept is byte for byte what the SMTP server got.
    assert stored_bytes(mail.eml) == smtp_inbox.raw[0]
    assert mail.eml.current_version.mime_type == "message/rfc822"

    moment = mail.contact_moment
    assert (moment.channel, moment.direction) == (Channel.EMAIL, Direction.OUTBOUND)
    assert moment.case == case
    assert moment.party == applicant
    assert moment.summary.startswith(f"Uw aanvraag: aanvullende stukken [{case.number}]")
    assert ContactMomentDocument.objects.filter(contact_moment=moment, document=mail.eml).exists()
    assert CaseDocument.objects.filter(case=case, document=mail.eml).exists()
    assert list(mail.attachments.values_list("file_name", flat=True)) == ["bouwplan-Anaïs-€.pdf"]


def test_a_reply_names_the_mail_it_answers(smtp_inbox, mailbox, case, handler, applicant):
    mail = send_mail(
        by=handler,
        to="an.peeters@example.be",
        subject="Re: Vraag over mijn aanvraag",
        body="Beste, hierbij ons antwoord.",
        case=case,
        party=applicant,
        in_reply_to="<CAF=abc123@mail.example.be>",
        references="<first@mail.example.be>\r\nBcc: sneaky@example.be <CAF=abc123@mail.example.be>",
    )

    deliver()

    received = smtp_inbox.messages[0]
    assert received["In-Reply-To"] == "<CAF=abc123@mail.example.be>"
    assert received["References"] == "<first@mail.example.be> <CAF=abc123@mail.example.be>"
    assert received["Bcc"] is None
    assert smtp_inbox.envelopes[0][1] == ["an.peeters@example.be"]
    mail.refresh_from_db()
    assert (mail.in_reply_to, mail.state) == ("<CAF=abc123@mail.example.be>", SentMailState.SENT)
    assert parseaddr(received["From"])[1] == "omgeving@zonnedaal.be"


def test_refused_sends_change_nothing(smtp_inbox, mailbox, case, handler, applicant, front_desk, omgeving):
    counts = (
        SentMail.objects.count(),
        ContactMoment.objects.count(),
        Document.objects.count(),
        OutboxMessage.objects.count(),
    )

    with pytest.raises(ValidationError) as refused:
        send_mail(by=handler, to="geen-adres", subject="", body="  ", case=case)
    assert set(refused.value.message_dict) == {"to", "subject", "body"}

    mailbox.delete()
    with pytest.raises(ValidationError) as refused:
        send_mail(by=handler, to="an.peeters@example.be", subject="Vraag", body="Tekst", case=case)
    assert refused.value.messages == ["De dienst Omgeving heeft geen mailbox om van te versturen."]

    assert (
        SentMail.objects.count(),
        ContactMoment.objects.count(),
        Document.objects.count(),
        OutboxMessage.objects.count(),
    ) == counts
    deliver()
    assert smtp_inbox.raw == []
