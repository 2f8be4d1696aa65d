"""The mail server is down: the mail stays queued and is retried; when the server is back it goes
out once, and never again (a later run, a repeated attempt after it was recorded as sent)."""

from __future__ import annotations

import pytest

from balie.core.models import OutboxMessage, OutboxState
from balie.mailboxes.actions import resend_mail, send_mail
from balie.mailboxes.models import SentMailState
from balie.mailboxes.sending import send_queued_mail

from .helpers import deliver as deliver_now
from .helpers import stored_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_queued_while_down_then_sent_once(smtp_server, mailbox, case, handler, applicant):
    smtp_server.stop()
    mail = send_mail(by=handler, to="an.peeters@example.be", subject="Vraag", body="Tekst", case=case)

    run = deliver_now()

    assert (run.delivered, run.retrying) == (0, 1)
    mail.refresh_from_db()
    assert mail.state == SentMailState.QUEUED
    assert mail.detail.startswith("De mailserver is niet bereikbaar")
    message = OutboxMessage.objects.get(idempotency_key=mail.outbox_key)
    assert (message.state, message.attempts) == (OutboxState.PENDING, 1)
    assert deliver_now().attempted == 0  # not due before its backoff

    smtp_server.start()
    run = deliver_now(minutes_later=2)

    assert run.delivered == 1
    mail.refresh_from_db()
    assert (mail.state, mail.detail) == (SentMailState.SENT, "")
    assert len(smtp_server.inbox.raw) == 1
    assert smtp_server.inbox.raw[0] == stored_bytes(mail.eml)

    # Never twice: a later run has nothing to do, and an attempt that comes after the mail was
    # recorded as sent (a worker whose lease ran out) sends nothing.
    assert deliver_now(minutes_later=60).attempted == 0
    send_queued_mail(message)
    assert len(smtp_server.inbox.raw) == 1


def test_failed_after_the_last_attempt_and_resent(
    smtp_server, settings, mailbox, case, handler, applicant, front_desk
):
    settings.BALIE_OUTBOX_MAX_ATTEMPTS = 2
    smtp_server.stop()
    mail = send_mail(by=handler, to="an.peeters@example.be", subject="Vraag", body="Tekst", case=case)
    deliver_now()
    deliver_now(minutes_later=5)

    mail.refresh_from_db()
    assert mail.state == SentMailState.FAILED
    assert mail.failed_at is not None
    message = OutboxMessage.objects.get(idempotency_key=mail.outbox_key)
    assert message.state == OutboxState.FAILED

    smtp_server.start()
    resent = resend_mail(mail=mail, by=handler)
    assert resent.state == SentMailState.QUEUED
    deliver_now()

    mail.refresh_from_db()
    assert mail.state == SentMailState.SENT
    received = smtp_server.inbox.messages
    assert [m["Message-ID"] for m in received] == [mail.message_id]


def test_a_refused_recipient_fails_at_once(smtp_server, mailbox, case, handler):
    smtp_server.inbox.refuse.add("weg@example.be")
    mail = send_mail(by=handler, to="weg@example.be", subject="Vraag", body="Tekst", case=case)

    run = deliver_now()

    assert run.failed == 1
    mail.refresh_from_db()
    assert mail.state == SentMailState.FAILED
    assert mail.detail == "De mailserver weigerde het adres weg@example.be: 550 5.1.1 Mailbox unavailable"


def test_resending_a_mail_that_did_not_fail_is_refused(smtp_server, mailbox, case, handler):
    from django.core.exceptions import ValidationError

    mail = send_mail(by=handler, to="an.peeters@example.be", subject="Vraag", body="Tekst", case=case)
    deliver_now()
    mail.refresh_from_db()

    with pytest.raises(ValidationError):
        resend_mail(mail=mail, by=handler)
    mail.refresh_from_db()
    assert mail.state == SentMailState.SENT
