"""A mailbox whose server is down: the poll fails without raising, the mailbox shows since when
and why, waits longer each time, and the first poll after the server is back picks up by itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from balie.mailboxes.models import IncomingMail
from balie.mailboxes.polling import backoff, due_mailboxes, poll_all, poll_mailbox

from . import corpus


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_down_then_back(mailbox, dovecot):
    dovecot.append(corpus.simple(1, subject="Voor de storing"))
    dovecot.stop()

    first = poll_mailbox(mailbox)
    mailbox.refresh_from_db()
    assert first.error.startswith("ConnectionRefusedError")
    assert mailbox.down_since is not None and mailbox.last_error == first.error
    assert mailbox.failures == 1
    assert mailbox.next_poll_at == mailbox.last_error_at + dt.timedelta(seconds=30)
    assert due_mailboxes() == []  # it waits

    later = mailbox.next_poll_at + dt.timedelta(seconds=1)
    assert poll_all(later)["info@zonnedaal.be"].error
    mailbox.refresh_from_db()
    assert mailbox.failures == 2 and mailbox.next_poll_at - mailbox.last_error_at == dt.timedelta(minutes=1)
    down_since = mailbox.down_since

    dovecot.start()
    results = poll_all(mailbox.next_poll_at + dt.timedelta(seconds=1))

    assert results["info@zonnedaal.be"].ingested == 1
    mailbox.refresh_from_db()
    assert (mailbox.down_since, mailbox.failures, mailbox.next_poll_at) == (None, 0, None)
    # What happened stays visible: the last error and when.
    assert mailbox.last_error and mailbox.last_error_at is not None and mailbox.last_error_at >= down_since
    assert mailbox.last_success_at > mailbox.last_error_at
    assert IncomingMail.objects.count() == 1
    assert timezone.now() - mailbox.last_poll_at < dt.timedelta(minutes=1)


def test_back_off_doubles_up_to_half_an_hour():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4, 8, 20)] == [30, 60, 120, 240, 1800, 1800]
