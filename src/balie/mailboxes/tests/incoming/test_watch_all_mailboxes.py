"""`balie watch_mail` reads every active mailbox continuously (IMAP IDLE on Dovecot), and with
BALIE_MAIL_WATCH the worker's scheduled poll leaves the mailboxes to it."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from balie.mailboxes.models import IncomingMail, MailRule, RuleTarget
from balie.mailboxes.polling import due_mailboxes, watch_all

from . import corpus


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_watcher_reads_new_mail_at_once_and_stops_when_asked(mailbox, dovecot, settings):
    settings.BALIE_MAIL_WATCH = True
    MailRule.objects.create(mailbox=mailbox, position=1, name="Alles", target=RuleTarget.CONTACT_MOMENT)
    assert due_mailboxes() == []  # the schedule's poll leaves it to the watcher
    stop = threading.Event()

    def work() -> None:
        try:
            watch_all(stop, poll_every=3600)
        finally:
            connection.close()

    watcher = threading.Thread(target=work, daemon=True)
    watcher.start()
    try:
        time.sleep(2)  # it has read the (empty) mailbox and waits with IDLE
        dovecot.append(corpus.simple(1, subject="Tijdens het wachten"))
        deadline = time.monotonic() + 30
        while IncomingMail.objects.count() < 1:
            assert time.monotonic() < deadline, "not read within 30 s"
            time.sleep(0.1)
    finally:
        stop.set()
        watcher.join(timeout=40)
    assert not watcher.is_alive()
    assert IncomingMail.objects.get().subject == "Tijdens het wachten"
