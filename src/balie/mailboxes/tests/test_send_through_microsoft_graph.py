"""A mailbox in Microsoft 365 sends through Graph's sendMail (client-credentials token, the MIME
message base64-encoded), against the demo Graph on loopback that speaks the same protocol."""

from __future__ import annotations

import pytest

from balie.mailboxes.actions import send_mail
from balie.mailboxes.models import MailboxSending, SentMailState, Transport

from .helpers import deliver, stored_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_graph_sends_exactly_the_message_kept(demo_graph, mailbox, case, handler, applicant, plan):
    mail = send_mail(
        by=handler,
        to="an.peeters@example.be",
        subject="Uw plan",
        body="In bijlage.",
        case=case,
        attachments=[plan],
    )
    assert mail.transport == Transport.GRAPH

    assert deliver().delivered == 1

    mail.refresh_from_db()
    assert mail.state == SentMailState.SENT
    [sent] = demo_graph.mails
    assert sent.user == "omgeving@zonnedaal.be"
    assert sent.mime == stored_bytes(mail.eml)
    assert sent.message["Message-ID"] == mail.message_id
    assert sent.message["Reply-To"] == f"omgeving+{case.number}@zonnedaal.be"
    assert [a.get_filename() for a in sent.message.iter_attachments()] == ["bouwplan-Anaïs-€.pdf"]


def test_graph_unavailable_is_retried_and_a_revoked_token_renewed(demo_graph, mailbox, case, handler):
    mail = send_mail(by=handler, to="an.peeters@example.be", subject="Vraag", body="Tekst", case=case)
    demo_graph.fail_next(503)

    run = deliver()

    assert run.retrying == 1
    mail.refresh_from_db()
    assert mail.state == SentMailState.QUEUED
    assert "Microsoft Graph" in mail.detail

    demo_graph.revoke_tokens()
    assert deliver(minutes_later=2).delivered == 1
    mail.refresh_from_db()
    assert mail.state == SentMailState.SENT
    assert len(demo_graph.mails) == 1


def test_graph_refuses_a_mailbox_it_does_not_know(demo_graph, mailbox, case, handler):
    MailboxSending.objects.create(
        mailbox=mailbox, transport=Transport.GRAPH, graph_user="onbekend@zonnedaal.be"
    )
    mail = send_mail(by=handler, to="an.peeters@example.be", subject="Vraag", body="Tekst", case=case)

    assert deliver().failed == 1

    mail.refresh_from_db()
    assert mail.state == SentMailState.FAILED
    assert mail.detail.startswith("Microsoft Graph weigerde de e-mail (404)")
    assert demo_graph.mails == []


def test_a_mailbox_chooses_smtp_over_the_setting(demo_graph, smtp_inbox, mailbox, case, handler):
    MailboxSending.objects.create(mailbox=mailbox, transport=Transport.SMTP)
    mail = send_mail(by=handler, to="an.peeters@example.be", subject="Vraag", body="Tekst", case=case)

    deliver()

    assert mail.transport == Transport.SMTP
    assert len(smtp_inbox.raw) == 1
    assert demo_graph.mails == []
