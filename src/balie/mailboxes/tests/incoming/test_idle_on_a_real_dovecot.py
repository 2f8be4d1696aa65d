"""A worker waits on a mailbox with IMAP IDLE (Dovecot offers it): a message appended while it
waits is ingested within a few seconds, without a poll interval passing."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from balie.mailboxes.models import IncomingMail, MailRule, RuleTarget
from balie.mailboxes.polling import watch_mailbox

from . import corpus


@pytest.mark.django_db(transaction=True)
def test_a_message_appended_while_idling_is_ingested_within_seconds(mailbox, dovecot):
    MailRule.objects.create(mailbox=mailbox, position=1, name="Alles", target=RuleTarget.CONTACT_MOMENT)
    dovecot.append(corpus.simple(1, subject="Er al voor de start"))
    stop = threading.Event()
    failures: list[BaseException] = []

    def work() -> None:
        try:
            watch_mailbox(mailbox, stop, poll_every=3600)  # polling alone would take an hour
        except BaseException as error:  # noqa: BLE001 - reported by the test
            failures.append(error)
        finally:
            connection.close()

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    try:
        deadline = time.monotonic() + 60
        while IncomingMail.objects.count() < 1:
            assert time.monotonic() < deadline and not failures, failures
            time.sleep(0.1)
        time.sleep(1.5)  # the worker is IDLE now
        dovecot.append(corpus.simple(2, subject="Terwijl hij wacht"))
        appended = time.monotonic()
        while IncomingMail.objects.count() < 2:
            assert time.monotonic() - appended < 10 and not failures, failures
            time.sleep(0.1)
    finally:
        stop.set()
        worker.join(timeout=30)
    assert not worker.is_alive() and not failures
    assert sorted(IncomingMail.objects.values_list("subject", flat=True)) == [
        "Er al voor de start",
        "Terwijl hij wacht",
    ]
    assert dovecot.flagged_count() == 2
