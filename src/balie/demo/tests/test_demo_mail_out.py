"""The demo shows mail out: mailboxes, mail templates and mails written from Omgeving's cases;
its worker sends them to the demo mail server (real SMTP on loopback), which shows them; one fails
(a refused address), one came back."""

from __future__ import annotations

import urllib.request

import pytest

from balie.core.outbox import deliver_due
from balie.demo.loader import load_demo_data
from balie.mailboxes.adapters.demo_smtp import DemoSmtp
from balie.mailboxes.models import Mailbox, MailTemplate, SentMail, SentMailState

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_the_demo_sends_its_mails_to_the_demo_mail_server(settings):
    server = DemoSmtp().start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.smtp_port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        load_demo_data(persons=120, contact_moments=200)

        assert Mailbox.objects.filter(address="omgeving@zonnedaal.be").exists()
        assert MailTemplate.objects.count() == 3
        mails = list(SentMail.objects.order_by("id"))
        assert len(mails) == 4

        deliver_due()

        states = [m.state for m in SentMail.objects.order_by("id")]
        assert states == [SentMailState.SENT, SentMailState.FAILED, SentMailState.BOUNCED, SentMailState.SENT]
        ours = [m for m in server.mails if m.sender == "omgeving@zonnedaal.be"]
        assert [m.message["Message-ID"] for m in ours] == [mails[0].message_id, mails[3].message_id]
        with urllib.request.urlopen(server.url, timeout=5) as response:  # noqa: S310 - loopback
            page = response.read().decode()
        assert mails[0].subject in page
        assert "Demo-mailserver" in page
    finally:
        server.stop()
