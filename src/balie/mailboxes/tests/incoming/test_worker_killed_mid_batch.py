"""A worker reading 500 messages is killed (SIGKILL) midway and started again: exactly 500
messages are ingested, none twice, and every one is flagged on the server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from balie.contact_moments.models import ContactMoment
from balie.mailboxes.models import IncomingMail, MailRule, RuleTarget
from balie.mailboxes.polling import poll_mailbox

from . import corpus

POLL_IN_A_CHILD = (
    "import django, sys; django.setup(); "
    "from balie.mailboxes.models import Mailbox; from balie.mailboxes.polling import poll_mailbox; "
    "print(poll_mailbox(Mailbox.objects.get(pk=int(sys.argv[1]))))"
)


def database_url() -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    return (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}"
    )


def start_child(mailbox, tmp_path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", POLL_IN_A_CHILD, str(mailbox.pk)],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "balie.conf.settings",
            "DATABASE_URL": database_url(),
            "BALIE_DATA_DIR": str(tmp_path),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_killed_midway_and_restarted_ingests_each_message_exactly_once(mailbox, dovecot, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"  # the child's too: BALIE_DATA_DIR
    MailRule.objects.create(mailbox=mailbox, position=1, name="Alles", target=RuleTarget.CONTACT_MOMENT)
    dovecot.append(
        *[corpus.simple(n, subject=f"Bericht {n}", message_id=f"<kill-{n}@example.org>") for n in range(500)]
    )

    child = start_child(mailbox, tmp_path)
    try:
        deadline = time.monotonic() + 300
        while IncomingMail.objects.count() < 120:
            assert child.poll() is None and time.monotonic() < deadline, "the child did not get going"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)  # midway: it has hundreds of messages to go
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    done_before = IncomingMail.objects.count()
    assert 120 <= done_before < 500

    restarted = start_child(mailbox, tmp_path)
    assert restarted.wait(timeout=600) == 0

    assert IncomingMail.objects.count() == 500
    assert IncomingMail.objects.values("message_id").distinct().count() == 500
    assert IncomingMail.objects.values("uid").distinct().count() == 500
    assert ContactMoment.objects.count() == 500  # nothing became anything twice
    assert dovecot.flagged_count() == 500
    again = poll_mailbox(mailbox)
    assert (again.fetched, again.ingested) == (0, 0)
