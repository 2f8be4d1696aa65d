"""A message with a 30 MB attachment: read and filed; the attachment is over the document limit
and the raw message is kept in the mail store instead of as a document, said on the mail."""

from __future__ import annotations

import pytest
from django.core.files.storage import storages

from balie.mailboxes.models import IncomingMail, MailRule, MailState, RuleTarget
from balie.mailboxes.polling import poll_mailbox

from . import corpus


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_30_mb_attachment(mailbox, dovecot, an, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    MailRule.objects.create(mailbox=mailbox, position=1, name="Alles", target=RuleTarget.CONTACT_MOMENT)
    raw = corpus.large(30)
    dovecot.append(raw, corpus.simple(1, subject="Daarna"))

    result = poll_mailbox(mailbox)

    assert (result.ingested, result.failed) == (2, 0)
    mail = IncomingMail.objects.get(subject="Groot bestand")
    assert (mail.state, mail.party) == (MailState.INGESTED, an)
    assert mail.size > len(raw)  # as the server hands it out: with CRLF line ends
    assert mail.raw_document is None and mail.raw_file
    assert "raw message too large for a document: kept in the mail store" in mail.defects
    with storages["documents"].open(mail.raw_file) as stored:
        kept = stored.read()
    assert len(kept) == mail.size and b"Subject: Groot bestand" in kept[:4096]
    assert [s["filename"] for s in mail.skipped_attachments] == ["groot.txt"]
    assert mail.contact_moment is not None
    assert IncomingMail.objects.get(subject="Daarna").state == MailState.INGESTED
