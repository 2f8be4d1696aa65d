"""The demo's mailbox: a few messages already read (some in triage, two replies on a case), and
no IMAP server: the first poll shows the mailbox as unreachable instead of failing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from balie.demo.mail_in import build_incoming_mail
from balie.mailboxes.models import IncomingMail, Mailbox, MailState
from balie.mailboxes.polling import poll_all


@pytest.mark.django_db
def test_the_demo_mailbox(burgerzaken, front_desk):
    count = build_incoming_mail(timezone.now(), burgerzaken)

    assert count == 1  # one became a contact moment; no case in this database: no replies
    states = sorted(IncomingMail.objects.values_list("subject", "state"))
    assert states == [
        ("Afspraak verplaatsen", MailState.INGESTED),
        ("Losliggende tegel voor het gemeentehuis", MailState.TRIAGE),
        ("Solden tot -70%", MailState.TRIAGE),
        ("Vraag over attest gezinssamenstelling", MailState.TRIAGE),
    ]
    results = poll_all()
    assert results["info@zonnedaal.be"].error
    mailbox = Mailbox.objects.get()
    assert mailbox.down_since is not None and mailbox.last_error
