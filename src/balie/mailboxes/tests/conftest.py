"""Fixtures of the mail-out tests: documents under a MEDIA_ROOT of each test's own, the mailbox of
the Omgeving department, a case of it with an applicant, a real SMTP server (aiosmtpd) on a free
loopback port, and the demo Microsoft Graph."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from balie.cases.actions import attach_document, register_case
from balie.cases.models import Case

# The case engine's fixtures (a published case type, a team lead, an applicant).
from balie.cases.tests.conftest import admin, applicant, permit_type, permit_version, team_lead  # noqa: F401
from balie.core.outbox import deliver_due
from balie.documents.tests.samples import PDF, upload
from balie.mailboxes.adapters import graph as graph_adapter
from balie.mailboxes.adapters.demo_graph import DemoGraph
from balie.mailboxes.models import Mailbox

CASE_ENGINE_SENDER = "info@zonnedaal.be"


class Inbox:
    """An SMTP server's mailbox: the raw bytes and envelopes it accepted; refuses `refuse` with 550.
    The case engine's own mail to the customer (a new case informs its applicant, from the
    municipality's general address) is kept apart in `others`."""

    def __init__(self) -> None:
        self.others: list[bytes] = []
        self.raw: list[bytes] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if envelope.mail_from == CASE_ENGINE_SENDER:
            self.others.append(bytes(envelope.content))
            return "250 OK"
        self.raw.append(bytes(envelope.original_content or envelope.content))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(raw, policy=email.policy.default) for raw in self.raw]  # type: ignore[misc]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SmtpServer:
    def __init__(self, settings) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller: Controller | None = None
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = self.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpServer]:
    """A real SMTP server on loopback, running; `stop()` and `start()` take it down and up again
    on the same port."""
    server = SmtpServer(settings)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_inbox(smtp_server: SmtpServer) -> Inbox:
    return smtp_server.inbox


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def mailbox(omgeving) -> Mailbox:
    return Mailbox.objects.create(
        name="Dienst Omgeving",
        address="omgeving@zonnedaal.be",
        department=omgeving,
        imap_host="127.0.0.1",
        imap_username="omgeving",
        secret_setting="BALIE_TEST_IMAP_SECRET",
    )


@pytest.fixture
def case(handler, permit_type, applicant) -> Case:  # noqa: F811 - the case engine's fixtures
    """A case of Omgeving. Its first status informs the applicant (the case engine's own mail);
    that mail is delivered here, to Django's test mailbox, so the tests see only what they send."""
    registered = register_case(
        case_type=permit_type,
        by=handler,
        subject="Verbouwing keuken",
        parties=[(applicant, "initiator")],
        attributes={"soort": "verbouwen"},
        handler=handler,
    )
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        deliver_due()
    return registered


@pytest.fixture
def plan(case, handler):
    """A document of the case whose name is not ASCII."""
    return attach_document(
        case=case, by=handler, file=upload("bouwplan-Anaïs-€.pdf", PDF), title="Bouwplan"
    ).document


@pytest.fixture(scope="session")
def _graph_server() -> Iterator[DemoGraph]:
    with DemoGraph(port=0) as server:
        yield server


@pytest.fixture
def demo_graph(_graph_server: DemoGraph, settings) -> Iterator[DemoGraph]:
    settings.BALIE_MAIL_TRANSPORT = "graph"
    settings.BALIE_GRAPH_URL = _graph_server.url
    settings.BALIE_GRAPH_TOKEN_URL = _graph_server.token_url
    settings.BALIE_GRAPH_CLIENT_ID = "balie-demo"
    settings.BALIE_GRAPH_CLIENT_SECRET = "demo-graph-geheim"
    settings.BALIE_GRAPH_TIMEOUT = 2.0
    _graph_server.clear()
    _graph_server.add_user("omgeving@zonnedaal.be")
    graph_adapter.forget_tokens()
    yield _graph_server
    _graph_server.clear()
    graph_adapter.forget_tokens()
