"""A status that informs the customer sends them a mail (real SMTP server), in their language,
after commit, once, and records it as an outgoing contact moment on the case."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from balie.cases.actions import register_case
from balie.cases.models import CaseEvent, CaseStatus, EventKind
from balie.contact_moments.models import ContactMoment, Direction
from balie.core.worker import run_ready_tasks
from balie.parties.actions import register_party


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_inbox(settings) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.mark.django_db(transaction=True)  # the mail goes out after commit, from the worker
def test_the_initiator_gets_the_status_mail_in_their_language(permit_type, handler, applicant, smtp_inbox):
    case = register_case(
        case_type=permit_type,
        by=handler,
        subject="Verbouwing",
        parties=[(applicant, "initiator")],
        attributes={"soort": "verbouwen"},
    )
    assert smtp_inbox.messages == []  # nothing is sent inside the transaction

    assert run_ready_tasks() == 1

    [mail] = smtp_inbox.messages
    assert mail["To"] == "an.peeters@example.be"
    assert mail["Subject"] == f"Votre demande {case.number}"
    assert mail.get_content().strip() == "Bonjour An Peeters, nous avons reçu votre demande."
    assert mail["X-Balie-Case"] == case.number
    contact = ContactMoment.objects.get(case=case)
    assert contact.direction == Direction.OUTBOUND and contact.channel == "email"
    assert contact.party == applicant
    assert contact.summary.startswith(f"Votre demande {case.number}")
    assert CaseStatus.objects.get(case=case).customer_informed_at is not None
    assert CaseEvent.objects.filter(case=case, kind=EventKind.INFORMED).count() == 1

    # Running the task again (a retry) sends nothing twice.
    from balie.cases.tasks import inform_customer

    inform_customer(CaseStatus.objects.get(case=case).pk)
    assert len(smtp_inbox.messages) == 1
    assert ContactMoment.objects.filter(case=case).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_dutch_speaker_gets_the_dutch_text_and_no_initiator_means_no_mail(permit_type, handler, smtp_inbox):
    from balie.parties.actions import add_contact_point

    party, _ = register_party(kind="person", by=None, given_name="Jan", family_name="Claes")
    add_contact_point(party=party, kind="email", value="jan@example.be", by=None)
    register_case(
        case_type=permit_type,
        by=handler,
        subject="A",
        parties=[(party, "initiator")],
        attributes={"soort": "bouwen"},
    )
    register_case(case_type=permit_type, by=handler, subject="B", attributes={"soort": "bouwen"})

    run_ready_tasks()

    [mail] = smtp_inbox.messages
    assert mail["To"] == "jan@example.be"
    assert mail["Subject"].startswith("Uw aanvraag C")
    assert "Beste Jan Claes" in mail.get_content()


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_is_down_delays_the_mail_but_loses_nothing(
    permit_type, handler, applicant, settings
):
    import datetime as dt

    from django.utils import timezone

    from balie.core.models import OutboxMessage, OutboxState
    from balie.core.outbox import deliver_due

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _free_port()  # nobody listens here yet
    settings.EMAIL_TIMEOUT = 5
    case = register_case(
        case_type=permit_type,
        by=handler,
        subject="X",
        parties=[(applicant, "initiator")],
        attributes={"soort": "bouwen"},
    )
    run_ready_tasks()
    message = OutboxMessage.objects.get()
    assert message.state == OutboxState.PENDING and message.attempts == 1 and message.last_error
    assert CaseStatus.objects.get(case=case).customer_informed_at is None
    assert not ContactMoment.objects.filter(case=case).exists()

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    try:
        deliver_due(now=timezone.now() + dt.timedelta(minutes=5))
        deliver_due(now=timezone.now() + dt.timedelta(minutes=10))
    finally:
        controller.stop()

    assert len(inbox.messages) == 1
    message.refresh_from_db()
    assert message.state == OutboxState.DELIVERED and message.attempts == 2
    assert ContactMoment.objects.filter(case=case).count() == 1
