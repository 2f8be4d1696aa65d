"""Helpers of the dispatch tests: an SMTP mailbox for aiosmtpd, outgoing letters (PDF), and running
the outbox now or later."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket

from django.utils import timezone

from balie.core.outbox import DeliveryRun, deliver_due
from balie.correspondence.actions import register_outgoing
from balie.correspondence.models import PostItem
from balie.parties.models import Party

from ..samples import letter_pdf, upload

INSZ = "85073003328"  # 85.07.30-033.28
ENTERPRISE = "0403019261"


class Inbox:
    """An SMTP server's mailbox; refuses the recipients in `refuse` with 550."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def deliver(*, minutes_later: float = 0) -> DeliveryRun:
    """Run the outbox as the worker would, now or as if some minutes had passed."""
    return deliver_due(now=timezone.now() + dt.timedelta(minutes=minutes_later))


def outgoing_letter(
    by, party: Party | None, *, subject: str = "Beslissing omgevingsvergunning", **extra
) -> PostItem:
    """An outgoing item with its letter (a PDF), ready to go out."""
    return register_outgoing(
        by=by,
        channel="paper",
        subject=subject,
        party=party,
        letter=upload("beslissing.pdf", letter_pdf("Gemeente Zonnedaal", subject)),
        **extra,
    )
